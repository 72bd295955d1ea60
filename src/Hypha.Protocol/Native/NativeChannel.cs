namespace Hypha.Protocol.Native;

/// <summary>
/// The four channels of a native connection, in priority order: a lower number is always written first
/// (docs/wire-format.md §4).
/// </summary>
public enum NativeChannel : byte
{
    /// <summary>Connection control: Hello, WindowUpdate, Ping, GoAway, Error. Never fragmented, never windowed.</summary>
    Control = 0,

    /// <summary>Generator items and other streamed messages. Windowed in bytes.</summary>
    Stream = 1,

    /// <summary>Calls and their answers, one fragment each. Windowed in messages (the calls in flight).</summary>
    Rpc = 2,

    /// <summary>Large messages, cut into fragments that yield to every other channel. Windowed in bytes.</summary>
    Bulk = 3,
}

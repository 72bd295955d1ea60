using Hypha.Protocol.MsgPack;

namespace Hypha.Protocol.Native;

/// <summary>
/// The ShmRelease control message (docs/wire-format.md §6.6): the receiver of SHM_REF messages is done with these
/// payloads, named by segment and generation, and their sender may reuse the regions.
/// </summary>
public static class SharedMemoryRelease
{
    /// <summary>The most payloads one ShmRelease may name.</summary>
    public const int MaxEntries = 1024;

    /// <summary>A ShmRelease naming <paramref name="released"/> (1 to <see cref="MaxEntries"/>).</summary>
    public static ControlMessage Create(IReadOnlyList<(string Segment, ulong Generation)> released)
    {
        ArgumentNullException.ThrowIfNull(released);
        var refs = new MsgPackValue[released.Count];
        for (int i = 0; i < refs.Length; i++)
        {
            refs[i] = new MsgPackValue[] { released[i].Segment, released[i].Generation };
        }

        return new ControlMessage(ControlType.ShmRelease, new MsgPackMap(1) { { "refs", refs } });
    }

    /// <summary>Reads a ShmRelease's entries.</summary>
    /// <exception cref="NativeProtocolException">No <c>refs</c> array, too many entries, or an entry that is not [name, generation].</exception>
    public static IReadOnlyList<(string Segment, ulong Generation)> Read(ControlMessage message)
    {
        if (!message.Body.TryGetValue("refs", out MsgPackValue value) || !value.TryGetArray(out MsgPackValue[]? entries)
            || entries.Length is 0 or > MaxEntries)
        {
            throw new NativeProtocolException(NativeErrorCode.ProtocolError, $"ShmRelease needs 'refs': 1 to {MaxEntries} [segment, generation] pairs");
        }

        var released = new (string, ulong)[entries.Length];
        for (int i = 0; i < entries.Length; i++)
        {
            if (!entries[i].TryGetArray(out MsgPackValue[]? pair) || pair.Length != 2 || !pair[0].TryGetString(out string? segment)
                || !SharedMemoryReference.IsSegmentName(segment) || !TryGetGeneration(pair[1], out ulong generation))
            {
                throw new NativeProtocolException(NativeErrorCode.ProtocolError, $"ShmRelease entry {i} is not [segment, generation]");
            }

            released[i] = (segment, generation);
        }

        return released;
    }

    private static bool TryGetGeneration(MsgPackValue value, out ulong generation)
    {
        if (value.TryGetInt64(out long signed) && signed >= 0)
        {
            generation = (ulong)signed;
            return true;
        }

        generation = value.Kind == MsgPackValueKind.UInt64 ? value.AsUInt64() : 0;
        return value.Kind == MsgPackValueKind.UInt64;
    }
}

using Hypha.Protocol.MsgPack;

namespace Hypha.Protocol.Native;

/// <summary>Builders and typed readers for the small control messages: WindowUpdate, Ping/Pong, GoAway, Error.</summary>
public static class ControlMessages
{
    /// <summary>The largest credit a channel may hold (§6.3).</summary>
    public const long MaxCredit = int.MaxValue;

    /// <summary>A WindowUpdate giving <paramref name="increment"/> credit on <paramref name="channel"/>.</summary>
    public static ControlMessage WindowUpdate(NativeChannel channel, int increment) =>
        new(ControlType.WindowUpdate, new MsgPackMap(2) { { "channel", (int)channel }, { "increment", increment } });

    /// <summary>Reads a WindowUpdate: a windowed channel and a positive increment.</summary>
    /// <exception cref="NativeProtocolException">Control, an unknown channel, or an increment out of range.</exception>
    public static (NativeChannel Channel, int Increment) ReadWindowUpdate(ControlMessage message)
    {
        var channel = (NativeChannel)message.ReadInt("channel", (int)NativeChannel.Stream, (int)NativeChannel.Bulk);
        return (channel, (int)message.ReadInt("increment", 1, MaxCredit));
    }

    /// <summary>A Ping carrying <paramref name="data"/>.</summary>
    public static ControlMessage Ping(long data) => new(ControlType.Ping, new MsgPackMap(1) { { "data", data } });

    /// <summary>The Pong answering a Ping with <paramref name="data"/>.</summary>
    public static ControlMessage Pong(long data) => new(ControlType.Pong, new MsgPackMap(1) { { "data", data } });

    /// <summary>Reads a Ping's or Pong's data.</summary>
    public static long ReadPingData(ControlMessage message) => message.ReadInt("data", long.MinValue, long.MaxValue);

    /// <summary>A GoAway with its code and reason.</summary>
    public static ControlMessage GoAway(NativeErrorCode code, string reason) =>
        new(ControlType.GoAway, new MsgPackMap(2) { { "code", (int)code }, { "reason", reason } });

    /// <summary>An Error with its code and message.</summary>
    public static ControlMessage Error(NativeErrorCode code, string message) =>
        new(ControlType.Error, new MsgPackMap(2) { { "code", (int)code }, { "message", message } });

    /// <summary>Reads a GoAway's or an Error's code and text; an unknown code reads as <see cref="NativeErrorCode.InternalError"/>.</summary>
    public static (NativeErrorCode Code, string Text) ReadReason(ControlMessage message)
    {
        long code = message.Body.TryGetValue("code", out MsgPackValue value) && value.TryGetInt64(out long number) ? number : (long)NativeErrorCode.InternalError;
        NativeErrorCode known = Enum.IsDefined(typeof(NativeErrorCode), (int)Math.Clamp(code, int.MinValue, int.MaxValue))
            ? (NativeErrorCode)code
            : NativeErrorCode.InternalError;
        return (known, message.ReadText(message.Type == ControlType.GoAway ? "reason" : "message"));
    }
}

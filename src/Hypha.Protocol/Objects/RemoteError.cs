using Hypha.Protocol.Messages;
using Hypha.Protocol.MsgPack;

namespace Hypha.Protocol.Objects;

/// <summary><c>{_rtype:"error", _rvalue, _rtrace}</c>: an exception or Error raised by a remote function.</summary>
public sealed class RemoteError : HyphaObject
{
    /// <summary>The <c>_rtype</c> value.</summary>
    public const string TypeName = "error";

    private RemoteError(MsgPackMap map)
        : base(map)
    {
        MsgPackValue value = map[HyphaKeys.RValue];
        // Peers put the message in _rvalue; an odd peer may send a non-string, which still deserves a readable message.
        Message = value.TryGetString(out string? text) ? text : value.IsNil ? string.Empty : value.ToString();
        Trace = MapFields.OptionalString(map, HyphaKeys.RTrace, TypeName);
    }

    /// <summary><c>_rvalue</c>: the error message.</summary>
    public string Message { get; }

    /// <summary><c>_rtrace</c>: the remote traceback or stack, when sent.</summary>
    public string? Trace { get; }

    /// <summary>Builds an error.</summary>
    public static RemoteError Create(string message, string? trace = null)
    {
        ArgumentNullException.ThrowIfNull(message);
        MsgPackMap map = Start(TypeName, 3);
        map.Add(HyphaKeys.RValue, message);
        map.Add(HyphaKeys.RTrace, trace);
        return new RemoteError(map);
    }

    /// <summary>Reads an error.</summary>
    public static RemoteError FromMap(MsgPackMap map)
    {
        Expect(map, TypeName);
        return new RemoteError(map);
    }
}

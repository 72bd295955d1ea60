using Hypha.Protocol.Messages;
using Hypha.Protocol.MsgPack;
using Hypha.Protocol.Objects;
using Hypha.Protocol.Schemas;

namespace Hypha.Server.Routing;

/// <summary>
/// The reject call the server sends in the name of a peer that is not connected, so that a caller waiting for a
/// result fails at once instead of timing out (hypha-protocol.md 1.3).
/// </summary>
internal static class SyntheticReject
{
    /// <summary>
    /// Builds main <c>{type:"method", from:target, to:caller, method:"&lt;session&gt;.reject"}</c> and extra
    /// <c>{args:[{_rtype:"error", _rvalue:message, _rtrace:""}]}</c>. <c>from</c> is the address the caller used,
    /// which is what its session checks a reply against.
    /// </summary>
    public static RpcMethodV4 Build(string target, string caller, string session, string message) => new()
    {
        Type = HyphaKeys.MethodType,
        From = target,
        To = caller,
        Method = $"{session}.{HyphaKeys.Reject}",
        Args = RawMsgPack.From(new MsgPackValue[] { RemoteError.Create(message, string.Empty) }),
    };

    /// <summary>The message of a reject for a target that is not connected.</summary>
    public static string NotConnected(string target) => $"Target peer {target} is not connected";
}

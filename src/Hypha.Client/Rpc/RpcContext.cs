using Hypha.Protocol.Messages;
using Hypha.Protocol.MsgPack;

namespace Hypha.Client.Rpc;

/// <summary>
/// The trusted context of an incoming call, built from the message's <c>main</c> as the server stamped it.
/// A service function receives it when its service has <c>require_context</c>.
/// </summary>
public sealed class RpcContext
{
    internal RpcContext(MsgPackMap main, string to)
    {
        Main = main;
        To = to;
    }

    /// <summary>The raw context map, with <c>to</c> made absolute (what hypha peers call <c>ctx</c>).</summary>
    public MsgPackMap Main { get; }

    /// <summary>The caller's absolute address.</summary>
    public string From => Main[HyphaKeys.From].TryGetString(out string? from) ? from : string.Empty;

    /// <summary>The absolute address the call was sent to.</summary>
    public string To { get; }

    /// <summary>The caller's workspace.</summary>
    public string Workspace => Main[HyphaKeys.Workspace].TryGetString(out string? ws) ? ws : From.Split('/')[0];

    /// <summary>The caller's user info, as the server stamped it.</summary>
    public MsgPackMap? User => Main[HyphaKeys.User].TryGetMap(out MsgPackMap? user) ? user : null;

    /// <summary>The context as a map, in the form hypha peers pass it (<c>connection_type</c> added).</summary>
    public MsgPackMap ToMap()
    {
        MsgPackMap map = Main.Clone();
        map.Set(HyphaKeys.To, To);
        map.Set("connection_type", "websocket");
        return map;
    }
}

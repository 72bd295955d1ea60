using Hypha.Protocol.MsgPack;

namespace Hypha.Server.Routing;

/// <summary>A client that completed the handshake: where it lives and who it is.</summary>
/// <param name="Workspace">The workspace the client joined.</param>
/// <param name="ClientId">The client id, unique within the workspace.</param>
/// <param name="User">The user-info map stamped into every message the client sends (hypha-protocol.md 2.5).</param>
/// <param name="ConnectedAt">When the handshake completed.</param>
public sealed record ConnectedClient(string Workspace, string ClientId, MsgPackMap User, DateTimeOffset ConnectedAt)
{
    /// <summary>The absolute address, <c>&lt;workspace&gt;/&lt;client id&gt;</c>.</summary>
    public string Address { get; } = $"{Workspace}/{ClientId}";

    /// <summary>The user-info map, encoded once for the messages the client sends.</summary>
    public RawMsgPack EncodedUser { get; } = RawMsgPack.From(User);

    /// <summary>The <c>from</c>, <c>ws</c> and <c>user</c> pairs stamped into the frames the client sends, encoded once.</summary>
    internal byte[] Stamp => _stamp ??= StampedFrame.StampOf(Address, Workspace, EncodedUser);

    private byte[]? _stamp;
}

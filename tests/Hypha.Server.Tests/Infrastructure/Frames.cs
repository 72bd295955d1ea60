using System.Buffers;
using Hypha.Protocol.Messages;
using Hypha.Protocol.MsgPack;
using Hypha.Server.Auth;

namespace Hypha.Server.Tests.Infrastructure;

/// <summary>Builds binary frames and tokens for tests.</summary>
internal static class Frames
{
    public static byte[] Call(string to, string method, string? session = null, params MsgPackValue[] args)
    {
        HyphaEnvelope main = HyphaEnvelope.CreateCall(null, to, method, session);
        return Write(main.Main, HyphaCall.Create(args).Extra);
    }

    public static byte[] Write(MsgPackMap main, MsgPackMap? extra = null)
    {
        var output = new ArrayBufferWriter<byte>();
        HyphaFrame.Write(output, main, extra);
        return output.WrittenSpan.ToArray();
    }

    public static byte[] Concat(byte[] first, byte[] second) => [.. first, .. second];

    /// <summary>An access token admitting a user to <paramref name="workspace"/> with read-write rights.</summary>
    public static string TokenFor(HyphaServer server, string workspace, string userId = "alice", string? clientId = null) =>
        server.Tokens.Create(
            new UserInfo
            {
                Id = userId,
                Roles = ["user"],
                Email = $"{userId}@example.org",
                Scope = new UserScope(new Dictionary<string, string> { [workspace] = WorkspacePermission.ReadWrite }, clientId, null, []),
            },
            HyphaTokenKind.Access,
            TimeSpan.FromHours(1));
}

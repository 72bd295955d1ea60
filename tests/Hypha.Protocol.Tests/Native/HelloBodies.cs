using Hypha.Protocol.MsgPack;
using Hypha.Protocol.Native;

namespace Hypha.Protocol.Tests.Native;

/// <summary>Hello bodies as maps, so a test can change one field and read the result back.</summary>
internal static class HelloBodies
{
    /// <summary>The body of the Hello <paramref name="settings"/> send, as a map.</summary>
    public static MsgPackMap Of(NativeSettings settings) =>
        MsgPackValue.Parse(settings.EncodeHello(new MsgPackMap { { "client_id", "c1" } }).AsMemory(1)).AsMap();

    /// <summary>Reads a Hello body as the server does.</summary>
    public static NativeSettings Read(MsgPackMap body) => NativeSettings.ReadHello(((MsgPackValue)body).ToBytes()).Settings;
}

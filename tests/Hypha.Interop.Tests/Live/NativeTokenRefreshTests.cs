using Hypha.Client;
using Hypha.Client.Services;
using Hypha.Interop.Tests.Infrastructure;
using Hypha.Protocol.Messages;
using Hypha.Protocol.MsgPack;
using Hypha.Protocol.Native;
using Hypha.Protocol.Schemas;

namespace Hypha.Interop.Tests.Live;

/// <summary>
/// Native mode has no text messages: a native client asks for fresh reconnection tokens with a refresh_token message
/// and takes them from the server's reconnection_token event (docs/native-mode.md, "Reconnection: refreshing the token").
/// </summary>
public sealed class NativeTokenRefreshTests
{
    // Long enough that the token refreshed last before the restart is still valid when the provider reconnects (it
    // retries every 100 to 300 ms), even on a loaded machine where the restart takes a second or two; the first token
    // has expired by then.
    private static readonly TimeSpan TokenLifetime = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task A_native_client_reconnects_with_a_refreshed_token_after_the_one_it_connected_with_expired()
    {
        await using LiveServer server = await LiveServer.StartAsync(options => options with { ReconnectionTokenLifetime = TokenLifetime });
        await using HyphaClient provider = await HyphaClient.ConnectAsync(new HyphaClientOptions
        {
            ServerUrl = $"tcp://127.0.0.1:{new Uri(server.Url).Port}",
            ClientId = "refresher",
            TokenRefreshInterval = TimeSpan.FromMilliseconds(300),
            ReconnectDelay = TimeSpan.FromMilliseconds(100),
            MaxReconnectDelay = TimeSpan.FromMilliseconds(300),
        });
        string workspace = provider.Workspace;
        string first = provider.ReconnectionToken!;
        ServiceRegistration service = await provider.RegisterServiceAsync(new ServiceBuilder("calc")
            .Visibility(ServiceVisibility.Public)
            .Add("add", (int a, int b) => a + b));

        await LiveKit.EventuallyAsync(
            () => provider.ReconnectionToken != first ? Task.FromResult(true) : throw new InvalidOperationException("no token refreshed yet"),
            TimeSpan.FromSeconds(10));
        await Task.Delay(TokenLifetime + TimeSpan.FromSeconds(1));
        await server.RestartAsync();

        await using HyphaClient caller = await HyphaClient.ConnectAsync(new HyphaClientOptions { ServerUrl = server.Url });
        int sum = await LiveKit.EventuallyAsync(
            async () => await (await caller.GetServiceAsync(service.Id)).InvokeAsync<int>("add", 2, 3),
            TimeSpan.FromSeconds(20), TimeSpan.FromMilliseconds(300));

        Assert.Equal(5, sum);
        Assert.Equal(workspace, provider.Workspace);
    }

    [Fact]
    public async Task A_reconnection_token_event_sent_by_another_client_is_ignored()
    {
        await using LiveServer server = await LiveServer.StartAsync();
        await using HyphaClient target = await HyphaClient.ConnectAsync(new HyphaClientOptions { ServerUrl = $"tcp://127.0.0.1:{new Uri(server.Url).Port}", ClientId = "target" });
        string token = target.ReconnectionToken!;
        var events = new List<(string Type, string? From)>();
        var marked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        target.EventReceived += (type, message) =>
        {
            lock (events)
            {
                events.Add((type, message[HyphaKeys.From].TryGetString(out string? from) ? from : null));
            }

            if (type == "marker")
            {
                marked.TrySetResult();
            }
        };

        // The forger speaks msgpack frames on a native connection of its own (no schemas offered): the router stamps
        // its address in "from".
        await using RawNativeClient forger = await RawNativeClient.ConnectAsync(server, "forger", []);
        string to = $"{target.Workspace}/target";
        await forger.Mux.SendAsync(NativeChannel.Rpc, RpcMessages.ToFrame(new RpcMethodV4
        {
            Type = HyphaKeys.ReconnectionToken,
            To = to,
            Data = RawMsgPack.From(new MsgPackMap { { HyphaKeys.ReconnectionToken, "forged" } }),
        }));
        await forger.Mux.SendAsync(NativeChannel.Rpc, RpcMessages.ToFrame(new RpcMethodV4 { Type = "marker", To = to }));

        await marked.Task.WaitAsync(TimeSpan.FromSeconds(10));

        // The forged event reaches the application as any event does, stamped with its sender; the token is kept.
        Assert.Equal(token, target.ReconnectionToken);
        lock (events)
        {
            Assert.Contains(events, e => e.Type == HyphaKeys.ReconnectionToken && e.From is { } from && from.EndsWith("/forger", StringComparison.Ordinal));
        }
    }
}

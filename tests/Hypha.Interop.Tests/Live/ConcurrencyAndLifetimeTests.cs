using System.Diagnostics;
using System.Text.Json;
using Hypha.Client;
using Hypha.Client.Rpc;
using Hypha.Interop.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Hypha.Interop.Tests.Live;

/// <summary>Load, long calls kept alive by heartbeats, and peers that vanish mid-call.</summary>
public sealed class ConcurrencyAndLifetimeTests(ITestOutputHelper output) : LiveTestBase(output)
{
    private const int Concurrent = 1000;

    [Fact]
    public async Task A_thousand_concurrent_JS_calls_to_a_CSharp_service_all_succeed()
    {
        (_, string serviceId, _) = await StartCSharpProviderAsync();
        NodePeer js = await StartPeerAsync("js-cons");

        JsonElement answer = await js.SendAsync(new { op = "concurrent", service = serviceId, method = "echo", count = Concurrent }, TimeSpan.FromSeconds(60));
        Log($"JS → C# x{Concurrent}: {answer}");

        Assert.True(answer.GetProperty("ok").GetInt32() == Concurrent, $"not every call came back right: {answer}");
        Assert.Equal(0, answer.GetProperty("failed").GetInt32());
    }

    [Fact]
    public async Task A_thousand_concurrent_CSharp_calls_to_a_JS_service_all_succeed()
    {
        (_, string serviceId) = await StartJsProviderAsync();
        HyphaClient client = await ConnectAsync("cs-cons");
        RemoteService svc = await client.GetServiceAsync(serviceId);

        var clock = Stopwatch.StartNew();
        Task<int>[] calls = Enumerable.Range(0, Concurrent).Select(i => svc.InvokeAsync<int>("echo", i)).ToArray();
        try
        {
            await Task.WhenAll(calls).WaitAsync(TimeSpan.FromSeconds(60));
        }
        catch (Exception) when (calls.Any(c => c.IsFaulted))
        {
            // Counted below.
        }

        Log($"C# → JS x{Concurrent}: {clock.ElapsedMilliseconds} ms");
        Task<int>[] failed = calls.Where(c => !c.IsCompletedSuccessfully).ToArray();
        Assert.True(failed.Length == 0,
            $"{failed.Length} of {Concurrent} calls failed; first: {failed.Select(c => c.Exception?.InnerException?.Message ?? c.Status.ToString()).FirstOrDefault()}");
        Assert.Equal(Enumerable.Range(0, Concurrent), calls.Select(c => c.Result));
    }

    [Fact]
    public async Task Calls_longer_than_the_method_timeout_stay_alive_through_heartbeats_in_both_directions()
    {
        // Both consumers have a 4 s method timeout and call a 6 s function: only the callee's heartbeats
        // (every timeout/2 = 2 s) keep the calls from timing out. Both directions run at once.
        TimeSpan timeout = TimeSpan.FromSeconds(4);
        (NodePeer js, string jsService) = await StartJsProviderAsync(methodTimeout: timeout);
        (HyphaClient cs, string csService, _) = await StartCSharpProviderAsync(methodTimeout: timeout);
        RemoteService jsSvc = await cs.GetServiceAsync(jsService);

        var clock = Stopwatch.StartNew();
        Task<string> csToJs = jsSvc.InvokeAsync<string>("slow", 6000);
        Task<JsonElement> jsToCs = js.SendAsync(new { op = "call_timed", service = csService, method = "slow", args = new[] { 6000 } }, TimeSpan.FromSeconds(30));

        string csResult = await csToJs;
        Log($"C# → JS slow(6000) under a 4 s timeout: {csResult} after {clock.ElapsedMilliseconds} ms");
        JsonElement jsAnswer = await jsToCs;
        Log($"JS → C# slow(6000) under a 4 s timeout: {jsAnswer}");

        Assert.Equal("done", csResult);
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(5.9), $"slow(6000) returned after {clock.Elapsed}");
        Assert.True(jsAnswer.GetProperty("error").ValueKind == JsonValueKind.Null, $"JS → C# failed: {jsAnswer}");
        Assert.Equal("done", jsAnswer.GetProperty("result").GetString());
        Assert.True(jsAnswer.GetProperty("ms").GetDouble() >= 5900, $"JS → C# returned too early: {jsAnswer}");
    }

    [Fact]
    public async Task Disconnecting_the_CSharp_provider_rejects_a_pending_JS_call_of_its_workspace_within_2_seconds()
    {
        // Same workspace (one user's token), so the JS consumer receives the server's client_disconnected event.
        // It keeps hypha-rpc's default 30 s method timeout: only that event can end its pending call this early.
        string token = IssueToken();
        (HyphaClient cs, string csService, _) = await StartCSharpProviderAsync(token: token);
        NodePeer js = await StartPeerAsync("js-cons", token: token);
        Assert.Equal(cs.Workspace, js.Workspace);
        Assert.Equal(3, (await js.SendAsync(new { op = "call", service = csService, method = "add", args = new[] { 1, 2 } })).GetInt32());

        Task<JsonElement> pending = js.SendAsync(new { op = "call_timed", service = csService, method = "slow", args = new[] { 20000 } }, TimeSpan.FromSeconds(30));
        await Task.Delay(500);
        var clock = Stopwatch.StartNew();
        await cs.DisposeAsync();
        JsonElement answer = await pending;
        clock.Stop();
        Log($"JS consumer after the C# provider disconnected: {answer} ({clock.ElapsedMilliseconds} ms after dispose began)");

        Assert.True(answer.GetProperty("error").ValueKind == JsonValueKind.String, $"the pending call did not fail: {answer}");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2),
            $"the JS consumer's pending call was rejected {clock.Elapsed.TotalMilliseconds:0} ms after the C# provider left: {answer}");
    }

    [Fact]
    public async Task Killing_the_JS_provider_rejects_a_pending_CSharp_call_of_its_workspace_within_2_seconds()
    {
        string token = IssueToken();
        (NodePeer js, string serviceId) = await StartJsProviderAsync(token: token);
        HyphaClient client = await ConnectAsync("cs-cons", token: token);
        Assert.Equal(js.Workspace, client.Workspace);
        RemoteService svc = await client.GetServiceAsync(serviceId);
        Assert.Equal(3, await svc.InvokeAsync<int>("add", 1, 2));

        Task<string> pending = svc.InvokeAsync<string>("slow", 30000);
        await LiveKit.WaitUntilAsync(
            async () => (await JsStatsAsync(js)).GetProperty("calls").TryGetProperty("slow", out _),
            TimeSpan.FromSeconds(5), "the JS provider received the slow call");

        var clock = Stopwatch.StartNew();
        await js.KillAsync();
        Exception? error = await CatchAsync(pending, TimeSpan.FromSeconds(10));
        clock.Stop();
        Log($"pending call ended {clock.ElapsedMilliseconds} ms after the kill: {error?.GetType().Name}: {error?.Message}");

        RemoteException remote = Assert.IsType<RemoteException>(error);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2),
            $"the pending call was rejected {clock.Elapsed.TotalMilliseconds:0} ms after the provider was killed (bound: 2000 ms)");
        Assert.Contains(js.ClientId, remote.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Killing_a_JS_provider_of_another_workspace_rejects_the_pending_CSharp_call_within_2_seconds()
    {
        // Anonymous clients: provider and consumer are in different workspaces, so no client_disconnected event
        // reaches the consumer (events stay in their workspace, as on the real hypha server). Our server tracks the
        // calls each client owes an answer to and rejects them when that client goes.
        (NodePeer js, string serviceId) = await StartJsProviderAsync();
        HyphaClient client = await ConnectAsync("cs-cons", methodTimeout: TimeSpan.FromSeconds(3));
        Assert.NotEqual(js.Workspace, client.Workspace);
        RemoteService svc = await client.GetServiceAsync(serviceId);

        Task<string> pending = svc.InvokeAsync<string>("slow", 30000);
        await LiveKit.WaitUntilAsync(
            async () => (await JsStatsAsync(js)).GetProperty("calls").TryGetProperty("slow", out _),
            TimeSpan.FromSeconds(5), "the JS provider received the slow call");
        await Task.Delay(3500); // longer than the method timeout: heartbeats keep the call alive meanwhile
        Assert.False(pending.IsCompleted, $"the call ended while the provider was alive: {pending.Exception?.InnerException?.Message}");

        var clock = Stopwatch.StartNew();
        await js.KillAsync();
        Exception? error = await CatchAsync(pending, TimeSpan.FromSeconds(10));
        clock.Stop();
        Log($"pending call ended {clock.ElapsedMilliseconds} ms after the kill: {error?.GetType().Name}: {error?.Message}");

        RemoteException remote = Assert.IsType<RemoteException>(error);
        Assert.Contains(js.ClientId, remote.Message, StringComparison.Ordinal);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2),
            $"the pending call was rejected {clock.Elapsed.TotalMilliseconds:0} ms after the provider was killed (bound: 2000 ms)");
    }

    private static async Task<Exception?> CatchAsync(Task pending, TimeSpan within)
    {
        try
        {
            await pending.WaitAsync(within);
            return null;
        }
        catch (Exception ex)
        {
            return ex;
        }
    }
}

using System.Diagnostics;
using System.Text.Json;
using Hypha.Client;
using Hypha.Interop.Tests.Infrastructure;
using Hypha.Server.Auth;
using Xunit.Abstractions;

namespace Hypha.Interop.Tests.Live;

/// <summary>
/// Every live test gets its own server (in-process, ephemeral port, in-memory state) and the Node peers and C#
/// clients it asks for; all of them are torn down after the test, node processes always killed.
/// </summary>
[Collection(LiveCollection.Name)]
public abstract class LiveTestBase(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly List<NodePeer> _peers = [];
    private readonly List<HyphaClient> _clients = [];
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private LiveServer? _server;

    /// <summary>The server of this test.</summary>
    private protected LiveServer Server => _server ?? throw new InvalidOperationException("The server is not started.");

    /// <summary>Writes a line to the test output, stamped with the time since the test began.</summary>
    protected void Log(string message) => output.WriteLine($"[{_clock.Elapsed.TotalSeconds,7:0.000} s] {message}");

    /// <inheritdoc />
    public virtual async Task InitializeAsync()
    {
        _server = await LiveServer.StartAsync();
        Log($"server at {_server.Url}");
    }

    /// <summary>
    /// An access token of a (non-anonymous) user: every client that connects with it joins that user's workspace,
    /// <c>ws-user-&lt;userId&gt;</c>, so they share events such as <c>client_disconnected</c>. Anonymous clients
    /// each get a workspace of their own.
    /// </summary>
    private protected string IssueToken(string userId = "live-user") =>
        Server.Server.Tokens.Create(
            new UserInfo { Id = userId, Scope = new UserScope(new Dictionary<string, string>(), null, null, []) },
            HyphaTokenKind.Access,
            TimeSpan.FromHours(1));

    /// <summary>Starts a Node peer (the unmodified npm client) connected to this test's server.</summary>
    /// <param name="prefix">The start of its client id.</param>
    /// <param name="methodTimeout">hypha-rpc's method_timeout (default 30 s).</param>
    /// <param name="token">An access token (see <see cref="IssueToken"/>), or null for an anonymous user.</param>
    /// <param name="verbose">Let hypha-rpc log to stderr (shown in the test output).</param>
    private protected async Task<NodePeer> StartPeerAsync(string prefix, TimeSpan? methodTimeout = null, string? token = null, bool verbose = false)
    {
        NodePeer peer = await NodePeer.StartAsync(Server.Url, LiveKit.NewClientId(prefix), token: token, methodTimeout: methodTimeout, verbose: verbose);
        lock (_peers)
        {
            _peers.Add(peer);
        }

        Log($"node peer {peer.Address} ready (pid {peer.ProcessId})");
        return peer;
    }

    /// <summary>Starts a Node peer and registers its <c>js-svc</c>; returns the peer and the full service id.</summary>
    private protected async Task<(NodePeer Peer, string ServiceId)> StartJsProviderAsync(
        string prefix = "js-prov", TimeSpan? methodTimeout = null, string? token = null, bool verbose = false)
    {
        NodePeer peer = await StartPeerAsync(prefix, methodTimeout, token, verbose);
        string serviceId = (await peer.SendAsync(new { op = "register" })).GetString()!;
        Log($"js-svc registered as {serviceId}");
        return (peer, serviceId);
    }

    /// <summary>The URL C# clients connect with: hypha mode over WebSocket here; native mode in the native variants.</summary>
    private protected virtual string ClientUrl => Server.Url;

    /// <summary>Connects a C# client to this test's server (at <see cref="ClientUrl"/> unless <paramref name="url"/> says otherwise).</summary>
    private protected async Task<HyphaClient> ConnectAsync(string prefix, TimeSpan? methodTimeout = null, string? token = null, string? url = null)
    {
        HyphaClient client = await HyphaClient.ConnectAsync(new HyphaClientOptions
        {
            ServerUrl = url ?? ClientUrl,
            Token = token,
            ClientId = LiveKit.NewClientId(prefix),
            MethodTimeout = methodTimeout ?? TimeSpan.FromSeconds(30),
            Log = message => Log($"[cs-client] {message}"),
        });
        lock (_clients)
        {
            _clients.Add(client);
        }

        Log($"C# client {client.Workspace}/{client.ClientId} connected");
        return client;
    }

    /// <summary>Connects a C# client and registers the C# twin of js-svc; returns the client, the full service id and its stats.</summary>
    private protected async Task<(HyphaClient Client, string ServiceId, CSharpServiceStats Stats)> StartCSharpProviderAsync(
        string prefix = "cs-prov", TimeSpan? methodTimeout = null, string? token = null)
    {
        HyphaClient client = await ConnectAsync(prefix, methodTimeout, token);
        var stats = new CSharpServiceStats();
        ServiceRegistration registration = await client.RegisterServiceAsync(LiveKit.CSharpService(stats));
        Log($"cs-svc registered as {registration.Id}");
        return (client, registration.Id, stats);
    }

    /// <summary>The JS peer's stats (calls per function, generator lifecycle).</summary>
    private protected static async Task<JsonElement> JsStatsAsync(NodePeer peer) => await peer.SendAsync(new { op = "stats" });

    /// <inheritdoc />
    public virtual async Task DisposeAsync()
    {
        var failures = new System.Collections.Concurrent.ConcurrentQueue<string>();
        NodePeer[] peers;
        lock (_peers)
        {
            peers = [.. _peers];
        }

        await Task.WhenAll(peers.Select(async p =>
        {
            string stderr = p.Stderr;
            await p.DisposeAsync();
            if (!p.HasExited)
            {
                failures.Enqueue($"node peer {p.ClientId} (pid {p.ProcessId}) is still running after dispose");
            }

            if (stderr.Length > 0)
            {
                Log($"stderr of {p.ClientId}:\n{stderr}");
            }
        }));

        foreach (HyphaClient client in _clients)
        {
            try
            {
                await client.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
            }
            catch (Exception ex)
            {
                failures.Enqueue($"disposing C# client {client.ClientId}: {ex.GetType().Name}: {ex.Message}");
            }
        }

        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        Log("torn down");
        if (!failures.IsEmpty)
        {
            throw new Xunit.Sdk.XunitException(string.Join("\n", failures));
        }
    }
}

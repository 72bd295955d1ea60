using System.Collections.Concurrent;
using System.Text.Json;
using Hypha.Client.Connection;
using Hypha.Client.Rpc;
using Hypha.Client.Services;
using Hypha.Protocol.Messages;
using Hypha.Protocol.MsgPack;
using Hypha.Protocol.Native;
using Hypha.Protocol.Objects;
using Hypha.Protocol.Schemas;

namespace Hypha.Client;

/// <summary>
/// A connection to a hypha server: register services for other peers, get theirs and call them. Speaks the exact
/// hypha-rpc protocol, so its peers may be Python or JavaScript hypha-rpc clients as well as .NET ones.
/// </summary>
public sealed partial class HyphaClient : IAsyncDisposable
{
    private readonly HyphaClientOptions _options;
    private readonly CancellationTokenSource _lifetime = new();
    private readonly ConcurrentDictionary<string, LocalService> _registered = new(StringComparer.Ordinal);
    private readonly RpcPeer _peer;
    private IServerConnection _socket;
    private RemoteService _manager;
    private string? _reconnectionToken;
    private Task _receiving = Task.CompletedTask;
    private readonly Task _keepAlive;

    private HyphaClient(HyphaClientOptions options, IServerConnection socket)
    {
        _options = options;
        _socket = socket;
        _reconnectionToken = socket.Info.ReconnectionToken;
        _peer = new RpcPeer(new RpcPeerOptions
        {
            Workspace = socket.Info.Workspace,
            ClientId = socket.Info.ClientId,
            ServerUrl = socket.Info.PublicBaseUrl,
            ManagerId = socket.Info.ManagerId,
            MethodTimeout = options.MethodTimeout,
            BinaryRecords = options.BinaryRecords && socket is NativeServerConnection,
            Log = options.Log,
        }, (message, channel, cancellationToken) => _socket.SendAsync(message, channel, cancellationToken));
        _peer.EventReceived += OnEvent;
        _peer.LargePayloads = new CurrentConnection(this);
        _manager = null!; // set by StartAsync before the client is handed out
        _keepAlive = socket.NeedsKeepAlive ? KeepAliveAsync(_lifetime.Token) : RefreshTokenAsync(_lifetime.Token);
    }

    /// <summary>The reconnection token this client will present if its connection drops (refreshed as it runs).</summary>
    internal string? ReconnectionToken => _reconnectionToken;

    /// <summary>What the server said at the handshake (workspace, client id, manager).</summary>
    public ConnectionInfo ConnectionInfo => _socket.Info;

    /// <summary>
    /// Native mode: what the current connection has carried so far (bytes each way, messages compressed and the bytes
    /// compression saved); null in hypha mode.
    /// </summary>
    public Hypha.Transport.Multiplexing.MultiplexerStatistics? NativeStatistics => (_socket as NativeServerConnection)?.Statistics;

    /// <summary>
    /// In native mode, what this client and the server agreed at Hello: compression codecs, shared memory, and the
    /// schemas whose binary form the messages use; null in hypha mode.
    /// </summary>
    public Hypha.Protocol.Native.NativeAgreement? NativeAgreement => (_socket as NativeServerConnection)?.Agreement;

    /// <summary>The workspace this client joined.</summary>
    public string Workspace => _peer.Options.Workspace;

    /// <summary>This client's id.</summary>
    public string ClientId => _peer.Options.ClientId;

    /// <summary>The workspace manager's <c>default</c> service (echo, list_services, ...).</summary>
    public RemoteService Manager => _manager;

    /// <summary>The RPC core of this client.</summary>
    public RpcPeer Peer => _peer;

    /// <summary>Raised for every event the server delivers (those this client subscribed to).</summary>
    public event Action<string, MsgPackMap>? EventReceived;

    /// <summary>Raised after an unexpected close once the client is connected again and its services are back.</summary>
    public event Action? Reconnected;

    /// <summary>Connects, joins the workspace and registers the client's built-in service.</summary>
    /// <exception cref="HyphaConnectionException">The server refused the client or could not be reached.</exception>
    public static async Task<HyphaClient> ConnectAsync(HyphaClientOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        string clientId = options.ClientId ?? RandomClientId();
        IServerConnection socket = await OpenAsync(options, clientId, reconnectionToken: null, cancellationToken).ConfigureAwait(false);
        var client = new HyphaClient(options, socket);
        try
        {
            await client.StartAsync(cancellationToken).ConfigureAwait(false);
            return client;
        }
        catch
        {
            await client.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Registers a service with the server; its full id is <c>ws/client:id</c>.</summary>
    public async Task<ServiceRegistration> RegisterServiceAsync(LocalService service, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(service);
        _peer.AddService(service);
        _registered[service.Id] = service;
        MsgPackMap info = _peer.BuildServiceInfo(service);
        await _manager.InvokeAsync<object?>("register_service", [info], null, cancellationToken).ConfigureAwait(false);
        return new ServiceRegistration(info["id"].AsString(), info);
    }

    /// <summary>Builds and registers a service.</summary>
    public Task<ServiceRegistration> RegisterServiceAsync(ServiceBuilder service, CancellationToken cancellationToken = default) =>
        RegisterServiceAsync((service ?? throw new ArgumentNullException(nameof(service))).Build(), cancellationToken);

    /// <summary>Unregisters one of this client's services.</summary>
    public async Task UnregisterServiceAsync(string serviceId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(serviceId);
        string local = serviceId.Contains(':') ? serviceId[(serviceId.LastIndexOf(':') + 1)..] : serviceId;
        await _manager.InvokeAsync<object?>("unregister_service", [$"{_peer.LocalAddress}:{local}"], null, cancellationToken).ConfigureAwait(false);
        _registered.TryRemove(local, out _);
        _peer.RemoveService(local);
    }

    /// <summary>
    /// Gets a service by id (<c>ws/client:svc</c>, <c>client:svc</c>, <c>ws/svc</c> or <c>svc</c>). Its functions are
    /// then called on the provider directly; the server only routes.
    /// </summary>
    public async Task<RemoteService> GetServiceAsync(string serviceId, IReadOnlyDictionary<string, object?>? config = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(serviceId);
        object? service = await _manager.InvokeAsync<object?>("get_service",
            [serviceId, config ?? new Dictionary<string, object?>()], null, cancellationToken).ConfigureAwait(false);
        return service is IReadOnlyDictionary<string, object?> members
            ? new RemoteService(members)
            : throw new RemoteException($"get_service returned no service for {serviceId}.");
    }

    /// <summary>Lists the services this client may see (the caller's workspace unless the query says otherwise).</summary>
    public async Task<IReadOnlyList<IReadOnlyDictionary<string, object?>>> ListServicesAsync(object? query = null,
        CancellationToken cancellationToken = default)
    {
        object?[] services = await _manager.InvokeAsync<object?[]>("list_services", query is null ? [] : [query], null, cancellationToken)
            .ConfigureAwait(false);
        return services.OfType<IReadOnlyDictionary<string, object?>>().ToArray();
    }

    /// <summary>
    /// Disconnects after draining: calls in flight either way get up to <see cref="HyphaClientOptions.DrainTimeout"/>
    /// to finish (a native server is told first, with GoAway), then those still pending fail. No reconnection follows.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (_lifetime.IsCancellationRequested)
        {
            return;
        }

        _socket.AnnounceClosing();
        await _peer.WhenIdleAsync(_options.DrainTimeout).ConfigureAwait(false);
        await _lifetime.CancelAsync().ConfigureAwait(false);
        await _socket.DisposeAsync().ConfigureAwait(false);
        await _peer.DisposeAsync().ConfigureAwait(false);
        try
        {
            await Task.WhenAll(_receiving, _keepAlive).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopping is what was asked.
        }

        _lifetime.Dispose();
    }

    private static string RandomClientId() => $"dotnet-{Guid.NewGuid():N}"[..19];

    // A tcp:// or unix:// URL opens a native connection; an http(s):// or ws(s):// one, a hypha WebSocket.
    private static async Task<IServerConnection> OpenAsync(HyphaClientOptions options, string clientId, string? reconnectionToken, CancellationToken cancellationToken)
    {
        var auth = new Dictionary<string, string?>
        {
            ["client_id"] = clientId,
            ["workspace"] = options.Workspace,
            ["token"] = options.Token,
            ["reconnection_token"] = reconnectionToken,
        };
        if (ServerUrl.IsNative(options.ServerUrl, out Uri? native))
        {
            return await NativeServerConnection.ConnectAsync(native, auth, clientId, options.Native, options.ConnectTimeout, cancellationToken)
                .ConfigureAwait(false);
        }

        return await HyphaWebSocket.ConnectAsync(ServerUrl.ToWebSocket(options.ServerUrl), auth, clientId, options.MaxFrameBytes, options.ConnectTimeout, cancellationToken)
            .ConfigureAwait(false);
    }

    // The sequence the hypha-rpc clients run after every handshake: fetch the manager's default service with an
    // explicit promise, register the built-in service, subscribe to client_disconnected, then bring back the
    // services registered before a reconnection.
    private async Task StartAsync(CancellationToken cancellationToken)
    {
        _receiving = ReceiveAsync(_socket);
        var getDefault = RemoteMethod.Create(_peer.ManagerAddress!, "services.built-in.get_service", RemotePromiseMode.Explicit);
        object? manager = await _peer.CallAsync(getDefault, ["default"], null, null, cancellationToken).ConfigureAwait(false);
        _manager = manager is IReadOnlyDictionary<string, object?> members
            ? new RemoteService(members)
            : throw new HyphaConnectionException("The server's manager did not return its default service.");

        LocalService builtIn = _peer.FindService(RpcPeer.BuiltInServiceId)!;
        await _manager.InvokeAsync<object?>("register_service", [_peer.BuildServiceInfo(builtIn)], null, cancellationToken).ConfigureAwait(false);
        if (_manager.Members.ContainsKey("subscribe"))
        {
            await _manager.InvokeAsync<object?>("subscribe", [new[] { "client_disconnected" }], null, cancellationToken).ConfigureAwait(false);
        }

        foreach (LocalService service in _registered.Values)
        {
            await _manager.InvokeAsync<object?>("register_service", [_peer.BuildServiceInfo(service)], null, cancellationToken).ConfigureAwait(false);
        }
    }

    private void OnEvent(string type, MsgPackMap message)
    {
        // Only the server sends events with no sender: a routed event always has its sender stamped in "from".
        if (type == HyphaKeys.ReconnectionToken && message[HyphaKeys.From].IsNil)
        {
            if (message[HyphaKeys.Data][HyphaKeys.ReconnectionToken].TryGetString(out string? token))
            {
                _reconnectionToken = token;
            }

            return;
        }

        // The server names a peer that is gone to those of other workspaces that it called (client_disconnected
        // reaches only its own workspace): what this client handed it goes, as the hypha-rpc clients do.
        if (type == "peer_not_found" && message[HyphaKeys.From].IsNil && message["peer_id"].TryGetString(out string? peer))
        {
            _peer.RejectSessionsOf(peer, message["error"].TryGetString(out string? error) ? error : $"Peer not found: {peer}");
            return;
        }

        if (type == "client_disconnected" && message["data"]["id"].TryGetString(out string? id))
        {
            string workspace = message["data"]["workspace"].TryGetString(out string? ws) ? ws : Workspace;
            _peer.RejectSessionsOf(id.Contains('/') ? id : $"{workspace}/{id}", "Client disconnected");
        }

        EventReceived?.Invoke(type, message);
    }

    private void OnText(JsonElement message)
    {
        string? type = message.TryGetProperty("type", out JsonElement t) ? t.GetString() : null;
        switch (type)
        {
            case "reconnection_token" when message.TryGetProperty("reconnection_token", out JsonElement token):
                _reconnectionToken = token.GetString();
                break;
            case "error":
                _options.Log?.Invoke($"Server error: {message}");
                break;
        }
    }

    private async Task KeepAliveAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken).ConfigureAwait(false);
            await SendControlAsync("""{"type":"refresh_token"}""", cancellationToken).ConfigureAwait(false);
            DateTime nextRefresh = DateTime.UtcNow + _options.TokenRefreshInterval;
            using var timer = new PeriodicTimer(_options.PingInterval);
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                await SendControlAsync("""{"type":"ping"}""", cancellationToken).ConfigureAwait(false);
                if (DateTime.UtcNow >= nextRefresh)
                {
                    await SendControlAsync("""{"type":"refresh_token"}""", cancellationToken).ConfigureAwait(false);
                    nextRefresh = DateTime.UtcNow + _options.TokenRefreshInterval;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The client is closing.
        }
    }

    // Native mode has no text messages: the client asks for a fresh reconnection token with a refresh_token message,
    // and the server's reconnection_token event carries it (OnEvent). Liveness is the multiplexer's heartbeat.
    private async Task RefreshTokenAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var timer = new PeriodicTimer(_options.TokenRefreshInterval);
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                try
                {
                    await _socket.SendAsync(new RpcMethodV4 { Type = HyphaKeys.RefreshToken }, NativeChannel.Rpc, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is RemoteException or ObjectDisposedException)
                {
                    _options.Log?.Invoke($"Token refresh not sent: {ex.Message}");
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The client is closing.
        }
    }

    // A keep-alive message lost while the connection is down does not matter: the reconnection restores it.
    private async Task SendControlAsync(string json, CancellationToken cancellationToken)
    {
        try
        {
            await _socket.SendTextAsync(json, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RemoteException or ObjectDisposedException)
        {
            _options.Log?.Invoke($"Keep-alive message not sent: {ex.Message}");
        }
    }
}

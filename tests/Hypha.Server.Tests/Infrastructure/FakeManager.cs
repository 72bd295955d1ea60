using System.Threading.Channels;
using Hypha.Protocol.Messages;
using Hypha.Protocol.Schemas;
using Hypha.Server.Routing;

namespace Hypha.Server.Tests.Infrastructure;

/// <summary>
/// A stand-in for the workspace manager: it records every frame delivered to it and every connect and disconnect,
/// in order, and exposes the router it was given so tests can act as the manager. A message is kept as delivered and
/// encoded only when a test reads it, as the real manager reads a call's arguments later, in the background.
/// </summary>
internal sealed class FakeManager : IManagerPeer, IAsyncDisposable
{
    public const string Id = "manager-test";

    private readonly Channel<object> _frames = Channel.CreateUnbounded<object>();
    private readonly Channel<(string Event, ConnectedClient Client)> _lifecycle = Channel.CreateUnbounded<(string, ConnectedClient)>();

    public string ManagerId => Id;

    public IMessageRouter Router { get; private set; } = null!;

    /// <summary>Thrown from <see cref="OnClientConnectedAsync"/> when set.</summary>
    public Exception? FailOnConnect { get; set; }

    /// <summary>Set when the server disposed its manager on stopping.</summary>
    public bool Disposed { get; private set; }

    public IManagerPeer Attach(IMessageRouter router)
    {
        Router = router;
        return this;
    }

    public ValueTask DeliverAsync(ReadOnlyMemory<byte> frame, CancellationToken cancellationToken)
    {
        _frames.Writer.TryWrite(frame.ToArray());
        return ValueTask.CompletedTask;
    }

    public ValueTask DeliverAsync(RpcMethodV4 message, CancellationToken cancellationToken)
    {
        _frames.Writer.TryWrite(message);
        return ValueTask.CompletedTask;
    }

    public ValueTask OnClientConnectedAsync(ConnectedClient client)
    {
        _lifecycle.Writer.TryWrite(("connected", client));
        return FailOnConnect is { } failure ? ValueTask.FromException(failure) : ValueTask.CompletedTask;
    }

    public ValueTask OnClientDisconnectedAsync(ConnectedClient client)
    {
        _lifecycle.Writer.TryWrite(("disconnected", client));
        return ValueTask.CompletedTask;
    }

    public async Task<byte[]> NextFrameAsync() =>
        await _frames.Reader.ReadAsync().AsTask().WaitAsync(TestTimeouts.Receive) switch
        {
            RpcMethodV4 message => RpcMessages.ToFrame(message),
            object frame => (byte[])frame,
        };

    public async Task<(string Event, ConnectedClient Client)> NextLifecycleEventAsync() =>
        await _lifecycle.Reader.ReadAsync().AsTask().WaitAsync(TestTimeouts.Receive);

    /// <summary>Waits for the next event of <paramref name="kind"/> for <paramref name="address"/>, skipping others.</summary>
    public async Task<ConnectedClient> WaitForAsync(string kind, string address)
    {
        while (true)
        {
            (string @event, ConnectedClient client) = await NextLifecycleEventAsync();
            if (@event == kind && client.Address == address)
            {
                return client;
            }
        }
    }

    public ValueTask DisposeAsync()
    {
        Disposed = true;
        return ValueTask.CompletedTask;
    }
}

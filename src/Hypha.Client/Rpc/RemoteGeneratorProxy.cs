using System.Runtime.CompilerServices;
using Hypha.Protocol.MsgPack;
using Hypha.Protocol.Objects;

namespace Hypha.Client.Rpc;

/// <summary>
/// A generator on another peer, as an async sequence: each item is one call of the generator's next method, the
/// end is <c>stop_iteration</c>, and leaving early calls its close method.
/// </summary>
internal sealed class RemoteGeneratorProxy : IAsyncEnumerable<object?>
{
    private readonly RpcPeer _peer;
    private readonly RemoteMethod _next;
    private readonly RemoteMethod? _close;
    private int _enumerated;

    public RemoteGeneratorProxy(RpcPeer peer, RemoteGenerator descriptor, string senderWorkspace)
    {
        _peer = peer;
        string target = RemoteMethod.Create(descriptor.Target, descriptor.Method).AbsoluteTarget(senderWorkspace);
        _next = RemoteMethod.Create(target, descriptor.Method, RemotePromiseMode.Compact);
        _close = descriptor.CloseMethod is { } close ? RemoteMethod.Create(target, close, RemotePromiseMode.Compact) : null;
    }

    public IAsyncEnumerator<object?> GetAsyncEnumerator(CancellationToken cancellationToken = default) =>
        ItemsAsync<object?>(cancellationToken).GetAsyncEnumerator(cancellationToken);

    /// <summary>The items converted to <typeparamref name="T"/> as they arrive (a payload in shared memory to an owner with no copy).</summary>
    public async IAsyncEnumerable<T> ItemsAsync<T>([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        // A remote generator is a single pass: its items are consumed on the owner's side.
        if (Interlocked.Exchange(ref _enumerated, 1) != 0)
        {
            throw new InvalidOperationException("A remote generator can be enumerated only once.");
        }

        bool finished = false;
        try
        {
            while (true)
            {
                (bool hasItem, T item) = await _peer.NextItemAsync<T>(_next, cancellationToken).ConfigureAwait(false);
                if (!hasItem)
                {
                    finished = true;
                    yield break;
                }

                yield return item;
            }
        }
        finally
        {
            if (!finished && _close is not null)
            {
                await _peer.TryCallAsync(_close).ConfigureAwait(false);
            }
        }
    }
}

using System.Runtime.CompilerServices;
using Hypha.Client.Rpc;
using Hypha.Protocol.Objects;

namespace Hypha.Client.Typed;

/// <summary>
/// A generator on another peer as an <see cref="IAsyncEnumerable{T}"/>: one call of its next method per item, read
/// straight into <typeparamref name="T"/>; the end marker ends it; leaving early (or cancelling) calls its close
/// method. A single pass: the items are consumed on the owner's side.
/// </summary>
internal sealed class TypedRemoteStream<T> : IAsyncEnumerable<T>
{
    private readonly RpcPeer _peer;
    private readonly RemoteMethod _next;
    private readonly RemoteMethod? _close;
    private readonly TypedValueReader<T> _readItem;
    private int _enumerated;

    public TypedRemoteStream(RpcPeer peer, RemoteGenerator descriptor, string senderWorkspace, TypedValueReader<T> readItem)
    {
        _peer = peer;
        _readItem = readItem;
        string target = RemoteMethod.Absolute(descriptor.Target, senderWorkspace);
        _next = RemoteMethod.Create(target, descriptor.Method, RemotePromiseMode.Compact);
        _close = descriptor.CloseMethod is { } close ? RemoteMethod.Create(target, close, RemotePromiseMode.Compact) : null;
    }

    public IAsyncEnumerator<T> GetAsyncEnumerator(CancellationToken cancellationToken = default) =>
        ItemsAsync(cancellationToken).GetAsyncEnumerator(cancellationToken);

    private async IAsyncEnumerable<T> ItemsAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _enumerated, 1) != 0)
        {
            throw new InvalidOperationException("A remote stream can be enumerated only once.");
        }

        bool finished = false;
        try
        {
            while (true)
            {
                var call = new TypedOutgoingCall(_peer, _next, null, cancelRemotely: false);
                call.WriteNoArguments();
                (bool hasItem, T item) = await call.NextItemAsync(_readItem, cancellationToken).ConfigureAwait(false);
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

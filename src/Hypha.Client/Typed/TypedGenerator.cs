using Hypha.Protocol.MsgPack;
using Hypha.Protocol.Objects;

namespace Hypha.Client.Typed;

/// <summary>A local stream handed to a peer as a generator: each call of its next method writes one item, or the end marker.</summary>
internal abstract class TypedGenerator : IAsyncDisposable
{
    /// <summary>True when its items' records go in binary form: the call that handed it out was between peers that agreed on it.</summary>
    public bool WritesBinaryRecords { get; init; }

    /// <summary>Writes the next item as <c>[item]</c>, or <c>[{_rtype:"stop_iteration"}]</c> at the end (then false).</summary>
    public abstract ValueTask<bool> NextAsync(TypedResponse response);

    public abstract ValueTask DisposeAsync();
}

/// <summary>
/// A local <see cref="IAsyncEnumerable{T}"/> as a generator. Calls are serialised (a peer may overlap them); closing
/// it cancels its token first, so an item still being produced stops, then disposes the enumerator and the per-call
/// scope the stream came from.
/// </summary>
internal sealed class TypedGenerator<T> : TypedGenerator
{
    private readonly IAsyncEnumerator<T> _items;
    private readonly TypedValueWriter<T> _write;
    private readonly CancellationTokenSource _lifetime;
    private readonly IAsyncDisposable? _scope;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private bool _finished;
    private int _disposed;

    public TypedGenerator(IAsyncEnumerable<T> items, TypedValueWriter<T> write, CancellationTokenSource lifetime, IAsyncDisposable? scope)
    {
        _write = write;
        _lifetime = lifetime;
        _scope = scope;
        _items = items.GetAsyncEnumerator(lifetime.Token);
    }

    public override async ValueTask<bool> NextAsync(TypedResponse response)
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            bool hasItem = !_finished && await _items.MoveNextAsync().ConfigureAwait(false);
            MsgPackWriter writer = response.StartResult();
            if (hasItem)
            {
                _write(ref writer, _items.Current, response);
            }
            else
            {
                _finished = true;
                MsgPackValue end = StopIteration.Create();
                end.WriteTo(ref writer);
            }

            response.EndResult(ref writer);
            return hasItem;
        }
        finally
        {
            _gate.Release();
        }
    }

    public override async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _lifetime.CancelAsync().ConfigureAwait(false);
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            _finished = true;
            await _items.DisposeAsync().ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
            _lifetime.Dispose();
            if (_scope is not null)
            {
                await _scope.DisposeAsync().ConfigureAwait(false);
            }
        }
    }
}

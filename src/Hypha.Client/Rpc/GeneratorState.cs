namespace Hypha.Client.Rpc;

/// <summary>A local async sequence handed to a peer as a generator: one item per call of its next method.</summary>
internal sealed class GeneratorState : IAsyncDisposable
{
    private readonly IAsyncEnumerator<object?> _enumerator;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private bool _finished;

    public GeneratorState(IAsyncEnumerable<object?> sequence)
    {
        _enumerator = sequence.GetAsyncEnumerator();
    }

    /// <summary>The next item, or <c>(false, null)</c> at the end. Calls are serialised: a peer may overlap them.</summary>
    public async Task<(bool HasItem, object? Item)> NextAsync()
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_finished || !await _enumerator.MoveNextAsync().ConfigureAwait(false))
            {
                _finished = true;
                return (false, null);
            }

            return (true, _enumerator.Current);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            _finished = true;
            await _enumerator.DisposeAsync().ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }
}

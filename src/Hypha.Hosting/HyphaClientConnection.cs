using Hypha.Client;

namespace Hypha.Hosting;

/// <summary>
/// The client <c>AddHyphaClient</c> provides: connected once, on first use (concurrent first uses share the attempt;
/// a failed attempt is tried again by the next use), and disconnected when the container is disposed.
/// </summary>
public sealed class HyphaClientConnection : IAsyncDisposable
{
    private readonly Func<HyphaClientOptions> _options;
    private readonly SemaphoreSlim _connecting = new(1, 1);
    private HyphaClient? _client;
    private bool _disposed;

    internal HyphaClientConnection(Func<HyphaClientOptions> options)
    {
        _options = options;
    }

    /// <summary>The connected client.</summary>
    /// <exception cref="Hypha.Client.Connection.HyphaConnectionException">The server could not be reached, or refused the client.</exception>
    public async Task<HyphaClient> GetClientAsync(CancellationToken cancellationToken = default)
    {
        if (_client is { } connected)
        {
            return connected;
        }

        await _connecting.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_client is null)
            {
                _client = await HyphaClient.ConnectAsync(_options(), cancellationToken).ConfigureAwait(false);
            }

            return _client;
        }
        finally
        {
            _connecting.Release();
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _connecting.WaitAsync().ConfigureAwait(false);
        try
        {
            _disposed = true;
            if (Interlocked.Exchange(ref _client, null) is { } client)
            {
                await client.DisposeAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            _connecting.Release();
        }
    }
}

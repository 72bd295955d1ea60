using System.Buffers;
using System.IO.Pipelines;
using Hypha.Protocol.Native;
using Microsoft.AspNetCore.Connections;

namespace Hypha.Server.Native;

/// <summary>
/// Kestrel connection middleware on the server's one port: it peeks at a connection's first bytes without
/// consuming them, hands a native connection (<c>HYPH</c>) to the <see cref="NativeSession"/>, and everything else
/// to HTTP and WebSockets untouched. Connections that arrive before the server is ready wait for it.
/// </summary>
internal sealed class NativeEndpoint
{
    private readonly TaskCompletionSource<NativeSession> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationToken _stopping;
    private readonly TimeSpan _sniffTimeout;

    /// <summary>Creates the endpoint; native connections are served once <see cref="Open"/> is called.</summary>
    /// <param name="stopping">Signalled when the server stops.</param>
    /// <param name="sniffTimeout">
    /// How long a connection may stay silent before its first four bytes: then it goes to HTTP, whose own timeouts
    /// close it, so a silent connection cannot hold a place here for ever.
    /// </param>
    public NativeEndpoint(CancellationToken stopping, TimeSpan sniffTimeout)
    {
        _stopping = stopping;
        _sniffTimeout = sniffTimeout;
    }

    /// <summary>Starts serving native connections with <paramref name="session"/>.</summary>
    public void Open(NativeSession session) => _ready.TrySetResult(session);

    /// <summary>The middleware for <c>ListenOptions.Use</c>.</summary>
    public ConnectionDelegate Middleware(ConnectionDelegate next) => async context =>
    {
        if (!await StartsNativeAsync(context.Transport.Input, _sniffTimeout).ConfigureAwait(false))
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        NativeSession session;
        try
        {
            session = await _ready.Task.WaitAsync(_stopping).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return; // stopping: closing the connection is the whole answer
        }

        await session.RunAsync(context).ConfigureAwait(false);
    };

    // Reads until the first four bytes can tell (a preface split over segments is fine), then puts them back.
    private static async Task<bool> StartsNativeAsync(PipeReader input, TimeSpan timeout)
    {
        using var silence = new CancellationTokenSource(timeout);
        while (true)
        {
            ReadResult result;
            try
            {
                result = await input.ReadAsync(silence.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return false;
            }

            ReadOnlySequence<byte> buffer = result.Buffer;
            (bool couldBe, bool complete) = Classify(buffer);
            if (!couldBe || complete || result.IsCompleted)
            {
                input.AdvanceTo(buffer.Start);
                return couldBe && complete;
            }

            input.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    private static (bool CouldBe, bool Complete) Classify(in ReadOnlySequence<byte> buffer)
    {
        int magic = NativePreface.Magic.Length;
        int seen = (int)Math.Min(buffer.Length, magic);
        Span<byte> first = stackalloc byte[magic];
        buffer.Slice(0, seen).CopyTo(first);
        return (NativePreface.CouldBeNative(first[..seen]), seen == magic);
    }
}

using Hypha.Protocol.Native;
using Hypha.Protocol.Schemas;
using Hypha.Server.Routing;

namespace Hypha.Server.Connections;

internal abstract partial class ClientConnection
{
    private int _consecutiveInvalidFrames;

    /// <summary>
    /// Reads whole messages until the client closes or the transport fails, calling <see cref="Touch"/> for each and
    /// <c>RouteAsync</c> for each hypha message. Once <see cref="IsClosing"/>, whatever still arrives is read and
    /// dropped so that the close can finish. Transport failures may propagate (see <see cref="IsTransportFailure"/>).
    /// </summary>
    protected abstract Task ReceiveLoopAsync();

    /// <summary>Records that the client sent a whole message, for the idle timeout.</summary>
    protected void Touch() => Interlocked.Exchange(ref _lastActivity, Environment.TickCount64);

    /// <summary>
    /// Routes one binary hypha frame the client sent on <paramref name="channel"/>; its bytes are the router's from
    /// now on (a message read from them keeps slices of them). After
    /// <see cref="HyphaServerOptions.MaxConsecutiveInvalidFrames"/> undecodable frames in a row the client is closed
    /// with 1003.
    /// </summary>
    protected async ValueTask RouteAsync(ReadOnlyMemory<byte> message, NativeChannel channel,
        IReadOnlyList<Hypha.Transport.SharedMemory.SharedMemoryLease>? payloads = null) =>
        Count(await Services.Router.RouteFromClientAsync(this, message, channel, payloads).ConfigureAwait(false));

    /// <summary>
    /// Routes one binary hypha frame the client sent on <paramref name="channel"/> from bytes lent only until the
    /// returned task completes (a receive buffer the next read reuses): what is forwarded is copied out. Counted as
    /// <see cref="RouteAsync(ReadOnlyMemory{byte}, NativeChannel, IReadOnlyList{Hypha.Transport.SharedMemory.SharedMemoryLease})"/> counts.
    /// </summary>
    protected async ValueTask RouteLentAsync(ReadOnlyMemory<byte> message, NativeChannel channel) =>
        Count(await Services.Router.RouteLentFromClientAsync(this, message, channel).ConfigureAwait(false));

    /// <summary>Routes one message the client sent in the binary form, decoded; counted as frames are.</summary>
    /// <returns>Whether the router still holds the message (see <see cref="MessageRouter.RouteMessageFromClientAsync"/>).</returns>
    protected async ValueTask<RouteResult> RouteAsync(RoutedMessage message, NativeChannel channel)
    {
        RouteResult result = await Services.Router.RouteMessageFromClientAsync(this, message, channel).ConfigureAwait(false);
        Count(result != RouteResult.Invalid);
        return result;
    }

    /// <summary>Drops a message that cannot be read, with the reason; it counts as an undecodable frame.</summary>
    protected void DropInvalid(string reason)
    {
        Routing.Log.InvalidFrame(Services.Logger, Address, reason);
        Count(valid: false);
    }

    private void Count(bool valid)
    {
        _consecutiveInvalidFrames = valid ? 0 : _consecutiveInvalidFrames + 1;
        if (_consecutiveInvalidFrames >= Services.Options.MaxConsecutiveInvalidFrames)
        {
            RequestClose(CloseCodes.UnsupportedData, $"Too many invalid messages: {_consecutiveInvalidFrames} in a row could not be decoded");
        }
    }

    // The receive loop, ended quietly by a transport failure and cleanly by a bug while handling a message.
    private async Task ReceiveAsync()
    {
        try
        {
            await ReceiveLoopAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (IsTransportFailure(ex))
        {
            Log.ReceiveEnded(Services.Logger, Address, ex.Message);
        }
        catch (Exception ex)
        {
            // A bug while handling one message: end this connection cleanly rather than leave it half alive.
            Log.HandlerFailed(Services.Logger, ex, Address);
            RequestClose(CloseCodes.InternalError, "Internal server error");
        }
    }
}

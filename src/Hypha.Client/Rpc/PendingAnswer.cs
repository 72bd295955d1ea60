using Hypha.Protocol.Messages;
using Hypha.Protocol.MsgPack;

namespace Hypha.Client.Rpc;

/// <summary>
/// What a call waiting for its answer completes. The answer is read on the receive path, while its message is still
/// the handler's: the dynamic path decodes the result into a value, a typed proxy reads it straight into its type
/// (<see cref="Typed.PendingTypedAnswer{T}"/>). A result that cannot be read fails the call with the reason.
/// </summary>
internal abstract class PendingAnswer
{
    /// <summary>Completes when the answer has been read, or the call failed.</summary>
    public abstract Task Task { get; }

    /// <summary>
    /// True when the caller keeps the shared-memory payloads of its result (it converts them later, and lets go of
    /// them then); false when the answer was read with copies, so they can go at once.
    /// </summary>
    public abstract bool KeepsPayloads { get; }

    /// <summary>Reads the result out of a resolve.</summary>
    public void Complete(IncomingCall answer)
    {
        try
        {
            Read(answer);
        }
        catch (Exception ex) when (ex is MsgPackException or HyphaProtocolException or InvalidCastException)
        {
            Fail(ex is InvalidCastException ? ex : new InvalidCastException($"The result could not be read: {ex.Message}", ex));
        }
    }

    /// <summary>Fails the call.</summary>
    public abstract void Fail(Exception error);

    /// <summary>Reads the result; throws when it is not what the caller expects.</summary>
    protected abstract void Read(IncomingCall answer);
}

/// <summary>The answer of a dynamic call: the result decoded into the value model.</summary>
internal sealed class PendingValue : PendingAnswer
{
    private readonly TaskCompletionSource<MsgPackValue> _result = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public override Task Task => _result.Task;

    /// <summary>The result, once read.</summary>
    public Task<MsgPackValue> Result => _result.Task;

    public override bool KeepsPayloads => true;

    public override void Fail(Exception error) => _result.TrySetException(error);

    protected override void Read(IncomingCall answer) => _result.TrySetResult(answer.FirstArgument);
}

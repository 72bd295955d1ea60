using Hypha.Client.Rpc;
using Hypha.Protocol.MsgPack;

namespace Hypha.Client.Typed;

/// <summary>
/// The answer a typed proxy waits for: the resolve's first argument read straight into <typeparamref name="T"/> on
/// the receive path, with copies of any bytes (a result outlives its message). For a stream's next item, the end
/// marker ends the stream instead.
/// </summary>
internal sealed class PendingTypedAnswer<T> : PendingAnswer
{
    private static readonly byte[] Nil = [0xc0];
    private readonly TaskCompletionSource<T> _result = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly RpcPeer _peer;
    private readonly string _senderWorkspace;
    private readonly TypedValueReader<T> _read;
    private readonly bool _isStreamItem;

    public PendingTypedAnswer(RpcPeer peer, string senderWorkspace, TypedValueReader<T> read, bool isStreamItem = false)
    {
        _peer = peer;
        _senderWorkspace = senderWorkspace;
        _read = read;
        _isStreamItem = isStreamItem;
    }

    public override Task Task => _result.Task;

    /// <summary>The result, once read.</summary>
    public Task<T> Result => _result.Task;

    /// <summary>True once a stream's next call answered with its end marker.</summary>
    public bool Ended { get; private set; }

    public override bool KeepsPayloads => false;

    public override void Fail(Exception error) => _result.TrySetException(error);

    protected override void Read(IncomingCall answer)
    {
        var context = new TypedReadContext(_peer, _senderWorkspace, null, answer.Attachments, answer.ReaderOptions, copiesBytes: true);
        var reader = new MsgPackReader(answer.RawArguments, answer.ReaderOptions);
        if (reader.ReadArrayHeader() == 0)
        {
            reader = new MsgPackReader(Nil, answer.ReaderOptions);
        }

        if (_isStreamItem && TypedValues.IsStopIteration(reader))
        {
            Ended = true;
            _result.TrySetResult(default!);
            return;
        }

        _result.TrySetResult(_read(ref reader, context));
    }
}

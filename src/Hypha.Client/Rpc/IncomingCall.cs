using Hypha.Protocol.Messages;
using Hypha.Protocol.MsgPack;
using Hypha.Protocol.Schemas;

namespace Hypha.Client.Rpc;

/// <summary>
/// One received call (a service function, a callback, a generator's next item, or the resolve or reject of one of
/// this peer's calls) as the RPC core dispatches it. Its promise is read at once, since every answer needs it; its
/// arguments stay encoded until someone asks: the dynamic path decodes them into values, a typed dispatcher or proxy
/// reads them straight from <see cref="RawArguments"/>. Either happens while the message is still the handler's.
/// </summary>
internal sealed class IncomingCall
{
    private static readonly byte[] EmptyArguments = [0x90];
    private readonly MsgPackReaderOptions _options;
    private HyphaCall? _decoded;

    public IncomingCall(RpcMethodV4 message, MsgPackReaderOptions options, IReadOnlyList<ReadOnlyMemory<byte>>? attachments = null)
    {
        Message = message;
        _options = options;
        Attachments = attachments;
        Promise = RpcMessages.PromiseOf(message, options);
    }

    /// <summary>The message.</summary>
    public RpcMethodV4 Message { get; }

    /// <summary>How the caller wants its answer, or null.</summary>
    public HyphaPromise? Promise { get; }

    /// <summary>The encoded <c>args</c> array (an empty array when the message has none).</summary>
    public ReadOnlyMemory<byte> RawArguments => Message.Args is { IsNil: false } raw ? raw.Bytes : EmptyArguments;

    /// <summary>True when the last element of the arguments is a map of keyword arguments.</summary>
    public bool WithKwargs => Message.WithKwargs == true;

    /// <summary>The payloads a shared-memory message's placeholders stand for, in order, or null.</summary>
    public IReadOnlyList<ReadOnlyMemory<byte>>? Attachments { get; }

    /// <summary>The limits its values are read with.</summary>
    public MsgPackReaderOptions ReaderOptions => _options;

    /// <summary>The arguments decoded into values, placeholders resolved (decoded once, on first use).</summary>
    /// <exception cref="MsgPackException">A value breaks a reader limit.</exception>
    /// <exception cref="HyphaProtocolException">args is not an array, or the kwargs are not a map.</exception>
    public HyphaCall Decoded => _decoded ??= Decode();

    /// <summary>The first argument decoded (a resolve's result, a reject's error), or nil.</summary>
    /// <exception cref="MsgPackException">The value breaks a reader limit.</exception>
    /// <exception cref="HyphaProtocolException">args is not an array, or the kwargs are not a map.</exception>
    public MsgPackValue FirstArgument
    {
        get
        {
            // An answer's args are its one value: read alone, without the array and the call the others would need.
            if (_decoded is null && Attachments is null && !WithKwargs)
            {
                var reader = new MsgPackReader(RawArguments, _options);
                if (reader.NextType == MsgPackType.Array)
                {
                    return reader.ReadArrayHeader() == 0 ? default : MsgPackValue.Read(ref reader);
                }
            }

            return Decoded.Args.Length > 0 ? Decoded.Args[0] : default;
        }
    }

    private HyphaCall Decode()
    {
        MsgPackValue[] args = RpcMessages.ArgumentsOf(Message, _options);
        if (Attachments is { Count: > 0 } attachments)
        {
            args = FrameAttachments.Resolve(args, attachments).AsArray();
        }

        return HyphaCall.FromParts(args, WithKwargs, Promise);
    }
}

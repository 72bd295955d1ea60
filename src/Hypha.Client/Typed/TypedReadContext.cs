using System.Buffers;
using System.Buffers.Binary;
using System.ComponentModel;
using Hypha.Client.Rpc;
using Hypha.Protocol.Messages;
using Hypha.Protocol.MsgPack;
using Hypha.Protocol.Objects;
using Hypha.Protocol.Schemas;

namespace Hypha.Client.Typed;

/// <summary>
/// What generated code reads one message's values with, beyond plain msgpack: callbacks and streams the sender
/// handed out (their bare targets made absolute with the sender's workspace, as hypha does), and the payloads a
/// shared-memory message's placeholders stand for.
/// </summary>
public sealed class TypedReadContext
{
    private readonly RpcPeer? _peer;
    private readonly IReadOnlyList<ReadOnlyMemory<byte>>? _attachments;
    private readonly string? _records;

    // True for results and stream items, which outlive the message they came in; a call's arguments are views.
    private readonly bool _copiesBytes;

    // records: the record fingerprint of the marked call whose arguments these are (docs/typed-services.md): the functions
    // it hands over are called back with records in binary form too.
    internal TypedReadContext(RpcPeer? peer, string senderWorkspace, string? remoteParent, IReadOnlyList<ReadOnlyMemory<byte>>? attachments,
        MsgPackReaderOptions options, bool copiesBytes = false, string? records = null)
    {
        _peer = peer;
        _records = records;
        _copiesBytes = copiesBytes;
        SenderWorkspace = senderWorkspace;
        RemoteParent = remoteParent;
        _attachments = attachments;
        ReaderOptions = options;
    }

    /// <summary>A context detached from any connection: plain values only (benchmarks, tests).</summary>
    public static TypedReadContext Detached { get; } = new(null, "detached", null, null, HyphaFrame.DefaultReaderOptions);

    /// <summary>The limits values are read with.</summary>
    public MsgPackReaderOptions ReaderOptions { get; }

    /// <summary>The sender's workspace: bare targets in what it sent belong to it.</summary>
    internal string SenderWorkspace { get; }

    /// <summary>The sender's session this message belongs to (a call's): callbacks it handed out are called back under it.</summary>
    internal string? RemoteParent { get; }

    private RpcPeer Peer => _peer ?? throw new MsgPackException("A callback or stream cannot be read outside a call", 0);

    /// <summary>
    /// Reads bin (or a shared-memory placeholder). In a call's arguments, without a copy: the bytes are the message's,
    /// valid while the call that brought them runs. In a result or a stream's item, a copy.
    /// </summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public ReadOnlyMemory<byte> ReadBytes(ref MsgPackReader reader)
    {
        if (reader.NextType == MsgPackType.Extension && _attachments is { } attachments)
        {
            long at = reader.Consumed;
            ReadOnlySequence<byte> data = reader.ReadExtension(out ExtensionHeader header);
            Span<byte> index = stackalloc byte[4];
            if (header.TypeCode != FrameAttachments.PlaceholderType || data.Length != 4)
            {
                throw new MsgPackException($"Expected binary data but found an extension of type {header.TypeCode}", at);
            }

            data.CopyTo(index);
            int i = BinaryPrimitives.ReadInt32BigEndian(index);
            ReadOnlyMemory<byte> payload = i >= 0 && i < attachments.Count
                ? attachments[i]
                : throw new MsgPackException($"The placeholder names payload {i}, which the message does not carry", at);
            return _copiesBytes ? payload.ToArray() : payload;
        }

        ReadOnlySequence<byte> bytes = reader.ReadBytes() ?? throw new MsgPackException("Expected binary data but found nil", reader.Consumed);
        return bytes.IsSingleSegment && !_copiesBytes ? bytes.First : bytes.ToArray();
    }

    /// <summary>
    /// Reads a record in its binary form (an ext of type <see cref="TypedRecords.ExtensionType"/>) with
    /// <paramref name="read"/>. A body that does not decode, or does not end where the ext does, is the sender's error.
    /// </summary>
    /// <exception cref="MsgPackException">Another ext type, or a malformed body.</exception>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public T ReadBinaryRecord<T>(ref MsgPackReader reader, TypedBinaryReader<T> read, string typeName)
    {
        ArgumentNullException.ThrowIfNull(read);
        long at = reader.Consumed;
        ReadOnlySequence<byte> data = reader.ReadExtension(out ExtensionHeader header);
        if (header.TypeCode != TypedRecords.ExtensionType)
        {
            throw new MsgPackException($"Expected {typeName} (a map) but found an extension of type {header.TypeCode}", at);
        }

        ReadOnlyMemory<byte> body = data.IsSingleSegment ? data.First : data.ToArray();
        var binary = new SchemaReader(body);
        try
        {
            T value = read(ref binary, this);
            binary.ExpectEnd();
            return value;
        }
        catch (SchemaFormatException ex)
        {
            throw new MsgPackException($"The binary form of {typeName} does not decode: {ex.Message}", at, ex);
        }
    }

    /// <summary>Bytes read from a record's binary form: a view of the message in a call's arguments, else a copy (as <see cref="ReadBytes"/>).</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public ReadOnlyMemory<byte> BinaryBytes(ReadOnlyMemory<byte> bytes) => _copiesBytes ? bytes.ToArray() : bytes;

    /// <summary>Reads a value of any shape inside a record's binary form.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public MsgPackValue ReadBinaryAny(ref SchemaReader reader)
    {
        int at = reader.Consumed;
        try
        {
            return MsgPackValue.Parse(reader.ReadAny().Bytes, ReaderOptions);
        }
        catch (MsgPackException ex)
        {
            throw new SchemaFormatException($"A value breaks a reader limit: {ex.Message}", at, ex);
        }
    }

    /// <summary>Reads a function the sender handed out (<c>_rtype:"method"</c>), or null for nil.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public TypedRemoteFunction? ReadFunction(ref MsgPackReader reader)
    {
        if (reader.TryReadNil())
        {
            return null;
        }

        long at = reader.Consumed;
        if (HyphaObject.Decode(MsgPackValue.Read(ref reader)) is not RemoteMethod method)
        {
            throw new MsgPackException("Expected a function (a map with _rtype \"method\")", at);
        }

        return new TypedRemoteFunction(Peer, method.WithTarget(method.AbsoluteTarget(SenderWorkspace)), RemoteParent, _records);
    }

    /// <summary>Reads a stream the sender handed out (<c>_rtype:"generator"</c>) as an async sequence of <typeparamref name="T"/>, or null for nil.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public IAsyncEnumerable<T>? ReadStream<T>(ref MsgPackReader reader, TypedValueReader<T> readItem)
    {
        ArgumentNullException.ThrowIfNull(readItem);
        if (reader.TryReadNil())
        {
            return null;
        }

        long at = reader.Consumed;
        if (HyphaObject.Decode(MsgPackValue.Read(ref reader)) is not RemoteGenerator generator)
        {
            throw new MsgPackException("Expected a stream (a map with _rtype \"generator\")", at);
        }

        return new TypedRemoteStream<T>(Peer, generator, SenderWorkspace, readItem);
    }
}

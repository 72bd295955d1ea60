using System.ComponentModel;
using Hypha.Client.Rpc;
using Hypha.Protocol.Buffers;
using Hypha.Protocol.Messages;
using Hypha.Protocol.MsgPack;
using Hypha.Protocol.Objects;
using Hypha.Protocol.Schemas;

namespace Hypha.Client.Typed;

/// <summary>
/// What generated code writes one message's values with (a call's arguments, or an answer's result), beyond plain
/// msgpack: callbacks and streams, handed to the peer through the message's session as hypha does (only the peer the
/// message goes to may call them, and only while the session lives); large binary values, lifted into shared memory
/// by reference when the connection can; and a nesting limit, so a cyclic object graph fails instead of recursing
/// without end.
/// </summary>
public abstract class TypedWriteContext
{
    /// <summary>The deepest nesting written (records, lists and maps inside each other).</summary>
    public const int MaxDepth = 64;

    // Record bodies are written here before they become an ext (its header holds their length); larger buffers go
    // back to the pool instead of staying with the thread.
    private const int CachedScratchLimit = 64 * 1024;

    [ThreadStatic]
    private static PooledBufferWriter? t_recordScratch;

    private RpcPeer? _peer;
    private List<ReadOnlyMemory<byte>>? _attachments;
    private int _depth;

    private protected TypedWriteContext(RpcPeer? peer)
    {
        _peer = peer;
    }

    /// <summary>Makes the context new again, for another message through <paramref name="peer"/> (a reused response).</summary>
    private protected void Renew(RpcPeer? peer)
    {
        _peer = peer;
        _attachments = null;
        _depth = 0;
        WritesBinaryRecords = false;
    }

    /// <summary>
    /// True when the records of this message are written in their binary form (an ext of type
    /// <see cref="TypedRecords.ExtensionType"/>): the peer it goes to holds the same contract fingerprint and asked for it.
    /// </summary>
    public bool WritesBinaryRecords { get; internal set; }

    /// <summary>The payloads lifted out of the message so far, in placeholder order, or null.</summary>
    internal IReadOnlyList<ReadOnlyMemory<byte>>? Attachments => _attachments;

    /// <summary>The peer the message goes out through (null for a context detached from any connection).</summary>
    internal RpcPeer Peer => _peer ?? throw new InvalidOperationException(
        "Callbacks and streams need a connection: this value is written outside any call.");

    /// <summary>The session that owns what the message hands out (created on first use).</summary>
    internal abstract RpcSession Session { get; }

    /// <summary>Enters a record, list or map.</summary>
    /// <exception cref="InvalidOperationException">Values nest deeper than <see cref="MaxDepth"/> (a cycle?).</exception>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public void EnterNested()
    {
        if (++_depth > MaxDepth)
        {
            _depth = 0;
            throw new InvalidOperationException($"The value nests deeper than {MaxDepth} levels (a cycle?).");
        }
    }

    /// <summary>Leaves a record, list or map.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public void LeaveNested() => _depth--;

    /// <summary>
    /// Writes bytes as bin; between peers that share memory, bytes above the shared-memory threshold are written as a
    /// placeholder and travel by reference, without a copy (they must stay unchanged until the message is sent).
    /// </summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public void WriteBytes(ref MsgPackWriter writer, ReadOnlyMemory<byte> bytes)
    {
        int threshold = _peer?.LargePayloads?.SharedMemoryThreshold ?? 0;
        if (threshold <= 0 || bytes.Length <= threshold)
        {
            writer.WriteBinary(bytes.Span);
            return;
        }

        (_attachments ??= []).Add(bytes);
        byte[] index = new byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(index, _attachments.Count - 1);
        writer.WriteExtension(FrameAttachments.PlaceholderType, index);
    }

    /// <summary>Writes a record in its binary form: an ext of type <see cref="TypedRecords.ExtensionType"/> whose body <paramref name="write"/> writes.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public void WriteBinaryRecord<T>(ref MsgPackWriter writer, T value, TypedBinaryWriter<T> write)
    {
        ArgumentNullException.ThrowIfNull(write);

        // Taken from the thread while in use: a record body never writes another ext, but a throwing one must not
        // leave its bytes to the next.
        PooledBufferWriter scratch = t_recordScratch ?? new PooledBufferWriter(256);
        t_recordScratch = null;
        scratch.Clear();
        var body = new SchemaWriter(scratch);
        write(ref body, value, this);
        body.Flush();
        writer.WriteExtension(TypedRecords.ExtensionType, scratch.WrittenMemory.Span);
        if (scratch.WrittenCount > CachedScratchLimit)
        {
            scratch.Dispose();
            return;
        }

        scratch.Clear();
        t_recordScratch = scratch;
    }

    /// <summary>Writes a value of any shape inside a record's binary form: its msgpack bytes.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static void WriteBinaryAny(ref SchemaWriter writer, MsgPackValue value) => writer.WriteAny(RawMsgPack.From(value));

    /// <summary>
    /// Writes a callback: a local function the peer may call back while the message's session lives, as a
    /// <c>_rtype:"method"</c> descriptor.
    /// </summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public void WriteCallback(ref MsgPackWriter writer, string name, TypedCallback callback)
    {
        ArgumentNullException.ThrowIfNull(callback);
        RpcPeer peer = Peer;
        RpcSession session = Session;
        string objectId = RandomIds.New();
        session.AddObject(objectId, callback);
        MsgPackValue descriptor = RemoteMethod.Create(peer.LocalAddress, $"{session.Id}.{objectId}", RemotePromiseMode.Compact, peer.Options.ServerUrl,
            name, string.Empty);
        descriptor.WriteTo(ref writer);
    }

    /// <summary>Writes a stream: a local async sequence the peer pulls item by item, as a <c>_rtype:"generator"</c> descriptor.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public void WriteStream<T>(ref MsgPackWriter writer, IAsyncEnumerable<T>? items, TypedValueWriter<T> writeItem, CancellationTokenSource? lifetime = null)
    {
        ArgumentNullException.ThrowIfNull(writeItem);
        if (items is null)
        {
            lifetime?.Dispose();
            writer.WriteNil();
            return;
        }

        RpcPeer peer = Peer;
        RpcSession session = Session;
        string objectId = RandomIds.New();
        session.AddObject(objectId, new TypedGenerator<T>(items, writeItem, lifetime ?? new CancellationTokenSource(), TakeScope())
        {
            WritesBinaryRecords = WritesBinaryRecords,
        });
        string path = $"{session.Id}.{objectId}";
        MsgPackValue descriptor = RemoteGenerator.Create(peer.LocalAddress, path, $"{path}:close", peer.Options.ServerUrl);
        descriptor.WriteTo(ref writer);
    }

    /// <summary>What a stream written now keeps alive until it ends (a per-call service scope); null when nothing.</summary>
    private protected virtual IAsyncDisposable? TakeScope() => null;
}

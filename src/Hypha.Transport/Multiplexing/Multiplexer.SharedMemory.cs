using System.Runtime.InteropServices;
using Hypha.Protocol.Native;
using Hypha.Transport.SharedMemory;

namespace Hypha.Transport.Multiplexing;

public sealed partial class Multiplexer
{
    // Set once shared memory was agreed at Hello (docs/wire-format.md §9): the segments this side sends from, and the
    // peer's segments it has mapped.
    private SegmentPool? _pool;
    private MappedSegments? _mapped;

    // References sent and not yet released by the peer, by (segment, generation), each with what keeps its bytes
    // untouched until then (a hold on one of our segments, or a lease on a payload forwarded from another peer).
    private readonly Dictionary<(string Segment, ulong Generation), Queue<IDisposable>> _sentReferences = [];
    private readonly Lock _referencesGate = new();

    /// <summary>True while large payloads can go to the peer by reference in shared memory.</summary>
    public bool CanShareMemory => _pool is not null && Volatile.Read(ref _closeReason) is null;

    /// <summary>Payloads larger than this go by reference when <see cref="CanShareMemory"/>.</summary>
    public int SharedMemoryThreshold => _options.SharedMemory.Threshold;

    /// <summary>
    /// Room for a payload of <paramref name="length"/> bytes in this side's shared memory, for the application to
    /// write in place; null when shared memory is not in use or its pool is full.
    /// </summary>
    public SharedMemoryBuffer? RentSharedMemory(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(length);
        return CanShareMemory && _pool!.Rent(length) is { } segment ? new SharedMemoryBuffer(segment, length) : null;
    }

    /// <summary>
    /// Sends a message whose large payloads travel by reference (docs/wire-format.md §9.2): <paramref name="head"/>
    /// inline, with a placeholder for each of <paramref name="payloads"/>. A payload already in this side's shared
    /// memory (a <see cref="SharedMemoryBuffer"/>) is referenced as it is, one received by reference from any peer is
    /// passed on by the same reference, and any other is copied once into a segment. The message goes on the bulk
    /// channel. False when it cannot go this way (shared memory not agreed, over the peer's limit, the pool full or the
    /// directory out of space): the caller then sends the payloads inline.
    /// </summary>
    /// <exception cref="MultiplexerClosedException">The connection is closed.</exception>
    /// <exception cref="SharedMemoryException">A payload received from another peer, to be copied, cannot be read.</exception>
    public bool TrySendShared(ReadOnlyMemory<byte> head, IReadOnlyList<ReadOnlyMemory<byte>> payloads)
    {
        ArgumentNullException.ThrowIfNull(payloads);
        if (!CanShareMemory || payloads.Count is 0 or > SharedMemoryMessage.MaxReferences
            || payloads.Sum(p => (long)p.Length) > Remote.SharedMemory!.MaxMessage || payloads.Any(p => p.IsEmpty))
        {
            return false;
        }

        var references = new SharedMemoryReference[payloads.Count];
        var holders = new List<IDisposable>(payloads.Count);
        try
        {
            for (int i = 0; i < references.Length; i++)
            {
                if (!TryReference(payloads[i], out references[i], out IDisposable? holder))
                {
                    holders.ForEach(h => h.Dispose());
                    return false;
                }

                holders.Add(holder);
            }

            byte[] body = SharedMemoryMessage.Encode(head.Span, references);
            Remember(references, holders);
            try
            {
                Enqueue(NativeChannel.Bulk, body, FrameFlags.SharedMemoryRef);
            }
            catch
            {
                Forget(references);
                throw;
            }

            return true;
        }
        catch
        {
            holders.ForEach(h => h.Dispose());
            throw;
        }
    }

    /// <summary>Maps the segment of a payload received by reference, checking the reference against it.</summary>
    internal MappedFile MapReceived(SharedMemoryReference reference) =>
        (_mapped ?? throw new SharedMemoryException("Shared memory was not agreed on this connection.")).Open(reference);

    /// <summary>Every lease on a received payload is gone: the peer may reuse its region.</summary>
    internal void ReleaseReceived(SharedMemoryRegion region)
    {
        if (region.IsOpen)
        {
            _mapped?.Done(region.Reference.Segment);
        }

        if (Volatile.Read(ref _closeReason) is null)
        {
            EnqueueControl(SharedMemoryRelease.Create([(region.Reference.Segment, region.Reference.Generation)]));
        }
    }

    private void InitSharedMemory()
    {
        if (Agreement.SharedMemory && Local.SharedMemory is { } mine)
        {
            _pool = new SegmentPool(mine.Directory, mine.Prefix, _options.SharedMemory);
            _mapped = new MappedSegments(mine.Directory, _options.SharedMemory.MaxMappedBytes);
        }
    }

    private bool TryReference(ReadOnlyMemory<byte> payload, out SharedMemoryReference reference, out IDisposable holder)
    {
        if (MemoryMarshal.TryGetMemoryManager(payload, out SharedMemoryBuffer? buffer, out int start, out int length) && buffer.Segment.Pool == _pool)
        {
            reference = buffer.Segment.Reference(start, length);
            holder = buffer.Segment.Hold();
            return true;
        }

        if (MemoryMarshal.TryGetMemoryManager(payload, out SharedMemoryLease? lease, out start, out length))
        {
            if (lease.Directory == Local.SharedMemory!.Directory)
            {
                reference = lease.Reference with { Offset = lease.Reference.Offset + start, Length = length };
                holder = lease.Share();
                return true;
            }

            lease.Open(); // copied below: its bytes must be mapped here
        }

        if (_pool!.Rent(payload.Length) is not { } segment)
        {
            reference = default;
            holder = null!;
            return false;
        }

        payload.Span.CopyTo(segment.Data);
        reference = segment.Reference(0, payload.Length);
        holder = segment.TakeOver();
        return true;
    }

    private void Remember(SharedMemoryReference[] references, List<IDisposable> holders)
    {
        lock (_referencesGate)
        {
            for (int i = 0; i < references.Length; i++)
            {
                (string, ulong) key = (references[i].Segment, references[i].Generation);
                if (!_sentReferences.TryGetValue(key, out Queue<IDisposable>? queue))
                {
                    _sentReferences[key] = queue = new Queue<IDisposable>();
                }

                queue.Enqueue(holders[i]);
            }
        }
    }

    private void Forget(SharedMemoryReference[] references)
    {
        lock (_referencesGate)
        {
            foreach (SharedMemoryReference reference in references)
            {
                (string, ulong) key = (reference.Segment, reference.Generation);
                if (_sentReferences.TryGetValue(key, out Queue<IDisposable>? queue) && queue.TryDequeue(out _) && queue.Count == 0)
                {
                    _sentReferences.Remove(key);
                }
            }
        }
    }

    // The peer is done with payloads we sent: what held their bytes lets go. Releasing what was never sent (or twice)
    // is a protocol error: the peer's bookkeeping is broken.
    private void HandleSharedMemoryRelease(ControlMessage message)
    {
        var released = new List<IDisposable>();
        lock (_referencesGate)
        {
            foreach ((string segment, ulong generation) in SharedMemoryRelease.Read(message))
            {
                if (!_sentReferences.TryGetValue((segment, generation), out Queue<IDisposable>? queue) || !queue.TryDequeue(out IDisposable? holder))
                {
                    throw new NativeProtocolException(NativeErrorCode.ProtocolError, $"ShmRelease of {segment} generation {generation}, which is not outstanding");
                }

                if (queue.Count == 0)
                {
                    _sentReferences.Remove((segment, generation));
                }

                released.Add(holder);
            }
        }

        released.ForEach(holder => holder.Dispose());
    }

    // A SHM_REF message is checked as it arrives, on the reader: a malformed one, or one over the limit this side
    // announced, fails the connection like any protocol violation.
    private IncomingMessage WithReferences(IncomingMessage message)
    {
        if ((message.Flags & FrameFlags.SharedMemoryRef) == 0)
        {
            return message;
        }

        (ReadOnlyMemory<byte> head, SharedMemoryReference[] references) = SharedMemoryMessage.Decode(message.Payload);
        long total = references.Sum(r => (long)r.Length);
        if (total > Local.SharedMemory!.MaxMessage)
        {
            throw new NativeProtocolException(
                NativeErrorCode.FrameTooLarge, $"A message references {total} bytes of shared memory, over the maximum of {Local.SharedMemory.MaxMessage}");
        }

        return message with { Payload = head.ToArray(), References = references };
    }

    private InboundMessage Inbound(IncomingMessage message)
    {
        InboundMessage inbound = message.ToInbound();
        return message.References is not { } references
            ? inbound
            : inbound with { Attachments = Array.ConvertAll(references, r => new SharedMemoryLease(new SharedMemoryRegion(this, r, Local.SharedMemory!.Directory))) };
    }

    // The connection is over: every segment of ours is deleted (the peer can no longer release them), what we held for
    // forwarded payloads lets go, and the peer's files for this connection are deleted too, in case it died and left
    // them. Mappings go once no lease refers to them.
    private void CloseSharedMemory()
    {
        if (_pool is null)
        {
            return;
        }

        _pool.Dispose();
        List<IDisposable> holders;
        lock (_referencesGate)
        {
            holders = _sentReferences.Values.SelectMany(queue => queue).ToList();
            _sentReferences.Clear();
        }

        holders.ForEach(holder => holder.Dispose());
        if (Remote.SharedMemory is { } peer)
        {
            SharedMemoryFiles.DeleteAll(peer.Directory, peer.Prefix);
        }

        _mapped!.Clear();
    }
}

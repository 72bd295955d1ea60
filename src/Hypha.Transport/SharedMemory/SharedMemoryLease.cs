using System.Buffers;
using Hypha.Protocol.Native;

namespace Hypha.Transport.SharedMemory;

/// <summary>
/// A payload received by reference in shared memory, as the application holds it: the bytes are the sender's, mapped
/// here with no copy. <see cref="Open"/> maps them (a missing segment or a stale reference fails there); disposing the
/// last lease on them tells the sender it may reuse the region. A lease forgotten without being disposed is released
/// when it is collected. Leases can be shared (<see cref="Share"/>): the payload is released when all are disposed.
/// </summary>
public sealed class SharedMemoryLease : MappedMemory
{
    private readonly SharedMemoryRegion _region;

    internal SharedMemoryLease(SharedMemoryRegion region)
    {
        _region = region;
    }

    /// <summary>Where the payload lies: segment, offset, length and generation.</summary>
    public SharedMemoryReference Reference => _region.Reference;

    /// <summary>The directory of the segment.</summary>
    public string Directory => _region.Directory;

    /// <summary>The payload's length in bytes.</summary>
    public override int Length => _region.Reference.Length;

    /// <summary>Maps the payload (once; later calls return at once), so that its bytes can be read.</summary>
    /// <exception cref="SharedMemoryException">The segment is gone, is not a segment, or now holds another payload.</exception>
    public void Open()
    {
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        _region.Open();
    }

    /// <summary>Another lease on the same payload, released independently.</summary>
    public SharedMemoryLease Share()
    {
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        _region.AddLease();
        return new SharedMemoryLease(_region);
    }

    /// <summary>
    /// The payload as memory. Taking it maps nothing: a lease passed on to another peer travels by its reference and is
    /// never mapped here; reading its span needs <see cref="Open"/>.
    /// </summary>
    public override Memory<byte> Memory => CreateMemory(Length);

    /// <summary>The payload's bytes; <see cref="Open"/> must have succeeded.</summary>
    public override Span<byte> GetSpan()
    {
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        return _region.Span();
    }

    private protected override void Release() => _region.ReleaseLease();
}

using Hypha.Protocol.Native;
using Hypha.Transport.Multiplexing;

namespace Hypha.Transport.SharedMemory;

/// <summary>
/// One payload a peer sent by reference, as this side received it: mapped on first use, and released to the peer
/// (ShmRelease) once every lease on it is disposed.
/// </summary>
internal sealed class SharedMemoryRegion
{
    private readonly Multiplexer _connection;
    private readonly Lock _gate = new();
    private MappedFile? _file;
    private int _leases = 1;

    public SharedMemoryRegion(Multiplexer connection, SharedMemoryReference reference, string directory)
    {
        _connection = connection;
        Reference = reference;
        Directory = directory;
    }

    public SharedMemoryReference Reference { get; }

    public string Directory { get; }

    public bool IsOpen => Volatile.Read(ref _file) is not null;

    /// <exception cref="SharedMemoryException">The segment cannot be reached or the reference is stale.</exception>
    public void Open()
    {
        lock (_gate)
        {
            _file ??= _connection.MapReceived(Reference);
        }
    }

    public Span<byte> Span() =>
        (Volatile.Read(ref _file) ?? throw new InvalidOperationException("The shared-memory payload was not opened.")).Span(Reference.Offset, Reference.Length);

    public void AddLease() => Interlocked.Increment(ref _leases);

    public void ReleaseLease()
    {
        if (Interlocked.Decrement(ref _leases) == 0)
        {
            _connection.ReleaseReceived(this);
        }
    }
}

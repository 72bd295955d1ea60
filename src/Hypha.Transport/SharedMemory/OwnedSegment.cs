using Hypha.Protocol.Native;

namespace Hypha.Transport.SharedMemory;

/// <summary>
/// A segment this side created for sending, rented from its connection's <see cref="SegmentPool"/>. Whoever still
/// needs its bytes holds it: the application's buffer, and every reference sent but not yet released by the peer.
/// When the last holder lets go it goes back to the pool, and only then may its region hold another payload.
/// </summary>
internal sealed class OwnedSegment
{
    private readonly SegmentPool _pool;
    private int _holders;

    public OwnedSegment(SegmentPool pool, string name, string path, MappedFile file, int capacity)
    {
        _pool = pool;
        Name = name;
        Path = path;
        File = file;
        Capacity = capacity;
        SegmentHeader.Initialize(file.Span(0, SharedMemoryReference.HeaderSize), capacity);
    }

    public string Name { get; }

    public string Path { get; }

    public MappedFile File { get; }

    /// <summary>The bytes of data it can hold after its header.</summary>
    public int Capacity { get; }

    /// <summary>The generation of the payload it holds now; a new one each time it is rented.</summary>
    public ulong Generation { get; private set; }

    public SegmentPool Pool => _pool;

    /// <summary>Its data area.</summary>
    public Span<byte> Data => File.Span(SharedMemoryReference.HeaderSize, Capacity);

    /// <summary>Starts a new use: a new generation, held once by the renter.</summary>
    public void BeginUse()
    {
        Generation++;
        SegmentHeader.SetGeneration(File.Span(0, SharedMemoryReference.HeaderSize), Generation);
        Volatile.Write(ref _holders, 1);
    }

    /// <summary>A reference to <paramref name="length"/> bytes at <paramref name="start"/> of its data.</summary>
    public SharedMemoryReference Reference(int start, int length) =>
        new(Name, SharedMemoryReference.HeaderSize + (long)start, length, Generation);

    /// <summary>Adds a holder; the returned object lets go once.</summary>
    public IDisposable Hold()
    {
        Interlocked.Increment(ref _holders);
        return new Holder(this);
    }

    /// <summary>The renter's hold, as an object that lets go once.</summary>
    public IDisposable TakeOver() => new Holder(this);

    /// <summary>Lets go of one hold; the last one returns the segment to its pool.</summary>
    public void Release()
    {
        if (Interlocked.Decrement(ref _holders) == 0)
        {
            _pool.Return(this);
        }
    }

    private sealed class Holder(OwnedSegment segment) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                segment.Release();
            }
        }
    }
}

using System.Buffers;
using Hypha.Transport.SharedMemory;

namespace Hypha.Client.Rpc;

/// <summary>
/// A large argument or result written in place (<see cref="HyphaClient.RentPayload"/>): on a native connection to a
/// peer on the same host its bytes are in shared memory, so sending it copies nothing at all; elsewhere it is pooled
/// memory, copied into the message as any bytes are. Write it as an <see cref="IBufferWriter{T}"/>, then pass it as an
/// argument or return it from a service function: the receiver gets the written bytes (<see cref="Memory"/>).
/// Dispose it when you no longer send it; a returned result is disposed once sent. Bytes already sent stay intact
/// until the receiver is done with them, however early the buffer is disposed.
/// </summary>
public sealed class PayloadBuffer : IBufferWriter<byte>, IMemoryOwner<byte>
{
    private readonly SharedMemoryBuffer? _shared;
    private readonly Memory<byte> _room;
    private byte[]? _pooled;
    private int _written;

    internal PayloadBuffer(SharedMemoryBuffer? shared, int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        _shared = shared;
        if (shared is null)
        {
            _pooled = ArrayPool<byte>.Shared.Rent(capacity);
            _room = _pooled.AsMemory(0, capacity);
        }
        else
        {
            _room = shared.Memory;
        }
    }

    /// <summary>The most bytes the buffer holds.</summary>
    public int Capacity => _room.Length;

    /// <summary>True when the bytes are in shared memory (they will travel by reference).</summary>
    public bool IsShared => _shared is not null;

    /// <summary>The bytes written so far: what is sent.</summary>
    public Memory<byte> Memory => _room[.._written];

    /// <inheritdoc />
    /// <exception cref="ArgumentOutOfRangeException">More than the room left.</exception>
    public void Advance(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, _room.Length - _written);
        _written += count;
    }

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">The buffer has less room left than <paramref name="sizeHint"/>: its capacity is fixed.</exception>
    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        int left = _room.Length - _written;
        return sizeHint <= left && left > 0
            ? _room[_written..]
            : throw new InvalidOperationException($"The payload buffer has {left} bytes left, fewer than the {Math.Max(sizeHint, 1)} asked for; rent a larger one.");
    }

    /// <inheritdoc />
    public Span<byte> GetSpan(int sizeHint = 0) => GetMemory(sizeHint).Span;

    /// <summary>Lets go of the memory; later calls do nothing.</summary>
    public void Dispose()
    {
        _shared?.Dispose();
        if (Interlocked.Exchange(ref _pooled, null) is { } pooled)
        {
            ArrayPool<byte>.Shared.Return(pooled);
        }
    }
}

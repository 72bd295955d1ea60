using System.Buffers;

namespace Hypha.Protocol.Buffers;

/// <summary>
/// An <see cref="IBufferWriter{T}"/> over arrays rented from <see cref="ArrayPool{T}.Shared"/>: what one outgoing
/// message is written into. Dispose it to return the array once the bytes have been sent.
/// </summary>
public sealed class PooledBufferWriter : IBufferWriter<byte>, IDisposable
{
    private byte[] _buffer;
    private int _written;

    /// <summary>Creates a writer with room for <paramref name="initialCapacity"/> bytes.</summary>
    public PooledBufferWriter(int initialCapacity = 4096)
    {
        _buffer = ArrayPool<byte>.Shared.Rent(Math.Max(initialCapacity, 256));
    }

    /// <summary>The bytes written so far.</summary>
    public ReadOnlyMemory<byte> WrittenMemory => _buffer.AsMemory(0, _written);

    /// <summary>The number of bytes written so far.</summary>
    public int WrittenCount => _written;

    /// <summary>The size of the array written into: what keeping this writer for later messages would hold on to.</summary>
    public int Capacity => _buffer.Length;

    /// <inheritdoc />
    public void Advance(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, _buffer.Length - _written);
        _written += count;
    }

    /// <inheritdoc />
    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsMemory(_written);
    }

    /// <inheritdoc />
    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsSpan(_written);
    }

    /// <summary>
    /// Copies <paramref name="bytes"/> in, growing at most once to hold them all. Writing a large payload through
    /// <see cref="GetSpan"/> a piece at a time doubles the array again and again (each time a new, for large sizes
    /// usually fresh, array from the pool, and a copy of everything written so far); this asks for the size once.
    /// </summary>
    public void Write(ReadOnlySpan<byte> bytes)
    {
        Ensure(bytes.Length);
        bytes.CopyTo(_buffer.AsSpan(_written));
        _written += bytes.Length;
    }

    /// <summary>
    /// Copies <paramref name="bytes"/> to any output: through <see cref="Write(ReadOnlySpan{byte})"/> (one growth) when
    /// it is a <see cref="PooledBufferWriter"/>, otherwise in whatever pieces the output offers. What the msgpack and
    /// schema writers do with a large payload.
    /// </summary>
    public static void Append(IBufferWriter<byte> output, ReadOnlySpan<byte> bytes)
    {
        if (output is PooledBufferWriter pooled)
        {
            pooled.Write(bytes);
        }
        else
        {
            output.Write(bytes);
        }
    }

    /// <summary>
    /// Hands the array over: the caller now owns it (and returns it to <see cref="ArrayPool{T}.Shared"/> when done),
    /// and this writer starts again with a new one.
    /// </summary>
    public byte[] Detach(out int length)
    {
        byte[] buffer = _buffer;
        length = _written;
        _buffer = ArrayPool<byte>.Shared.Rent(256);
        _written = 0;
        return buffer;
    }

    /// <summary>Forgets what was written, keeping the array for the next message.</summary>
    public void Clear() => _written = 0;

    // The most a thread's spare writer keeps: a larger array goes back to the pool with its writer.
    private const int SpareCapacity = 64 * 1024;

    // Two spares a thread: a sent call holds one for its arguments while its frame is written into another, and with
    // a single slot the second writer would be new for every call and dropped when the first came back.
    [ThreadStatic]
    private static PooledBufferWriter? t_spare;

    [ThreadStatic]
    private static PooledBufferWriter? t_secondSpare;

    /// <summary>
    /// One of this thread's spare writers, emptied and with room for <paramref name="initialCapacity"/> bytes, or a new
    /// one: for a message written, sent and done with, so that a stream of them costs no writer each (a thread keeps
    /// two, for a message written while another is still held). Give it back with <see cref="GiveBack"/> once its
    /// bytes are no longer read (not <see cref="Dispose"/>: a writer given back is reused).
    /// </summary>
    public static PooledBufferWriter TakeSpare(int initialCapacity = 4096)
    {
        PooledBufferWriter? spare = t_spare;
        if (spare is not null)
        {
            t_spare = null;
        }
        else
        {
            spare = t_secondSpare;
            if (spare is null)
            {
                return new PooledBufferWriter(initialCapacity);
            }

            t_secondSpare = null;
        }

        spare.Ensure(initialCapacity);
        return spare;
    }

    /// <summary>
    /// Hands a writer from <see cref="TakeSpare"/> back as one of this thread's spares, emptied; one whose array grew past
    /// 64 KiB, or one given back on a thread whose two spares are there already, is disposed instead. The caller must not
    /// use it afterwards.
    /// </summary>
    public void GiveBack()
    {
        _written = 0;
        if (_buffer.Length > SpareCapacity)
        {
            Dispose();
        }
        else if (t_spare is null)
        {
            t_spare = this;
        }
        else if (t_secondSpare is null)
        {
            t_secondSpare = this;
        }
        else
        {
            Dispose();
        }
    }

    /// <summary>Returns the array to the pool.</summary>
    public void Dispose()
    {
        byte[] buffer = Interlocked.Exchange(ref _buffer, []);
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        _written = 0;
    }

    private void Ensure(int sizeHint)
    {
        ObjectDisposedException.ThrowIf(_buffer.Length == 0, this);
        int needed = Math.Max(sizeHint, 1);
        if (_buffer.Length - _written >= needed)
        {
            return;
        }

        int size = (int)Math.Min(Array.MaxLength, Math.Max((long)_buffer.Length * 2, (long)_written + needed));
        byte[] larger = ArrayPool<byte>.Shared.Rent(size);
        _buffer.AsSpan(0, _written).CopyTo(larger);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = larger;
    }
}

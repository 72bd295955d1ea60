using System.Numerics;
using Hypha.Protocol.Native;

namespace Hypha.Transport.SharedMemory;

/// <summary>
/// The segments one side of one connection sends from, by size class: a segment's data capacity is a power of two
/// of at least 1 MiB, so a released segment serves any later payload of its class. Segments are reused, not created
/// per message; idle ones beyond <see cref="SharedMemoryOptions.MaxIdleBytes"/> are deleted as they come back, and
/// the pool never holds more than <see cref="SharedMemoryOptions.MaxPoolBytes"/>. Disposing deletes every file.
/// </summary>
internal sealed class SegmentPool : IDisposable
{
    private const int MinCapacity = 1024 * 1024;

    private readonly string _directory;
    private readonly string _prefix;
    private readonly SharedMemoryOptions _options;
    private readonly Dictionary<int, Stack<OwnedSegment>> _idle = [];
    private readonly Lock _gate = new();
    private long _totalBytes;
    private long _idleBytes;
    private int _created;
    private bool _disposed;

    public SegmentPool(string directory, string prefix, SharedMemoryOptions options)
    {
        _directory = directory;
        _prefix = prefix;
        _options = options;
    }

    /// <summary>
    /// A segment of at least <paramref name="length"/> bytes of data, held once by the caller; null when the pool is
    /// full or closed, or the directory refuses a new file (out of space): the caller then sends the bytes inline.
    /// </summary>
    public OwnedSegment? Rent(int length)
    {
        int capacity = (int)Math.Min(BitOperations.RoundUpToPowerOf2((uint)Math.Max(length, MinCapacity)), int.MaxValue);
        long fileSize = SharedMemoryReference.HeaderSize + (long)capacity;
        string name;
        lock (_gate)
        {
            if (_disposed)
            {
                return null;
            }

            while (_idle.TryGetValue(capacity, out Stack<OwnedSegment>? idle) && idle.TryPop(out OwnedSegment? reused))
            {
                _idleBytes -= fileSize;
                if (File.Exists(reused.Path))
                {
                    reused.BeginUse();
                    return reused;
                }

                // Its file was deleted behind our back: a reference to it could not be opened. Forget it.
                _totalBytes -= fileSize;
            }

            if (_totalBytes + fileSize > _options.MaxPoolBytes)
            {
                return null;
            }

            _totalBytes += fileSize;
            name = $"{_prefix}.{++_created}";
        }

        string path = Path.Combine(_directory, name);
        try
        {
            var segment = new OwnedSegment(this, name, path, MappedFile.Create(path, fileSize), capacity);
            segment.File.Populate(SharedMemoryReference.HeaderSize, length);
            segment.BeginUse();
            return segment;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            lock (_gate)
            {
                _totalBytes -= fileSize;
            }

            return null;
        }
    }

    /// <summary>Takes back a segment nobody holds: kept for reuse while idle room allows, else deleted.</summary>
    public void Return(OwnedSegment segment)
    {
        long fileSize = SharedMemoryReference.HeaderSize + (long)segment.Capacity;
        lock (_gate)
        {
            if (!_disposed && _idleBytes + fileSize <= _options.MaxIdleBytes)
            {
                if (!_idle.TryGetValue(segment.Capacity, out Stack<OwnedSegment>? idle))
                {
                    _idle[segment.Capacity] = idle = new Stack<OwnedSegment>();
                }

                idle.Push(segment);
                _idleBytes += fileSize;
                return;
            }

            _totalBytes -= fileSize;
        }

        SharedMemoryFiles.TryDelete(segment.Path);
    }

    /// <summary>Deletes every file of the pool, idle or in use: the connection is over, and its references with it.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _idle.Clear();
            _idleBytes = 0;
        }

        SharedMemoryFiles.DeleteAll(_directory, _prefix);
    }
}

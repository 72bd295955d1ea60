using Hypha.Protocol.Native;

namespace Hypha.Transport.SharedMemory;

/// <summary>
/// The peer's segments this side has mapped, for one connection: each is mapped once, on its first reference, and
/// kept for the references that follow (a sender reuses its segments). What is mapped stays under
/// <see cref="SharedMemoryOptions.MaxMappedBytes"/>: segments no payload is leased from are dropped first, and a
/// reference that would still exceed the limit fails. A segment whose file is gone (its sender deleted it, closed or
/// died) is dropped once no payload is leased from it: an unlinked file's pages live as long as a mapping of them, so
/// kept mappings would hold memory its sender gave back.
/// </summary>
internal sealed class MappedSegments
{
    private readonly string _directory;
    private readonly long _maxBytes;
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private long _mappedBytes;
    private long _uses;

    public MappedSegments(string directory, long maxBytes)
    {
        _directory = directory;
        _maxBytes = maxBytes;
    }

    /// <summary>The mapping that holds <paramref name="reference"/>, checked against the segment's header; counted as in use until <see cref="Done"/>.</summary>
    /// <exception cref="SharedMemoryException">The segment cannot be mapped, is too small, or shows another generation.</exception>
    public MappedFile Open(SharedMemoryReference reference)
    {
        long end = reference.Offset + reference.Length;
        lock (_gate)
        {
            if (!_entries.TryGetValue(reference.Segment, out Entry? entry) || entry.File.Size < end)
            {
                entry = Map(reference, end, entry);
            }

            SegmentHeader.Check(entry.File.Span(0, SharedMemoryReference.HeaderSize), reference);
            entry.Live++;
            entry.LastUse = ++_uses;
            return entry.File;
        }
    }

    /// <summary>A payload leased from <paramref name="segment"/> was released.</summary>
    public void Done(string segment)
    {
        lock (_gate)
        {
            if (_entries.TryGetValue(segment, out Entry? entry))
            {
                entry.Live--;
            }
        }
    }

    /// <summary>The bytes of the peer's segments mapped now.</summary>
    public long MappedBytes
    {
        get
        {
            lock (_gate)
            {
                return _mappedBytes;
            }
        }
    }

    /// <summary>
    /// Drops the mappings no payload is leased from whose segment files are gone. Between new segments, this is what
    /// lets go of those of a sender that left: a provider that short-lived clients sent large payloads to (through
    /// the server, which passes references on) would otherwise keep their memory, up to the mapping limit.
    /// </summary>
    public void DropUnlinked()
    {
        lock (_gate)
        {
            DropUnlinkedLocked();
        }
    }

    /// <summary>Forgets every mapping (the connection ended); each is unmapped once no lease refers to it.</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _entries.Clear();
            _mappedBytes = 0;
        }
    }

    private Entry Map(SharedMemoryReference reference, long end, Entry? stale)
    {
        if (stale is not null)
        {
            // The file is larger than when it was mapped (a name is never reused, so this is a hostile or broken peer):
            // map it again.
            _entries.Remove(reference.Segment);
            _mappedBytes -= stale.File.Size;
        }

        DropUnlinkedLocked();
        MappedFile file = MappedFile.Open(Path.Combine(_directory, reference.Segment), end);
        while (_mappedBytes + file.Size > _maxBytes && EvictIdle())
        {
        }

        if (_mappedBytes + file.Size > _maxBytes)
        {
            throw new SharedMemoryException(
                $"Mapping {reference.Segment} ({file.Size} bytes) would exceed the limit of {_maxBytes} bytes mapped for this connection.");
        }

        var entry = new Entry(file);
        _entries[reference.Segment] = entry;
        _mappedBytes += file.Size;
        return entry;
    }

    // One stat per idle mapping: called when a new segment is mapped and on the connection's heartbeat, not per payload.
    private void DropUnlinkedLocked()
    {
        List<string>? gone = null;
        foreach ((string segment, Entry entry) in _entries)
        {
            if (entry.Live == 0 && !File.Exists(Path.Combine(_directory, segment)))
            {
                (gone ??= []).Add(segment);
            }
        }

        foreach (string segment in gone ?? [])
        {
            _mappedBytes -= _entries[segment].File.Size;
            _entries.Remove(segment);
        }
    }

    private bool EvictIdle()
    {
        KeyValuePair<string, Entry>? oldest = null;
        foreach (KeyValuePair<string, Entry> entry in _entries)
        {
            if (entry.Value.Live == 0 && (oldest is null || entry.Value.LastUse < oldest.Value.Value.LastUse))
            {
                oldest = entry;
            }
        }

        if (oldest is not { } evicted)
        {
            return false;
        }

        _entries.Remove(evicted.Key);
        _mappedBytes -= evicted.Value.File.Size;
        return true;
    }

    private sealed class Entry(MappedFile file)
    {
        public MappedFile File { get; } = file;

        public int Live { get; set; }

        public long LastUse { get; set; }
    }
}

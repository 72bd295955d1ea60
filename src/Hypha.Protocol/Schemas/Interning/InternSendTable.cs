using System.Numerics;
using System.Runtime.CompilerServices;
using System.Text;

namespace Hypha.Protocol.Schemas;

/// <summary>
/// The sending side of one intern table (one direction of one channel of a connection). It decides which values
/// get a slot, and which slot a new value takes: the receiver only follows the definitions it is sent, so the two
/// stay in step whatever policy this side uses. The policy: a value gets a slot the second time it is seen (values
/// seen once, such as session ids, never churn the table), and a full table evicts by CLOCK (second chance), never
/// a slot the current message uses.
/// </summary>
/// <remarks>
/// One message at a time: <see cref="Begin"/>, then <see cref="Plan(string)"/> for each interned field, then the
/// definitions are written. Changes stay provisional until the next <see cref="Begin"/>; <see cref="Abort"/>
/// undoes those of a message that was not sent after all, so the receiver, which never saw it, stays in step.
/// Not thread-safe: the connection encodes one message at a time per table, in the order they go on the wire.
/// </remarks>
public sealed class InternSendTable
{
    private const int SightingSlots = 1024;
    private const int RecentCacheSize = 64;
    private const int MaxPinned = SchemaSet.MaxInternedFields;

    private readonly object?[] _slots = new object?[InternLimits.Capacity];
    private readonly bool[] _referenced = new bool[InternLimits.Capacity];
    private readonly Dictionary<string, int> _texts = new(StringComparer.Ordinal);
    private readonly Dictionary<byte[], int> _raws = new(ByteContentComparer.Instance);
    private readonly Dictionary<byte[], int>.AlternateLookup<ReadOnlySpan<byte>> _rawLookup;

    // Values seen once, waiting for a second sighting, as a direct-mapped table of hashes (with the length and the
    // kind): bounded, allocation-free, and holding no references. Remembering the values themselves kept every
    // session id alive past the next collection, which made a large share of what each gen 0 collection copied.
    // A collision only makes a value wait for one more sighting, or take a slot one sighting early: either way
    // the receiver follows the definitions it is sent.
    private readonly ulong[] _sightings = new ulong[SightingSlots];

    // The same string instances come back message after message (a peer's own address, a service's method paths):
    // a small cache by reference finds their slot without hashing their text.
    private readonly (string? Value, int Slot)[] _recentTexts = new (string?, int)[RecentCacheSize];

    private readonly List<(int Slot, object? Previous)> _changes = [];
    private readonly int[] _pinned = new int[MaxPinned];
    private int _pinnedCount;
    private int _used;
    private int _hand;
    private int _usedAtBegin;
    private int _handAtBegin;

    /// <summary>Creates an empty table.</summary>
    public InternSendTable()
    {
        _rawLookup = _raws.GetAlternateLookup<ReadOnlySpan<byte>>();
    }

    /// <summary>The definitions the current message carries, in order: each a slot and the text or msgpack bytes.</summary>
    internal IReadOnlyList<(int Slot, object? Previous)> Changes => _changes;

    /// <summary>The value now in <paramref name="slot"/>: a string, or the bytes of a msgpack value.</summary>
    internal object? ValueAt(int slot) => _slots[slot];

    /// <summary>Starts a message: the previous message's definitions become final.</summary>
    public void Begin()
    {
        _changes.Clear();
        _pinnedCount = 0;
        _usedAtBegin = _used;
        _handAtBegin = _hand;
    }

    /// <summary>
    /// Decides how a string field travels in the current message: 0 when it goes as a literal, otherwise its slot
    /// plus one (a new slot is also a definition of this message).
    /// </summary>
    public int Plan(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        ref (string? Value, int Slot) recent = ref _recentTexts[RuntimeHelpers.GetHashCode(value) & (RecentCacheSize - 1)];
        if (ReferenceEquals(recent.Value, value) && ReferenceEquals(_slots[recent.Slot], value))
        {
            return Use(recent.Slot);
        }

        if (_texts.TryGetValue(value, out int slot))
        {
            recent = (value, slot);
            return Use(slot);
        }

        if (value.Length > InternLimits.MaxEntryBytes
            || (value.Length * 3 > InternLimits.MaxEntryBytes && Encoding.UTF8.GetByteCount(value) > InternLimits.MaxEntryBytes)
            || !SeenBefore(value))
        {
            return 0;
        }

        slot = Claim(value);
        _texts[value] = slot;
        recent = (value, slot);
        return slot + 1;
    }

    /// <summary>Decides how an any field travels: 0 for a literal, otherwise its slot plus one.</summary>
    public int Plan(ReadOnlySpan<byte> msgPack)
    {
        if (_rawLookup.TryGetValue(msgPack, out int slot))
        {
            return Use(slot);
        }

        if (msgPack.Length > InternLimits.MaxEntryBytes || !SeenBefore(msgPack))
        {
            return 0;
        }

        byte[] value = msgPack.ToArray();
        slot = Claim(value);
        _raws[value] = slot;
        return slot + 1;
    }

    /// <summary>Undoes the current message's definitions: it was not sent, so the receiver never saw them.</summary>
    public void Abort()
    {
        for (int i = _changes.Count - 1; i >= 0; i--)
        {
            (int slot, object? previous) = _changes[i];
            Forget(_slots[slot]);
            _slots[slot] = previous;
            Remember(previous, slot);
        }

        _changes.Clear();
        _used = _usedAtBegin;
        _hand = _handAtBegin;
        _pinnedCount = 0;
    }

    private int Use(int slot)
    {
        _referenced[slot] = true;
        Pin(slot);
        return slot + 1;
    }

    private int Claim(object value)
    {
        int slot = _used < InternLimits.Capacity ? _used++ : Victim();
        object? previous = _slots[slot];
        Forget(previous);
        _slots[slot] = value;
        _referenced[slot] = false;
        _changes.Add((slot, previous));
        Pin(slot);
        return slot;
    }

    // CLOCK: a slot used since the hand last passed gets a second chance; slots of the current message are skipped.
    private int Victim()
    {
        while (true)
        {
            int slot = _hand;
            _hand = (_hand + 1) % InternLimits.Capacity;
            if (IsPinned(slot))
            {
                continue;
            }

            if (_referenced[slot])
            {
                _referenced[slot] = false;
                continue;
            }

            return slot;
        }
    }

    private void Pin(int slot)
    {
        if (_pinnedCount < _pinned.Length)
        {
            _pinned[_pinnedCount++] = slot;
        }
    }

    private bool IsPinned(int slot) => Array.IndexOf(_pinned, slot, 0, _pinnedCount) >= 0;

    private void Forget(object? value)
    {
        switch (value)
        {
            case string text:
                _texts.Remove(text);
                break;
            case byte[] raw:
                _raws.Remove(raw);
                break;
        }
    }

    private void Remember(object? value, int slot)
    {
        switch (value)
        {
            case string text:
                _texts[text] = slot;
                break;
            case byte[] raw:
                _raws[raw] = slot;
                break;
        }
    }

    private bool SeenBefore(string value) => Sighted(StableHash(value.AsSpan()), value.Length, raw: false);

    private bool SeenBefore(ReadOnlySpan<byte> value) => Sighted(StableHash(value), value.Length, raw: true);

    // FNV-1a with a final mix, the same in every process. Which values wait for a second sighting decides the bytes a
    // message is encoded into; with string.GetHashCode, seeded per process, two values of one message met in the
    // same place of the sightings table in about one process in seventy, and the same messages were encoded
    // differently from run to run. A peer that picks colliding values gains nothing: a collision only makes a value
    // wait for one more sighting, or take a slot one early.
    // A string's UTF-16 code units or a value's bytes, each taken whole (a char is not split into bytes).
    private static uint StableHash<T>(ReadOnlySpan<T> units)
        where T : unmanaged, IBinaryInteger<T>
    {
        uint hash = 2166136261;
        foreach (T unit in units)
        {
            hash = (hash ^ uint.CreateTruncating(unit)) * 16777619;
        }

        return Mix(hash);
    }

    // Spreads every input bit over the low bits that pick the place in the table.
    private static uint Mix(uint hash)
    {
        hash ^= hash >> 16;
        hash *= 0x85ebca6b;
        hash ^= hash >> 13;
        hash *= 0xc2b2ae35;
        return hash ^ (hash >> 16);
    }

    // True when the same hash, length and kind were the last sighting in their slot; otherwise records this one.
    // Bit 31 marks a used slot (lengths stay far below it: entries are at most InternLimits.MaxEntryBytes).
    private bool Sighted(uint hash, int length, bool raw)
    {
        ulong key = ((ulong)hash << 32) | 0x8000_0000UL | ((ulong)(uint)length << 1) | (raw ? 1UL : 0UL);
        ref ulong slot = ref _sightings[hash & (SightingSlots - 1)];
        if (slot == key)
        {
            return true;
        }

        slot = key;
        return false;
    }
}

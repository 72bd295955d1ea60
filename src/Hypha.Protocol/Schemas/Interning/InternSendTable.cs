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
    private const int CandidateCapacity = 256;
    private const int MaxPinned = SchemaSet.MaxInternedFields;

    private readonly object?[] _slots = new object?[InternLimits.Capacity];
    private readonly bool[] _recent = new bool[InternLimits.Capacity];
    private readonly Dictionary<string, int> _texts = new(StringComparer.Ordinal);
    private readonly Dictionary<byte[], int> _raws = new(ByteContentComparer.Instance);
    private readonly Dictionary<byte[], int>.AlternateLookup<ReadOnlySpan<byte>> _rawLookup;

    // Values seen once, waiting for a second sighting: a ring, so the set stays bounded.
    private readonly HashSet<string> _candidateTexts = new(StringComparer.Ordinal);
    private readonly HashSet<byte[]> _candidateRaws = new(ByteContentComparer.Instance);
    private readonly HashSet<byte[]>.AlternateLookup<ReadOnlySpan<byte>> _candidateRawLookup;
    private readonly object?[] _candidateRing = new object?[CandidateCapacity];
    private int _candidateNext;

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
        _candidateRawLookup = _candidateRaws.GetAlternateLookup<ReadOnlySpan<byte>>();
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
        if (_texts.TryGetValue(value, out int slot))
        {
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
        _recent[slot] = true;
        Pin(slot);
        return slot + 1;
    }

    private int Claim(object value)
    {
        int slot = _used < InternLimits.Capacity ? _used++ : Victim();
        object? previous = _slots[slot];
        Forget(previous);
        _slots[slot] = value;
        _recent[slot] = false;
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

            if (_recent[slot])
            {
                _recent[slot] = false;
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

    private bool SeenBefore(string value)
    {
        if (_candidateTexts.Contains(value))
        {
            return true;
        }

        AddCandidate(value);
        return false;
    }

    private bool SeenBefore(ReadOnlySpan<byte> value)
    {
        if (_candidateRawLookup.Contains(value))
        {
            return true;
        }

        AddCandidate(value.ToArray());
        return false;
    }

    private void AddCandidate(object value)
    {
        switch (_candidateRing[_candidateNext])
        {
            case string text:
                _candidateTexts.Remove(text);
                break;
            case byte[] raw:
                _candidateRaws.Remove(raw);
                break;
        }

        _candidateRing[_candidateNext] = value;
        _candidateNext = (_candidateNext + 1) % CandidateCapacity;
        if (value is string added)
        {
            _candidateTexts.Add(added);
        }
        else
        {
            _candidateRaws.Add((byte[])value);
        }
    }
}

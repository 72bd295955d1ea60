using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace Hypha.Protocol.MsgPack;

/// <summary>
/// A msgpack map that keeps its entries in order (so a decoded map re-encodes to the same bytes). Keys may be any
/// value, as msgpack allows; hypha only uses string keys, which have their own fast lookups. When a key appears
/// twice, lookups see the last entry, as Python's and JavaScript's decoders do.
/// </summary>
public sealed class MsgPackMap : IReadOnlyList<KeyValuePair<MsgPackValue, MsgPackValue>>, IEquatable<MsgPackMap>
{
    // Linear search beats hashing for the handful of keys a hypha message has; larger maps build an index.
    private const int IndexThreshold = 16;

    private readonly List<KeyValuePair<MsgPackValue, MsgPackValue>> _entries;
    private Dictionary<string, int>? _index;

    /// <summary>Creates an empty map.</summary>
    public MsgPackMap()
    {
        _entries = [];
    }

    /// <summary>Creates an empty map with room for <paramref name="capacity"/> entries.</summary>
    public MsgPackMap(int capacity)
    {
        _entries = new List<KeyValuePair<MsgPackValue, MsgPackValue>>(capacity);
    }

    /// <summary>The number of entries.</summary>
    public int Count => _entries.Count;

    /// <summary>The entry at <paramref name="index"/>, in order.</summary>
    public KeyValuePair<MsgPackValue, MsgPackValue> this[int index] => _entries[index];

    /// <summary>Gets the value of a string key (nil when absent), or sets it (replacing in place, or appending).</summary>
    public MsgPackValue this[string key]
    {
        get => TryGetValue(key, out MsgPackValue value) ? value : default;
        set => Set(key, value);
    }

    /// <summary>Appends an entry, even if the key is already present (decoders keep what the peer sent).</summary>
    public void Add(MsgPackValue key, MsgPackValue value)
    {
        _entries.Add(new(key, value));
        if (_index is not null && key.TryGetString(out string? name))
        {
            _index[name] = _entries.Count - 1;
        }
    }

    /// <summary>Appends an entry with a string key.</summary>
    public void Add(string key, MsgPackValue value) => Add((MsgPackValue)key, value);

    /// <summary>Sets the value of a string key: replaces the entry in place, or appends a new one.</summary>
    public void Set(string key, MsgPackValue value)
    {
        int i = IndexOf(key);
        if (i >= 0)
        {
            _entries[i] = new(_entries[i].Key, value);
        }
        else
        {
            Add(key, value);
        }
    }

    /// <summary>Removes every entry with this string key; tells whether there was one.</summary>
    public bool Remove(string key)
    {
        int removed = _entries.RemoveAll(e => e.Key.TryGetString(out string? name) && name == key);
        if (removed > 0)
        {
            _index = null;
        }

        return removed > 0;
    }

    /// <summary>Tells whether a string key is present.</summary>
    public bool ContainsKey(string key) => IndexOf(key) >= 0;

    /// <summary>Gets the value of a string key.</summary>
    public bool TryGetValue(string key, out MsgPackValue value)
    {
        int i = IndexOf(key);
        value = i >= 0 ? _entries[i].Value : default;
        return i >= 0;
    }

    /// <summary>Gets the value of a string key if it is text.</summary>
    public bool TryGetString(string key, [NotNullWhen(true)] out string? value)
    {
        value = null;
        return TryGetValue(key, out MsgPackValue entry) && entry.TryGetString(out value);
    }

    /// <summary>A shallow copy: the same values in a new map, so that entries can be changed independently.</summary>
    public MsgPackMap Clone()
    {
        var copy = new MsgPackMap(_entries.Count);
        copy._entries.AddRange(_entries);
        return copy;
    }

    /// <inheritdoc />
    public List<KeyValuePair<MsgPackValue, MsgPackValue>>.Enumerator GetEnumerator() => _entries.GetEnumerator();

    IEnumerator<KeyValuePair<MsgPackValue, MsgPackValue>> IEnumerable<KeyValuePair<MsgPackValue, MsgPackValue>>.GetEnumerator() =>
        _entries.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => _entries.GetEnumerator();

    /// <summary>Deep, order-sensitive equality.</summary>
    public bool Equals(MsgPackMap? other)
    {
        if (other is null || other.Count != Count)
        {
            return false;
        }

        for (int i = 0; i < _entries.Count; i++)
        {
            if (!_entries[i].Key.Equals(other._entries[i].Key) || !_entries[i].Value.Equals(other._entries[i].Value))
            {
                return false;
            }
        }

        return true;
    }

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is MsgPackMap other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => Count;

    /// <inheritdoc />
    public override string ToString() => ((MsgPackValue)this).ToString();

    private int IndexOf(string key)
    {
        if (_entries.Count > IndexThreshold)
        {
            _index ??= BuildIndex();
            return _index.TryGetValue(key, out int found) ? found : -1;
        }

        for (int i = _entries.Count - 1; i >= 0; i--)
        {
            if (_entries[i].Key.TryGetString(out string? name) && name == key)
            {
                return i;
            }
        }

        return -1;
    }

    private Dictionary<string, int> BuildIndex()
    {
        var index = new Dictionary<string, int>(_entries.Count, StringComparer.Ordinal);
        for (int i = 0; i < _entries.Count; i++)
        {
            if (_entries[i].Key.TryGetString(out string? name))
            {
                index[name] = i;
            }
        }

        return index;
    }
}

using Hypha.Protocol.Messages;
using Hypha.Protocol.MsgPack;

namespace Hypha.Protocol.Objects;

/// <summary>
/// <c>{_rtype:"orderedmap", _rvalue:[...]}</c>: a JavaScript Map, sent as an array of <c>[key, value]</c> pairs.
/// Python's OrderedDict is sent as its keys only (a known bug of that client): such a value is accepted, and
/// <see cref="IsKeysOnly"/> tells it apart.
/// </summary>
public sealed class OrderedMap : HyphaObject
{
    /// <summary>The <c>_rtype</c> value.</summary>
    public const string TypeName = "orderedmap";

    private OrderedMap(MsgPackMap map)
        : base(map)
    {
        Items = MapFields.RequireArray(map, HyphaKeys.RValue, TypeName);
        IsKeysOnly = Items.Length > 0 && !Array.TrueForAll(Items, item => item.TryGetArray(out MsgPackValue[]? pair) && pair.Length == 2);
    }

    /// <summary><c>_rvalue</c> as sent.</summary>
    public MsgPackValue[] Items { get; }

    /// <summary>True when <c>_rvalue</c> holds bare keys rather than pairs (what Python's OrderedDict sends).</summary>
    public bool IsKeysOnly { get; }

    /// <summary>The entries in order; for a keys-only value, each key with a nil value.</summary>
    public IEnumerable<KeyValuePair<MsgPackValue, MsgPackValue>> Entries =>
        IsKeysOnly
            ? Items.Select(key => new KeyValuePair<MsgPackValue, MsgPackValue>(key, default))
            : Items.Select(item => new KeyValuePair<MsgPackValue, MsgPackValue>(item.AsArray()[0], item.AsArray()[1]));

    /// <summary>Builds an ordered map from entries, as JavaScript sends a Map.</summary>
    public static OrderedMap Create(IEnumerable<KeyValuePair<MsgPackValue, MsgPackValue>> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        MsgPackValue[] pairs = entries.Select(e => MsgPackValue.Array(e.Key, e.Value)).ToArray();
        MsgPackMap map = Start(TypeName, 2);
        map.Add(HyphaKeys.RValue, pairs);
        return new OrderedMap(map);
    }

    /// <summary>Reads an ordered map.</summary>
    public static OrderedMap FromMap(MsgPackMap map)
    {
        Expect(map, TypeName);
        return new OrderedMap(map);
    }
}

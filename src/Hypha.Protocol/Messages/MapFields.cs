using Hypha.Protocol.MsgPack;

namespace Hypha.Protocol.Messages;

/// <summary>Typed reads of hypha map fields that fail with a <see cref="HyphaProtocolException"/> naming the field.</summary>
internal static class MapFields
{
    public static string RequireString(MsgPackMap map, string key, string owner) =>
        OptionalString(map, key, owner) ?? throw new HyphaProtocolException($"{owner}: the required field '{key}' is missing.");

    public static string? OptionalString(MsgPackMap map, string key, string owner)
    {
        if (!map.TryGetValue(key, out MsgPackValue value) || value.IsNil)
        {
            return null;
        }

        return value.TryGetString(out string? text)
            ? text
            : throw new HyphaProtocolException($"{owner}: the field '{key}' must be a string but is {value.Kind}.");
    }

    public static MsgPackMap? OptionalMap(MsgPackMap map, string key, string owner)
    {
        if (!map.TryGetValue(key, out MsgPackValue value) || value.IsNil)
        {
            return null;
        }

        return value.TryGetMap(out MsgPackMap? inner)
            ? inner
            : throw new HyphaProtocolException($"{owner}: the field '{key}' must be a map but is {value.Kind}.");
    }

    public static MsgPackValue[] RequireArray(MsgPackMap map, string key, string owner)
    {
        MsgPackValue value = map[key];
        return value.TryGetArray(out MsgPackValue[]? items)
            ? items
            : throw new HyphaProtocolException($"{owner}: the field '{key}' must be an array but is {value.Kind}.");
    }

    public static ReadOnlyMemory<byte> RequireBinary(MsgPackMap map, string key, string owner)
    {
        MsgPackValue value = map[key];
        return value.IsBinary
            ? value.AsBinary()
            : throw new HyphaProtocolException($"{owner}: the field '{key}' must be binary data but is {value.Kind}.");
    }

    public static double? OptionalNumber(MsgPackMap map, string key, string owner) =>
        map.TryGetValue(key, out MsgPackValue value) ? Number(value, key, owner) : null;

    /// <summary>A field's value as a number, or null when it is nil.</summary>
    /// <exception cref="HyphaProtocolException">The value is neither nil nor a number.</exception>
    public static double? Number(MsgPackValue value, string key, string owner)
    {
        if (value.IsNil)
        {
            return null;
        }

        return value.TryGetDouble(out double number)
            ? number
            : throw new HyphaProtocolException($"{owner}: the field '{key}' must be a number but is {value.Kind}.");
    }

    /// <summary>A number as peers write it: whole numbers as integers (as JavaScript does), others as float 64.</summary>
    public static MsgPackValue Number(double value) =>
        Math.Floor(value) == value && Math.Abs(value) < 9.007199254740992E15 ? (MsgPackValue)(long)value : (MsgPackValue)value;
}

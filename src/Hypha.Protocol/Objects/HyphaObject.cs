using Hypha.Protocol.Messages;
using Hypha.Protocol.MsgPack;

namespace Hypha.Protocol.Objects;

/// <summary>
/// An object encoded with the <c>_rtype</c> discriminator. Each subclass is a typed view over the map it was
/// decoded from (or built by its <c>Create</c> method, in the key order the hypha-rpc clients use). Keeping the map
/// means a decoded object re-encodes to exactly the bytes it came from, unknown keys included.
/// </summary>
public abstract class HyphaObject
{
    private protected HyphaObject(MsgPackMap map)
    {
        Map = map;
    }

    /// <summary>The encoded form.</summary>
    public MsgPackMap Map { get; }

    /// <summary>The <c>_rtype</c> discriminator.</summary>
    public string RType => Map[HyphaKeys.RType].AsString();

    /// <summary>The encoded form as a value.</summary>
    public static implicit operator MsgPackValue(HyphaObject? value) => value?.Map;

    /// <summary>
    /// Decodes a value that may be an encoded object. Returns the typed view for a known <c>_rtype</c>, and null
    /// for anything else: plain values, maps without <c>_rtype</c>, and unknown <c>_rtype</c> maps, which callers
    /// keep as plain maps.
    /// </summary>
    /// <exception cref="HyphaProtocolException">A known <c>_rtype</c> lacks a required field or has a wrong type.</exception>
    public static HyphaObject? Decode(MsgPackValue value)
    {
        if (!value.TryGetMap(out MsgPackMap? map) || !map[HyphaKeys.RType].TryGetString(out string? rtype))
        {
            return null;
        }

        return rtype switch
        {
            RemoteMethod.TypeName => RemoteMethod.FromMap(map),
            RemoteError.TypeName => RemoteError.FromMap(map),
            NdArray.TypeName => NdArray.FromMap(map),
            TypedArray.TypeName => TypedArray.FromMap(map),
            MemoryView.TypeName => MemoryView.FromMap(map),
            RemoteSet.TypeName => RemoteSet.FromMap(map),
            OrderedMap.TypeName => OrderedMap.FromMap(map),
            RemoteGenerator.TypeName => RemoteGenerator.FromMap(map),
            StopIteration.TypeName => StopIteration.FromMap(map),
            IoStream.TypeName => IoStream.FromMap(map),
            _ => null,
        };
    }

    /// <inheritdoc />
    public override string ToString() => Map.ToString();

    private protected static MsgPackMap Start(string rtype, int capacity)
    {
        var map = new MsgPackMap(capacity) { { HyphaKeys.RType, rtype } };
        return map;
    }

    private protected static void Expect(MsgPackMap map, string rtype)
    {
        ArgumentNullException.ThrowIfNull(map);
        if (!map[HyphaKeys.RType].TryGetString(out string? actual) || actual != rtype)
        {
            throw new HyphaProtocolException($"Expected an object with _rtype \"{rtype}\" but found {map[HyphaKeys.RType]}.");
        }
    }
}

using Hypha.Protocol.Messages;
using Hypha.Protocol.MsgPack;

namespace Hypha.Protocol.Objects;

/// <summary>
/// <c>{_rtype:"iostream", _rnative, ...props, ...methods}</c>: a file object or Blob. Properties (name, size, type,
/// path...) are plain values; operations (read, seek...) are <see cref="RemoteMethod"/> descriptors.
/// </summary>
public sealed class IoStream : HyphaObject
{
    /// <summary>The <c>_rtype</c> value.</summary>
    public const string TypeName = "iostream";

    private IoStream(MsgPackMap map)
        : base(map)
    {
        Native = MapFields.OptionalString(map, HyphaKeys.RNative, TypeName);
    }

    /// <summary><c>_rnative</c>: <c>js:blob</c> or <c>py:&lt;class&gt;</c>.</summary>
    public string? Native { get; }

    /// <summary>A property of the stream (nil when absent).</summary>
    public MsgPackValue this[string name] => Map[name];

    /// <summary>The stream's operations, by name.</summary>
    public IEnumerable<KeyValuePair<string, RemoteMethod>> Methods
    {
        get
        {
            foreach (KeyValuePair<MsgPackValue, MsgPackValue> entry in Map)
            {
                if (entry.Key.TryGetString(out string? name) && Decode(entry.Value) is RemoteMethod method)
                {
                    yield return new(name, method);
                }
            }
        }
    }

    /// <summary>Builds a stream from its native kind, properties and operations.</summary>
    public static IoStream Create(string native, MsgPackMap properties)
    {
        ArgumentException.ThrowIfNullOrEmpty(native);
        ArgumentNullException.ThrowIfNull(properties);
        MsgPackMap map = Start(TypeName, properties.Count + 2);
        map.Add(HyphaKeys.RNative, native);
        foreach (KeyValuePair<MsgPackValue, MsgPackValue> entry in properties)
        {
            map.Add(entry.Key, entry.Value);
        }

        return new IoStream(map);
    }

    /// <summary>Reads a stream.</summary>
    public static IoStream FromMap(MsgPackMap map)
    {
        Expect(map, TypeName);
        return new IoStream(map);
    }
}

using Hypha.Protocol.Messages;
using Hypha.Protocol.MsgPack;

namespace Hypha.Protocol.Objects;

/// <summary><c>{_rtype:"set", _rvalue:[...]}</c>: a Python set or JavaScript Set.</summary>
public sealed class RemoteSet : HyphaObject
{
    /// <summary>The <c>_rtype</c> value.</summary>
    public const string TypeName = "set";

    private RemoteSet(MsgPackMap map)
        : base(map)
    {
        Items = MapFields.RequireArray(map, HyphaKeys.RValue, TypeName);
    }

    /// <summary><c>_rvalue</c>: the members, encoded.</summary>
    public MsgPackValue[] Items { get; }

    /// <summary>Builds a set.</summary>
    public static RemoteSet Create(params MsgPackValue[] items)
    {
        ArgumentNullException.ThrowIfNull(items);
        MsgPackMap map = Start(TypeName, 2);
        map.Add(HyphaKeys.RValue, items);
        return new RemoteSet(map);
    }

    /// <summary>Reads a set.</summary>
    public static RemoteSet FromMap(MsgPackMap map)
    {
        Expect(map, TypeName);
        return new RemoteSet(map);
    }
}

using Hypha.Protocol.Messages;
using Hypha.Protocol.MsgPack;

namespace Hypha.Protocol.Objects;

/// <summary><c>{_rtype:"memoryview", _rvalue:&lt;bin&gt;}</c>: a Python memoryview or a JavaScript ArrayBuffer.</summary>
public sealed class MemoryView : HyphaObject
{
    /// <summary>The <c>_rtype</c> value.</summary>
    public const string TypeName = "memoryview";

    private MemoryView(MsgPackMap map)
        : base(map)
    {
        Data = MapFields.RequireBinary(map, HyphaKeys.RValue, TypeName);
    }

    /// <summary><c>_rvalue</c>: the bytes.</summary>
    public ReadOnlyMemory<byte> Data { get; }

    /// <summary>Builds a memory view.</summary>
    public static MemoryView Create(ReadOnlyMemory<byte> data)
    {
        MsgPackMap map = Start(TypeName, 2);
        map.Add(HyphaKeys.RValue, data);
        return new MemoryView(map);
    }

    /// <summary>Reads a memory view.</summary>
    public static MemoryView FromMap(MsgPackMap map)
    {
        Expect(map, TypeName);
        return new MemoryView(map);
    }
}

using Hypha.Protocol.MsgPack;

namespace Hypha.Protocol.Objects;

/// <summary><c>{_rtype:"stop_iteration"}</c>: the value a generator's next-item call returns at the end.</summary>
public sealed class StopIteration : HyphaObject
{
    /// <summary>The <c>_rtype</c> value.</summary>
    public const string TypeName = "stop_iteration";

    private StopIteration(MsgPackMap map)
        : base(map)
    {
    }

    /// <summary>Builds the end marker.</summary>
    public static StopIteration Create() => new(Start(TypeName, 1));

    /// <summary>Reads the end marker.</summary>
    public static StopIteration FromMap(MsgPackMap map)
    {
        Expect(map, TypeName);
        return new StopIteration(map);
    }
}

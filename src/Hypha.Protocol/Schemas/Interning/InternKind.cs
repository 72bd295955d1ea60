namespace Hypha.Protocol.Schemas;

/// <summary>What an intern slot holds: its bit in a definition's slot number.</summary>
public enum InternKind
{
    /// <summary>UTF-8 text, for string fields.</summary>
    Text = 0,

    /// <summary>One encoded msgpack value, for any fields.</summary>
    MsgPack = 1,
}

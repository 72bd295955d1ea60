namespace Hypha.Protocol.Native;

/// <summary>How an application message on a native connection is encoded (the FORMAT flag, docs/wire-format.md §3.2).</summary>
public enum MessageFormat : byte
{
    /// <summary>msgpack: a hypha frame, the form every peer understands.</summary>
    MsgPack = 0,

    /// <summary>The schema-compiled binary form, for a schema both sides agreed on at Hello.</summary>
    Schema = 1,
}

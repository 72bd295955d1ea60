using Hypha.Protocol.MsgPack;

namespace Hypha.Protocol.Native;

/// <summary>
/// The <c>shm</c> field of Hello and HelloAck (docs/wire-format.md §6.1, §9): where this side keeps its shared-memory
/// segments, as which user, the names its segments on this connection start with, and the most it accepts by
/// reference in one message. The client adds a probe: a file in <see cref="Directory"/> holding <see cref="Nonce"/>,
/// which the server reads to prove that it sees the same files.
/// </summary>
/// <param name="Directory">The absolute directory of the segment files (<c>/dev/shm</c> by default).</param>
/// <param name="Uid">The user the process runs as: files are created owner-only, so both sides must be the same user.</param>
/// <param name="Prefix">Every segment file this side creates for the connection is named <c>&lt;Prefix&gt;.&lt;n&gt;</c>.</param>
/// <param name="MaxMessage">The most bytes this side accepts by reference in one message, all references added up.</param>
/// <param name="Probe">The client's probe file in <see cref="Directory"/> (Hello only), or null.</param>
/// <param name="Nonce">The text the probe file holds (Hello only), or null.</param>
public sealed record SharedMemoryOffer(string Directory, long Uid, string Prefix, long MaxMessage, string? Probe = null, string? Nonce = null)
{
    /// <summary>True when shared memory can work between this offer and <paramref name="other"/>: same directory and user.</summary>
    public bool IsCompatible(SharedMemoryOffer other) =>
        other is not null && other.Directory == Directory && other.Uid == Uid;

    /// <summary>The offer as the msgpack map of the <c>shm</c> field.</summary>
    public MsgPackMap ToMap()
    {
        var map = new MsgPackMap(6) { { "dir", Directory }, { "uid", Uid }, { "prefix", Prefix }, { "max_message", MaxMessage } };
        if (Probe is not null)
        {
            map.Add("probe", Probe);
            map.Add("nonce", Nonce);
        }

        return map;
    }

    /// <summary>Reads a <c>shm</c> field: null for nil; an offer whose names break the rules is a protocol error.</summary>
    /// <exception cref="NativeProtocolException">The map lacks a field, or a name is not a plain file name.</exception>
    public static SharedMemoryOffer? Read(MsgPackValue value, ControlType type)
    {
        if (value.IsNil)
        {
            return null;
        }

        if (!value.TryGetMap(out MsgPackMap? map))
        {
            throw new NativeProtocolException(NativeErrorCode.ProtocolError, $"{type} 'shm' must be a map or nil");
        }

        var view = new ControlMessage(type, map);
        string directory = view.ReadText("dir");
        string prefix = view.ReadText("prefix");
        string? probe = map.TryGetString("probe", out string? p) ? p : null;
        if (!directory.StartsWith('/') || !SharedMemoryReference.IsSegmentName(prefix) || (probe is not null && !SharedMemoryReference.IsSegmentName(probe)))
        {
            throw new NativeProtocolException(NativeErrorCode.ProtocolError, $"{type} 'shm' names an invalid directory, prefix or probe");
        }

        return new SharedMemoryOffer(
            directory,
            view.ReadInt("uid", 0, uint.MaxValue),
            prefix,
            view.ReadInt("max_message", 0, long.MaxValue),
            probe,
            map.TryGetString("nonce", out string? nonce) ? nonce : null);
    }
}

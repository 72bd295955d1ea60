using System.Buffers;
using System.Buffers.Binary;
using Hypha.Protocol.MsgPack;

namespace Hypha.Protocol.Messages;

/// <summary>
/// Large binary values taken out of a hypha frame so that they can travel apart from it, by reference in shared
/// memory (docs/wire-format.md §9.3). The frame that stays (the <em>head</em>) holds a placeholder where each value
/// was: a msgpack ext of type <see cref="PlaceholderType"/> whose 4 data bytes are the value's index, big-endian.
/// Replacing every placeholder with a bin of its value gives back the original frame (<c>Splice</c>).
/// </summary>
public static class FrameAttachments
{
    /// <summary>The ext type of a placeholder (ASCII 'H').</summary>
    public const sbyte PlaceholderType = 0x48;

    /// <summary>
    /// Replaces, in <paramref name="value"/> (a call's arguments, or a frame's <c>extra</c>), every binary value longer
    /// than <paramref name="threshold"/> with a placeholder, and collects the values in order. False (and nothing taken)
    /// when no value is that long, or when the value already holds an ext of the placeholder's type, which would make
    /// the head ambiguous.
    /// </summary>
    public static bool TryLift(MsgPackValue value, int threshold, out MsgPackValue head, out IReadOnlyList<ReadOnlyMemory<byte>> attachments)
    {
        List<ReadOnlyMemory<byte>>? lifted = null;
        bool clash = false;
        head = Lift(value, threshold, ref lifted, ref clash);
        if (clash || lifted is null)
        {
            attachments = [];
            head = value;
            return false;
        }

        attachments = lifted;
        return true;
    }

    /// <summary>
    /// Replaces every placeholder in a decoded <paramref name="value"/> with its attachment as a binary value (kept by
    /// reference, not copied). Each attachment must be named exactly once.
    /// </summary>
    /// <exception cref="HyphaProtocolException">A placeholder names no attachment, or names one twice, or one is never named.</exception>
    public static MsgPackValue Resolve(MsgPackValue value, IReadOnlyList<ReadOnlyMemory<byte>> attachments)
    {
        ArgumentNullException.ThrowIfNull(attachments);
        bool[] used = new bool[attachments.Count];
        MsgPackValue resolved = Resolve(value, attachments, used);
        return Array.IndexOf(used, false) is var missing and >= 0
            ? throw new HyphaProtocolException($"Attachment {missing} of {attachments.Count} has no placeholder in the message.")
            : resolved;
    }

    /// <summary>Writes the whole frame a head and its attachments stand for: every placeholder becomes a bin of its attachment.</summary>
    /// <exception cref="MsgPackException">The head is not msgpack.</exception>
    /// <exception cref="HyphaProtocolException">A placeholder names no attachment.</exception>
    public static void Splice(ReadOnlyMemory<byte> head, IReadOnlyList<ReadOnlyMemory<byte>> attachments, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(attachments);
        var reader = new MsgPackReader(head);
        var writer = new MsgPackWriter(output);
        while (!reader.End)
        {
            Copy(ref reader, ref writer, attachments);
        }

        writer.Flush();
    }

    /// <summary>The frame a head and its attachments stand for, in a new array.</summary>
    public static byte[] Splice(ReadOnlyMemory<byte> head, IReadOnlyList<ReadOnlyMemory<byte>> attachments)
    {
        ArgumentNullException.ThrowIfNull(attachments);
        var output = new ArrayBufferWriter<byte>(head.Length + attachments.Sum(a => a.Length + 5));
        Splice(head, attachments, output);
        return output.WrittenSpan.ToArray();
    }

    private static MsgPackValue Placeholder(int index)
    {
        byte[] data = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(data, index);
        return MsgPackValue.Extension(PlaceholderType, data);
    }

    private static bool TryReadPlaceholder(ReadOnlySpan<byte> data, int count, out int index)
    {
        index = data.Length == 4 ? BinaryPrimitives.ReadInt32BigEndian(data) : -1;
        return index >= 0 && index < count;
    }

    // The list is created on the first value lifted: most frames (every small call's) have none.
    private static MsgPackValue Lift(MsgPackValue value, int threshold, ref List<ReadOnlyMemory<byte>>? attachments, ref bool clash)
    {
        switch (value.Kind)
        {
            case MsgPackValueKind.Binary when value.AsBinary().Length > threshold:
                (attachments ??= []).Add(value.AsBinary());
                return Placeholder(attachments.Count - 1);
            case MsgPackValueKind.Extension when value.AsExtension().TypeCode == PlaceholderType:
                clash = true;
                return value;
            case MsgPackValueKind.Array:
                MsgPackValue[] items = value.AsArray();
                MsgPackValue[]? copy = null;
                for (int i = 0; i < items.Length; i++)
                {
                    MsgPackValue item = Lift(items[i], threshold, ref attachments, ref clash);
                    if (copy is null && !Same(item, items[i]))
                    {
                        copy = (MsgPackValue[])items.Clone();
                    }

                    if (copy is not null)
                    {
                        copy[i] = item;
                    }
                }

                return copy ?? value;
            case MsgPackValueKind.Map:
                MsgPackMap map = value.AsMap();
                MsgPackMap? changed = null;
                for (int i = 0; i < map.Count; i++)
                {
                    MsgPackValue entry = Lift(map[i].Value, threshold, ref attachments, ref clash);
                    if (changed is null && !Same(entry, map[i].Value))
                    {
                        changed = new MsgPackMap(map.Count);
                        for (int j = 0; j < i; j++)
                        {
                            changed.Add(map[j].Key, map[j].Value);
                        }
                    }

                    changed?.Add(map[i].Key, entry);
                }

                return changed ?? value;
            default:
                return value;
        }
    }

    // Lift returns the very value it was given when nothing below it changed.
    private static bool Same(MsgPackValue a, MsgPackValue b) => a.Kind == b.Kind && (a.Kind switch
    {
        MsgPackValueKind.Array => ReferenceEquals(a.AsArray(), b.AsArray()),
        MsgPackValueKind.Map => ReferenceEquals(a.AsMap(), b.AsMap()),
        MsgPackValueKind.Binary => a.AsBinary().Equals(b.AsBinary()),
        _ => true,
    });

    private static MsgPackValue Resolve(MsgPackValue value, IReadOnlyList<ReadOnlyMemory<byte>> attachments, bool[] used)
    {
        switch (value.Kind)
        {
            case MsgPackValueKind.Extension when value.AsExtension().TypeCode == PlaceholderType:
                if (!TryReadPlaceholder(value.AsExtension().Data.Span, attachments.Count, out int index) || used[index])
                {
                    throw new HyphaProtocolException($"A placeholder names no attachment, or one already named (of {attachments.Count}).");
                }

                used[index] = true;
                return attachments[index];
            case MsgPackValueKind.Array:
                MsgPackValue[] items = value.AsArray();
                var resolvedItems = new MsgPackValue[items.Length];
                for (int i = 0; i < items.Length; i++)
                {
                    resolvedItems[i] = Resolve(items[i], attachments, used);
                }

                return resolvedItems;
            case MsgPackValueKind.Map:
                MsgPackMap map = value.AsMap();
                var resolvedMap = new MsgPackMap(map.Count);
                foreach (KeyValuePair<MsgPackValue, MsgPackValue> entry in map)
                {
                    resolvedMap.Add(entry.Key, Resolve(entry.Value, attachments, used));
                }

                return resolvedMap;
            default:
                return value;
        }
    }

    private static void Copy(ref MsgPackReader reader, ref MsgPackWriter writer, IReadOnlyList<ReadOnlyMemory<byte>> attachments)
    {
        switch (reader.NextType)
        {
            case MsgPackType.Map:
            case MsgPackType.Array:
                bool isMap = reader.NextType == MsgPackType.Map;
                reader.EnterNested();
                int count = isMap ? reader.ReadMapHeader() : reader.ReadArrayHeader();
                if (isMap)
                {
                    writer.WriteMapHeader(count);
                }
                else
                {
                    writer.WriteArrayHeader(count);
                }

                for (int i = 0; i < (isMap ? 2 * count : count); i++)
                {
                    Copy(ref reader, ref writer, attachments);
                }

                reader.LeaveNested();
                return;
            case MsgPackType.Extension:
                ReadOnlySequence<byte> data = reader.ReadExtension(out ExtensionHeader header);
                Span<byte> small = stackalloc byte[4];
                if (header.TypeCode != PlaceholderType)
                {
                    writer.WriteExtensionHeader(header);
                    writer.WriteRaw(data);
                }
                else if (data.Length == 4 && TryReadPlaceholder(CopyOut(data, small), attachments.Count, out int index))
                {
                    writer.WriteBinary(attachments[index].Span);
                }
                else
                {
                    throw new HyphaProtocolException($"A placeholder names no attachment (of {attachments.Count}).");
                }

                return;
            default:
                writer.WriteRaw(reader.ReadRaw());
                return;
        }
    }

    private static ReadOnlySpan<byte> CopyOut(in ReadOnlySequence<byte> data, Span<byte> buffer)
    {
        data.CopyTo(buffer);
        return buffer[..(int)data.Length];
    }
}

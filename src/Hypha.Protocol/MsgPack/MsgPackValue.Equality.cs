using System.Globalization;
using System.Text;

namespace Hypha.Protocol.MsgPack;

public readonly partial struct MsgPackValue : IEquatable<MsgPackValue>
{
    /// <summary>
    /// Deep structural equality. Kinds must match (an integer never equals a float); floats compare by bits,
    /// so NaN equals NaN; maps compare entry by entry in order.
    /// </summary>
    public bool Equals(MsgPackValue other)
    {
        if (Kind != other.Kind)
        {
            return false;
        }

        return Kind switch
        {
            MsgPackValueKind.Nil => true,
            MsgPackValueKind.String => string.Equals((string)_ref!, (string)other._ref!, StringComparison.Ordinal),
            MsgPackValueKind.Binary => AsBinary().Span.SequenceEqual(other.AsBinary().Span),
            MsgPackValueKind.Array => AsArray().AsSpan().SequenceEqual(other.AsArray()),
            MsgPackValueKind.Map => AsMap().Equals(other.AsMap()),
            MsgPackValueKind.Extension => _aux == other._aux && ((byte[])_ref!).AsSpan().SequenceEqual((byte[])other._ref!),
            _ => _bits == other._bits && _aux == other._aux,
        };
    }

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is MsgPackValue other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => Kind switch
    {
        MsgPackValueKind.String => HashCode.Combine(Kind, ((string)_ref!).GetHashCode(StringComparison.Ordinal)),
        MsgPackValueKind.Binary => HashCode.Combine(Kind, _aux),
        MsgPackValueKind.Array => HashCode.Combine(Kind, AsArray().Length),
        MsgPackValueKind.Map => HashCode.Combine(Kind, AsMap().Count),
        _ => HashCode.Combine(Kind, _bits, _aux),
    };

    /// <summary>Deep equality.</summary>
    public static bool operator ==(MsgPackValue left, MsgPackValue right) => left.Equals(right);

    /// <summary>Deep inequality.</summary>
    public static bool operator !=(MsgPackValue left, MsgPackValue right) => !left.Equals(right);

    /// <summary>A JSON-like rendering for logs and test failures; bytes show as their length and first bytes.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        Append(text);
        return text.ToString();
    }

    private void Append(StringBuilder text)
    {
        CultureInfo inv = CultureInfo.InvariantCulture;
        switch (Kind)
        {
            case MsgPackValueKind.Nil: text.Append("null"); break;
            case MsgPackValueKind.Boolean: text.Append(_bits != 0 ? "true" : "false"); break;
            case MsgPackValueKind.Integer: text.Append(_bits.ToString(inv)); break;
            case MsgPackValueKind.UInt64: text.Append(unchecked((ulong)_bits).ToString(inv)); break;
            case MsgPackValueKind.Float32: text.Append(BitConverter.Int32BitsToSingle((int)_bits).ToString("R", inv)).Append('f'); break;
            case MsgPackValueKind.Float64: text.Append(BitConverter.Int64BitsToDouble(_bits).ToString("R", inv)).Append("d"); break;
            case MsgPackValueKind.String: text.Append('"').Append((string)_ref!).Append('"'); break;
            case MsgPackValueKind.Binary:
                ReadOnlySpan<byte> bytes = AsBinary().Span;
                text.Append("<bin ").Append(bytes.Length).Append(' ').Append(Convert.ToHexString(bytes[..Math.Min(bytes.Length, 16)]))
                    .Append(bytes.Length > 16 ? "...>" : ">");
                break;
            case MsgPackValueKind.Array:
                text.Append('[');
                MsgPackValue[] items = AsArray();
                for (int i = 0; i < items.Length; i++)
                {
                    if (i > 0) text.Append(", ");
                    items[i].Append(text);
                }

                text.Append(']');
                break;
            case MsgPackValueKind.Map:
                text.Append('{');
                bool first = true;
                foreach (KeyValuePair<MsgPackValue, MsgPackValue> entry in AsMap())
                {
                    if (!first) text.Append(", ");
                    first = false;
                    entry.Key.Append(text);
                    text.Append(": ");
                    entry.Value.Append(text);
                }

                text.Append('}');
                break;
            case MsgPackValueKind.Extension:
                text.Append("<ext ").Append(_aux).Append(' ').Append(Convert.ToHexString((byte[])_ref!)).Append('>');
                break;
            case MsgPackValueKind.Timestamp:
                text.Append("<timestamp ").Append(AsTimestamp().ToString()).Append('>');
                break;
        }
    }
}

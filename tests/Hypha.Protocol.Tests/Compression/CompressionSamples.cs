using System.Buffers.Binary;
using System.Text;

namespace Hypha.Protocol.Tests.Compression;

/// <summary>
/// Deterministic sample data of the kinds a compressor meets, generated from a fixed seed so every run (and the
/// bench, which links this file) sees the same bytes.
/// </summary>
internal static class CompressionSamples
{
    /// <summary>The kinds of data, by name.</summary>
    public static IReadOnlyList<string> Kinds { get; } = ["text", "json", "binary", "numeric", "random", "zero"];

    private static readonly string[] Words =
    [
        "the", "of", "and", "to", "in", "a", "is", "that", "for", "it", "as", "was", "with", "be", "by", "on", "not",
        "he", "this", "are", "or", "his", "from", "at", "which", "but", "have", "an", "had", "they", "you", "were",
        "service", "client", "server", "message", "channel", "frame", "window", "credit", "compression", "payload",
        "connection", "workspace", "generator", "callback", "protocol", "multiplexer", "priority", "schema", "hypha",
        "network", "bytes", "stream", "request", "response", "latency", "throughput", "memory", "segment", "codec",
    ];

    /// <summary><paramref name="length"/> bytes of the named kind (a prefix of one longer sample).</summary>
    public static byte[] Create(string kind, int length) => kind switch
    {
        "text" => Text(length),
        "json" => Json(length),
        "binary" => Binary(length),
        "numeric" => Numeric(length),
        "random" => Random(length),
        "zero" => new byte[length],
        _ => throw new ArgumentException($"Unknown sample kind '{kind}'.", nameof(kind)),
    };

    /// <summary>English-like prose: words of a small vocabulary, frequent ones more often, in sentences.</summary>
    public static byte[] Text(int length)
    {
        var random = new Random(7);
        var text = new StringBuilder(length + 64);
        while (text.Length < length)
        {
            int words = random.Next(6, 18);
            for (int i = 0; i < words; i++)
            {
                string word = Words[Skewed(random, Words.Length)];
                text.Append(i == 0 ? char.ToUpperInvariant(word[0]) + word[1..] : word).Append(i == words - 1 ? ". " : " ");
            }

            if (random.Next(8) == 0)
            {
                text.Append('\n');
            }
        }

        return Encoding.ASCII.GetBytes(text.ToString(0, length));
    }

    /// <summary>A JSON array of records: repeated keys, ids, numbers and short strings.</summary>
    public static byte[] Json(int length)
    {
        var random = new Random(11);
        var json = new StringBuilder(length + 256).Append('[');
        for (int id = 0; json.Length < length; id++)
        {
            json.Append("{\"id\":").Append(id)
                .Append(",\"name\":\"").Append(Words[Skewed(random, Words.Length)]).Append('-').Append(random.Next(1000))
                .Append("\",\"score\":").Append((random.NextDouble() * 100).ToString("0.###", System.Globalization.CultureInfo.InvariantCulture))
                .Append(",\"active\":").Append(random.Next(2) == 0 ? "true" : "false")
                .Append(",\"tags\":[\"").Append(Words[random.Next(Words.Length)]).Append("\",\"").Append(Words[random.Next(Words.Length)]).Append("\"]},");
        }

        return Encoding.ASCII.GetBytes(json.ToString(0, length));
    }

    /// <summary>Fixed-layout binary records: a counter, a type from a few values, random bytes, a measurement.</summary>
    public static byte[] Binary(int length)
    {
        var random = new Random(13);
        byte[] data = new byte[length + 32];
        for (int offset = 0, id = 0; offset < length; offset += 32, id++)
        {
            Span<byte> record = data.AsSpan(offset, 32);
            BinaryPrimitives.WriteInt32LittleEndian(record, id);
            BinaryPrimitives.WriteInt16LittleEndian(record[4..], (short)random.Next(4));
            record[6] = (byte)random.Next(3);
            random.NextBytes(record.Slice(8, 8));
            BinaryPrimitives.WriteDoubleLittleEndian(record[16..], Math.Round(random.NextDouble() * 1000, 2));
            BinaryPrimitives.WriteInt64LittleEndian(record[24..], 1_700_000_000_000 + (id * 250L));
        }

        return data.AsSpan(0, length).ToArray();
    }

    /// <summary>A float64 time series (a noisy sine) followed by int32 counters: typical numeric array payloads.</summary>
    public static byte[] Numeric(int length)
    {
        var random = new Random(17);
        byte[] data = new byte[length + 8];
        int half = length / 2 / 8 * 8;
        for (int i = 0; i * 8 < half; i++)
        {
            double value = Math.Round(Math.Sin(i / 50.0) * 100 + random.Next(-2, 3), 1);
            BinaryPrimitives.WriteDoubleLittleEndian(data.AsSpan(i * 8), value);
        }

        for (int i = 0; half + (i * 4) < length; i++)
        {
            BinaryPrimitives.WriteInt32LittleEndian(data.AsSpan(half + (i * 4)), (i / 3) + random.Next(2));
        }

        return data.AsSpan(0, length).ToArray();
    }

    /// <summary>Uniform random bytes: what encrypted or already-compressed data looks like.</summary>
    public static byte[] Random(int length)
    {
        byte[] data = new byte[length];
        new Random(19).NextBytes(data);
        return data;
    }

    // An index skewed towards the start (frequent words first), roughly like word frequencies in prose.
    private static int Skewed(Random random, int count) => (int)(count * Math.Pow(random.NextDouble(), 2.5));
}

using Hypha.Bench.Harness;
using Hypha.Protocol.Compression;
using Hypha.Protocol.Tests.Compression;

namespace Hypha.Bench.Scenarios.Compress;

/// <summary>
/// <c>compress</c>: our LZ4 block codec, liblz4 (the reference, through P/Invoke) and Snappy (IronSnappy), each
/// compressing and decompressing 1 MiB (256 KiB with <c>--quick</c>) of text, binary records and numeric arrays, all six operations of one data
/// kind timed side by side. Rows per case (<c>lz4/text</c>, ...): <c>compress_bytes_per_s</c>,
/// <c>decompress_bytes_per_s</c> (original bytes per second) and <c>ratio</c> (compressed ÷ original size); for
/// <c>lz4</c> also its speed and size relative to <c>lz4-native</c> (rows <c>lz4/text/compress</c>,
/// <c>lz4/text/decompress</c>, <c>lz4/text/size</c>).
/// </summary>
internal sealed class CompressScenario : IScenario
{
    public const string Lz4 = "lz4";
    public const string NativeLz4 = "lz4-native";
    public const string Snappy = "snappy";

    private const int SampleLength = 1 << 20;

    // The quick run times 18 operations on 256 KiB samples with short batches: about 2 s in all.
    private const int QuickSampleLength = 256 * 1024;
    private static readonly MeasureSettings QuickSettings = new(TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(10), 5);

    public string Name => "compress";

    public string Description => "LZ4 (ours, liblz4) and Snappy: compress and decompress 1 MiB of text, binary and numeric data";

    public void Run(BenchContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        foreach (string kind in (string[])["text", "binary", "numeric"])
        {
            Measure(context, kind, CompressionSamples.Create(kind, context.Quick ? QuickSampleLength : SampleLength));
        }
    }

    private static void Measure(BenchContext context, string kind, byte[] original)
    {
        byte[] ours = Compressed(original, Lz4Block.MaxCompressedLength(original.Length), Lz4Block.Compress);
        byte[] native = Compressed(original, LibLz4.CompressBound(original.Length), LibLz4.Compress);
        byte[] snappy = Compressed(original, CompressionCodecs.Snappy.MaxCompressedLength(original.Length), CompressionCodecs.Snappy.Compress);
        Check(kind, original, ours, Lz4Block.Decompress);
        Check(kind, original, native, LibLz4.Decompress);
        Check(kind, original, snappy, CompressionCodecs.Snappy.Decompress);

        byte[] scratch = new byte[CompressionCodecs.Snappy.MaxCompressedLength(original.Length)];
        byte[] restored = new byte[original.Length];
        var set = new CaseSet()
            .Add(CaseName(Lz4, kind, "compress"), new Lz4CompressOperation(original, scratch))
            .Add(CaseName(NativeLz4, kind, "compress"), new NativeLz4CompressOperation(original, scratch))
            .Add(CaseName(Snappy, kind, "compress"), new SnappyCompressOperation(original, scratch))
            .Add(CaseName(Lz4, kind, "decompress"), new Lz4DecompressOperation(ours, restored))
            .Add(CaseName(NativeLz4, kind, "decompress"), new NativeLz4DecompressOperation(native, restored))
            .Add(CaseName(Snappy, kind, "decompress"), new SnappyDecompressOperation(snappy, restored));
        IReadOnlyDictionary<string, Measurement> m = context.Quick ? context.Measure(set, QuickSettings) : context.Measure(set);

        foreach ((string codec, byte[] block) in (ReadOnlySpan<(string, byte[])>)[(Lz4, ours), (NativeLz4, native), (Snappy, snappy)])
        {
            string name = $"{codec}/{kind}";
            context.Emit(name, Metrics.Bytes, original.Length);
            context.Emit(name, Metrics.CompressBytesPerSecond, original.Length * m[CaseName(codec, kind, "compress")].OpsPerSecond);
            context.Emit(name, Metrics.DecompressBytesPerSecond, original.Length * m[CaseName(codec, kind, "decompress")].OpsPerSecond);
            context.Emit(name, Metrics.Ratio, (double)block.Length / original.Length, "compressed/original");
        }

        foreach (string direction in (string[])["compress", "decompress"])
        {
            Measurement ourTime = m[CaseName(Lz4, kind, direction)];
            Measurement nativeTime = m[CaseName(NativeLz4, kind, direction)];
            context.Emit(CaseName(Lz4, kind, direction), Metrics.Ratio, nativeTime.NsPerOp / ourTime.NsPerOp, $"x speed of {CaseName(NativeLz4, kind, direction)}");
        }

        context.Emit($"{Lz4}/{kind}/size", Metrics.Ratio, (double)ours.Length / native.Length, $"x compressed size of {NativeLz4}/{kind}");
    }

    private static string CaseName(string codec, string kind, string direction) => $"{codec}/{kind}/{direction}";

    private static byte[] Compressed(byte[] original, int capacity, Compressor compress)
    {
        byte[] block = new byte[capacity];
        int length = compress(original, block);
        return length > 0 ? block[..length] : throw new InvalidOperationException("A compressor failed on its worst-case buffer.");
    }

    private static void Check(string kind, byte[] original, byte[] block, Compressor decompress)
    {
        byte[] restored = new byte[original.Length];
        if (decompress(block, restored) != original.Length || !restored.AsSpan().SequenceEqual(original))
        {
            throw new InvalidOperationException($"A {kind} block does not decompress to its original.");
        }
    }

    private delegate int Compressor(ReadOnlySpan<byte> source, Span<byte> destination);
}

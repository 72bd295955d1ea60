using Hypha.Bench.Harness;
using Hypha.Protocol.Compression;
using Hypha.Protocol.Tests.Compression;

namespace Hypha.Bench.Scenarios.Compress;

/// <summary>
/// <c>compress</c>: our LZ4 block codec and liblz4 (the reference, through P/Invoke), Snappy as we use it (Snappier)
/// and libsnappy (the reference, through P/Invoke), each compressing and decompressing 1 MiB (256 KiB with
/// <c>--quick</c>) of text, binary records and numeric arrays, all eight operations of one data kind timed side by
/// side. Rows per case (<c>lz4/text</c>, ...): <c>compress_bytes_per_s</c>, <c>decompress_bytes_per_s</c> (original
/// bytes per second) and <c>ratio</c> (compressed ÷ original size); for <c>lz4</c> and <c>snappy</c> also their speed
/// relative to their reference (rows <c>lz4/text/compress</c>, <c>snappy/text/decompress</c>, ...), and for <c>lz4</c>
/// its size relative to liblz4's (<c>lz4/text/size</c>).
/// </summary>
internal sealed class CompressScenario : IScenario
{
    public const string Lz4 = "lz4";
    public const string NativeLz4 = "lz4-native";
    public const string Snappy = "snappy";
    public const string NativeSnappy = "snappy-native";

    private const int SampleLength = 1 << 20;

    // The quick run times 24 operations on 256 KiB samples with short batches: about 2 s in all.
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
        byte[] nativeSnappy = Compressed(original, LibSnappy.MaxCompressedLength(original.Length), LibSnappy.Compress);
        Check(kind, original, ours, Lz4Block.Decompress);
        Check(kind, original, native, LibLz4.Decompress);
        Check(kind, original, snappy, CompressionCodecs.Snappy.Decompress);
        Check(kind, original, nativeSnappy, LibSnappy.Decompress);

        byte[] scratch = new byte[CompressionCodecs.Snappy.MaxCompressedLength(original.Length)];
        byte[] restored = new byte[original.Length];
        var set = new CaseSet()
            .Add(CaseName(Lz4, kind, "compress"), new Lz4CompressOperation(original, scratch))
            .Add(CaseName(NativeLz4, kind, "compress"), new NativeLz4CompressOperation(original, scratch))
            .Add(CaseName(Snappy, kind, "compress"), new SnappyCompressOperation(original, scratch))
            .Add(CaseName(NativeSnappy, kind, "compress"), new NativeSnappyCompressOperation(original, scratch))
            .Add(CaseName(Lz4, kind, "decompress"), new Lz4DecompressOperation(ours, restored))
            .Add(CaseName(NativeLz4, kind, "decompress"), new NativeLz4DecompressOperation(native, restored))
            .Add(CaseName(Snappy, kind, "decompress"), new SnappyDecompressOperation(snappy, restored))
            .Add(CaseName(NativeSnappy, kind, "decompress"), new NativeSnappyDecompressOperation(nativeSnappy, restored));
        IReadOnlyDictionary<string, Measurement> m = context.Quick ? context.Measure(set, QuickSettings) : context.Measure(set);

        foreach ((string codec, byte[] block) in (ReadOnlySpan<(string, byte[])>)[(Lz4, ours), (NativeLz4, native), (Snappy, snappy), (NativeSnappy, nativeSnappy)])
        {
            string name = $"{codec}/{kind}";
            context.Emit(name, Metrics.Bytes, original.Length);
            context.Emit(name, Metrics.CompressBytesPerSecond, original.Length * m[CaseName(codec, kind, "compress")].OpsPerSecond);
            context.Emit(name, Metrics.DecompressBytesPerSecond, original.Length * m[CaseName(codec, kind, "decompress")].OpsPerSecond);
            context.Emit(name, Metrics.Ratio, (double)block.Length / original.Length, "compressed/original");
        }

        foreach ((string codec, string reference) in (ReadOnlySpan<(string, string)>)[(Lz4, NativeLz4), (Snappy, NativeSnappy)])
        {
            foreach (string direction in (string[])["compress", "decompress"])
            {
                Measurement ourTime = m[CaseName(codec, kind, direction)];
                Measurement referenceTime = m[CaseName(reference, kind, direction)];
                context.Emit(CaseName(codec, kind, direction), Metrics.Ratio, referenceTime.NsPerOp / ourTime.NsPerOp, $"x speed of {CaseName(reference, kind, direction)}");
            }
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

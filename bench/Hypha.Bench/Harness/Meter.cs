using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace Hypha.Bench.Harness;

/// <summary>
/// Times cases in-process. Each case is warmed up, then its batch size is calibrated to the target batch time;
/// then the timed batches run round-robin over the cases (case A batch 1, B batch 1, ..., A batch 2, ...), so a
/// change in machine load hits every peer alike. A batch records Stopwatch ticks and
/// <see cref="GC.GetAllocatedBytesForCurrentThread"/> before and after; the medians over the batches are reported.
/// </summary>
internal static class Meter
{
    // Results of every loop end up here, so the JIT must compute them.
    private static long s_sink;

    /// <summary>The consumed results, readable so that no one can prove the sink unused.</summary>
    public static long Sink => Volatile.Read(ref s_sink);

    /// <summary>Measures every case of <paramref name="cases"/>, in the same order.</summary>
    public static Measurement[] Measure(IReadOnlyList<TimedCase> cases, MeasureSettings settings)
    {
        ArgumentNullException.ThrowIfNull(cases);
        ArgumentNullException.ThrowIfNull(settings);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();

        foreach (TimedCase timed in cases)
        {
            WarmUp(timed, settings.WarmUp);
        }

        long[] opsPerBatch = [.. cases.Select(c => Calibrate(c, settings.BatchTime))];

        // Allocated up front: nothing but the operation allocates between the two readings of a batch.
        double[][] nsPerOp = [.. cases.Select(_ => new double[settings.Batches])];
        double[][] allocPerOp = [.. cases.Select(_ => new double[settings.Batches])];
        long consumed = 0;
        for (int b = 0; b < settings.Batches; b++)
        {
            for (int k = 0; k < cases.Count; k++)
            {
                int c = (b + k) % cases.Count; // rotate the order, so no case always follows the same one
                long count = opsPerBatch[c];
                long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
                long start = Stopwatch.GetTimestamp();
                consumed += cases[c].Run(count);
                long end = Stopwatch.GetTimestamp();
                long allocatedAfter = GC.GetAllocatedBytesForCurrentThread();

                nsPerOp[c][b] = TicksToNs(end - start) / count;
                allocPerOp[c][b] = (double)(allocatedAfter - allocatedBefore) / count;
            }
        }

        Consume(consumed);
        return [.. Enumerable.Range(0, cases.Count).Select(c => new Measurement(
            NsPerOp: Median(nsPerOp[c]),
            MinNsPerOp: nsPerOp[c].Min(),
            MaxNsPerOp: nsPerOp[c].Max(),
            AllocBytesPerOp: Median(allocPerOp[c]),
            MaxAllocBytesPerOp: allocPerOp[c].Max(),
            OpsPerBatch: opsPerBatch[c],
            Batches: settings.Batches))];
    }

    /// <summary>The timed loop, specialised per operation type so the call to the operation is direct.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static long Loop<TOp>(ref TOp operation, long count)
        where TOp : struct, IOperation
    {
        long accumulator = 0;
        for (long i = 0; i < count; i++)
        {
            accumulator += operation.Invoke();
        }

        return accumulator;
    }

    // Runs the case untimed, in doubling chunks, until the warm-up time is spent, so the JIT reaches its
    // optimised tier (tiered compilation promotes hot methods after a delay, in the background).
    private static void WarmUp(TimedCase timed, TimeSpan duration)
    {
        long start = Stopwatch.GetTimestamp();
        long deadline = start + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        long longestChunk = Math.Max(1, (deadline - start) / 20);
        long chunk = 1;
        long consumed = 0;
        long now = start;
        while (now < deadline)
        {
            long chunkStart = now;
            consumed += timed.Run(chunk);
            now = Stopwatch.GetTimestamp();
            if (now - chunkStart < longestChunk)
            {
                chunk *= 2;
            }
        }

        Consume(consumed);
    }

    // Finds how many operations fill one batch: doubles a run until it lasts a quarter of a batch, then scales.
    private static long Calibrate(TimedCase timed, TimeSpan batchTime)
    {
        double batchNs = batchTime.TotalNanoseconds;
        long count = 1;
        long consumed = 0;
        while (true)
        {
            long start = Stopwatch.GetTimestamp();
            consumed += timed.Run(count);
            double elapsedNs = TicksToNs(Stopwatch.GetTimestamp() - start);
            if (elapsedNs >= batchNs / 4)
            {
                Consume(consumed);
                return Math.Max(1, (long)(count * batchNs / elapsedNs));
            }

            count *= 2;
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Consume(long value) => Volatile.Write(ref s_sink, s_sink ^ value);

    private static double TicksToNs(long ticks) => ticks * 1e9 / Stopwatch.Frequency;

    private static double Median(double[] values)
    {
        double[] sorted = [.. values];
        Array.Sort(sorted);
        int mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}

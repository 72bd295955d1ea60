using Hypha.Bench.Harness;

namespace Hypha.Bench.Scenarios.Bulk;

/// <summary>
/// Large payloads between two peers on this host, from the first byte sent to the payload usable by the receiver.
/// Side by side in one run, at 1, 64 and 256 MiB: <c>shm</c> (by reference in shared memory: one copy into a reused
/// segment, a reference on the bulk channel, the receiver maps it once and reads it in place), <c>tcp</c> (the same
/// payload as one message on the bulk channel of the same TCP connection) and <c>memcpy</c> (one copy in process, the
/// limit), at the multiplexer; then <c>e2e-shm</c> and <c>e2e-tcp</c>: our native clients through our server, the
/// payload a byte-array argument that the provider's function receives (256 MiB there is 1 KiB less, see
/// <see cref="EndToEndBulk"/>).
/// </summary>
internal sealed class BulkScenario : IScenario
{
    public string Name => "bulk";

    public string Description => "large payloads on one host, first byte sent to usable by the receiver: shm vs tcp vs memcpy";

    public void Run(BenchContext context) => RunAsync(context).GetAwaiter().GetResult();

    private static async Task RunAsync(BenchContext context)
    {
        BulkSettings settings = context.Quick ? BulkSettings.Quick : BulkSettings.Full;
        var medians = new Dictionary<string, double>();
        await using (var pair = await MuxBulkPair.StartAsync().ConfigureAwait(false))
        {
            Measure(context, settings, medians, ["shm", "tcp", "memcpy"], pair.TransferAsync, size => size);
        }

        await using (var endToEnd = await EndToEndBulk.StartAsync().ConfigureAwait(false))
        {
            Measure(context, settings, medians, ["e2e-shm", "e2e-tcp"], endToEnd.TransferAsync, EndToEndBulk.PayloadSize);
        }

        foreach (int size in settings.Sizes)
        {
            string label = BulkSettings.Label(size);
            context.Emit($"shm/{label}", Metrics.Ratio, medians[$"memcpy/{label}"] / medians[$"shm/{label}"], $"x bytes_per_s of memcpy/{label}");
            context.Emit($"shm/{label}/vs-tcp", Metrics.Ratio, medians[$"tcp/{label}"] / medians[$"shm/{label}"], $"x bytes_per_s of tcp/{label}");
            context.Emit($"e2e-shm/{label}", Metrics.Ratio, medians[$"e2e-tcp/{label}"] / medians[$"e2e-shm/{label}"], $"x bytes_per_s of e2e-tcp/{label}");
        }
    }

    // Rounds interleave the cases (each round starts with the next case), so that a change of load touches them all;
    // the first round warms up (segments created, pages faulted in, mappings made) and is not counted.
    private static void Measure(BenchContext context, BulkSettings settings, Dictionary<string, double> medians, string[] cases,
        Func<string, int, Task<double>> transfer, Func<int, int> bytesOf)
    {
        var seconds = new Dictionary<string, List<double>>();
        for (int round = 0; round <= settings.Rounds; round++)
        {
            foreach (int size in settings.Sizes)
            {
                for (int i = 0; i < cases.Length; i++)
                {
                    string name = cases[(round + i) % cases.Length];
                    double elapsed = transfer(name, size).GetAwaiter().GetResult();
                    if (round > 0)
                    {
                        (seconds.TryGetValue($"{name}/{BulkSettings.Label(size)}", out List<double>? list) ? list : seconds[$"{name}/{BulkSettings.Label(size)}"] = []).Add(elapsed);
                    }
                }
            }
        }

        foreach ((string name, List<double> times) in seconds)
        {
            times.Sort();
            double median = times[times.Count / 2];
            medians[name] = median;
            int size = bytesOf(settings.Sizes.First(s => name.EndsWith("/" + BulkSettings.Label(s), StringComparison.Ordinal)));
            context.Emit(name, Metrics.NsPerOp, median * 1e9);
            context.Emit(name, Metrics.Bytes, size);
            context.Emit(name, Metrics.BytesPerSecond, size / median);
            context.Log.WriteLine($"  {name}: median {median * 1e3:0.00} ms ({size / median / 1e6:0} MB/s), fastest {times[0] * 1e3:0.00} ms, slowest {times[^1] * 1e3:0.00} ms");
        }
    }
}

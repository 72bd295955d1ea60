using System.Runtime.CompilerServices;
using System.Text.Json;
using Hypha.Client.Rpc;
using Hypha.Client.Services;

namespace Hypha.Interop.Tests.Live;

/// <summary>
/// The live tests run one at a time: each starts a server and one or more node processes, and the 50 MiB transfers
/// and timing bounds (heartbeats, disconnect detection) need the machine's cores to themselves.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class LiveCollection
{
    /// <summary>The collection name.</summary>
    public const string Name = "Live server and Node peers";
}

/// <summary>Payloads, tagged-JSON helpers and the C# twin of the JS peer's <c>js-svc</c>.</summary>
internal static class LiveKit
{
    /// <summary>A client id unique to this run (no '.', '/', ':', '@' or '*').</summary>
    public static string NewClientId(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 9)];

    /// <summary>n bytes with byte i = i % 251, as the JS peer's make_bytes.</summary>
    public static byte[] Pattern(int n)
    {
        var bytes = new byte[n];
        for (int i = 0, v = 0; i < n; i++)
        {
            bytes[i] = (byte)v;
            if (++v == 251)
            {
                v = 0;
            }
        }

        return bytes;
    }

    /// <summary>The sum of the bytes mod 2^32, as the JS peer's checksum.</summary>
    public static long Sum(ReadOnlySpan<byte> bytes)
    {
        long sum = 0;
        foreach (byte b in bytes)
        {
            sum += b;
        }

        return sum % 4294967296L;
    }

    /// <summary>The index of the first byte that breaks the <see cref="Pattern"/>, or -1.</summary>
    public static int FirstPatternMismatch(ReadOnlySpan<byte> bytes)
    {
        for (int i = 0, v = 0; i < bytes.Length; i++)
        {
            if (bytes[i] != v)
            {
                return i;
            }

            if (++v == 251)
            {
                v = 0;
            }
        }

        return -1;
    }

    /// <summary><c>{"$bytes":"&lt;base64&gt;"}</c>: a Uint8Array for the JS peer.</summary>
    public static Dictionary<string, object> Bytes(byte[] bytes) => new() { ["$bytes"] = Convert.ToBase64String(bytes) };

    /// <summary><c>{"$f32":[...]}</c>: a Float32Array for the JS peer.</summary>
    public static Dictionary<string, object> F32(params float[] values) => new() { ["$f32"] = values };

    /// <summary>Reads <c>{"$bytes":...}</c>.</summary>
    public static byte[] ReadBytes(JsonElement value) =>
        value.ValueKind == JsonValueKind.Object && value.TryGetProperty("$bytes", out JsonElement b64)
            ? Convert.FromBase64String(b64.GetString()!)
            : throw new Xunit.Sdk.XunitException($"Expected {{\"$bytes\":...}} (a Uint8Array), got {value}");

    /// <summary>Reads <c>{"$f32":[...]}</c>.</summary>
    public static float[] ReadF32(JsonElement value) =>
        value.ValueKind == JsonValueKind.Object && value.TryGetProperty("$f32", out JsonElement items)
            ? items.EnumerateArray().Select(e => e.GetSingle()).ToArray()
            : throw new Xunit.Sdk.XunitException($"Expected {{\"$f32\":[...]}} (a Float32Array), got {value}");

    /// <summary>Reads a JSON array of integers.</summary>
    public static long[] ReadLongs(JsonElement value) =>
        value.ValueKind == JsonValueKind.Array
            ? value.EnumerateArray().Select(e => e.GetInt64()).ToArray()
            : throw new Xunit.Sdk.XunitException($"Expected an array, got {value}");

    /// <summary>Retries <paramref name="attempt"/> until it succeeds or <paramref name="within"/> has passed (then rethrows its last error).</summary>
    public static async Task<T> EventuallyAsync<T>(Func<Task<T>> attempt, TimeSpan within, TimeSpan? every = null)
    {
        DateTime giveUp = DateTime.UtcNow + within;
        while (true)
        {
            try
            {
                return await attempt();
            }
            catch (Exception) when (DateTime.UtcNow < giveUp)
            {
                await Task.Delay(every ?? TimeSpan.FromMilliseconds(250));
            }
        }
    }

    /// <summary>Waits until <paramref name="condition"/> holds, or fails with <paramref name="what"/>.</summary>
    public static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan within, string what)
    {
        DateTime giveUp = DateTime.UtcNow + within;
        while (!await condition())
        {
            if (DateTime.UtcNow >= giveUp)
            {
                throw new Xunit.Sdk.XunitException($"Timed out after {within.TotalSeconds:0.#} s waiting until {what}.");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>
    /// The C# twin of the JS peer's js-svc (same names and behaviour), plus <c>describe(item_name, max_items)</c>
    /// for Python-style keyword arguments and <c>type_of(x)</c> for the .NET type a value arrived as.
    /// </summary>
    public static ServiceBuilder CSharpService(CSharpServiceStats stats, string id = "cs-svc") =>
        new ServiceBuilder(id)
            .Visibility(ServiceVisibility.Public)
            .Description("The C# side of the live interop tests")
            .Add("add", (int a, int b) => a + b)
            .Add("greet", (string name, string greeting = "Hello") => $"{greeting}, {name}!")
            .Add("describe", (string itemName, int maxItems = 3) => $"{itemName}:{maxItems}")
            .Add("call_back", async (RemoteFunction cb, int n) =>
            {
                var results = new List<long>();
                for (int i = 1; i <= n; i++)
                {
                    results.Add(await cb.InvokeAsync<long>(i));
                }

                return results;
            })
            .Add("count", (int n) => Count(n, stats))
            .Add("fail", (string msg) => Fail(msg))
            .Add("reverse_bytes", (byte[] data) => data.Reverse().ToArray())
            .Add("scale_f32", (float[] arr, double k) => arr.Select(x => (float)(x * k)).ToArray())
            .Add("make_bytes", (int n) => Pattern(n))
            .Add("checksum", (byte[] data) => new { length = data.Length, sum = Sum(data) })
            .Add("checksum_dict", (byte[] data) => new Dictionary<string, object> { ["length"] = data.Length, ["sum"] = Sum(data) })
            .Add("slow", async (int ms) =>
            {
                await Task.Delay(ms);
                return "done";
            })
            .Add("echo", (object? x) => x)
            .Add("type_of", (object? x) => x?.GetType().Name ?? "null")
            .Add("sum_stream", async (IAsyncEnumerable<long> gen) =>
            {
                long sum = 0;
                await foreach (long item in gen)
                {
                    sum += item;
                }

                return sum;
            });

    private static int Fail(string msg) => throw new InvalidOperationException(msg);

    private static async IAsyncEnumerable<int> Count(int n, CSharpServiceStats stats, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref stats.GeneratorsStarted);
        bool finished = false;
        try
        {
            for (int i = 0; i < n; i++)
            {
                await Task.Yield();
                cancellationToken.ThrowIfCancellationRequested();
                yield return i;
            }

            finished = true;
        }
        finally
        {
            if (finished)
            {
                Interlocked.Increment(ref stats.GeneratorsFinished);
            }
            else
            {
                Interlocked.Increment(ref stats.GeneratorsClosed);
            }
        }
    }
}

/// <summary>What the C# service's generators went through.</summary>
internal sealed class CSharpServiceStats
{
    public int GeneratorsStarted;
    public int GeneratorsFinished;
    public int GeneratorsClosed;
}

using System.Runtime.CompilerServices;
using Hypha.Client.Rpc;
using Hypha.Client.Services;
using Hypha.Client.Typed;

namespace Hypha.Interop.Tests.Live;

/// <summary>A reading, as a record: a snake_case map on the wire.</summary>
/// <param name="SensorName">The sensor.</param>
/// <param name="Value">What it read.</param>
/// <param name="Tags">Labels.</param>
public sealed record Reading(string SensorName, double Value, IReadOnlyList<string> Tags);

/// <summary>A typed C# service the npm client calls, and that a typed C# proxy calls in either mode.</summary>
[HyphaService("typed-svc", Description = "The typed C# service of the live tests", Visibility = ServiceVisibility.Public)]
public interface ILiveService
{
    /// <summary>Adds two integers.</summary>
    /// <param name="a">The first integer.</param>
    /// <param name="b">The second integer.</param>
    ValueTask<int> AddAsync(int a, int b);

    /// <summary>Describes an item.</summary>
    /// <param name="itemName">The item.</param>
    /// <param name="maxItems">How many at most.</param>
    Task<string> DescribeAsync(string itemName, int maxItems = 3);

    /// <summary>A reading with its value doubled and a tag added.</summary>
    ValueTask<Reading> CalibrateAsync(Reading reading);

    /// <summary>Counts from zero.</summary>
    IAsyncEnumerable<int> CountAsync(int n, CancellationToken cancellationToken = default);

    /// <summary>Calls back once per step.</summary>
    ValueTask<long[]> CallBackAsync(Func<int, Task<long>> cb, int n);

    /// <summary>Sums a stream.</summary>
    ValueTask<long> SumStreamAsync(IAsyncEnumerable<long> gen);

    /// <summary>Waits, unless cancelled.</summary>
    Task<string> WaitAsync(int milliseconds, CancellationToken cancellationToken);

    /// <summary>Fails with a message.</summary>
    Task FailAsync(string msg);

    /// <summary>Says who called: the caller's address and workspace, from the context its server stamped.</summary>
    /// <param name="greeting">The word put first.</param>
    /// <param name="context">The caller's context, given by the peer that runs the method (a caller passes nothing).</param>
    Task<string> WhoAmIAsync(string greeting, RpcContext? context = null);
}

/// <summary>The implementation of <see cref="ILiveService"/>.</summary>
internal sealed class LiveService : ILiveService
{
    public TaskCompletionSource<bool> WaitStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource<bool> WaitCancelled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ValueTask<int> AddAsync(int a, int b) => ValueTask.FromResult(a + b);

    public Task<string> DescribeAsync(string itemName, int maxItems = 3) => Task.FromResult($"{itemName}:{maxItems}");

    public ValueTask<Reading> CalibrateAsync(Reading reading) =>
        ValueTask.FromResult(reading with { Value = reading.Value * 2, Tags = [.. reading.Tags, "calibrated"] });

    public async IAsyncEnumerable<int> CountAsync(int n, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        for (int i = 0; i < n; i++)
        {
            await Task.Yield();
            cancellationToken.ThrowIfCancellationRequested();
            yield return i;
        }
    }

    public async ValueTask<long[]> CallBackAsync(Func<int, Task<long>> cb, int n)
    {
        var results = new long[n];
        for (int i = 0; i < n; i++)
        {
            results[i] = await cb(i + 1);
        }

        return results;
    }

    public async ValueTask<long> SumStreamAsync(IAsyncEnumerable<long> gen)
    {
        long sum = 0;
        await foreach (long item in gen)
        {
            sum += item;
        }

        return sum;
    }

    public async Task<string> WaitAsync(int milliseconds, CancellationToken cancellationToken)
    {
        WaitStarted.TrySetResult(true);
        try
        {
            await Task.Delay(milliseconds, cancellationToken);
            return "waited";
        }
        catch (OperationCanceledException)
        {
            WaitCancelled.TrySetResult(true);
            throw;
        }
    }

    public Task FailAsync(string msg) => throw new InvalidOperationException(msg);

    public Task<string> WhoAmIAsync(string greeting, RpcContext? context = null) =>
        Task.FromResult($"{greeting} {context?.From ?? "nobody"} {context?.Workspace ?? "nowhere"}");
}

/// <summary>{length, sum} as the JS peer's checksum returns it.</summary>
public sealed record Checksum(long Length, long Sum);

/// <summary>The JS peer's js-svc, as a typed contract a C# proxy calls.</summary>
[HyphaService("js-svc")]
public interface IJsService
{
    /// <summary>js-svc's add.</summary>
    ValueTask<int> AddAsync(int a, int b);

    /// <summary>js-svc's greet.</summary>
    ValueTask<string> GreetAsync(string name, string greeting);

    /// <summary>js-svc's call_back: calls cb(i) for i in 1..n.</summary>
    ValueTask<long[]> CallBackAsync(Func<int, Task<long>> cb, int n);

    /// <summary>js-svc's count: a generator.</summary>
    IAsyncEnumerable<int> CountAsync(int n);

    /// <summary>js-svc's sum_stream.</summary>
    ValueTask<long> SumStreamAsync(IAsyncEnumerable<long> gen);

    /// <summary>js-svc's reverse_bytes.</summary>
    ValueTask<byte[]> ReverseBytesAsync(byte[] u8);

    /// <summary>js-svc's checksum: a record read from a JS object.</summary>
    ValueTask<Checksum> ChecksumAsync(byte[] u8);

    /// <summary>js-svc's echo: a record out as a snake_case map, and back.</summary>
    ValueTask<Reading> EchoAsync(Reading x);

    /// <summary>js-svc's fail.</summary>
    Task FailAsync(string msg);

    /// <summary>js-svc's type_of: what a value arrived as in JS.</summary>
    ValueTask<string> TypeOfAsync(Reading x);
}

using System.Runtime.CompilerServices;
using Hypha.Protocol.MsgPack;

namespace Hypha.Client.Tests.Typed;

/// <summary>The implementation of <see cref="ICalc"/> the typed tests serve; it records what reached it.</summary>
internal sealed class Calculator : ICalc
{
    public TaskCompletionSource<bool> WaitCancelled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource<bool> WaitStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource<string> Notified { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int StreamsClosed;

    public ValueTask<int> AddAsync(int a, int b) => ValueTask.FromResult(a + b);

    public Task<double> ScaleAsync(double value, double factor = 2) => Task.FromResult(value * factor);

    public async Task<string> GreetAsync(string name, string? greeting = null)
    {
        await Task.Yield();
        return $"{greeting ?? "Hello"}, {name}!";
    }

    public Task<string> WhoAsync(string greeting, Hypha.Client.Rpc.RpcContext? context = null, CancellationToken cancellationToken = default) =>
        Task.FromResult($"{greeting} {context?.From ?? "nobody"} -> {context?.To ?? "nowhere"}");

    public ValueTask<string> CallerWorkspaceAsync(Hypha.Client.Rpc.RpcContext context, int repeat) =>
        ValueTask.FromResult(string.Join(",", Enumerable.Repeat(context.Workspace, repeat)));

    public Task NothingAsync() => Task.Delay(1);

    public ValueTask PingAsync() => ValueTask.CompletedTask;

    public ValueTask<byte[]> ReverseAsync(byte[] data) => ValueTask.FromResult(data.Reverse().ToArray());

    public ValueTask<int> LengthAsync(ReadOnlyMemory<byte> data) => ValueTask.FromResult(data.Length);

    public ValueTask<Shape> NormalizeAsync(Shape shape) => ValueTask.FromResult(shape with
    {
        Name = shape.Name.ToUpperInvariant(),
        Corners = shape.Corners.Select(p => p with { X = p.X * 2 }).ToList(),
        Tags = [.. shape.Tags, "normalized"],
    });

    public ValueTask<Settings> EchoSettingsAsync(Settings settings) => ValueTask.FromResult(settings);

    public ValueTask<long> SumAsync(List<long> values, IEnumerable<int>? more = null) => ValueTask.FromResult(values.Sum() + (more?.Sum() ?? 0));

    public ValueTask<IReadOnlyDictionary<string, int>> DoubleAsync(IDictionary<string, int> values) =>
        ValueTask.FromResult<IReadOnlyDictionary<string, int>>(values.ToDictionary(e => e.Key, e => e.Value * 2));

    public ValueTask<Color> NextColorAsync(Color color) => ValueTask.FromResult(color switch
    {
        Color.Red => Color.Green,
        Color.Green => Color.Blue,
        _ => Color.Red,
    });

    public ValueTask<int?> MaybeAsync(int? value) => ValueTask.FromResult(value is null ? (int?)null : value * 10);

    public async IAsyncEnumerable<int> CountAsync(int n, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        try
        {
            for (int i = 0; i < n; i++)
            {
                await Task.Yield();
                cancellationToken.ThrowIfCancellationRequested();
                yield return i;
            }
        }
        finally
        {
            Interlocked.Increment(ref StreamsClosed);
        }
    }

    public async IAsyncEnumerable<Point> PointsAsync(int n)
    {
        for (int i = 0; i < n; i++)
        {
            await Task.Yield();
            yield return new Point(i, -i, i % 2 == 0 ? $"p{i}" : null);
        }
    }

    public async ValueTask<long> SumStreamAsync(IAsyncEnumerable<long> values)
    {
        long sum = 0;
        await foreach (long value in values)
        {
            sum += value;
        }

        return sum;
    }

    public async ValueTask<string> ProgressAsync(int steps, Func<int, Task> report)
    {
        for (int i = 1; i <= steps; i++)
        {
            await report(i);
        }

        return "done";
    }

    public async ValueTask<int> AskAsync(Func<string, ValueTask<int>> question) => await question("how many?") + 1;

    public ValueTask NotifyAsync(Action<string> notify)
    {
        notify("hello");
        return ValueTask.CompletedTask;
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

    public Task FailAsync(string message) => throw new InvalidOperationException(message);

    public ValueTask<MsgPackValue> AnyAsync(MsgPackValue value) => ValueTask.FromResult(value);

    public ValueTask<int> CountItemsAsync(string[] things, int maxItems = 10) => ValueTask.FromResult(Math.Min(things.Length, maxItems));
}

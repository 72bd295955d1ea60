using System.Runtime.CompilerServices;
using Hypha.Client.Services;
using Hypha.Client.Typed;
using Hypha.Protocol.MsgPack;

namespace Hypha.Client.Tests.Typed;

/// <summary>A color, by name on the wire.</summary>
public enum Color
{
    /// <summary>Red.</summary>
    Red,
    /// <summary>Green.</summary>
    Green,
    /// <summary>Blue, on the wire "azure".</summary>
    [HyphaName("azure")]
    Blue = 7,
}

/// <summary>A point in the plane.</summary>
/// <param name="X">Across.</param>
/// <param name="Y">Up.</param>
/// <param name="Label">What it is called, if anything.</param>
public sealed record Point(double X, double Y, string? Label = null);

/// <summary>A shape: nested records, lists, maps, enums, nullables.</summary>
public sealed record Shape(string Name, IReadOnlyList<Point> Corners, Dictionary<string, double> Metrics, Color Color, int? Layer)
{
    /// <summary>Tags (init-only, not in the constructor).</summary>
    public string[] Tags { get; init; } = [];

    /// <summary>The shape inside this one, if any.</summary>
    public Shape? Inner { get; init; }
}

/// <summary>A class with a parameterless constructor and settable properties.</summary>
public sealed class Settings
{
    /// <summary>How many times to retry.</summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>When it was made.</summary>
    public DateTime CreatedAt { get; set; }

    /// <summary>Its id.</summary>
    public Guid Id { get; set; }

    /// <summary>Its raw bytes.</summary>
    public byte[] Blob { get; set; } = [];

    /// <summary>Anything else.</summary>
    public MsgPackValue Extra { get; set; }
}

/// <summary>A calculator, and everything else a contract can do.</summary>
[HyphaService("calc", Description = "A typed calculator", Visibility = ServiceVisibility.Public)]
public interface ICalc
{
    /// <summary>Adds two integers.</summary>
    /// <param name="a">The first.</param>
    /// <param name="b">The second.</param>
    ValueTask<int> AddAsync(int a, int b);

    /// <summary>Scales a value.</summary>
    Task<double> ScaleAsync(double value, double factor = 2);

    /// <summary>Greets someone.</summary>
    Task<string> GreetAsync(string name, string? greeting = null);

    /// <summary>Says who called, from the context the caller's server stamped.</summary>
    /// <param name="greeting">The word put first.</param>
    /// <param name="context">The caller's context: given by the peer that runs the method, never sent by a caller.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<string> WhoAsync(string greeting, Hypha.Client.Rpc.RpcContext? context = null, CancellationToken cancellationToken = default);

    /// <summary>The caller's workspace, for a method whose context comes first and is not nullable.</summary>
    ValueTask<string> CallerWorkspaceAsync(Hypha.Client.Rpc.RpcContext context, int repeat);

    /// <summary>Does nothing, slowly.</summary>
    Task NothingAsync();

    /// <summary>Does nothing, fast.</summary>
    ValueTask PingAsync();

    /// <summary>The bytes reversed.</summary>
    ValueTask<byte[]> ReverseAsync(byte[] data);

    /// <summary>The length of the bytes, read without a copy.</summary>
    ValueTask<int> LengthAsync(ReadOnlyMemory<byte> data);

    /// <summary>The perimeter of a shape.</summary>
    ValueTask<Shape> NormalizeAsync(Shape shape);

    /// <summary>Settings echoed.</summary>
    ValueTask<Settings> EchoSettingsAsync(Settings settings);

    /// <summary>A sum of many numbers.</summary>
    ValueTask<long> SumAsync(List<long> values, IEnumerable<int>? more = null);

    /// <summary>A map with its values doubled.</summary>
    ValueTask<IReadOnlyDictionary<string, int>> DoubleAsync(IDictionary<string, int> values);

    /// <summary>The next color.</summary>
    ValueTask<Color> NextColorAsync(Color color);

    /// <summary>Maybe a number.</summary>
    ValueTask<int?> MaybeAsync(int? value);

    /// <summary>Counts up, as a stream.</summary>
    IAsyncEnumerable<int> CountAsync(int n, CancellationToken cancellationToken = default);

    /// <summary>Points, as a stream.</summary>
    IAsyncEnumerable<Point> PointsAsync(int n);

    /// <summary>Sums a stream.</summary>
    ValueTask<long> SumStreamAsync(IAsyncEnumerable<long> values);

    /// <summary>Reports progress through a callback.</summary>
    ValueTask<string> ProgressAsync(int steps, Func<int, Task> report);

    /// <summary>Asks a callback for a value.</summary>
    ValueTask<int> AskAsync(Func<string, ValueTask<int>> question);

    /// <summary>Notifies a callback without waiting.</summary>
    ValueTask NotifyAsync(Action<string> notify);

    /// <summary>Waits until cancelled.</summary>
    Task<string> WaitAsync(int milliseconds, CancellationToken cancellationToken);

    /// <summary>Fails.</summary>
    Task FailAsync(string message);

    /// <summary>A value of any shape.</summary>
    ValueTask<MsgPackValue> AnyAsync(MsgPackValue value);

    /// <summary>Named on the wire "item_count".</summary>
    [HyphaName("item_count")]
    ValueTask<int> CountItemsAsync([HyphaName("items")] string[] things, int maxItems = 10);
}

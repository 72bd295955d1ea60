using System.Runtime.CompilerServices;
using Hypha.Client.Services;
using Hypha.Client.Typed;
using Hypha.Protocol.MsgPack;

namespace Hypha.Client.Tests.Typed;

/// <summary>A level, one byte wide.</summary>
public enum Level : byte
{
    /// <summary>Low.</summary>
    Low = 1,
    /// <summary>High.</summary>
    High = 200,
}

/// <summary>The extremes of a long.</summary>
public enum Extreme : long
{
    /// <summary>The least.</summary>
    Least = long.MinValue,
    /// <summary>The most.</summary>
    Most = long.MaxValue,
}

/// <summary>A spot on a map.</summary>
public sealed record Spot(double X, double Y, string? Label = null);

/// <summary>A tree: a recursive record.</summary>
public sealed record TreeNode(string Name, IReadOnlyList<TreeNode> Children, TreeNode? Next = null);

/// <summary>A class with a parameterless constructor and settable properties.</summary>
public sealed class Knobs
{
    /// <summary>How loud.</summary>
    public int Volume { get; set; } = 5;

    /// <summary>What it is called.</summary>
    public string? Title { get; set; }
}

/// <summary>Every field family a record can have.</summary>
public sealed record Everything(
    bool Flag, sbyte Tiny, byte Small, short Short, ushort UShort, int Int, uint UInt, long Long, ulong ULong,
    float Single, double Double, char Letter, string Text, string? Note, DateTime When, DateTimeOffset At, Guid Id,
    byte[] Blob, ReadOnlyMemory<byte> View, Color Color, Level Level, Extreme Extreme, int? MaybeInt, Color? MaybeColor,
    Spot? MaybeSpot, List<int> Numbers, string[] Names, IReadOnlyList<Spot> Spots, List<int?> Maybes,
    IReadOnlyList<IReadOnlyList<int>> Grid, Dictionary<string, double> Scores, IReadOnlyDictionary<string, Spot?> Places,
    Spot Origin, TreeNode Tree, MsgPackValue Extra, Knobs Knobs, string Mode = "fast")
{
    /// <summary>An init-only property with a default, not in the constructor.</summary>
    public int Retries { get; init; } = 3;

    /// <summary>Computed: written in the map form, not part of the binary one.</summary>
    public int TextLength => Text.Length;
}

/// <summary>A record that holds a callback: it has no binary form, but the spot inside it has.</summary>
public sealed record Holder(string Name, Spot Where, Func<int, Task>? Report);

/// <summary>Records in every position a call has.</summary>
[HyphaService("records", Visibility = ServiceVisibility.Public)]
public interface IRecords
{
    /// <summary>Gives the value back.</summary>
    ValueTask<Everything> EchoAsync(Everything value);

    /// <summary>Moves a spot.</summary>
    ValueTask<Spot> MoveAsync(Spot spot, double dx);

    /// <summary>Counts spots.</summary>
    ValueTask<int> CountAsync(IReadOnlyList<Spot> spots);

    /// <summary>Spots on a line, as a stream.</summary>
    IAsyncEnumerable<Spot> PathAsync(int n);

    /// <summary>The sum of the X of a stream of spots the caller hands over.</summary>
    ValueTask<double> SumXAsync(IAsyncEnumerable<Spot> spots);

    /// <summary>Asks the caller's callback to move a spot, and moves it once more.</summary>
    ValueTask<Spot> AskAsync(Func<Spot, Task<Spot>> move);

    /// <summary>Asks the caller's callback how far a spot is: records only in the callback's arguments.</summary>
    ValueTask<double> MeasureAsync(Func<Spot, Task<double>> distance);

    /// <summary>A spot by label, or null.</summary>
    ValueTask<Spot?> FindAsync(string label);

    /// <summary>Describes a holder, reporting through its callback.</summary>
    ValueTask<string> DescribeAsync(Holder holder);

    /// <summary>How deep a tree goes.</summary>
    ValueTask<int> DepthAsync(TreeNode tree);

    /// <summary>No records at all.</summary>
    ValueTask<int> AddAsync(int a, int b);
}

/// <summary>The implementation the binary-record tests serve.</summary>
internal sealed class RecordService : IRecords
{
    public ValueTask<Everything> EchoAsync(Everything value) => ValueTask.FromResult(value);

    public ValueTask<Spot> MoveAsync(Spot spot, double dx) => ValueTask.FromResult(spot with { X = spot.X + dx });

    public ValueTask<int> CountAsync(IReadOnlyList<Spot> spots) => ValueTask.FromResult(spots.Count);

    public async IAsyncEnumerable<Spot> PathAsync(int n)
    {
        for (int i = 0; i < n; i++)
        {
            await Task.Yield();
            yield return new Spot(i, -i, $"s{i}");
        }
    }

    public async ValueTask<double> SumXAsync(IAsyncEnumerable<Spot> spots)
    {
        double sum = 0;
        await foreach (Spot spot in spots)
        {
            sum += spot.X;
        }

        return sum;
    }

    public async ValueTask<Spot> AskAsync(Func<Spot, Task<Spot>> move)
    {
        Spot moved = await move(new Spot(1.5, -2, "a"));
        return moved with { Y = moved.Y - 1 };
    }

    public async ValueTask<double> MeasureAsync(Func<Spot, Task<double>> distance) => await distance(new Spot(1.5, -2, "a"));

    public ValueTask<Spot?> FindAsync(string label) => ValueTask.FromResult(label == "none" ? null : new Spot(1, 2, label));

    public async ValueTask<string> DescribeAsync(Holder holder)
    {
        if (holder.Report is { } report)
        {
            await report(7);
        }

        return $"{holder.Name}@{holder.Where.X},{holder.Where.Y}";
    }

    public ValueTask<int> DepthAsync(TreeNode tree) => ValueTask.FromResult(Depth(tree));

    public ValueTask<int> AddAsync(int a, int b) => ValueTask.FromResult(a + b);

    private static int Depth(TreeNode node) => 1 + Math.Max(node.Children.Select(Depth).DefaultIfEmpty(0).Max(), node.Next is null ? 0 : Depth(node.Next));
}

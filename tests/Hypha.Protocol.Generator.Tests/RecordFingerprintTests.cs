using System.Text.RegularExpressions;

namespace Hypha.Protocol.Generator.Tests;

/// <summary>
/// The record fingerprint of a contract: the same for every build of the same records, different as soon as the shape
/// of one changes (what decides whether two peers may exchange records in binary form).
/// </summary>
public sealed partial class RecordFingerprintTests
{
    private const string Contract = """
        namespace Demo;

        public enum Mood { Calm, Angry = 5 }

        public sealed record Inner(int Count, string? Note);

        public sealed record Outer(string Name, double Score, Mood Mood, IReadOnlyList<Inner> Items, Inner? Best);

        [HyphaService("demo")]
        public interface IDemo
        {
            ValueTask<Outer> GetAsync(string id);

            ValueTask<int> AddAsync(int a, int b);
        }
        """;

    private static string? Fingerprint(string source)
    {
        TypedServiceRun run = TypedServiceRun.Start(source);
        Assert.Empty(run.CompileErrors);
        Match match = FingerprintLine().Match(string.Join("\n", run.Sources));
        Assert.True(match.Success, "The generated class states no record fingerprint");
        return match.Groups[1].Value == "null" ? null : match.Groups[1].Value.Trim('"');
    }

    [Fact]
    public void The_fingerprint_is_the_same_for_every_build_of_the_same_records()
    {
        string? first = Fingerprint(Contract);

        Assert.Matches("^[0-9a-f]{16}$", first);
        Assert.Equal(first, Fingerprint(Contract));

        // Pinned: a change of this value means every deployed peer stops using binary records with new ones.
        Assert.Equal("9076452d197509a4", first);
    }

    [Theory]
    [InlineData("ValueTask<int> AddAsync(int a, int b);", "ValueTask<int> AddAsync(int a, int b); Task PingAsync();")]
    [InlineData("ValueTask<int> AddAsync(int a, int b);", "ValueTask<long> SumAsync(long a, long b);")]
    [InlineData("namespace Demo;", "namespace Elsewhere.Demo;")]
    [InlineData("Inner? Best);", "Inner? Best) { public int Total => Items.Count; }")]
    public void Methods_namespaces_and_computed_properties_do_not_count(string from, string to) =>
        Assert.Equal(Fingerprint(Contract), Fingerprint(Contract.Replace(from, to, StringComparison.Ordinal)));

    [Theory]
    [InlineData("int Count, string? Note", "int Total, string? Note")]
    [InlineData("int Count, string? Note", "string? Note, int Count")]
    [InlineData("int Count, string? Note", "long Count, string? Note")]
    [InlineData("int Count, string? Note", "int Count, string Note")]
    [InlineData("int Count, string? Note", "int Count, string? Note, bool Done")]
    [InlineData("int Count, string? Note", "[property: HyphaName(\"n\")] int Count, string? Note")]
    [InlineData("IReadOnlyList<Inner> Items", "Dictionary<string, Inner> Items")]
    [InlineData("Angry = 5", "Angry = 6")]
    [InlineData("Inner", "Detail")]
    public void Any_change_of_a_records_shape_changes_it(string from, string to) =>
        Assert.NotEqual(Fingerprint(Contract), Fingerprint(Contract.Replace(from, to, StringComparison.Ordinal)));

    [Fact]
    public void Only_methods_that_can_carry_records_are_marked_and_a_contract_without_binary_records_has_no_fingerprint()
    {
        TypedServiceRun run = TypedServiceRun.Start(Contract);
        string generated = string.Join("\n", run.Sources);
        Assert.Matches("new\\(0, \"get\".*, false, true\\),", generated);
        Assert.Matches("new\\(1, \"add\".*, false, false\\),", generated);

        Assert.Null(Fingerprint("""
            namespace Demo;

            [HyphaService("plain")]
            public interface IPlain { ValueTask<int> AddAsync(int a, int b); }
            """));

        // A callback needs the map form's session: the record that holds one has no binary form.
        Assert.Null(Fingerprint("""
            namespace Demo;

            public sealed record Job(string Name, Func<int, Task> Report);

            [HyphaService("jobs")]
            public interface IJobs { ValueTask RunAsync(Job job); }
            """));
    }

    [GeneratedRegex("internal const string\\? Records = (null|\"[0-9a-f]{16}\");")]
    private static partial Regex FingerprintLine();
}

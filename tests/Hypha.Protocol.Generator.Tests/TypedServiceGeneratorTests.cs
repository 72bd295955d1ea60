using Microsoft.CodeAnalysis;

namespace Hypha.Protocol.Generator.Tests;

public sealed class TypedServiceGeneratorTests
{
    [Theory]
    [InlineData("ValueTask<int> AddAsync(int a, int b);")]
    [InlineData("Task<int> AddAsync(int a, int b);")]
    [InlineData("Task NothingAsync();")]
    [InlineData("ValueTask NothingAsync();")]
    [InlineData("IAsyncEnumerable<string> LinesAsync(int count, CancellationToken cancellationToken = default);")]
    [InlineData("ValueTask<long> SumAsync(IAsyncEnumerable<long> values);")]
    [InlineData("ValueTask<string> ProgressAsync(Func<int, Task> report, Func<string, ValueTask<int>> ask, Action<string> note, Func<double, Task<bool>> check, Func<ValueTask> done);")]
    [InlineData("Task<string> WaitAsync(int milliseconds, CancellationToken cancellationToken);")]
    [InlineData("Task<string> WhoAsync(string greeting, Hypha.Client.Rpc.RpcContext? context = null, CancellationToken cancellationToken = default);")]
    [InlineData("ValueTask<int> WhereAsync(Hypha.Client.Rpc.RpcContext context, int a);")]
    [InlineData("IAsyncEnumerable<string> WatchAsync(Hypha.Client.Rpc.RpcContext? context, int n, CancellationToken cancellationToken = default);")]
    [InlineData("ValueTask<bool> PrimitivesAsync(bool a, sbyte b, byte c, short d, ushort e, int f, uint g, long h, ulong i, float j, double k, char l, string m, DateTime n, DateTimeOffset o, Guid p);")]
    [InlineData("ValueTask<byte[]> BytesAsync(byte[] a, ReadOnlyMemory<byte> b, Memory<byte> c);")]
    [InlineData("ValueTask<int?[]> NullablesAsync(int? a, string? b, double?[] c, List<string?> d, Dictionary<string, int?>? e);")]
    [InlineData("ValueTask<IReadOnlyList<int>> CollectionsAsync(int[] a, List<int> b, IList<int> c, ICollection<int> d, IReadOnlyList<int> e, IReadOnlyCollection<int> f, IEnumerable<int> g, int[][] h);")]
    [InlineData("ValueTask<IReadOnlyDictionary<string, double>> MapsAsync(Dictionary<string, int> a, IDictionary<string, string> b, IReadOnlyDictionary<string, List<int>> c);")]
    [InlineData("ValueTask<MsgPackValue> AnyAsync(MsgPackValue a, RawMsgPack b);")]
    [InlineData("ValueTask<Box> RecordsAsync(Box box, Plain plain, Mutable mutable, Pair pair, Tree tree, Kind kind, Kind? maybe);")]
    [InlineData("[HyphaName(\"plus\")] ValueTask<int> AddAsync([HyphaName(\"left\")] int a, int b = 2, string text = \"x\", Kind kind = Kind.Two, double d = 1.5);")]
    public void Every_supported_shape_and_type_generates_code_that_compiles(string member)
    {
        TypedServiceRun run = TypedServiceRun.Start(Contract(member));

        Assert.Empty(run.Diagnostics);
        string source = Assert.Single(run.Sources);
        Assert.Contains("public static class IShapesHypha", source, StringComparison.Ordinal);
        Assert.Empty(run.CompileErrors);
    }

    [Fact]
    public void Names_are_snake_case_without_Async_and_attributes_override_them()
    {
        TypedServiceRun run = TypedServiceRun.Start(Contract("""
            ValueTask<int> GetItemCountAsync(string itemName, int maxItems);
            [HyphaName("plus")] ValueTask<int> AddAsync([HyphaName("left")] int a, int b);
            ValueTask HTTPServerAsync();
            """));

        string source = Assert.Single(run.Sources);
        Assert.Contains("\"get_item_count\" => 0", source, StringComparison.Ordinal);
        Assert.Contains("\"item_name\", \"max_items\"", source, StringComparison.Ordinal);
        Assert.Contains("\"plus\" => 1", source, StringComparison.Ordinal);
        Assert.Contains("\"left\", \"b\"", source, StringComparison.Ordinal);
        Assert.Contains("\"http_server\" => 2", source, StringComparison.Ordinal);
        Assert.Empty(run.CompileErrors);
    }

    [Fact]
    public void An_RpcContext_parameter_is_passed_by_the_dispatcher_and_is_neither_an_argument_nor_in_the_schema()
    {
        TypedServiceRun run = TypedServiceRun.Start(Contract("""
            ValueTask<int> WhereAsync(int a, Hypha.Client.Rpc.RpcContext? context = null, CancellationToken cancellationToken = default);
            ValueTask<int> PlainAsync(int a);
            """));

        string source = Assert.Single(run.Sources);
        Assert.Empty(run.CompileErrors);
        Assert.Contains("WhereAsync(p0, request.Caller, cancellationToken)", source, StringComparison.Ordinal);
        Assert.Contains("private static readonly string[] Parameters0 = [\"a\"];", source, StringComparison.Ordinal);
        Assert.DoesNotContain("\"\"context\"\"", source, StringComparison.Ordinal);
        Assert.Contains("\"where\", null, ", source, StringComparison.Ordinal);
        Assert.Contains(", true, false, takesContext: true),", source, StringComparison.Ordinal);
        Assert.Contains(", false, false),", source, StringComparison.Ordinal);
    }

    [Fact]
    public void Descriptions_come_from_the_xml_doc_comments()
    {
        TypedServiceRun run = TypedServiceRun.Start(Contract("""
            /// <summary>Adds <paramref name="a"/> to the <see cref="Box"/>.</summary>
            /// <param name="a">How much, in <c>units</c>.</param>
            ValueTask<int> AddAsync(int a);
            """));

        string source = Assert.Single(run.Sources);
        Assert.Contains("\"\"description\"\":\"\"Adds a to the Box.\"\"", source, StringComparison.Ordinal);
        Assert.Contains("\"\"a\"\":{\"\"type\"\":\"\"integer\"\",\"\"description\"\":\"\"How much, in units.\"\"}", source, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ValueTask<int> AddAsync(ref int a);", "HYT004", "IShapes.AddAsync: parameter 'a'")]
    [InlineData("ValueTask<int> AddAsync(out int a);", "HYT004", "IShapes.AddAsync: parameter 'a'")]
    [InlineData("ValueTask<int> AddAsync(in int a);", "HYT004", "IShapes.AddAsync: parameter 'a'")]
    [InlineData("ValueTask<T> EchoAsync<T>(T value);", "HYT005", "IShapes.EchoAsync")]
    [InlineData("int Add(int a, int b);", "HYT002", "IShapes.Add: returns 'int'")]
    [InlineData("void Fire();", "HYT002", "IShapes.Fire: returns 'void'")]
    [InlineData("ValueTask<object> AnyAsync();", "HYT003", "IShapes.AnyAsync: its result: 'object'")]
    [InlineData("ValueTask TakeAsync(HashSet<int> items);", "HYT003", "IShapes.TakeAsync: parameter 'items'")]
    [InlineData("ValueTask TakeAsync(Dictionary<int, string> map);", "HYT003", "map keys must be strings")]
    [InlineData("ValueTask TakeAsync(decimal amount);", "HYT003", "decimal has no msgpack form")]
    [InlineData("ValueTask TakeAsync((int, int) pair);", "HYT003", "IShapes.TakeAsync: parameter 'pair'")]
    [InlineData("ValueTask TakeAsync(int[,] grid);", "HYT003", "one-dimensional")]
    [InlineData("ValueTask TakeAsync(Holder holder);", "HYT003", "'Demo.Holder.Value': 'object'")]
    [InlineData("ValueTask TakeAsync(CancellationToken cancellationToken, int a);", "HYT006", "IShapes.TakeAsync: the CancellationToken 'cancellationToken' must be the last parameter")]
    [InlineData("ValueTask TakeAsync(Hypha.Client.Rpc.RpcContext a, Hypha.Client.Rpc.RpcContext? b);", "HYT013", "IShapes.TakeAsync: 'b' is a second RpcContext")]
    [InlineData("ValueTask TakeAsync(Func<Hypha.Client.Rpc.RpcContext, Task> cb);", "HYT003", "'Hypha.Client.Rpc.RpcContext' is the caller's context")]
    [InlineData("ValueTask<Hypha.Client.Rpc.RpcContext> ContextAsync();", "HYT003", "cannot travel in a callback, result, record or collection")]
    [InlineData("ValueTask<int> GetXAsync(); ValueTask<int> Get_XAsync();", "HYT007", "GetXAsync, Get_XAsync all have the wire name 'get_x'")]
    [InlineData("[HyphaName(\"same\")] ValueTask OneAsync(); [HyphaName(\"same\")] ValueTask TwoAsync();", "HYT007", "'same'")]
    [InlineData("ValueTask AddAsync(int a); ValueTask AddAsync(string a);", "HYT007", "'add'")]
    [InlineData("ValueTask TakeAsync(int itemCount, [HyphaName(\"item_count\")] int other);", "HYT008", "'itemCount', 'other' all have the wire name 'item_count'")]
    [InlineData("[HyphaName(\"a.b\")] ValueTask TakeAsync();", "HYT009", "'a.b'")]
    [InlineData("ValueTask TakeAsync(Sealed value);", "HYT010", "'Demo.Sealed' cannot be read back")]
    [InlineData("int Count { get; }", "HYT011", "IShapes.Count")]
    [InlineData("event Action Changed;", "HYT011", "IShapes.Changed")]
    [InlineData("ValueTask TakeAsync(Func<int, int> map);", "HYT012", "a synchronous result would block the caller")]
    [InlineData("ValueTask TakeAsync(Func<int, CancellationToken, Task> map);", "HYT012", "is a CancellationToken")]
    public void Unsupported_members_and_types_are_errors_that_name_the_member(string member, string id, string text)
    {
        TypedServiceRun run = TypedServiceRun.Start(Contract(member));

        Diagnostic diagnostic = Assert.Single(run.Diagnostics, d => d.Id == id);
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        Assert.Contains(text, diagnostic.GetMessage(), StringComparison.Ordinal);
        Assert.Equal("Contract.cs", diagnostic.Location.GetLineSpan().Path);
        Assert.Empty(run.Sources);
    }

    [Theory]
    [InlineData("[HyphaService(\"a.b\")] public interface IBad { ValueTask PingAsync(); }", "HYT009", "service id 'a.b'")]
    [InlineData("[HyphaService(\"g\")] public interface IBad<T> { ValueTask PingAsync(); }", "HYT001", "non-generic interface declared directly in a namespace")]
    [InlineData("public static class Outer { [HyphaService(\"n\")] public interface IBad { ValueTask PingAsync(); } }", "HYT001", "declared directly in a namespace")]
    public void Invalid_contracts_are_errors(string source, string id, string text)
    {
        TypedServiceRun run = TypedServiceRun.Start($"namespace Demo; {source}");

        Diagnostic diagnostic = Assert.Single(run.Diagnostics);
        Assert.Equal(id, diagnostic.Id);
        Assert.Contains(text, diagnostic.GetMessage(), StringComparison.Ordinal);
        Assert.Empty(run.Sources);
    }

    [Fact]
    public void Methods_of_base_interfaces_are_part_of_the_contract()
    {
        TypedServiceRun run = TypedServiceRun.Start("""
            namespace Demo;
            public interface IBase { ValueTask<int> BaseAsync(int a); }
            [HyphaService("derived")]
            internal interface IDerived : IBase { ValueTask<int> DerivedAsync(int a); }
            """);

        Assert.Empty(run.Diagnostics);
        string source = Assert.Single(run.Sources);
        Assert.Contains("internal static class IDerivedHypha", source, StringComparison.Ordinal);
        Assert.Contains("\"base\" => 1", source, StringComparison.Ordinal);
        Assert.Empty(run.CompileErrors);
    }

    private static string Contract(string members) => $$"""
        namespace Demo;

        public enum Kind { One, Two, [HyphaName("three")] Three = 3, Alias = 3 }

        public sealed record Box(string Name, int Count, Box? Inner = null);

        public sealed class Plain { public int A { get; set; } public required string B { get; init; } public string? C { get; init; } public int Computed => A * 2; }

        public sealed class Mutable { public List<Plain> Items { get; set; } = []; }

        public readonly record struct Pair(int Left, int Right);

        public sealed record Tree(string Label, List<Tree> Children) { public Dictionary<string, Tree>? Named { get; init; } }

        public sealed class Holder { public object? Value { get; set; } }

        public sealed class Sealed { public Sealed(int value, int other) { Value = value; } public int Value { get; } }

        [HyphaService("shapes")]
        public interface IShapes
        {
            {{members}}
        }
        """;
}

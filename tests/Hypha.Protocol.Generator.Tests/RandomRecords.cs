using Hypha.Protocol.MsgPack;
using Hypha.Protocol.Schemas;

namespace Hypha.Protocol.Generator.Tests;

/// <summary>Random records of a compiled schema: optional fields present or not, and values at the edges of their types.</summary>
internal static class RandomRecords
{
    private static readonly string[] Texts = ["", "a", "hello", "é中文🙂", "services.s1.add", new string('x', 300), "ws-user-1/client-2"];

    public static SchemaRecord Create(CompiledSchema schema, Func<string, CompiledSchema> compiled, Random random, int depth = 0)
    {
        SchemaRecord record = schema.NewRecord();
        for (int i = 0; i < schema.Definition.Fields.Count; i++)
        {
            SchemaField field = schema.Definition.Fields[i];
            if (field.Optional && (random.Next(3) == 0 || depth > 3))
            {
                continue;
            }

            record[i] = Value(field.Type, compiled, random, depth);
        }

        return record;
    }

    private static object Value(SchemaType type, Func<string, CompiledSchema> compiled, Random random, int depth) => type.Kind switch
    {
        SchemaTypeKind.Bool => random.Next(2) == 0,
        SchemaTypeKind.Int32 => random.Next(4) switch { 0 => int.MinValue, 1 => int.MaxValue, _ => random.Next(-200, 200) },
        SchemaTypeKind.Int64 => random.Next(4) switch { 0 => long.MinValue, 1 => long.MaxValue, _ => random.NextInt64(-100_000, 100_000) },
        SchemaTypeKind.UInt32 => random.Next(3) == 0 ? uint.MaxValue : (uint)random.Next(1000),
        SchemaTypeKind.UInt64 => random.Next(3) == 0 ? ulong.MaxValue : (ulong)random.NextInt64(long.MaxValue),
        SchemaTypeKind.Float32 => random.Next(4) == 0 ? float.NaN : (float)((random.NextDouble() - 0.5) * 1e6),
        SchemaTypeKind.Float64 => random.Next(4) == 0 ? double.NegativeInfinity : (random.NextDouble() - 0.5) * 1e300,
        SchemaTypeKind.String => Texts[random.Next(Texts.Length)],
        SchemaTypeKind.Bytes => (ReadOnlyMemory<byte>)Bytes(random),
        SchemaTypeKind.Any => RawMsgPack.From(random.Next(4) switch
        {
            0 => MsgPackValue.Nil,
            1 => Texts[random.Next(Texts.Length)],
            2 => new MsgPackValue[] { random.Next(), 1.5, true },
            _ => new MsgPackMap { { "k", random.Next() }, { "bin", Bytes(random) } },
        }),
        SchemaTypeKind.Array => Enumerable.Range(0, depth > 3 ? 0 : random.Next(4)).Select(_ => Value(type.Element!, compiled, random, depth + 1)).ToArray<object?>(),
        SchemaTypeKind.Map => Enumerable.Range(0, depth > 3 ? 0 : random.Next(4))
            .ToDictionary(i => $"key{i}", i => (object?)Value(type.Element!, compiled, random, depth + 1), StringComparer.Ordinal),
        _ => Create(compiled(type.Reference!), compiled, random, depth + 1),
    };

    private static byte[] Bytes(Random random)
    {
        byte[] bytes = new byte[random.Next(0, 40)];
        random.NextBytes(bytes);
        return bytes;
    }
}

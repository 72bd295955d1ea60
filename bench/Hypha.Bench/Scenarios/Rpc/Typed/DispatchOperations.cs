using System.Runtime.CompilerServices;
using Hypha.Bench.Harness;
using Hypha.Bench.Schemas;
using Hypha.Client.Typed;
using Hypha.Protocol.Buffers;
using Hypha.Protocol.MsgPack;
using Hypha.Protocol.Schemas;

namespace Hypha.Bench.Scenarios.Rpc.Typed;

/// <summary>
/// The server-side dispatcher alone, as the RPC core runs it for one call: the function name resolved to its method
/// id (the generated switch), a request over the call's <c>args</c> bytes, the arguments read, the implementation
/// called, the result written into a response (its buffer rented and returned) whose bytes are what goes out.
/// </summary>
/// With <paramref name="binaryRecords"/>, the response writes records in their binary form, as it answers a call marked for them.
internal readonly struct DispatchOperation(HyphaServiceDescriptor<IBenchService> descriptor, IBenchService service, string function, ReadOnlyMemory<byte> args,
    bool binaryRecords = false)
    : IOperation
{
    [MethodImpl(MethodImplOptions.NoInlining)]
    public long Invoke()
    {
        int methodId = descriptor.MethodId(function);
        var request = new TypedRequest(args);
        using TypedResponse response = TypedResponse.Rent(binaryRecords);
        ValueTask running = descriptor.InvokeAsync(service, methodId, request, response, CancellationToken.None);
        if (!running.IsCompletedSuccessfully)
        {
            throw new InvalidOperationException("The benchmarked implementation completes synchronously.");
        }

        return response.Written.Length;
    }
}

/// <summary>A record in its schema-compiled binary form: encode into a pooled buffer, then decode.</summary>
internal readonly struct RecordBinaryOperation(PooledBufferWriter output, Hypha.Bench.Schemas.BenchReading record) : IOperation
{
    [MethodImpl(MethodImplOptions.NoInlining)]
    public long Invoke()
    {
        output.Clear();
        var writer = new SchemaWriter(output);
        Hypha.Bench.Schemas.BenchReading.Write(ref writer, record);
        writer.Flush();
        var reader = new SchemaReader(output.WrittenMemory);
        Hypha.Bench.Schemas.BenchReading decoded = Hypha.Bench.Schemas.BenchReading.Read(ref reader);
        return output.WrittenCount + decoded.Tags.Length;
    }
}

/// <summary>The same record as a msgpack map with its field names (what hypha peers read): encode, then decode.</summary>
internal readonly struct RecordMsgPackOperation(PooledBufferWriter output, Hypha.Bench.Schemas.BenchReading record) : IOperation
{
    [MethodImpl(MethodImplOptions.NoInlining)]
    public long Invoke()
    {
        output.Clear();
        var writer = new MsgPackWriter(output);
        Hypha.Bench.Schemas.BenchReading.WriteMsgPack(ref writer, record);
        writer.Flush();
        var reader = new MsgPackReader(output.WrittenMemory);
        Hypha.Bench.Schemas.BenchReading decoded = Hypha.Bench.Schemas.BenchReading.TryReadMsgPack(ref reader)
            ?? throw new InvalidOperationException("The record did not read back.");
        return output.WrittenCount + decoded.Tags.Length;
    }
}

using Hypha.Bench.Harness;
using Hypha.Client.Typed;
using Hypha.Protocol.Buffers;
using Hypha.Protocol.MsgPack;

namespace Hypha.Bench.Scenarios.Rpc.Typed;

/// <summary>
/// The in-process typed cases of the <c>rpc</c> scenario: <c>dispatch</c> (the generated dispatcher serving
/// <c>add(1, 2)</c>, args bytes in, result bytes out), <c>dispatch-record</c> (the same for a record in and out, as a
/// map) and <c>dispatch-record-binary</c> (the same record in its binary form, in and out), and
/// the record's two encodings side by side, <c>record/binary</c> (schema-compiled) and <c>record/msgpack</c> (a map
/// with names), which decided how records travel (docs/typed-services.md; full runs only).
/// </summary>
internal static class TypedMeasurements
{
    public static void Run(BenchContext context)
    {
        HyphaServiceDescriptor<IBenchService> descriptor = HyphaServices.Describe<IBenchService>();
        var service = new BenchService();
        byte[] addArgs = Encode(static (ref MsgPackWriter writer) =>
        {
            writer.WriteArrayHeader(2);
            writer.Write(1L);
            writer.Write(2L);
        });
        byte[] recordArgs = Encode(static (ref MsgPackWriter writer) =>
        {
            writer.WriteArrayHeader(1);
            writer.WriteMapHeader(4);
            writer.Write("sensor_name");
            writer.Write("thermometer-7");
            writer.Write("value");
            writer.Write(21.5);
            writer.Write("at");
            writer.Write(1_764_460_800_000L);
            writer.Write("tags");
            writer.WriteArrayHeader(2);
            writer.Write("kitchen");
            writer.Write("calibrated");
        });
        Check(descriptor, service, "add", addArgs, expected: [0x91, 0x03]);
        Check(descriptor, service, "echo", recordArgs, expected: recordArgs);

        // The same record as the args of a call marked for binary records: the map read once and answered in binary.
        byte[] binaryRecordArgs = Answer(descriptor, service, "echo", recordArgs, binaryRecords: true);
        Check(descriptor, service, "echo", binaryRecordArgs, expected: binaryRecordArgs, binaryRecords: true);
        var binary = new MsgPackReader(binaryRecordArgs);
        if (binary.ReadArrayHeader() != 1 || binary.NextType != MsgPackType.Extension)
        {
            throw new InvalidOperationException($"echo answered {Convert.ToHexString(binaryRecordArgs)}, not a record in binary form.");
        }

        var set = new CaseSet()
            .Add(RpcCases.Dispatch, new DispatchOperation(descriptor, service, "add", addArgs))
            .Add(RpcCases.DispatchRecord, new DispatchOperation(descriptor, service, "echo", recordArgs))
            .Add(RpcCases.DispatchRecordBinary, new DispatchOperation(descriptor, service, "echo", binaryRecordArgs, binaryRecords: true));
        IReadOnlyDictionary<string, Measurement> dispatched = context.Measure(set);
        context.Emit(RpcCases.DispatchRecord, Metrics.Bytes, recordArgs.Length);
        context.Emit(RpcCases.DispatchRecordBinary, Metrics.Bytes, binaryRecordArgs.Length);
        context.EmitTimeRatio(RpcCases.DispatchRecordBinary, dispatched[RpcCases.DispatchRecordBinary], RpcCases.DispatchRecord, dispatched[RpcCases.DispatchRecord]);
        if (context.Quick)
        {
            // The encodings compared are fixed by the generated codecs: measured in full runs, not in the 60 s budget.
            return;
        }

        using var binaryBuffer = new PooledBufferWriter(256);
        using var msgPackBuffer = new PooledBufferWriter(256);
        var record = new Hypha.Bench.Schemas.BenchReading { SensorName = "thermometer-7", Value = 21.5, At = 1_764_460_800_000L, Tags = ["kitchen", "calibrated"] };
        IReadOnlyDictionary<string, Measurement> records = context.Measure(new CaseSet()
            .Add(RpcCases.RecordBinary, new RecordBinaryOperation(binaryBuffer, record))
            .Add(RpcCases.RecordMsgPack, new RecordMsgPackOperation(msgPackBuffer, record)));
        context.Emit(RpcCases.RecordBinary, Metrics.Bytes, binaryBuffer.WrittenCount);
        context.Emit(RpcCases.RecordMsgPack, Metrics.Bytes, msgPackBuffer.WrittenCount);
        context.EmitTimeRatio(RpcCases.RecordBinary, records[RpcCases.RecordBinary], RpcCases.RecordMsgPack, records[RpcCases.RecordMsgPack]);
    }

    private delegate void ArgsWriter(ref MsgPackWriter writer);

    private static byte[] Encode(ArgsWriter write)
    {
        using var buffer = new PooledBufferWriter(256);
        var writer = new MsgPackWriter(buffer);
        write(ref writer);
        writer.Flush();
        return buffer.WrittenMemory.ToArray();
    }

    // Every case checks its answer once before it is timed: a dispatcher that answered wrongly would time nothing real.
    private static void Check(HyphaServiceDescriptor<IBenchService> descriptor, IBenchService service, string function, byte[] args, byte[] expected,
        bool binaryRecords = false)
    {
        byte[] answer = Answer(descriptor, service, function, args, binaryRecords);
        if (!answer.AsSpan().SequenceEqual(expected))
        {
            throw new InvalidOperationException($"dispatch of {function} answered {Convert.ToHexString(answer)}, expected {Convert.ToHexString(expected)}.");
        }
    }

    private static byte[] Answer(HyphaServiceDescriptor<IBenchService> descriptor, IBenchService service, string function, byte[] args, bool binaryRecords)
    {
        using TypedResponse response = TypedResponse.Rent(binaryRecords);
        descriptor.InvokeAsync(service, descriptor.MethodId(function), new TypedRequest(args), response, CancellationToken.None).AsTask().GetAwaiter().GetResult();
        return response.Written.ToArray();
    }
}

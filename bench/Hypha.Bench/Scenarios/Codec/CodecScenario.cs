using Hypha.Bench.Harness;

namespace Hypha.Bench.Scenarios.Codec;

/// <summary>
/// <c>codec</c>: an rpc envelope and its arguments, encoded and decoded in memory: the rpc_method_v4 envelope
/// through the schema-compiled codecs, msgpack and protobuf side by side (<see cref="EnvelopeCases"/>), then our
/// msgpack message model on the call frame and a 64 KiB binary argument.
/// </summary>
internal sealed class CodecScenario : IScenario
{
    public string Name => "codec";

    public string Description => "rpc envelope encode+decode (schema, schema-runtime, msgpack, protobuf); msgpack call frame and a 64 KiB bin argument";

    public void Run(BenchContext context)
    {
        EnvelopeCases.Run(context);
        MsgPackCallCases.Run(context);
        MsgPackBinaryCases.Run(context);
    }
}

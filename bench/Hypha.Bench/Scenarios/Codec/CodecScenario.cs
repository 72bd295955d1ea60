using Hypha.Bench.Harness;

namespace Hypha.Bench.Scenarios.Codec;

/// <summary>
/// <c>codec</c>: an rpc envelope and its arguments, encoded and decoded in memory. Today the peer is our
/// <c>msgpack</c>; the <c>schema</c>, <c>schema-runtime</c> and <c>protobuf</c> peers join here and report their
/// time ratio to <see cref="MsgPackCallCases.RoundTrip"/>.
/// </summary>
internal sealed class CodecScenario : IScenario
{
    public string Name => "codec";

    public string Description => "rpc call frame and a 64 KiB bin argument, encode and decode (msgpack)";

    public void Run(BenchContext context)
    {
        MsgPackCallCases.Run(context);
        MsgPackBinaryCases.Run(context);
    }
}

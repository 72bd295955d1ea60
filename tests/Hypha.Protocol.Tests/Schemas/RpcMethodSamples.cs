using Hypha.Protocol.MsgPack;
using Hypha.Protocol.Schemas;

namespace Hypha.Protocol.Tests.Schemas;

/// <summary>Random but reproducible rpc_method_v4 messages, covering every field present and absent.</summary>
internal static class RpcMethodSamples
{
    public static IEnumerable<RpcMethodV4> Random(int count, int seed)
    {
        var random = new Random(seed);
        for (int i = 0; i < count; i++)
        {
            yield return new RpcMethodV4
            {
                Type = random.Next(8) == 0 ? "client_disconnected" : "method",
                From = Maybe(random, () => $"ws-{random.Next(5)}/c{random.Next(40)}"),
                To = Maybe(random, () => $"ws-{random.Next(5)}/c{random.Next(40)}"),
                Method = Maybe(random, () => random.Next(2) == 0 ? $"services.s{random.Next(30)}.add" : $"{Id(random)}.resolve"),
                Parent = Maybe(random, () => Id(random)),
                Session = Maybe(random, () => Id(random)),
                Ws = Maybe(random, () => $"ws-{random.Next(5)}"),
                User = MaybeValue(random, () => RawMsgPack.From(new MsgPackMap { { "id", $"u{random.Next(9)}" }, { "roles", Array.Empty<MsgPackValue>() } })),
                Data = MaybeValue(random, () => RawMsgPack.From(new MsgPackMap { { "id", random.Next() } })),
                Args = MaybeValue(random, () => RawMsgPack.From(new MsgPackValue[] { random.Next(-1000, 1000), "hello", 2.5 })),
                WithKwargs = random.Next(3) == 0 ? random.Next(2) == 0 : null,
                Promise = MaybeValue(random, () => RawMsgPack.From("*")),
                T = MaybeValue(random, () => random.Next(2) == 0 ? RawMsgPack.From(15) : RawMsgPack.From(7.5)),
            };
        }
    }

    private static string Id(Random random) => Convert.ToHexString(BitConverter.GetBytes(random.NextInt64())).ToLowerInvariant();

    private static string? Maybe(Random random, Func<string> value) => random.Next(3) == 0 ? null : value();

    private static RawMsgPack? MaybeValue(Random random, Func<RawMsgPack> value) => random.Next(3) == 0 ? null : value();
}

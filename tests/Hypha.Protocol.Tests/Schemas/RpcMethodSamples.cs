using Hypha.Protocol.Messages;
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

    /// <summary>
    /// Random but reproducible messages of an answer's shape or a field away from it (an event, no sender, a call's
    /// method, a session, data, a promise, keyword arguments, ...): for readers that take answers alone.
    /// </summary>
    public static IEnumerable<RpcMethodV4> NearAnswers(int count, int seed)
    {
        var random = new Random(seed);
        string[] methods = ["s1.resolve", "s1.reject", "s1.heartbeat", "s1.cb", "services.a.b", "x.resolve.more", "resolve", "é.reject"];
        for (int i = 0; i < count; i++)
        {
            yield return new RpcMethodV4
            {
                Type = random.Next(8) == 0 ? "event" : "method",
                From = random.Next(10) == 0 ? null : $"ws/p{random.Next(3)}",
                To = random.Next(2) == 0 ? null : "ws/c",
                Method = random.Next(12) == 0 ? null : methods[random.Next(methods.Length)],
                Parent = random.Next(2) == 0 ? null : $"s{random.Next(100)}",
                Session = random.Next(6) == 0 ? "s2" : null,
                Ws = random.Next(2) == 0 ? null : "ws",
                User = random.Next(2) == 0 ? null : RawMsgPack.From(new MsgPackMap { { "id", $"u{random.Next(3)}" } }),
                Data = random.Next(10) == 0 ? RawMsgPack.From(1) : null,
                Args = random.Next(4) == 0 ? null : RawMsgPack.From(new MsgPackValue[] { random.Next(), "text" }),
                WithKwargs = random.Next(6) switch { 0 => true, 1 => false, _ => null },
                Promise = random.Next(8) == 0 ? RpcMessages.CompactPromiseMarker : null,
                T = random.Next(10) == 0 ? RawMsgPack.From(15) : null,
                Records = random.Next(10) == 0 ? "fingerprint" : null,
            };
        }
    }

    private static string Id(Random random) => Convert.ToHexString(BitConverter.GetBytes(random.NextInt64())).ToLowerInvariant();

    private static string? Maybe(Random random, Func<string> value) => random.Next(3) == 0 ? null : value();

    private static RawMsgPack? MaybeValue(Random random, Func<RawMsgPack> value) => random.Next(3) == 0 ? null : value();
}

using Hypha.Protocol.MsgPack;
using Hypha.Server.Workspaces;
using static Hypha.Server.Tests.Workspaces.ServiceInfos;

namespace Hypha.Server.Tests.Workspaces;

public class ServiceRegistryConcurrencyTests
{
    private const int Clients = 64;
    private const int ServicesPerClient = 8;

    [Fact]
    public void Parallel_registrations_lookups_and_removals_stay_consistent()
    {
        var registry = new ServiceRegistry();
        Parallel.For(0, Clients, new ParallelOptions { MaxDegreeOfParallelism = 8 }, client =>
        {
            string workspace = $"ws-{client % 4}";
            ConnectedCaller caller = Connect(registry, workspace, $"client-{client}");
            for (int i = 0; i < ServicesPerClient; i++)
            {
                Assert.NotNull(registry.Register(caller, Info($"{workspace}/{caller.ClientId}:svc-{i}", visibility: "public")));
                Assert.Equal(caller.ClientId, registry.Resolve($"{caller.ClientId}:svc-{i}", workspace).ClientId);
                Assert.NotEmpty(registry.Resolve($"{workspace}/svc-{i}", "other", "random").ClientId);
                Assert.NotEmpty(registry.List("*/*:svc-0", "other"));
            }

            // Odd clients leave again, racing with the even ones still registering.
            if (client % 2 == 1)
            {
                Assert.Equal(ServicesPerClient + 1, registry.RemoveClient(workspace, caller.ClientId).Count);
            }
        });

        IReadOnlyList<MsgPackMap> all = registry.List("*/*:*", "other");
        Assert.Equal(Clients / 2 * (ServicesPerClient + 1), all.Count);
        Assert.Equal(all.Count, Ids(all).Distinct().Count());
        Assert.All(all, info => Assert.Equal(0, ClientNumber(info) % 2));
    }

    // "ws-<w>/client-<n>:<svc>" -> n
    private static int ClientNumber(MsgPackMap info)
    {
        string id = Id(info);
        int start = id.IndexOf("client-", StringComparison.Ordinal) + "client-".Length;
        return int.Parse(id[start..id.IndexOf(':', StringComparison.Ordinal)], System.Globalization.CultureInfo.InvariantCulture);
    }
}

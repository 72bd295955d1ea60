using Hypha.Client.Rpc;
using Hypha.Protocol.Messages;
using Hypha.Protocol.Objects;

namespace Hypha.Client.Tests.Rpc;

/// <summary>Where the answers to an incoming call go, from either promise form.</summary>
public sealed class ReplyRouteTests
{
    [Fact]
    public void The_compact_form_answers_the_callers_session()
    {
        ReplyRoute route = ReplyRoute.Compact("ws/caller", "s1", 15);

        Assert.Equal(new ReplyEndpoint("ws/caller", "s1.resolve"), route.Resolve);
        Assert.Equal(new ReplyEndpoint("ws/caller", "s1.reject"), route.Reject);
        Assert.Equal(new ReplyEndpoint("ws/caller", "s1.heartbeat"), route.Heartbeat);
        Assert.Equal(15, route.HeartbeatInterval);
    }

    [Fact]
    public void A_compact_promise_without_an_interval_asks_for_no_heartbeats()
    {
        Assert.Null(ReplyRoute.Compact("ws/caller", "s1", null).HeartbeatInterval);
    }

    [Fact]
    public void The_explicit_form_answers_its_descriptors_made_absolute()
    {
        var promise = new ExplicitPromise(RemoteMethod.Create("caller", "s2.ok"), RemoteMethod.Create("other/caller", "s2.bad"),
            RemoteMethod.Create("caller", "s2.alive"), 7.5);

        ReplyRoute route = ReplyRoute.Explicit(promise, "ws");

        Assert.Equal(new ReplyEndpoint("ws/caller", "s2.ok"), route.Resolve);
        Assert.Equal(new ReplyEndpoint("other/caller", "s2.bad"), route.Reject);
        Assert.Equal(new ReplyEndpoint("ws/caller", "s2.alive"), route.Heartbeat);
        Assert.Equal(7.5, route.HeartbeatInterval);
    }

    [Fact]
    public void An_explicit_promise_without_a_heartbeat_has_none()
    {
        var promise = new ExplicitPromise(RemoteMethod.Create("ws/c", "s3.ok"), RemoteMethod.Create("ws/c", "s3.bad"), null, null);

        ReplyRoute route = ReplyRoute.Explicit(promise, "ws");

        Assert.Null(route.Heartbeat);
        Assert.Null(route.HeartbeatInterval);
    }
}

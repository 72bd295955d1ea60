using System.Text;
using Hypha.Server.Routing;

namespace Hypha.Server.Tests.Routing;

public sealed class PendingCallsTests
{
    [Theory]
    [InlineData("S1")]
    [InlineData("séance-☃")]
    [InlineData("a-session-id-longer-than-what-the-stack-takes-")]
    public void An_answer_forgets_its_call_whether_its_method_is_a_string_or_bytes(string session)
    {
        string longer = session.EndsWith('-') ? string.Concat(Enumerable.Repeat(session, 10)) : session;
        var fromString = new PendingCalls();
        var fromBytes = new PendingCalls();
        fromString.Started("ws/callee", "ws/caller", longer);
        fromBytes.Started("ws/callee", "ws/caller", longer);

        fromString.Answered("ws/callee", "ws/caller", $"{longer}.resolve");
        fromBytes.Answered("ws/callee", "ws/caller", Encoding.UTF8.GetBytes($"{longer}.reject"));

        Assert.True(fromString.IsEmpty);
        Assert.True(fromBytes.IsEmpty);
    }

    [Theory]
    [InlineData("ws/callee", "ws/other", "S1.resolve")]
    [InlineData("ws/other", "ws/caller", "S1.resolve")]
    [InlineData("ws/callee", "ws/caller", "S2.resolve")]
    [InlineData("ws/callee", "ws/caller", "S1.heartbeat")]
    [InlineData("ws/callee", "ws/caller", "S1")]
    [InlineData("ws/callee", "ws/caller", ".resolve")]
    public void Anything_but_that_callees_answer_to_that_caller_leaves_the_call(string callee, string caller, string method)
    {
        var pending = new PendingCalls();
        pending.Started("ws/callee", "ws/caller", "S1");

        pending.Answered(callee, caller, method);
        pending.Answered(callee, caller, Encoding.UTF8.GetBytes(method));

        Assert.Equal([new PendingCall("ws/caller", "S1")], pending.Abandon("ws/callee"));
    }

    [Fact]
    public void A_call_rejected_by_the_router_is_forgotten_with_its_callee_once_nothing_more_is_owed_there()
    {
        var pending = new PendingCalls();
        for (int i = 0; i < 1000; i++)
        {
            pending.Started($"ws/ghost-{i}", "ws/caller", "S1");
            pending.Rejected($"ws/ghost-{i}", "ws/caller", "S1");
        }

        pending.Started("ws/callee", "ws/caller", "S1");
        pending.Started("ws/callee", "ws/caller", "S2");
        pending.Rejected("ws/callee", "ws/caller", "S1");

        Assert.Equal(1, pending.CalleeCount);
        Assert.Equal([new PendingCall("ws/caller", "S2")], pending.Abandon("ws/callee"));
    }

    [Fact]
    public void A_callee_is_owed_at_most_its_limit_and_room_comes_back_as_calls_are_answered()
    {
        var pending = new PendingCalls();
        for (int i = 0; i <= 65_536; i++)
        {
            pending.Started("ws/callee", "ws/caller", $"S{i}");
        }

        pending.Started("ws/callee", "ws/caller", "S0"); // the same call twice counts once
        pending.Answered("ws/callee", "ws/caller", "S0.resolve"u8);
        pending.Started("ws/callee", "ws/caller", "late");

        IReadOnlyCollection<PendingCall> owed = pending.Abandon("ws/callee");
        Assert.Equal(65_536, owed.Count);
        Assert.Contains(new PendingCall("ws/caller", "late"), owed);
        Assert.DoesNotContain(new PendingCall("ws/caller", "S65536"), owed);
    }
}

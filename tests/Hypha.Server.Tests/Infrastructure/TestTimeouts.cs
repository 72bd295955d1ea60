namespace Hypha.Server.Tests.Infrastructure;

/// <summary>Upper bounds for waits, so that a failing test fails instead of hanging.</summary>
internal static class TestTimeouts
{
    public static readonly TimeSpan Receive = TimeSpan.FromSeconds(5);
}

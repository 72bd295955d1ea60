using System.Text;
using Hypha.Server.Connections;

namespace Hypha.Server.Tests.Connections;

public sealed class CloseReasonsTests
{
    [Fact]
    public void Short_reasons_are_kept()
    {
        Assert.Equal("Idle timeout", CloseReasons.Fit("Idle timeout"));
    }

    [Fact]
    public void Long_reasons_are_cut_to_fit_a_close_frame()
    {
        string reason = string.Concat(Enumerable.Repeat("é🙂", 100));
        string fitted = CloseReasons.Fit(reason);
        Assert.InRange(Encoding.UTF8.GetByteCount(fitted), 1, 123);
        Assert.EndsWith("...", fitted, StringComparison.Ordinal);
        Assert.DoesNotContain('\uFFFD', Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(fitted)));
    }
}

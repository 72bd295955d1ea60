using Hypha.Protocol.MsgPack;
using Xunit.Sdk;

namespace Hypha.Protocol.Tests.MsgPack;

/// <summary>Something to do with a reader, since a ref struct cannot be captured by a lambda.</summary>
internal delegate void ReaderAction(ref MsgPackReader reader);

internal static class ReaderAssert
{
    /// <summary>
    /// Runs <paramref name="action"/> and returns the <see cref="MsgPackException"/> it throws; fails when it throws
    /// nothing (any other exception type propagates and fails the test with its own stack trace).
    /// </summary>
    public static MsgPackException Throws(ref MsgPackReader reader, ReaderAction action)
    {
        try
        {
            action(ref reader);
        }
        catch (MsgPackException ex)
        {
            return ex;
        }

        throw new XunitException("Expected a MsgPackException, but nothing was thrown.");
    }
}

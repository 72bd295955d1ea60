namespace Hypha.Client.Rpc;

/// <summary>An error raised by a remote peer, or reported for a call whose peer went away (timeouts are <see cref="TimeoutException"/>).</summary>
public sealed class RemoteException : Exception
{
    /// <summary>Creates the exception.</summary>
    public RemoteException(string message, string? remoteTrace = null)
        : base(message)
    {
        RemoteTrace = remoteTrace;
    }

    /// <summary>Creates the exception with its cause.</summary>
    public RemoteException(string message, Exception inner)
        : base(message, inner)
    {
    }

    /// <summary>The remote traceback or stack, when the peer sent one.</summary>
    public string? RemoteTrace { get; }
}

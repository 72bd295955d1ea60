namespace Hypha.Transport.SharedMemory;

/// <summary>
/// A payload in shared memory could not be reached: its segment is gone, is not a segment, is too small, shows
/// another generation (the reference is stale) or would exceed the mapping limit. It fails the one message that
/// referenced it; the connection carries on.
/// </summary>
public sealed class SharedMemoryException : Exception
{
    /// <summary>Creates the exception.</summary>
    public SharedMemoryException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its cause.</summary>
    public SharedMemoryException(string message, Exception inner)
        : base(message, inner)
    {
    }
}

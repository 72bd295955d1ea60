namespace Hypha.Protocol.Compression;

/// <summary>A compressed block is malformed or would decompress past its limit. Nothing outside the buffers was touched.</summary>
public sealed class CompressionException : Exception
{
    /// <summary>Creates the exception with a message that says what is wrong with the block.</summary>
    public CompressionException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception for a failure reported by an underlying codec.</summary>
    public CompressionException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

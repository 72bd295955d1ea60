namespace Hypha.Protocol.Schemas;

/// <summary>
/// A message in the schema-compiled binary form that does not decode: truncated, a length past the end, a bad
/// varint, invalid UTF-8, an unknown intern slot, bytes left over. The only exception the binary decoders throw
/// for bad input.
/// </summary>
public sealed class SchemaFormatException : Exception
{
    /// <summary>Creates the exception for the byte at <paramref name="offset"/>.</summary>
    public SchemaFormatException(string message, int offset)
        : base($"{message} (at byte {offset})")
    {
        Offset = offset;
    }

    /// <summary>Creates the exception with the failure that caused it.</summary>
    public SchemaFormatException(string message, int offset, Exception inner)
        : base($"{message} (at byte {offset})", inner)
    {
        Offset = offset;
    }

    /// <summary>Where in the message the problem is.</summary>
    public int Offset { get; }
}

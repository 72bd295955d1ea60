using System.Buffers;

namespace Hypha.Protocol.Schemas;

/// <summary>
/// A whole message in the binary form: the schema's number in the connection's agreed list (a varint), the intern
/// definitions the message carries, then the body (docs/wire-format.md §7). The number and the definitions come
/// first so a receiver always stays in step with its peer's intern table, even for a message whose body it cannot
/// decode.
/// </summary>
public static class SchemaMessage
{
    /// <summary>
    /// Writes <paramref name="value"/> as schema number <paramref name="schemaNumber"/>, interning through
    /// <paramref name="interns"/> (the table of the channel it will be sent on). If the message is then not sent,
    /// call <see cref="InternSendTable.Abort"/> before the next one.
    /// </summary>
    public static void Write<T>(IBufferWriter<byte> output, int schemaNumber, T value, InternSendTable? interns)
        where T : class, ISchemaMessage<T>
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentOutOfRangeException.ThrowIfNegative(schemaNumber);
        interns?.Begin();
        var writer = new SchemaWriter(output, interns);
        writer.WriteVarint((ulong)schemaNumber);
        T.PlanInterned(ref writer, value);
        writer.WriteDefinitions();
        T.Write(ref writer, value);
        writer.Flush();
    }

    /// <summary>
    /// Reads a message's schema number and stores its intern definitions. A failure here leaves the intern table
    /// out of step with the peer's: the connection cannot go on.
    /// </summary>
    /// <exception cref="SchemaFormatException">The header does not decode.</exception>
    public static int ReadHeader(ref SchemaReader reader)
    {
        ulong number = reader.ReadVarint();
        if (number > int.MaxValue)
        {
            throw new SchemaFormatException($"Schema number {number} is out of range", 0);
        }

        reader.ReadDefinitions();
        return (int)number;
    }

    /// <summary>Reads the body of a message of schema <typeparamref name="T"/> and checks nothing follows it.</summary>
    /// <exception cref="SchemaFormatException">The body does not decode.</exception>
    public static T ReadBody<T>(ref SchemaReader reader)
        where T : class, ISchemaMessage<T>
    {
        T value = T.Read(ref reader);
        reader.ExpectEnd();
        return value;
    }

    /// <summary>Reads the body of a message of schema <typeparamref name="T"/> into <paramref name="value"/>, as <see cref="ReadBody{T}(ref SchemaReader)"/>.</summary>
    /// <exception cref="SchemaFormatException">The body does not decode.</exception>
    public static void ReadBody<T>(ref SchemaReader reader, T value)
        where T : class, ISchemaMessage<T>
    {
        T.Read(ref reader, value);
        reader.ExpectEnd();
    }
}

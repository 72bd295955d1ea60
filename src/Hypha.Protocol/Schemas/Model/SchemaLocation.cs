namespace Hypha.Protocol.Schemas;

/// <summary>A place in a schema file, for diagnostics.</summary>
/// <param name="line">1-based line, or 0 when unknown.</param>
/// <param name="column">1-based column, or 0 when unknown.</param>
/// <param name="offset">0-based character offset, or -1 when unknown.</param>
/// <param name="length">The length of the text the place covers.</param>
public readonly struct SchemaLocation(int line, int column, int offset, int length)
{
    /// <summary>1-based line, or 0.</summary>
    public int Line { get; } = line;

    /// <summary>1-based column, or 0.</summary>
    public int Column { get; } = column;

    /// <summary>0-based character offset, or -1.</summary>
    public int Offset { get; } = offset;

    /// <summary>Characters covered.</summary>
    public int Length { get; } = length;

    /// <summary>"line:column", or empty when unknown.</summary>
    public override string ToString() => Line > 0 ? $"{Line}:{Column}" : string.Empty;
}

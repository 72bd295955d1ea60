namespace Hypha.Protocol.Schemas;

/// <summary>Schemas that are not valid: every problem found, each naming its file and field.</summary>
public sealed class SchemaException : Exception
{
    /// <summary>Creates the exception from the problems found.</summary>
    public SchemaException(IReadOnlyList<SchemaProblem> problems)
        : base(string.Join("\n", problems.Select(problem => problem.ToString())))
    {
        Problems = problems;
    }

    /// <summary>Every problem found.</summary>
    public IReadOnlyList<SchemaProblem> Problems { get; }
}

namespace Hypha.Protocol.Schemas;

/// <summary>The codes of <see cref="SchemaProblem"/>s, which the generator reports as diagnostic ids.</summary>
public static class SchemaProblemCodes
{
    /// <summary>The file is not JSON, or not a schema object.</summary>
    public const string NotASchema = "HYS001";

    /// <summary>The id is missing or not a valid name.</summary>
    public const string BadId = "HYS002";

    /// <summary>A field lacks its name, type or index, or one of them has the wrong form.</summary>
    public const string BadField = "HYS003";

    /// <summary>Two fields share a name.</summary>
    public const string DuplicateName = "HYS004";

    /// <summary>Two fields share an index.</summary>
    public const string DuplicateIndex = "HYS005";

    /// <summary>A field takes an index that is reserved (retired by an earlier version).</summary>
    public const string ReusedIndex = "HYS006";

    /// <summary>A field's type is not a type of the language.</summary>
    public const string UnknownType = "HYS007";

    /// <summary>A field refers to a schema that does not exist.</summary>
    public const string BadReference = "HYS008";

    /// <summary>Schemas refer to each other in a cycle of required fields, which no value could end.</summary>
    public const string RequiredCycle = "HYS009";

    /// <summary><c>interned</c> or <c>segment</c> where it is not allowed.</summary>
    public const string BadOption = "HYS010";

    /// <summary>Two schemas share an id.</summary>
    public const string DuplicateId = "HYS011";

    /// <summary>A property the language does not define (likely a typo).</summary>
    public const string UnknownProperty = "HYS012";
}

namespace Hypha.Protocol.Schemas;

/// <summary>
/// The schemas a native connection may carry its messages in (docs/wire-format.md §7): the built-in
/// <c>rpc_method_v4</c> and <c>stream_item</c> (the compact form of a stream's answers), and versions of the envelope
/// a peer teaches with their definition. An envelope schema must hold the fields the server reads and stamps when it
/// routes a message, with their types.
/// </summary>
public static class EnvelopeSchemas
{
    /// <summary>The most schemas a server learns from one connection.</summary>
    public const int MaxLearned = 8;

    /// <summary>The longest definition a server reads.</summary>
    public const int MaxDefinitionLength = 16 * 1024;

    // The routing fields: the server reads "to", stamps "from", "ws" and "user", and tracks calls by the others.
    private static readonly (string Name, SchemaTypeKind Kind, bool Required)[] RoutingFields =
    [
        ("type", SchemaTypeKind.String, true),
        ("from", SchemaTypeKind.String, false),
        ("to", SchemaTypeKind.String, false),
        ("method", SchemaTypeKind.String, false),
        ("parent", SchemaTypeKind.String, false),
        ("session", SchemaTypeKind.String, false),
        ("ws", SchemaTypeKind.String, false),
        ("user", SchemaTypeKind.Any, false),
    ];

    /// <summary>The built-in envelope: the one every peer of this implementation compiles.</summary>
    public static SchemaInfo BuiltIn => RpcMethodV4.Schema;

    /// <summary>What a peer offers at Hello by default: the built-in envelope and stream item, with their definitions.</summary>
    public static IReadOnlyList<SchemaOffer> DefaultOffers { get; } = [OfferOf(BuiltIn), OfferOf(StreamItem.Schema)];

    /// <summary>True when <paramref name="offer"/> is the built-in envelope.</summary>
    public static bool IsBuiltIn(SchemaOffer offer) => Is(offer, BuiltIn);

    /// <summary>True when <paramref name="offer"/> is the built-in stream item.</summary>
    public static bool IsStreamItem(SchemaOffer offer) => Is(offer, StreamItem.Schema);

    private static SchemaOffer OfferOf(SchemaInfo schema) => new() { Id = schema.Id, Fingerprint = schema.Fingerprint, Definition = schema.Definition };

    private static bool Is(SchemaOffer offer, SchemaInfo schema) => offer.Id == schema.Id && offer.Fingerprint == schema.Fingerprint;

    /// <summary>
    /// Compiles a schema a peer taught with its offer, when it can serve as an envelope: a valid definition of
    /// reasonable size whose fingerprint is the one offered, with the routing fields of <c>rpc_method_v4</c> in the
    /// same types (optional ones may be missing, except <c>type</c>). Null otherwise: the peer then uses msgpack.
    /// </summary>
    public static CompiledSchema? TryLearn(SchemaOffer offer)
    {
        ArgumentNullException.ThrowIfNull(offer);
        if (offer.Definition is not { Length: > 0 and <= MaxDefinitionLength } definition)
        {
            return null;
        }

        CompiledSchema schema;
        try
        {
            schema = SchemaCompiler.Compile(definition, offer.Id);
        }
        catch (Exception ex) when (ex is SchemaException or KeyNotFoundException)
        {
            return null;
        }

        return schema.Info.Fingerprint == offer.Fingerprint && HasRoutingFields(schema.Definition) ? schema : null;
    }

    private static bool HasRoutingFields(SchemaDefinition schema)
    {
        foreach ((string name, SchemaTypeKind kind, bool required) in RoutingFields)
        {
            SchemaField? field = schema.Fields.FirstOrDefault(candidate => candidate.Name == name);
            if (field is null ? required : field.Type.Kind != kind || (required && field.Optional))
            {
                return false;
            }
        }

        return true;
    }
}

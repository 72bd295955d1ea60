using System.ComponentModel;
using Hypha.Protocol.MsgPack;

namespace Hypha.Client.Typed;

/// <summary>One method of a typed service contract, as the generator described it.</summary>
public sealed class TypedMethod
{
    private MsgPackMap? _schema;

    /// <summary>Describes a method (called by generated code).</summary>
    /// <param name="id">Its method id: its place in the contract.</param>
    /// <param name="wireName">Its name on the wire (<c>add</c> for <c>AddAsync</c>).</param>
    /// <param name="description">Its XML doc summary, or null.</param>
    /// <param name="schemaJson">The JSON of its function schema (<c>{name, description, parameters}</c>).</param>
    /// <param name="takesCancellation">True when it takes a <see cref="CancellationToken"/> a remote caller may cancel.</param>
    /// <param name="carriesRecords">True when its arguments, result or streams can hold records with a binary form.</param>
    /// <param name="takesContext">True when it takes the caller's <see cref="Rpc.RpcContext"/>.</param>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public TypedMethod(int id, string wireName, string? description, string schemaJson, bool takesCancellation, bool carriesRecords = false, bool takesContext = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(wireName);
        ArgumentNullException.ThrowIfNull(schemaJson);
        Id = id;
        WireName = wireName;
        Description = description;
        SchemaJson = schemaJson;
        TakesCancellation = takesCancellation;
        CarriesRecords = carriesRecords;
        TakesContext = takesContext;
    }

    /// <summary>The method id.</summary>
    public int Id { get; }

    /// <summary>The name on the wire.</summary>
    public string WireName { get; }

    /// <summary>What the method does, or null.</summary>
    public string? Description { get; }

    /// <summary>The function schema as JSON text.</summary>
    public string SchemaJson { get; }

    /// <summary>True when a remote caller may cancel a running call (the method takes a <see cref="CancellationToken"/>).</summary>
    public bool TakesCancellation { get; }

    /// <summary>
    /// True when its arguments, result or streams can hold records that have a binary form: a proxy bound to a service
    /// of the same record fingerprint marks these calls, and only these, for binary records.
    /// </summary>
    public bool CarriesRecords { get; }

    /// <summary>
    /// True when the method takes the caller's <see cref="Rpc.RpcContext"/>: its service lists it in
    /// <c>require_context</c>, and the context (the caller's address, workspace and user, as the server stamped them)
    /// is passed to it, never read from the arguments.
    /// </summary>
    public bool TakesContext { get; }

    /// <summary>The function schema, as <c>service_schema</c> and <c>_rschema</c> carry it.</summary>
    public MsgPackMap Schema => _schema ??= JsonSchemaText.Parse(SchemaJson);
}

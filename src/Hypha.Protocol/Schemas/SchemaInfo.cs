namespace Hypha.Protocol.Schemas;

/// <summary>What identifies a schema between peers: its id, its fingerprint, and its definition to teach a peer.</summary>
/// <param name="Id">The schema's id.</param>
/// <param name="Fingerprint">The hash of its canonical text (<see cref="SchemaSet.Fingerprint"/>).</param>
/// <param name="Definition">A JSON array of its definition and those of every schema it refers to.</param>
public sealed record SchemaInfo(string Id, string Fingerprint, string Definition);

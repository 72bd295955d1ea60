using Microsoft.CodeAnalysis;

namespace Hypha.Protocol.Generator;

/// <summary>
/// The compiler errors of the typed-service generator (HYT0xx, docs/typed-services.md). Each names the contract
/// member concerned and points at it; a contract with any of them generates nothing.
/// </summary>
internal static class TypedDiagnostics
{
    public static readonly DiagnosticDescriptor InvalidContract = Error("HYT001", "Invalid Hypha service contract");
    public static readonly DiagnosticDescriptor UnsupportedReturn = Error("HYT002", "Unsupported return type of a Hypha service method");
    public static readonly DiagnosticDescriptor UnsupportedType = Error("HYT003", "Unsupported type in a Hypha service contract");
    public static readonly DiagnosticDescriptor ByReference = Error("HYT004", "ref, out and in parameters cannot travel");
    public static readonly DiagnosticDescriptor GenericMethod = Error("HYT005", "Generic methods cannot be Hypha service methods");
    public static readonly DiagnosticDescriptor CancellationPosition = Error("HYT006", "A CancellationToken must be the last parameter");
    public static readonly DiagnosticDescriptor DuplicateMethod = Error("HYT007", "Two methods have the same wire name");
    public static readonly DiagnosticDescriptor DuplicateName = Error("HYT008", "Two parameters or fields have the same wire name");
    public static readonly DiagnosticDescriptor InvalidName = Error("HYT009", "Invalid wire name");
    public static readonly DiagnosticDescriptor NotConstructible = Error("HYT010", "A record or class that cannot be read back");
    public static readonly DiagnosticDescriptor UnsupportedMember = Error("HYT011", "Only methods can be Hypha service members");
    public static readonly DiagnosticDescriptor UnsupportedCallback = Error("HYT012", "Unsupported callback delegate");
    public static readonly DiagnosticDescriptor DuplicateContext = Error("HYT013", "A method takes at most one RpcContext");

    private static DiagnosticDescriptor Error(string id, string title) =>
        new(id, title, "{0}", "Hypha.TypedServices", DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: "docs/typed-services.md");
}

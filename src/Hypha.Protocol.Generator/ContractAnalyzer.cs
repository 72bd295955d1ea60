using System.Threading;
using Hypha.Protocol.Schemas;
using Microsoft.CodeAnalysis;

namespace Hypha.Protocol.Generator;

/// <summary>
/// Reads one <c>[HyphaService]</c> interface into a <see cref="ContractModel"/>: its methods with their wire names,
/// parameters, results and schemas. Everything a contract cannot do is a diagnostic (HYT0xx) naming the member.
/// </summary>
internal static class ContractAnalyzer
{
    private const string AsyncSuffix = "Async";
    private static readonly char[] ForbiddenInIds = ['.', '/', ':', '@', '*'];
    private static readonly char[] ForbiddenInNames = ['.', '/', ':', '@', '*', ' '];

    public static ContractModel Analyze(INamedTypeSymbol contract, AttributeData attribute, Compilation compilation, CancellationToken cancellationToken)
    {
        var model = new ContractModel(contract, new TypeClassifier(compilation, cancellationToken));
        ReadAttribute(model, attribute);
        model.Description ??= DocComments.Summary(contract, cancellationToken);
        if (contract.IsGenericType || contract.ContainingType is not null)
        {
            Report(model, TypedDiagnostics.InvalidContract, contract,
                $"{contract.Name}: a Hypha service contract must be a non-generic interface declared directly in a namespace");
            return model;
        }

        foreach (ISymbol member in contract.GetMembers().Concat(contract.AllInterfaces.SelectMany(i => i.GetMembers())))
        {
            cancellationToken.ThrowIfCancellationRequested();
            switch (member)
            {
                case IMethodSymbol { MethodKind: MethodKind.PropertyGet or MethodKind.PropertySet or MethodKind.EventAdd or MethodKind.EventRemove or MethodKind.EventRaise }:
                    break;
                case IMethodSymbol { IsStatic: true, IsAbstract: false, IsVirtual: false }:
                case IPropertySymbol { IsStatic: true, IsAbstract: false, IsVirtual: false }:
                case IFieldSymbol:
                case INamedTypeSymbol:
                    break;
                case IMethodSymbol { MethodKind: MethodKind.Ordinary, IsStatic: false } method:
                    Method(model, method, cancellationToken);
                    break;
                default:
                    Report(model, TypedDiagnostics.UnsupportedMember, member,
                        $"{contract.Name}.{member.Name}: a Hypha service contract holds instance methods only (no properties, events or static abstract members)");
                    break;
            }
        }

        foreach (IGrouping<string, MethodModel> clash in model.Methods.GroupBy(m => m.WireName, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            Report(model, TypedDiagnostics.DuplicateMethod, clash.Last().Symbol,
                $"{contract.Name}: methods {string.Join(", ", clash.Select(m => m.Symbol.Name))} all have the wire name '{clash.Key}' (rename one, or give it [HyphaName])");
        }

        return model;
    }

    private static void ReadAttribute(ContractModel model, AttributeData attribute)
    {
        model.ServiceId = attribute.ConstructorArguments.Length == 1 && attribute.ConstructorArguments[0].Value is string id ? id : string.Empty;
        foreach (KeyValuePair<string, TypedConstant> argument in attribute.NamedArguments)
        {
            switch (argument.Key)
            {
                case "Name": model.Name = argument.Value.Value as string; break;
                case "Description": model.Description = argument.Value.Value as string; break;
                case "Visibility": model.Visibility = argument.Value.Value is int visibility ? visibility : 0; break;
            }
        }

        if (model.ServiceId.Length == 0 || model.ServiceId.IndexOfAny(ForbiddenInIds) >= 0)
        {
            Report(model, TypedDiagnostics.InvalidName, model.Symbol,
                $"{model.Symbol.Name}: the service id '{model.ServiceId}' must be non-empty, without '.', '/', ':', '@' or '*'");
        }
    }

    private static void Method(ContractModel model, IMethodSymbol method, CancellationToken cancellationToken)
    {
        string label = $"{model.Symbol.Name}.{method.Name}";
        if (method.IsGenericMethod)
        {
            Report(model, TypedDiagnostics.GenericMethod, method, $"{label}: a Hypha service method cannot be generic");
            return;
        }

        string fallback = method.Name.EndsWith(AsyncSuffix, StringComparison.Ordinal) && method.Name.Length > AsyncSuffix.Length
            ? method.Name.Substring(0, method.Name.Length - AsyncSuffix.Length)
            : method.Name;
        string wireName = TypeClassifier.WireName(method, SchemaNames.ToSnakeCase(fallback));
        if (wireName.Length == 0 || wireName.IndexOfAny(ForbiddenInNames) >= 0)
        {
            Report(model, TypedDiagnostics.InvalidName, method, $"{label}: the wire name '{wireName}' must be non-empty, without '.', '/', ':', '@', '*' or spaces");
            return;
        }

        var result = new MethodModel(method, model.Methods.Count, wireName)
        {
            Description = DocComments.Summary(method, cancellationToken),
        };
        (ReturnShape? shape, ITypeSymbol? resultType) = TypeClassifier.ReturnShapeOf(method.ReturnType, method.ReturnsVoid);
        if (shape is null or ReturnShape.Void)
        {
            Report(model, TypedDiagnostics.UnsupportedReturn, method,
                $"{label}: returns '{method.ReturnType.ToDisplayString()}'; a Hypha service method returns Task, ValueTask, Task<T>, ValueTask<T> or IAsyncEnumerable<T>");
            return;
        }

        result.Return = shape.Value;
        bool ok = true;
        if (resultType is not null)
        {
            TypeModel? type = model.Types.Classify(shape == ReturnShape.Stream ? method.ReturnType : resultType, out TypeProblem? problem);
            if (type is null)
            {
                Report(model, problem!.Descriptor, method, $"{label}: its result: {problem.Reason}");
                ok = false;
            }

            result.Result = type;
        }

        ok &= Parameters(model, method, result, label, cancellationToken);
        if (!ok)
        {
            return;
        }

        foreach (IGrouping<string, ParameterModel> clash in result.Parameters.GroupBy(p => p.WireName, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            Report(model, TypedDiagnostics.DuplicateName, method,
                $"{label}: parameters {string.Join(", ", clash.Select(p => $"'{p.Name}'"))} all have the wire name '{clash.Key}'");
            return;
        }

        result.SchemaJson = JsonSchemaWriter.Function(wireName, result.Description, result.Parameters);
        model.Methods.Add(result);
    }

    private static bool Parameters(ContractModel model, IMethodSymbol method, MethodModel result, string label, CancellationToken cancellationToken)
    {
        bool ok = true;
        for (int i = 0; i < method.Parameters.Length; i++)
        {
            IParameterSymbol parameter = method.Parameters[i];
            if (parameter.RefKind != RefKind.None)
            {
                Report(model, TypedDiagnostics.ByReference, parameter, $"{label}: parameter '{parameter.Name}' is passed by reference ({parameter.RefKind.ToString().ToLowerInvariant()}), which cannot travel");
                ok = false;
                continue;
            }

            if (TypeClassifier.IsCancellationToken(parameter.Type))
            {
                if (i != method.Parameters.Length - 1)
                {
                    Report(model, TypedDiagnostics.CancellationPosition, parameter, $"{label}: the CancellationToken '{parameter.Name}' must be the last parameter");
                    ok = false;
                }

                result.CancellationIndex = i;
                continue;
            }

            if (TypeClassifier.IsRpcContext(parameter.Type))
            {
                if (result.ContextIndex >= 0)
                {
                    Report(model, TypedDiagnostics.DuplicateContext, parameter, $"{label}: '{parameter.Name}' is a second RpcContext; the caller's context is passed once");
                    ok = false;
                }

                result.ContextIndex = i;
                continue;
            }

            TypeModel? type = model.Types.Classify(parameter.Type, out TypeProblem? problem);
            if (type is null)
            {
                Report(model, problem!.Descriptor, parameter, $"{label}: parameter '{parameter.Name}': {problem.Reason}");
                ok = false;
                continue;
            }

            string wireName = TypeClassifier.WireName(parameter, SchemaNames.ToSnakeCase(parameter.Name));
            if (wireName.Length == 0)
            {
                Report(model, TypedDiagnostics.InvalidName, parameter, $"{label}: parameter '{parameter.Name}' has an empty wire name");
                ok = false;
                continue;
            }

            result.Parameters.Add(new ParameterModel(parameter.Name, wireName, type)
            {
                DefaultText = parameter.HasExplicitDefaultValue ? Literals.Of(parameter.ExplicitDefaultValue, parameter.Type) : null,
                Description = DocComments.Parameter(method, parameter.Name, cancellationToken),
            });
        }

        return ok;
    }

    private static void Report(ContractModel model, DiagnosticDescriptor descriptor, ISymbol at, string message) =>
        model.Diagnostics.Add(Diagnostic.Create(descriptor, at.Locations.FirstOrDefault(), message));
}

using System.Reflection;
using Hypha.Client.Rpc;

namespace Hypha.Client.Services;

/// <summary>How one parameter of a service function is filled for a call.</summary>
internal sealed class ParameterBinding
{
    public ParameterBinding(ParameterInfo parameter)
    {
        Name = parameter.Name ?? $"arg{parameter.Position}";
        Type = parameter.ParameterType;
        HasDefault = parameter.HasDefaultValue;
        Default = parameter.HasDefaultValue ? parameter.DefaultValue : null;
        Kind = Type == typeof(CancellationToken) ? ParameterKind.Cancellation
            : Type == typeof(RpcContext) ? ParameterKind.Context
            : ParameterKind.Argument;
        IsNullable = !Type.IsValueType || Nullable.GetUnderlyingType(Type) is not null
            || new NullabilityInfoContext().Create(parameter).WriteState == NullabilityState.Nullable;
    }

    public string Name { get; }

    public Type Type { get; }

    public ParameterKind Kind { get; }

    public bool HasDefault { get; }

    public object? Default { get; }

    public bool IsNullable { get; }

    /// <summary>True when a keyword argument of this name fills the parameter: exact, or equal once
    /// underscores and case are ignored (Python's <c>max_items</c> fills C#'s <c>maxItems</c>).</summary>
    public bool Matches(string keyword) =>
        keyword == Name || Normalize(keyword) == Normalize(Name);

    private static string Normalize(string name) => name.Replace("_", string.Empty, StringComparison.Ordinal).ToLowerInvariant();
}

/// <summary>What a parameter receives.</summary>
internal enum ParameterKind
{
    /// <summary>An argument from the caller.</summary>
    Argument,
    /// <summary>The call's <see cref="RpcContext"/>.</summary>
    Context,
    /// <summary>A token cancelled when the call is abandoned.</summary>
    Cancellation,
}

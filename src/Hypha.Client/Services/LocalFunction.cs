using System.Reflection;
using Hypha.Client.Rpc;
using Hypha.Protocol.MsgPack;

namespace Hypha.Client.Services;

/// <summary>
/// A function a local service offers, built from a delegate. Its parameters are bound once, at registration:
/// positional and keyword arguments are converted to the parameter types per call, a <see cref="RpcContext"/>
/// parameter receives the caller's context and a <see cref="CancellationToken"/> one is cancelled when the call
/// is abandoned.
/// </summary>
public sealed class LocalFunction
{
    private readonly Delegate _handler;
    private readonly ParameterBinding[] _parameters;

    internal LocalFunction(string name, Delegate handler, string? description)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        _handler = handler ?? throw new ArgumentNullException(nameof(handler));
        Name = name;
        Description = description;
        _parameters = handler.Method.GetParameters().Select(p => new ParameterBinding(p)).ToArray();
        Schema = JsonSchemas.ForFunction(name, description, _parameters);
    }

    /// <summary>The function's name within its service.</summary>
    public string Name { get; }

    /// <summary>What the function does, shown to remote peers.</summary>
    public string? Description { get; }

    /// <summary>The function schema <c>{name, description, parameters}</c>.</summary>
    public MsgPackMap Schema { get; }

    internal async ValueTask<object?> InvokeAsync(
        IReadOnlyList<object?> args, IReadOnlyDictionary<string, object?>? kwargs, RpcContext? context, CancellationToken cancellationToken)
    {
        object?[] values = Bind(args, kwargs, context, cancellationToken);
        object? result;
        try
        {
            result = _handler.Method.Invoke(_handler.Target, BindingFlags.DoNotWrapExceptions, binder: null, values, culture: null);
        }
        catch (TargetParameterCountException ex)
        {
            throw new ArgumentException($"{Name}: {ex.Message}", ex);
        }

        return await AsyncResults.AwaitAsync(result).ConfigureAwait(false);
    }

    private object?[] Bind(IReadOnlyList<object?> args, IReadOnlyDictionary<string, object?>? kwargs, RpcContext? context, CancellationToken cancellationToken)
    {
        var values = new object?[_parameters.Length];
        int next = 0;
        HashSet<string>? used = kwargs is null ? null : new(StringComparer.Ordinal);
        for (int i = 0; i < _parameters.Length; i++)
        {
            ParameterBinding parameter = _parameters[i];
            switch (parameter.Kind)
            {
                case ParameterKind.Context:
                    values[i] = context;
                    continue;
                case ParameterKind.Cancellation:
                    values[i] = cancellationToken;
                    continue;
            }

            if (next < args.Count)
            {
                values[i] = Convert(args[next++], parameter);
            }
            else if (kwargs is not null && KeywordFor(parameter, kwargs) is { Key: not null } keyword)
            {
                used!.Add(keyword.Key);
                values[i] = Convert(keyword.Value, parameter);
            }
            else if (parameter.HasDefault)
            {
                values[i] = parameter.Default;
            }
            else if (parameter.IsNullable)
            {
                values[i] = null;
            }
            else
            {
                throw new ArgumentException($"{Name}: missing argument '{parameter.Name}'.");
            }
        }

        if (next < args.Count)
        {
            throw new ArgumentException($"{Name}: takes {next} positional arguments but {args.Count} were given.");
        }

        if (kwargs is not null && Unused(kwargs, used!) is { } unknown)
        {
            throw new ArgumentException($"{Name}: got an unexpected keyword argument '{unknown}'.");
        }

        return values;
    }

    // Searches without lambdas: Bind's locals captured by one would be allocated on every call, keywords or not.
    private static KeyValuePair<string, object?> KeywordFor(ParameterBinding parameter, IReadOnlyDictionary<string, object?> kwargs)
    {
        foreach (KeyValuePair<string, object?> keyword in kwargs)
        {
            if (parameter.Matches(keyword.Key))
            {
                return keyword;
            }
        }

        return default;
    }

    private static string? Unused(IReadOnlyDictionary<string, object?> kwargs, HashSet<string> used)
    {
        foreach (string key in kwargs.Keys)
        {
            if (!used.Contains(key))
            {
                return key;
            }
        }

        return null;
    }

    private object? Convert(object? value, ParameterBinding parameter)
    {
        try
        {
            return ValueConverter.ConvertTo(value, parameter.Type);
        }
        catch (Exception ex) when (ex is InvalidCastException or OverflowException or FormatException)
        {
            throw new ArgumentException($"{Name}: argument '{parameter.Name}': {ex.Message}", ex);
        }
    }
}

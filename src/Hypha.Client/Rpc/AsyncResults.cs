using System.Collections.Concurrent;
using System.Reflection;

namespace Hypha.Client.Rpc;

/// <summary>Awaits whatever a service delegate returned: a value, Task, Task&lt;T&gt;, ValueTask or ValueTask&lt;T&gt;.</summary>
internal static class AsyncResults
{
    private static readonly ConcurrentDictionary<Type, Func<object, Task<object?>>> Adapters = new();

    // A plain value (most results) is wrapped, not put in a task: nothing is allocated for it.
    public static ValueTask<object?> AwaitAsync(object? result) => result switch
    {
        null => new ValueTask<object?>((object?)null),
        Task task => new ValueTask<object?>(AdapterFor(task.GetType())(task)),
        ValueTask valueTask => new ValueTask<object?>(AwaitValueTask(valueTask)),
        _ when result.GetType() is { IsGenericType: true } type && type.GetGenericTypeDefinition() == typeof(ValueTask<>) =>
            new ValueTask<object?>(AdapterFor(type)(result)),
        _ => new ValueTask<object?>(result),
    };

    private static async Task<object?> AwaitValueTask(ValueTask task)
    {
        await task.ConfigureAwait(false);
        return null;
    }

    // Reflection runs once per result type; the adapter it builds is cached.
    private static Func<object, Task<object?>> AdapterFor(Type type) => Adapters.GetOrAdd(type, static t =>
    {
        if (t.IsGenericType && t.GetGenericTypeDefinition() == typeof(ValueTask<>))
        {
            MethodInfo asTask = t.GetMethod(nameof(ValueTask<int>.AsTask))!;
            return value => AwaitAsync(asTask.Invoke(value, null)).AsTask();
        }

        Type? taskType = t;
        while (taskType is not null && !(taskType.IsGenericType && taskType.GetGenericTypeDefinition() == typeof(Task<>)))
        {
            taskType = taskType.BaseType;
        }

        // Task<VoidTaskResult> (what async Task methods return) has a Result that is not a value of the method.
        PropertyInfo? resultProperty = taskType?.GetGenericArguments()[0].Name == "VoidTaskResult" ? null : taskType?.GetProperty("Result");
        return async value =>
        {
            var task = (Task)value;
            await task.ConfigureAwait(false);
            return resultProperty?.GetValue(task);
        };
    });
}

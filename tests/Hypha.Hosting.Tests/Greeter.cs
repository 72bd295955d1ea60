using System.Runtime.CompilerServices;
using Hypha.Client.Services;
using Hypha.Client.Typed;

namespace Hypha.Hosting.Tests;

/// <summary>The contract the DI tests host and inject.</summary>
[HyphaService("greeter", Visibility = ServiceVisibility.Public)]
public interface IGreeter
{
    /// <summary>Greets, and says which instance answered.</summary>
    Task<string> GreetAsync(string name);

    /// <summary>Counts, holding the instance until the stream ends.</summary>
    IAsyncEnumerable<int> CountAsync(int n);
}

/// <summary>What the implementations went through: instances made and disposed.</summary>
public sealed class Lifecycle
{
    public int Created;
    public int Disposed;
}

/// <summary>A scoped dependency the implementation takes, to show per-call scopes.</summary>
public sealed class Salutation
{
    public string Text => "Hello";
}

/// <summary>An implementation resolved from the container, with a dependency of its own.</summary>
public sealed class Greeter : IGreeter, IAsyncDisposable
{
    private readonly Lifecycle _lifecycle;
    private readonly Salutation _salutation;
    private readonly int _number;
    private bool _disposed;

    public Greeter(Lifecycle lifecycle, Salutation salutation)
    {
        _lifecycle = lifecycle;
        _salutation = salutation;
        _number = Interlocked.Increment(ref lifecycle.Created);
    }

    public Task<string> GreetAsync(string name) => Task.FromResult($"{_salutation.Text}, {name}! (#{_number})");

    public async IAsyncEnumerable<int> CountAsync(int n)
    {
        for (int i = 0; i < n; i++)
        {
            await Task.Yield();
            ObjectDisposedException.ThrowIf(_disposed, this);
            yield return i;
        }
    }

    public ValueTask DisposeAsync()
    {
        _disposed = true;
        Interlocked.Increment(ref _lifecycle.Disposed);
        return ValueTask.CompletedTask;
    }
}

using System.ComponentModel;
using Hypha.Client.Rpc;
using Hypha.Protocol.MsgPack;

namespace Hypha.Client.Typed;

/// <summary>
/// One incoming call of a typed function as its generated dispatcher reads it: the encoded <c>args</c> array
/// (positional values, then a map of keyword arguments when <see cref="WithKwargs"/> is set), and the context that
/// reads callbacks, streams and shared-memory payloads in it. A struct: the dispatcher of a method that completes at
/// once allocates nothing for it.
/// </summary>
public readonly struct TypedRequest
{
    private readonly TypedReadContext? _context;

    /// <summary>A request over an encoded <c>args</c> array.</summary>
    /// <param name="arguments">The msgpack array of arguments.</param>
    /// <param name="withKwargs">True when its last element is a map of keyword arguments.</param>
    /// <param name="context">What reads callbacks and streams; <see cref="TypedReadContext.Detached"/> when null.</param>
    /// <param name="caller">The caller's trusted context, for a method that takes an <see cref="RpcContext"/>.</param>
    public TypedRequest(ReadOnlyMemory<byte> arguments, bool withKwargs = false, TypedReadContext? context = null, RpcContext? caller = null)
    {
        Arguments = arguments;
        WithKwargs = withKwargs;
        _context = context;
        Caller = caller;
    }

    /// <summary>The encoded <c>args</c> array.</summary>
    public ReadOnlyMemory<byte> Arguments { get; }

    /// <summary>True when the last argument is a map of keyword arguments (a Python or JavaScript caller's).</summary>
    public bool WithKwargs { get; }

    /// <summary>The caller's trusted context when the method takes an <see cref="RpcContext"/>; otherwise null.</summary>
    public RpcContext? Caller { get; }

    /// <summary>The read context (<see cref="TypedReadContext.Detached"/> for a default request).</summary>
    public TypedReadContext Context => _context ?? TypedReadContext.Detached;

    /// <summary>A reader at the start of the arguments.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public MsgPackReader CreateReader() => new(Arguments, Context.ReaderOptions);
}

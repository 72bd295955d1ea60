using Hypha.Protocol.MsgPack;

namespace Hypha.Protocol.Messages;

/// <summary>
/// A typed view of a call's <c>extra</c> map: positional arguments, keyword arguments (<c>with_kwargs</c>: the last
/// argument is a map of them) and the promise. Arguments stay encoded (see <c>Hypha.Protocol.Objects</c>).
/// </summary>
public sealed class HyphaCall
{
    private const string Owner = "call";

    /// <summary>Wraps and checks a call's <c>extra</c> map.</summary>
    /// <exception cref="HyphaProtocolException">args is not an array, with_kwargs is not a boolean, the kwargs are
    /// not a map, or the promise is malformed.</exception>
    public HyphaCall(MsgPackMap extra)
    {
        ArgumentNullException.ThrowIfNull(extra);
        _extra = extra;
        Args = extra.ContainsKey(HyphaKeys.Args) && !extra[HyphaKeys.Args].IsNil
            ? MapFields.RequireArray(extra, HyphaKeys.Args, Owner)
            : [];
        MsgPackValue withKwargs = extra[HyphaKeys.WithKwargs];
        if (!withKwargs.IsNil && withKwargs.Kind != MsgPackValueKind.Boolean)
        {
            throw new HyphaProtocolException($"call: 'with_kwargs' must be a boolean but is {withKwargs.Kind}.");
        }

        WithKwargs = !withKwargs.IsNil && withKwargs.AsBoolean();
        if (WithKwargs && (Args.Length == 0 || !Args[^1].IsMap))
        {
            throw new HyphaProtocolException("call: 'with_kwargs' is set but the last argument is not a map of keyword arguments.");
        }

        Promise = HyphaPromise.FromExtra(extra);
    }

    // What Create already knows: no need to read it back from the map it just wrote.
    private HyphaCall(MsgPackMap? extra, MsgPackValue[] args, bool withKwargs, HyphaPromise? promise)
    {
        _extra = extra;
        Args = args;
        WithKwargs = withKwargs;
        Promise = promise;
    }

    private MsgPackMap? _extra;

    /// <summary>The underlying map (built on first use for a call read from its parts).</summary>
    public MsgPackMap Extra => _extra ??= Create(Positional, Kwargs, Promise).Extra;

    /// <summary>Every element of <c>args</c>, including the kwargs map when <see cref="WithKwargs"/> is set.</summary>
    public MsgPackValue[] Args { get; }

    /// <summary>True when the last element of <see cref="Args"/> is a map of keyword arguments.</summary>
    public bool WithKwargs { get; }

    /// <summary>The positional arguments (without the kwargs map).</summary>
    public ReadOnlySpan<MsgPackValue> Positional => WithKwargs ? Args.AsSpan(0, Args.Length - 1) : Args;

    /// <summary>The keyword arguments, or null when there are none.</summary>
    public MsgPackMap? Kwargs => WithKwargs ? Args[^1].AsMap() : null;

    /// <summary>How the caller wants the result, or null for a fire-and-forget call.</summary>
    public HyphaPromise? Promise { get; }

    /// <summary>
    /// A call from the parts of a message that are already decoded (an <c>rpc_method_v4</c> message): its arguments,
    /// the <c>with_kwargs</c> flag and its promise.
    /// </summary>
    /// <exception cref="HyphaProtocolException">with_kwargs is set but the last argument is not a map.</exception>
    public static HyphaCall FromParts(MsgPackValue[] args, bool withKwargs, HyphaPromise? promise)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (withKwargs && (args.Length == 0 || !args[^1].IsMap))
        {
            throw new HyphaProtocolException("call: 'with_kwargs' is set but the last argument is not a map of keyword arguments.");
        }

        return new HyphaCall(null, args, withKwargs, promise);
    }

    /// <summary>
    /// Builds a call's <c>extra</c> in the key order the hypha-rpc clients use: <c>args</c> (written even when empty,
    /// as the JavaScript client does), <c>with_kwargs</c>, then the promise.
    /// </summary>
    public static HyphaCall Create(ReadOnlySpan<MsgPackValue> positional, MsgPackMap? kwargs = null, HyphaPromise? promise = null)
    {
        var extra = new MsgPackMap(4);
        var args = new MsgPackValue[positional.Length + (kwargs is null ? 0 : 1)];
        positional.CopyTo(args);
        if (kwargs is not null)
        {
            args[^1] = kwargs;
        }

        extra.Add(HyphaKeys.Args, args);

        if (kwargs is not null)
        {
            extra.Add(HyphaKeys.WithKwargs, true);
        }

        promise?.WriteTo(extra);
        return new HyphaCall(extra, args, kwargs is not null, promise);
    }
}

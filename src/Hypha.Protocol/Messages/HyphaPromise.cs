using Hypha.Protocol.MsgPack;
using Hypha.Protocol.Objects;

namespace Hypha.Protocol.Messages;

/// <summary>
/// How a caller asks for a result: the compact form (<c>promise:"*"</c> with <c>t</c>), where the callee builds the
/// callbacks itself, or the explicit map of resolve/reject/heartbeat descriptors.
/// </summary>
public abstract class HyphaPromise
{
    private protected HyphaPromise()
    {
    }

    /// <summary>The heartbeat interval in seconds (the caller's timeout / 2), when given.</summary>
    public abstract double? HeartbeatInterval { get; }

    /// <summary>Reads the promise of a call's <c>extra</c> map, or null when the call expects no result.</summary>
    /// <exception cref="HyphaProtocolException">The promise is neither "*" nor a valid explicit map.</exception>
    public static HyphaPromise? FromExtra(MsgPackMap extra)
    {
        ArgumentNullException.ThrowIfNull(extra);
        return Read(extra[HyphaKeys.Promise], extra[HyphaKeys.HeartbeatInterval]);
    }

    /// <summary>Reads a promise from the values of <c>promise</c> and <c>t</c> (nil when absent).</summary>
    /// <exception cref="HyphaProtocolException">The promise is neither "*" nor a valid explicit map, or t is not a number.</exception>
    public static HyphaPromise? Read(MsgPackValue promise, MsgPackValue heartbeatInterval)
    {
        if (promise.IsNil)
        {
            return null;
        }

        if (promise.TryGetString(out string? marker))
        {
            return marker == HyphaKeys.CompactPromise
                ? CompactPromise.Of(MapFields.Number(heartbeatInterval, HyphaKeys.HeartbeatInterval, "promise"))
                : throw new HyphaProtocolException($"promise: the string form must be \"*\", not \"{marker}\".");
        }

        return promise.TryGetMap(out MsgPackMap? map)
            ? ExplicitPromise.FromMap(map)
            : throw new HyphaProtocolException($"promise: must be \"*\" or a map, not {promise.Kind}.");
    }

    /// <summary>Adds this promise to a call's <c>extra</c> map.</summary>
    public abstract void WriteTo(MsgPackMap extra);
}

/// <summary>
/// The compact promise, <c>promise:"*"</c> with the heartbeat interval <c>t</c>. Everything a peer returns
/// carries <c>_rpromise:"*"</c>, so this is the form of almost every call.
/// </summary>
public sealed class CompactPromise : HyphaPromise
{
    /// <summary>Creates the compact promise.</summary>
    public CompactPromise(double? heartbeatInterval)
    {
        HeartbeatInterval = heartbeatInterval;
    }

    // The promise this thread read last: a peer's calls almost all carry the same interval (half its method timeout),
    // and the promise is immutable, so reading one per call need not allocate one per call.
    [ThreadStatic]
    private static CompactPromise? t_lastRead;

    /// <inheritdoc />
    public override double? HeartbeatInterval { get; }

    /// <summary>The compact promise with <paramref name="heartbeatInterval"/>: the one this thread asked for last when they match.</summary>
    public static CompactPromise Of(double? heartbeatInterval)
    {
        CompactPromise? last = t_lastRead;
        if (last is not null && last.HeartbeatInterval == heartbeatInterval)
        {
            return last;
        }

        var promise = new CompactPromise(heartbeatInterval);
        t_lastRead = promise;
        return promise;
    }

    /// <summary>
    /// Builds the callbacks the callee uses, as the hypha-rpc peers do: the fire-and-forget methods
    /// <c>&lt;session&gt;.resolve</c>, <c>.reject</c> and <c>.heartbeat</c> on the caller.
    /// </summary>
    /// <param name="caller">The caller's absolute address (the <c>from</c> the server stamped).</param>
    /// <param name="session">The caller's session id (the call's <c>session</c>).</param>
    public ExplicitPromise Expand(string caller, string session)
    {
        ArgumentException.ThrowIfNullOrEmpty(caller);
        ArgumentException.ThrowIfNullOrEmpty(session);
        return new ExplicitPromise(
            RemoteMethod.Create(caller, $"{session}.{HyphaKeys.Resolve}"),
            RemoteMethod.Create(caller, $"{session}.{HyphaKeys.Reject}"),
            RemoteMethod.Create(caller, $"{session}.{HyphaKeys.Heartbeat}"),
            HeartbeatInterval);
    }

    /// <inheritdoc />
    public override void WriteTo(MsgPackMap extra)
    {
        ArgumentNullException.ThrowIfNull(extra);
        extra.Set(HyphaKeys.Promise, HyphaKeys.CompactPromise);
        if (HeartbeatInterval is { } interval)
        {
            extra.Set(HyphaKeys.HeartbeatInterval, MapFields.Number(interval));
        }
    }
}

/// <summary>
/// The explicit promise map <c>{heartbeat?, interval?, resolve, reject}</c>. The hypha-rpc clients send it for
/// <c>get_service</c> and <c>ping</c>, whose descriptors carry <c>_rpromise:true</c>.
/// </summary>
public sealed class ExplicitPromise : HyphaPromise
{
    private const string Owner = "promise";

    /// <summary>Creates the explicit promise.</summary>
    public ExplicitPromise(RemoteMethod resolve, RemoteMethod reject, RemoteMethod? heartbeat, double? interval)
    {
        Resolve = resolve ?? throw new ArgumentNullException(nameof(resolve));
        Reject = reject ?? throw new ArgumentNullException(nameof(reject));
        Heartbeat = heartbeat;
        HeartbeatInterval = interval;
    }

    /// <summary>Called with the result.</summary>
    public RemoteMethod Resolve { get; }

    /// <summary>Called with an error.</summary>
    public RemoteMethod Reject { get; }

    /// <summary>Called every <see cref="HeartbeatInterval"/> seconds while the method runs.</summary>
    public RemoteMethod? Heartbeat { get; }

    /// <inheritdoc />
    public override double? HeartbeatInterval { get; }

    /// <summary>Reads an explicit promise map.</summary>
    /// <exception cref="HyphaProtocolException">resolve or reject is missing, or a field is malformed.</exception>
    public static ExplicitPromise FromMap(MsgPackMap map)
    {
        ArgumentNullException.ThrowIfNull(map);
        return new ExplicitPromise(
            Callback(map, HyphaKeys.Resolve) ?? throw new HyphaProtocolException("promise: the 'resolve' callback is missing."),
            Callback(map, HyphaKeys.Reject) ?? throw new HyphaProtocolException("promise: the 'reject' callback is missing."),
            Callback(map, HyphaKeys.Heartbeat),
            MapFields.OptionalNumber(map, HyphaKeys.Interval, Owner));
    }

    /// <summary>The promise as a map, in the key order the hypha-rpc clients use.</summary>
    public MsgPackMap ToMap()
    {
        var map = new MsgPackMap(4);
        if (Heartbeat is not null)
        {
            map.Add(HyphaKeys.Heartbeat, Heartbeat.Map);
        }

        if (HeartbeatInterval is { } interval)
        {
            map.Add(HyphaKeys.Interval, MapFields.Number(interval));
        }

        map.Add(HyphaKeys.Resolve, Resolve.Map);
        map.Add(HyphaKeys.Reject, Reject.Map);
        return map;
    }

    /// <inheritdoc />
    public override void WriteTo(MsgPackMap extra)
    {
        ArgumentNullException.ThrowIfNull(extra);
        extra.Set(HyphaKeys.Promise, ToMap());
    }

    private static RemoteMethod? Callback(MsgPackMap map, string key) =>
        MapFields.OptionalMap(map, key, Owner) is { } descriptor ? RemoteMethod.FromMap(descriptor) : null;
}

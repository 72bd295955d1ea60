using Hypha.Protocol.Messages;
using Hypha.Protocol.MsgPack;

namespace Hypha.Protocol.Objects;

/// <summary>
/// <c>{_rtype:"generator", _rserver, _rtarget, _rmethod, _rclose_method, _rpromise:"*", _rdoc}</c>: a (async)
/// generator on another peer. Calling <see cref="Method"/> returns the next item or <see cref="StopIteration"/>;
/// <see cref="CloseMethod"/> ends it early.
/// </summary>
public sealed class RemoteGenerator : HyphaObject
{
    /// <summary>The <c>_rtype</c> value.</summary>
    public const string TypeName = "generator";

    private RemoteGenerator(MsgPackMap map)
        : base(map)
    {
        Target = MapFields.RequireString(map, HyphaKeys.RTarget, TypeName);
        Method = MapFields.RequireString(map, HyphaKeys.RMethod, TypeName);
        CloseMethod = MapFields.OptionalString(map, HyphaKeys.RCloseMethod, TypeName);
        PromiseMode = RemoteMethod.ReadPromiseMode(map[HyphaKeys.RPromise]);
        Server = MapFields.OptionalString(map, HyphaKeys.RServer, TypeName);
        Doc = MapFields.OptionalString(map, HyphaKeys.RDoc, TypeName);
    }

    /// <summary><c>_rtarget</c>: the owner's address (bare from JS peers).</summary>
    public string Target { get; }

    /// <summary><c>_rmethod</c>: <c>&lt;session&gt;.&lt;objid&gt;</c>, called once per item.</summary>
    public string Method { get; }

    /// <summary><c>_rclose_method</c>: <c>&lt;session&gt;.&lt;objid&gt;:close</c>, for an early exit.</summary>
    public string? CloseMethod { get; }

    /// <summary><c>_rpromise</c> (always "*" from the hypha-rpc clients).</summary>
    public RemotePromiseMode PromiseMode { get; }

    /// <summary><c>_rserver</c>.</summary>
    public string? Server { get; }

    /// <summary><c>_rdoc</c>.</summary>
    public string? Doc { get; }

    /// <summary>Builds a generator descriptor, in the key order of the hypha-rpc clients.</summary>
    public static RemoteGenerator Create(string target, string method, string closeMethod, string? server, string? doc = "Remote generator")
    {
        ArgumentException.ThrowIfNullOrEmpty(target);
        ArgumentException.ThrowIfNullOrEmpty(method);
        ArgumentException.ThrowIfNullOrEmpty(closeMethod);
        MsgPackMap map = Start(TypeName, 7);
        if (server is not null)
        {
            map.Add(HyphaKeys.RServer, server);
        }

        map.Add(HyphaKeys.RTarget, target);
        map.Add(HyphaKeys.RMethod, method);
        map.Add(HyphaKeys.RCloseMethod, closeMethod);
        map.Add(HyphaKeys.RPromise, HyphaKeys.CompactPromise);
        map.Add(HyphaKeys.RDoc, doc);
        return new RemoteGenerator(map);
    }

    /// <summary>Reads a generator descriptor.</summary>
    public static RemoteGenerator FromMap(MsgPackMap map)
    {
        Expect(map, TypeName);
        return new RemoteGenerator(map);
    }
}

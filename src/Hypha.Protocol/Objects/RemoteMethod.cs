using Hypha.Protocol.Messages;
using Hypha.Protocol.MsgPack;

namespace Hypha.Protocol.Objects;

/// <summary>
/// <c>{_rtype:"method", _rserver?, _rtarget, _rmethod, _rpromise?, _rname?, _rdoc?, _rschema?}</c>: a function that
/// lives on another peer, a service function or a session-scoped callback.
/// </summary>
public sealed class RemoteMethod : HyphaObject
{
    /// <summary>The <c>_rtype</c> value.</summary>
    public const string TypeName = "method";

    private RemoteMethod(MsgPackMap map)
        : base(map)
    {
        Target = MapFields.RequireString(map, HyphaKeys.RTarget, TypeName);
        Method = MapFields.RequireString(map, HyphaKeys.RMethod, TypeName);
        PromiseMode = ReadPromiseMode(map[HyphaKeys.RPromise]);
        Server = MapFields.OptionalString(map, HyphaKeys.RServer, TypeName);
        Name = MapFields.OptionalString(map, HyphaKeys.RName, TypeName);
        Doc = MapFields.OptionalString(map, HyphaKeys.RDoc, TypeName);
        Schema = MapFields.OptionalMap(map, HyphaKeys.RSchema, TypeName);
    }

    /// <summary><c>_rtarget</c>: the owner's address; JS peers send a bare client id, Python an absolute one.</summary>
    public string Target { get; }

    /// <summary><c>_rmethod</c>: the path in the owner's object store.</summary>
    public string Method { get; }

    /// <summary><c>_rpromise</c>.</summary>
    public RemotePromiseMode PromiseMode { get; }

    /// <summary><c>_rserver</c>: the public base URL of the owner's server.</summary>
    public string? Server { get; }

    /// <summary><c>_rname</c>.</summary>
    public string? Name { get; }

    /// <summary><c>_rdoc</c>.</summary>
    public string? Doc { get; }

    /// <summary><c>_rschema</c>: <c>{name, description, parameters}</c>.</summary>
    public MsgPackMap? Schema { get; }

    /// <summary><c>_rasync</c> (sent by Python peers), when present.</summary>
    public bool? IsAsync => Map[HyphaKeys.RAsync] is { Kind: MsgPackValueKind.Boolean } flag ? flag.AsBoolean() : null;

    /// <summary>
    /// Builds a descriptor; <c>_rpromise</c> is always written (false for <see cref="RemotePromiseMode.None"/>, as the
    /// hypha-rpc clients write their callbacks). When <paramref name="name"/> is given, <c>_rname</c>, <c>_rdoc</c> and <c>_rschema</c>
    /// are written (null when absent), as the hypha-rpc clients do for service functions.
    /// </summary>
    public static RemoteMethod Create(
        string target,
        string method,
        RemotePromiseMode promise = RemotePromiseMode.None,
        string? server = null,
        string? name = null,
        string? doc = null,
        MsgPackMap? schema = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(target);
        ArgumentException.ThrowIfNullOrEmpty(method);
        MsgPackMap map = Start(TypeName, 8);
        if (server is not null)
        {
            map.Add(HyphaKeys.RServer, server);
        }

        map.Add(HyphaKeys.RTarget, target);
        map.Add(HyphaKeys.RMethod, method);
        map.Add(HyphaKeys.RPromise, PromiseValue(promise));

        if (name is not null)
        {
            map.Add(HyphaKeys.RName, name);
            map.Add(HyphaKeys.RDoc, doc);
            map.Add(HyphaKeys.RSchema, schema);
        }

        return new RemoteMethod(map);
    }

    /// <summary>Reads a descriptor.</summary>
    /// <exception cref="HyphaProtocolException">The map is not a valid method descriptor.</exception>
    public static RemoteMethod FromMap(MsgPackMap map)
    {
        Expect(map, TypeName);
        return new RemoteMethod(map);
    }

    /// <summary>
    /// The target made absolute: a bare client id is prefixed with the workspace of the peer that sent the
    /// descriptor. Addresses that already hold a '/' (including the manager's <c>*/id</c>) are kept.
    /// </summary>
    public string AbsoluteTarget(string senderWorkspace) => Absolute(Target, senderWorkspace);

    /// <summary>
    /// An address made absolute: a bare client id is prefixed with <paramref name="workspace"/>; an address that
    /// already holds a '/' (including the manager's <c>*/id</c>) is kept. The rule for every <c>_rtarget</c>.
    /// </summary>
    public static string Absolute(string address, string workspace)
    {
        ArgumentNullException.ThrowIfNull(address);
        ArgumentException.ThrowIfNullOrEmpty(workspace);
        return address.Contains('/') ? address : $"{workspace}/{address}";
    }

    /// <summary>A copy whose <c>_rtarget</c> is <paramref name="target"/>; every other key is kept as it was.</summary>
    public RemoteMethod WithTarget(string target)
    {
        ArgumentException.ThrowIfNullOrEmpty(target);
        MsgPackMap copy = Map.Clone();
        copy.Set(HyphaKeys.RTarget, target);
        return new RemoteMethod(copy);
    }

    internal static MsgPackValue PromiseValue(RemotePromiseMode mode) => mode switch
    {
        RemotePromiseMode.Compact => HyphaKeys.CompactPromise,
        RemotePromiseMode.Explicit => true,
        _ => false,
    };

    internal static RemotePromiseMode ReadPromiseMode(MsgPackValue value)
    {
        if (value.IsNil)
        {
            return RemotePromiseMode.None;
        }

        if (value.Kind == MsgPackValueKind.Boolean)
        {
            return value.AsBoolean() ? RemotePromiseMode.Explicit : RemotePromiseMode.None;
        }

        return value.TryGetString(out string? text) && text == HyphaKeys.CompactPromise
            ? RemotePromiseMode.Compact
            : throw new HyphaProtocolException($"_rpromise must be true, false or \"*\", not {value}.");
    }
}

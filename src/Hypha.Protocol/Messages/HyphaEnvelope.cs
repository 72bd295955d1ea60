using Hypha.Protocol.MsgPack;

namespace Hypha.Protocol.Messages;

/// <summary>
/// A typed view of a frame's <c>main</c> map: the routing fields. Reading a field never copies; the map itself
/// stays the source of truth, so a server can rewrite <c>from</c>/<c>to</c>/<c>ws</c>/<c>user</c> in place.
/// </summary>
public readonly struct HyphaEnvelope
{
    private const string Owner = "message";

    /// <summary>Wraps a <c>main</c> map (see <see cref="Validate"/> for the checks a decoder applies).</summary>
    public HyphaEnvelope(MsgPackMap main)
    {
        ArgumentNullException.ThrowIfNull(main);
        Main = main;
    }

    /// <summary>The underlying map.</summary>
    public MsgPackMap Main { get; }

    /// <summary><c>type</c>: "method" for calls and callbacks, any other string for an event.</summary>
    public string Type => MapFields.RequireString(Main, HyphaKeys.Type, Owner);

    /// <summary>True for an RPC call or callback (<c>type == "method"</c>).</summary>
    public bool IsMethodCall => Type == HyphaKeys.MethodType;

    /// <summary><c>from</c>: the sender address (absolute once the server stamped it).</summary>
    public string? From => MapFields.OptionalString(Main, HyphaKeys.From, Owner);

    /// <summary><c>to</c>: the target address.</summary>
    public string? To => MapFields.OptionalString(Main, HyphaKeys.To, Owner);

    /// <summary><c>method</c>: the object-store path called.</summary>
    public string? Method => MapFields.OptionalString(Main, HyphaKeys.Method, Owner);

    /// <summary><c>session</c>: present only when the caller expects a result.</summary>
    public string? Session => MapFields.OptionalString(Main, HyphaKeys.Session, Owner);

    /// <summary><c>parent</c>: the receiver-side session a callback belongs to.</summary>
    public string? Parent => MapFields.OptionalString(Main, HyphaKeys.Parent, Owner);

    /// <summary><c>ws</c>: the caller's workspace, added by the server.</summary>
    public string? Workspace => MapFields.OptionalString(Main, HyphaKeys.Workspace, Owner);

    /// <summary><c>user</c>: the caller's user info, added by the server.</summary>
    public MsgPackMap? User => MapFields.OptionalMap(Main, HyphaKeys.User, Owner);

    /// <summary>
    /// Builds the <c>main</c> of a call, in the key order the hypha-rpc clients use. <paramref name="session"/> is
    /// given only when a result is expected; <paramref name="parent"/> only for callbacks into a remote session.
    /// </summary>
    public static HyphaEnvelope CreateCall(string? from, string to, string method, string? session = null, string? parent = null)
    {
        var main = new MsgPackMap(6) { { HyphaKeys.Type, HyphaKeys.MethodType } };
        if (from is not null)
        {
            main.Add(HyphaKeys.From, from);
        }

        main.Add(HyphaKeys.To, to);
        main.Add(HyphaKeys.Method, method);
        if (parent is not null)
        {
            main.Add(HyphaKeys.Parent, parent);
        }

        if (session is not null)
        {
            main.Add(HyphaKeys.Session, session);
        }

        return new HyphaEnvelope(main);
    }

    /// <summary>
    /// Checks that <c>type</c> is a string and that every routing field present has the right type, so that a
    /// bad frame fails when it is decoded rather than later, when one of its fields is read.
    /// </summary>
    /// <exception cref="HyphaProtocolException">A field is missing or has the wrong type.</exception>
    public static void Validate(MsgPackMap main)
    {
        var envelope = new HyphaEnvelope(main);
        _ = envelope.Type;
        _ = envelope.From;
        _ = envelope.To;
        _ = envelope.Method;
        _ = envelope.Session;
        _ = envelope.Parent;
        _ = envelope.Workspace;
        _ = envelope.User;
    }
}

using Hypha.Protocol.MsgPack;

namespace Hypha.Protocol.Messages;

/// <summary>The map keys of the hypha wire protocol (envelope, call arguments and encoded objects).</summary>
public static class HyphaKeys
{
    /// <summary><c>main.type</c>: "method" for calls, any other string for an event.</summary>
    public const string Type = "type";
    /// <summary><c>main.from</c>: the absolute sender address, stamped by the server.</summary>
    public const string From = "from";
    /// <summary><c>main.to</c>: the target address.</summary>
    public const string To = "to";
    /// <summary><c>main.method</c>: the dotted path into the receiver's object store.</summary>
    public const string Method = "method";
    /// <summary><c>main.session</c>: the caller's session, present only when a result is expected.</summary>
    public const string Session = "session";
    /// <summary><c>main.parent</c>: the receiver-side session a callback belongs to.</summary>
    public const string Parent = "parent";
    /// <summary><c>main.ws</c>: the caller's workspace, added by the server.</summary>
    public const string Workspace = "ws";
    /// <summary><c>main.user</c>: the caller's user info, added by the server.</summary>
    public const string User = "user";
    /// <summary><c>extra.args</c>: positional arguments.</summary>
    public const string Args = "args";
    /// <summary><c>extra.with_kwargs</c>: the last argument is a map of keyword arguments.</summary>
    public const string WithKwargs = "with_kwargs";
    /// <summary><c>extra.promise</c>: "*" (compact) or the explicit resolve/reject map.</summary>
    public const string Promise = "promise";
    /// <summary><c>extra.t</c>: the heartbeat interval in seconds, with the compact promise.</summary>
    public const string HeartbeatInterval = "t";

    /// <summary>An event's payload (in <c>main</c>).</summary>
    public const string Data = "data";
    /// <summary>The value of <c>main.type</c> for RPC calls and callbacks.</summary>
    public const string MethodType = "method";
    /// <summary>The compact promise marker, and the compact <c>_rpromise</c> value.</summary>
    public const string CompactPromise = "*";

    /// <summary>The explicit promise map's resolve callback.</summary>
    public const string Resolve = "resolve";
    /// <summary>The explicit promise map's reject callback.</summary>
    public const string Reject = "reject";
    /// <summary>The explicit promise map's heartbeat callback.</summary>
    public const string Heartbeat = "heartbeat";
    /// <summary>The explicit promise map's heartbeat interval, in seconds.</summary>
    public const string Interval = "interval";

    /// <summary>The discriminator of an encoded object.</summary>
    public const string RType = "_rtype";
    /// <summary>The main value of an encoded object (message, buffer, items).</summary>
    public const string RValue = "_rvalue";
    /// <summary>The address of the peer that owns a remote function.</summary>
    public const string RTarget = "_rtarget";
    /// <summary>The object-store path of a remote function.</summary>
    public const string RMethod = "_rmethod";
    /// <summary>How a remote function is called: true (explicit promise), false (no result) or "*" (compact).</summary>
    public const string RPromise = "_rpromise";
    /// <summary>The public base URL of the server the owner is connected to.</summary>
    public const string RServer = "_rserver";
    /// <summary>The function's name.</summary>
    public const string RName = "_rname";
    /// <summary>The function's documentation.</summary>
    public const string RDoc = "_rdoc";
    /// <summary>The function's JSON schema.</summary>
    public const string RSchema = "_rschema";
    /// <summary>Python: whether the function is a coroutine.</summary>
    public const string RAsync = "_rasync";
    /// <summary>The X25519 public key for end-to-end encryption.</summary>
    public const string REncryptionPublicKey = "_renc_pub";
    /// <summary>An error's trace.</summary>
    public const string RTrace = "_rtrace";
    /// <summary>An ndarray's shape.</summary>
    public const string RShape = "_rshape";
    /// <summary>An ndarray's or typed array's element type.</summary>
    public const string RDType = "_rdtype";
    /// <summary>A generator's close method.</summary>
    public const string RCloseMethod = "_rclose_method";
    /// <summary>An iostream's native kind (<c>js:blob</c>, <c>py:&lt;class&gt;</c>).</summary>
    public const string RNative = "_rnative";

    /// <summary>
    /// A native client's request for a fresh reconnection token: a message of this type with no <c>to</c> (hypha's
    /// WebSocket clients send the text <c>{"type":"refresh_token"}</c> instead; docs/native-mode.md).
    /// </summary>
    public const string RefreshToken = "refresh_token";

    /// <summary>The server's answer to <see cref="RefreshToken"/>: an event with no <c>from</c>, the token in its <c>data</c>.</summary>
    public const string ReconnectionToken = "reconnection_token";

    /// <summary>
    /// The keys above and the values that recur in every message, handed out as shared instances when hypha frames
    /// are decoded (see <see cref="HyphaFrame.DefaultReaderOptions"/>).
    /// </summary>
    public static MsgPackStringPool StringPool { get; } = new(
    [
        Type, From, To, Method, Session, Parent, Workspace, User, Args, WithKwargs, Promise, HeartbeatInterval,
        MethodType, CompactPromise, Resolve, Reject, Heartbeat, Interval,
        RType, RValue, RTarget, RMethod, RPromise, RServer, RName, RDoc, RSchema, RAsync, REncryptionPublicKey,
        RTrace, RShape, RDType, RCloseMethod, RNative,
        "error", "generator", "ndarray", "typedarray", "stop_iteration",
        "id", "name", "description", "config", "docs", "app_id", "service_schema", "visibility", "public",
        "protected", "unlisted", "require_context", "api_version", "generic", "built-in", "function", "parameters",
        "roles", "is_anonymous", "email", "scope", "current_workspace", "expires_at", "workspaces", "client_id",
    ]);
}

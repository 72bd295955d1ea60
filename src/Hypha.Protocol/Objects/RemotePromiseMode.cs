namespace Hypha.Protocol.Objects;

/// <summary>How a remote function expects to be called, from its <c>_rpromise</c> field.</summary>
public enum RemotePromiseMode : byte
{
    /// <summary><c>_rpromise</c> false or absent: fire and forget, no result (resolve/reject/heartbeat callbacks).</summary>
    None,
    /// <summary><c>_rpromise: true</c>: call with the explicit promise map (internal get_service and ping).</summary>
    Explicit,
    /// <summary><c>_rpromise: "*"</c>: call with the compact promise; what every function a peer returns carries.</summary>
    Compact,
}

using Hypha.Protocol.Native;
using Hypha.Server.Connections;

namespace Hypha.Server.Routing;

/// <summary>A stamped message on its way to its target.</summary>
/// <param name="Message">The message, as a frame or decoded (each target takes the form it speaks).</param>
/// <param name="Channel">The channel the frame arrived on, kept for a native target (a WebSocket target ignores it).</param>
/// <param name="Target">The absolute target address.</param>
/// <param name="Type">The message type: "method", or an event type for broadcasts.</param>
/// <param name="Session">The caller's session when a result is expected: a lost frame is then rejected.</param>
/// <param name="Sender">The sending client, or null for the workspace manager.</param>
/// <param name="SenderWorkspace">The workspace broadcasts must stay in, or null for the manager (any workspace).</param>
/// <param name="Payloads">The payloads the frame references in shared memory (its placeholders name them), or null.</param>
internal readonly record struct Delivery(
    RoutedMessage Message,
    NativeChannel Channel,
    string Target,
    string Type,
    string? Session,
    ClientConnection? Sender,
    string? SenderWorkspace,
    IReadOnlyList<Hypha.Transport.SharedMemory.SharedMemoryLease>? Payloads = null);

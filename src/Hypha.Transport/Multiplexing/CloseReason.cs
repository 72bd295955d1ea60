using Hypha.Protocol.Native;

namespace Hypha.Transport.Multiplexing;

/// <summary>Why a native connection ended.</summary>
/// <param name="Code">The error code; <see cref="NativeErrorCode.None"/> for a normal close.</param>
/// <param name="Message">A sentence for logs and for the calls that failed with it.</param>
/// <param name="ByPeer">True when the peer ended it (its Error, its GoAway or its close); false when this side did.</param>
public sealed record CloseReason(NativeErrorCode Code, string Message, bool ByPeer);

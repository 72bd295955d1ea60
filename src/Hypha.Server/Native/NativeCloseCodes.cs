using Hypha.Protocol.Native;
using Hypha.Server.Connections;

namespace Hypha.Server.Native;

/// <summary>
/// Translates between the WebSocket close codes the connection core speaks (<see cref="CloseCodes"/>) and the native
/// protocol's error codes, so that one close decision reads the same on either transport.
/// </summary>
internal static class NativeCloseCodes
{
    /// <summary>The native code for a close the server decided.</summary>
    public static NativeErrorCode ToNative(int closeCode) => closeCode switch
    {
        CloseCodes.Normal => NativeErrorCode.None,
        CloseCodes.GoingAway => NativeErrorCode.Shutdown,
        CloseCodes.UnsupportedData => NativeErrorCode.ProtocolError,
        CloseCodes.MessageTooBig => NativeErrorCode.FrameTooLarge,
        CloseCodes.PolicyViolation => NativeErrorCode.Refused,
        _ => NativeErrorCode.InternalError,
    };

    /// <summary>The WebSocket code that tells the same thing, for the logs of a close the peer caused.</summary>
    public static int ToCloseCode(NativeErrorCode code) => code switch
    {
        NativeErrorCode.None => CloseCodes.Normal,
        NativeErrorCode.Shutdown or NativeErrorCode.Timeout => CloseCodes.GoingAway,
        NativeErrorCode.ProtocolError or NativeErrorCode.FlowControlError or NativeErrorCode.UnsupportedVersion => CloseCodes.UnsupportedData,
        NativeErrorCode.FrameTooLarge => CloseCodes.MessageTooBig,
        NativeErrorCode.Refused => CloseCodes.PolicyViolation,
        _ => CloseCodes.InternalError,
    };
}

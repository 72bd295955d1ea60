using System.Text;

namespace Hypha.Server.Connections;

/// <summary>Fits a reason into a close frame, whose payload leaves 123 bytes for it.</summary>
internal static class CloseReasons
{
    /// <summary>The reason, cut at a character boundary so that its UTF-8 form fits a close frame.</summary>
    public static string Fit(string reason)
    {
        if (Encoding.UTF8.GetByteCount(reason) <= HyphaServerOptions.MaxCloseReasonBytes)
        {
            return reason;
        }

        int length = reason.Length;
        while (length > 0 && Encoding.UTF8.GetByteCount(reason.AsSpan(0, length)) > HyphaServerOptions.MaxCloseReasonBytes - 3)
        {
            length--;
        }

        if (length > 0 && char.IsHighSurrogate(reason[length - 1]))
        {
            length--;
        }

        return string.Concat(reason.AsSpan(0, length), "...");
    }
}

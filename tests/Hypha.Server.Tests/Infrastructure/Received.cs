using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Hypha.Protocol.Messages;

namespace Hypha.Server.Tests.Infrastructure;

/// <summary>One message a test client received: text, binary, or the close.</summary>
internal sealed record Received(WebSocketMessageType Type, byte[] Bytes, WebSocketCloseStatus? CloseStatus, string? CloseDescription)
{
    public string Text => Encoding.UTF8.GetString(Bytes);

    public JsonElement Json()
    {
        Assert.Equal(WebSocketMessageType.Text, Type);
        using JsonDocument document = JsonDocument.Parse(Bytes);
        return document.RootElement.Clone();
    }

    public HyphaFrame Frame()
    {
        Assert.Equal(WebSocketMessageType.Binary, Type);
        return HyphaFrame.Decode(Bytes);
    }

    public override string ToString() => Type switch
    {
        WebSocketMessageType.Text => $"text {Text}",
        WebSocketMessageType.Binary => $"binary ({Bytes.Length} bytes)",
        _ => $"close {CloseStatus} {CloseDescription}",
    };
}

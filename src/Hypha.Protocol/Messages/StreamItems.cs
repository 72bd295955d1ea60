using Hypha.Protocol.MsgPack;
using Hypha.Protocol.Schemas;

namespace Hypha.Protocol.Messages;

/// <summary>
/// A stream item (schemas/stream_item.schema.json) is the compact wire form of one message: the resolve that answers a
/// generator's next call, <c>{type:"method", method:"&lt;session&gt;.resolve", parent:session, args:[item]}</c>. Each
/// side turns one into the other, so the RPC core and the router only ever see <see cref="RpcMethodV4"/> messages.
/// </summary>
public static class StreamItems
{
    private const string ResolveSuffix = "." + HyphaKeys.Resolve;

    // A one-element array written in its smallest form: the fixarray header, then the element.
    private const byte OneElementArray = 0x91;

    /// <summary>The stream item a message stands for, or null when it is not such a resolve.</summary>
    public static StreamItem? TryFrom(RpcMethodV4 message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.Type != HyphaKeys.MethodType || message.Parent is not { } session || message.Session is not null
            || message.Method is not { } method || method.Length != session.Length + ResolveSuffix.Length
            || !method.StartsWith(session, StringComparison.Ordinal) || !method.EndsWith(ResolveSuffix, StringComparison.Ordinal)
            || message.Promise is not null || message.T is not null || message.WithKwargs == true || message.Data is not null || message.Records is not null
            || message.Args is not { } args || args.Bytes.Length < 2 || args.Bytes.Span[0] != OneElementArray)
        {
            return null;
        }

        return new StreamItem
        {
            From = message.From,
            To = message.To,
            Session = session,
            Ws = message.Ws,
            User = message.User,
            Item = RawMsgPack.Create(args.Bytes[1..]),
        };
    }

    /// <summary>The resolve a stream item stands for.</summary>
    public static RpcMethodV4 ToMessage(StreamItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        byte[] args = new byte[1 + item.Item.Bytes.Length];
        args[0] = OneElementArray;
        item.Item.Bytes.Span.CopyTo(args.AsSpan(1));
        return new RpcMethodV4
        {
            Type = HyphaKeys.MethodType,
            From = item.From,
            To = item.To,
            Method = item.Session + ResolveSuffix,
            Parent = item.Session,
            Ws = item.Ws,
            User = item.User,
            Args = RawMsgPack.Create(args),
        };
    }
}

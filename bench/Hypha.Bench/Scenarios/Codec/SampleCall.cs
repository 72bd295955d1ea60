using Hypha.Protocol.Messages;
using Hypha.Protocol.MsgPack;

namespace Hypha.Bench.Scenarios.Codec;

/// <summary>
/// The typical call frame of the protocol's wire trace (hypha-protocol.md, appendix A and section 4.4):
/// <c>svc.add(21, 7)</c> from c2 to the service s1 of c1, with the compact promise.
/// main <c>{type, from, to, method, session}</c>, extra <c>{args:[21, 7], promise:"*", t:15}</c>.
/// </summary>
internal static class SampleCall
{
    public const string From = "ws-user-anon-c2/c2";
    public const string To = "ws-user-anon-c1/c1";
    public const string Method = "services.s1.add";
    public const string Session = "k7QxW2mZp9RtYb4NcLd8Hs3"; // 23 characters, like a client's session id
    public const long A = 21;
    public const long B = 7;
    public const long HeartbeatSeconds = 15;

    /// <summary>Builds the frame's maps with the library's message model.</summary>
    public static (MsgPackMap Main, MsgPackMap Extra) BuildModel()
    {
        MsgPackMap main = HyphaEnvelope.CreateCall(From, To, Method, Session).Main;
        MsgPackMap extra = HyphaCall.Create([A, B], kwargs: null, promise: new CompactPromise(HeartbeatSeconds)).Extra;
        return (main, extra);
    }

    /// <summary>Writes the same frame with <see cref="MsgPackWriter"/> calls only (no model, no allocation).</summary>
    public static void WriteDirect(ref MsgPackWriter writer)
    {
        WriteMain(ref writer);
        writer.WriteMapHeader(3);
        writer.Write(HyphaKeys.Args);
        writer.WriteArrayHeader(2);
        writer.Write(A);
        writer.Write(B);
        WritePromise(ref writer);
    }

    /// <summary>The five routing fields of main, in the order the hypha-rpc clients write them.</summary>
    public static void WriteMain(ref MsgPackWriter writer)
    {
        writer.WriteMapHeader(5);
        writer.Write(HyphaKeys.Type);
        writer.Write(HyphaKeys.MethodType);
        writer.Write(HyphaKeys.From);
        writer.Write(From);
        writer.Write(HyphaKeys.To);
        writer.Write(To);
        writer.Write(HyphaKeys.Method);
        writer.Write(Method);
        writer.Write(HyphaKeys.Session);
        writer.Write(Session);
    }

    /// <summary>The compact promise entries of extra: <c>promise:"*", t:15</c>.</summary>
    public static void WritePromise(ref MsgPackWriter writer)
    {
        writer.Write(HyphaKeys.Promise);
        writer.Write(HyphaKeys.CompactPromise);
        writer.Write(HyphaKeys.HeartbeatInterval);
        writer.Write(HeartbeatSeconds);
    }

    /// <summary>
    /// Decodes a frame as a receiver does: main into the model (validated), extra into the model, the call view
    /// over it, then the two arguments. Returns a value derived from everything read.
    /// </summary>
    public static long Decode(ReadOnlyMemory<byte> bytes)
    {
        HyphaFrame frame = HyphaFrame.Decode(bytes);
        MsgPackMap extra = frame.DecodeExtra() ?? throw new InvalidOperationException("The call frame has no extra.");
        var call = new HyphaCall(extra);
        MsgPackValue[] args = call.Args;
        return args[0].AsInt64() + args[1].AsInt64() + frame.Envelope.Method!.Length
            + (long)(call.Promise?.HeartbeatInterval ?? 0);
    }

    /// <summary>What <see cref="Decode"/> returns for this frame.</summary>
    public static long ExpectedDecode => A + B + Method.Length + HeartbeatSeconds;
}

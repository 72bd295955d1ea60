using System.Buffers;
using System.Text.Unicode;
using Hypha.Protocol.Messages;
using Hypha.Protocol.MsgPack;
using Hypha.Protocol.Schemas;

namespace Hypha.Client.Rpc;

// The answers to this peer's calls: resolve, reject and heartbeat of a session it waits on. Half of all messages a
// caller receives are answers, so they are taken before any reply or substring is made for them; a frame that is one
// is read as such (AnswerFrame) without the message object and the per-call strings of the general path.
public sealed partial class RpcPeer
{
    // Session ids and addresses longer than this (in UTF-16 units) take the general path.
    private const int MaxAnswerChars = 256;

    [ThreadStatic]
    private static RpcMethodV4? t_answerMessage;

    // The answer in a decoded message. False when the message is something else, or needs the general path's reply
    // (a session answered from the wrong address).
    private bool TryAnswer(IncomingCall call, string method, string from)
    {
        if (!AnswerFrame.TryParseMethod(method, out AnswerKind kind, out int dot))
        {
            return false;
        }

        if (!_sessionsById.TryGetValue(method.AsSpan(0, dot), out RpcSession? session))
        {
            // A late resolve or heartbeat for a call that already timed out or was cancelled: nothing waits for it.
            return true;
        }

        if (session.TargetId != from)
        {
            return false;
        }

        if (Arrived(session, kind))
        {
            Settle(session, kind, call);
        }

        return true;
    }

    // The answer read from its frame, as TryAnswer takes it.
    private bool TryTakeAnswer(ReadOnlyMemory<byte> frame, AnswerFrame answer)
    {
        Span<char> chars = stackalloc char[MaxAnswerChars];
        if (Utf8.ToUtf16(answer.SessionOf(frame.Span), chars, out _, out int length, replaceInvalidSequences: false) != OperationStatus.Done)
        {
            return false;
        }

        if (!_sessionsById.TryGetValue(chars[..length], out RpcSession? session))
        {
            return true;
        }

        if (Utf8.ToUtf16(answer.FromOf(frame.Span), chars, out _, out length, replaceInvalidSequences: false) != OperationStatus.Done
            || !chars[..length].SequenceEqual(session.TargetId))
        {
            return false;
        }

        Take(session, answer.Kind, answer.ArgsOf(frame));
        return true;
    }

    // The answer read from its binary form, as TryTakeAnswer takes one read from its frame.
    private bool TryTakeAnswer(in BinaryAnswer answer, ReadOnlySpan<byte> body)
    {
        Span<char> chars = stackalloc char[MaxAnswerChars];
        if (!answer.TryCopySession(body, chars, out int length))
        {
            return false;
        }

        if (!_sessionsById.TryGetValue(chars[..length], out RpcSession? session))
        {
            return true;
        }

        if (session.TargetId != answer.Sender)
        {
            return false;
        }

        Take(session, answer.Kind, answer.Arguments);
        return true;
    }

    // Settles a session from its answer's kind and arguments. The message the answer's reader sees is this thread's,
    // cleared once read: an answer is read before Complete returns (PendingAnswer's contract), into values of its own,
    // so even a lent frame's arguments are read where they are.
    private void Take(RpcSession session, AnswerKind kind, RawMsgPack? args)
    {
        if (!Arrived(session, kind))
        {
            return;
        }

        RpcMethodV4 message = t_answerMessage ?? new RpcMethodV4();
        t_answerMessage = null;
        message.Type = HyphaKeys.MethodType;
        message.From = session.TargetId;
        message.Args = args;
        try
        {
            Settle(session, kind, new IncomingCall(message, _readerOptions));
        }
        finally
        {
            RpcMessages.Clear(message);
            t_answerMessage = message;
        }
    }

    // What any answer from the session's target does to it; true when the answer settles it (a resolve or reject), false
    // for a heartbeat, which only renews its timeout.
    private static bool Arrived(RpcSession session, AnswerKind kind)
    {
        session.Touch();
        if (kind != AnswerKind.Heartbeat)
        {
            return true;
        }

        session.RenewTimeout();
        return false;
    }

    private void Settle(RpcSession session, AnswerKind kind, IncomingCall call)
    {
        if (kind == AnswerKind.Resolve)
        {
            Complete(session, call);
        }
        else
        {
            Fail(session, ToException(call.FirstArgument));
        }
    }
}

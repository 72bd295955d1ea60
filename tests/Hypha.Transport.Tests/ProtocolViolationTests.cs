using System.IO.Pipelines;
using Hypha.Protocol.Native;
using Hypha.Transport.Multiplexing;

namespace Hypha.Transport.Tests;

public sealed class ProtocolViolationTests
{
    public static TheoryData<string, byte[], NativeErrorCode> Violations => new()
    {
        { "unknown channel", [4, 0, 0, 0, 7, 1, 0, 0, 1, 2, 3, 4], NativeErrorCode.ProtocolError },
        { "reserved flag bit", [1, 0, 0, 0, 2, 0x81, 0, 0, 9], NativeErrorCode.ProtocolError },
        { "reserved header bytes", [1, 0, 0, 0, 2, 1, 0, 1, 9], NativeErrorCode.ProtocolError },
        { "frame over the maximum (2 GiB declared, never sent)", [0, 0, 0, 0x80, 3, 1, 0, 0], NativeErrorCode.FrameTooLarge },
        { "rpc fragment without END", RawPeer.Frame(NativeChannel.Rpc, FrameFlags.None, [1, 2]), NativeErrorCode.ProtocolError },
        { "empty rpc message", RawPeer.Frame(NativeChannel.Rpc, FrameFlags.End, []), NativeErrorCode.ProtocolError },
        { "unknown control type", RawPeer.Frame(NativeChannel.Control, FrameFlags.End, [99, 0x80]), NativeErrorCode.ProtocolError },
        { "control body not msgpack", RawPeer.Frame(NativeChannel.Control, FrameFlags.End, [4, 0xc1]), NativeErrorCode.ProtocolError },
        { "a second Hello", RawPeer.Control(new ControlMessage(ControlType.Hello, [])), NativeErrorCode.ProtocolError },
        { "window update on control", RawPeer.Control(new ControlMessage(ControlType.WindowUpdate, new() { { "channel", 0 }, { "increment", 5 } })), NativeErrorCode.ProtocolError },
        { "window update past 2^31-1", RawPeer.Control(ControlMessages.WindowUpdate(NativeChannel.Bulk, int.MaxValue)), NativeErrorCode.FlowControlError },
        { "shared memory not negotiated", RawPeer.Control(new ControlMessage(ControlType.ShmRelease, [])), NativeErrorCode.ProtocolError },
        { "shared-memory reference not negotiated", [1, 0, 0, 0, 3, 0x11, 0, 0, 9], NativeErrorCode.ProtocolError },
    };

    [Fact]
    public async Task A_violation_while_the_writer_is_flushing_still_gets_its_error_frame()
    {
        // The transport holds one unread byte before its writer waits: the pings a multiplexer sends as it starts
        // keep the writer inside its flush until this side reads.
        await using var peer = new RawPeer(pipeOptions: new PipeOptions(pauseWriterThreshold: 1, resumeWriterThreshold: 1, useSynchronizationContext: false));
        await peer.WaitForUnreadAsync();

        await peer.WriteAsync([1, 0, 0, 0, 2, 1, 0, 1, 9]);
        await peer.WaitForCloseStartedAsync();

        (NativeErrorCode code, _) = await peer.ReadErrorAsync();
        Assert.Equal(NativeErrorCode.ProtocolError, code);
    }

    [Theory]
    [MemberData(nameof(Violations))]
    public async Task A_violation_closes_the_connection_with_an_error_frame(string name, byte[] bytes, NativeErrorCode expected)
    {
        await using var peer = new RawPeer();

        await peer.WriteAsync(bytes);

        CloseReason reason = await peer.ClosedAsync();
        Assert.True(expected == reason.Code, $"{name}: {reason.Code} ({reason.Message})");
        Assert.False(reason.ByPeer);
        (NativeErrorCode code, string text) = await peer.ReadErrorAsync();
        Assert.Equal(expected, code);
        Assert.Equal(reason.Message, text);
    }

    [Fact]
    public async Task Sending_past_the_window_is_a_flow_control_error()
    {
        var release = new TaskCompletionSource();
        var options = new MultiplexerOptions { Settings = new NativeSettings { StreamWindow = 64 * 1024 } };
        await using var peer = new RawPeer(options, handler: async _ => await release.Task);
        byte[] message = RawPeer.Frame(NativeChannel.Stream, FrameFlags.End, new byte[30 * 1024]);

        // The application takes nothing, so no credit comes back: the third message overdraws the 64 KiB window.
        await peer.WriteAsync(message, message, message);

        CloseReason reason = await peer.ClosedAsync();
        Assert.Equal(NativeErrorCode.FlowControlError, reason.Code);
        Assert.Contains("stream", reason.Message, StringComparison.OrdinalIgnoreCase);
        release.SetResult();
    }

    [Fact]
    public async Task Too_many_rpc_messages_in_flight_is_a_flow_control_error()
    {
        var release = new TaskCompletionSource();
        var options = new MultiplexerOptions { Settings = new NativeSettings { RpcWindow = 2 } };
        await using var peer = new RawPeer(options, handler: async _ => await release.Task);
        byte[] call = RawPeer.Frame(NativeChannel.Rpc, FrameFlags.End, [1]);

        await peer.WriteAsync(call, call, call);

        Assert.Equal(NativeErrorCode.FlowControlError, (await peer.ClosedAsync()).Code);
        release.SetResult();
    }

    [Fact]
    public async Task A_message_over_the_maximum_is_refused_while_it_grows()
    {
        var options = new MultiplexerOptions { Settings = new NativeSettings { MaxMessage = 100_000, BulkWindow = 1_000_000 } };
        await using var peer = new RawPeer(options);
        byte[] fragment = RawPeer.Frame(NativeChannel.Bulk, FrameFlags.None, new byte[60_000]);

        await peer.WriteAsync(fragment, fragment);

        Assert.Equal(NativeErrorCode.FrameTooLarge, (await peer.ClosedAsync()).Code);
    }

    [Fact]
    public async Task A_peer_error_frame_closes_with_its_reason()
    {
        await using var peer = new RawPeer();

        await peer.WriteAsync(RawPeer.Control(ControlMessages.Error(NativeErrorCode.Refused, "bad token")));

        CloseReason reason = await peer.ClosedAsync();
        Assert.Equal(NativeErrorCode.Refused, reason.Code);
        Assert.True(reason.ByPeer);
        Assert.Contains("bad token", reason.Message);
    }
}

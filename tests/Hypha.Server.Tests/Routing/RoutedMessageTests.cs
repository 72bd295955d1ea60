using Hypha.Protocol.Messages;
using Hypha.Protocol.MsgPack;
using Hypha.Protocol.Schemas;
using Hypha.Server.Routing;

namespace Hypha.Server.Tests.Routing;

public sealed class RoutedMessageTests
{
    [Fact]
    public void A_small_message_is_written_for_each_target_into_an_array_of_its_own()
    {
        RpcMethodV4 message = Call(new MsgPackValue[] { 21, 7 });
        RoutedMessage routed = RoutedMessage.FromMessage(message);

        ReadOnlyMemory<byte> first = routed.RentFrame(out byte[]? firstArray);
        ReadOnlyMemory<byte> second = routed.RentFrame(out byte[]? secondArray);

        Assert.NotNull(firstArray);
        Assert.NotNull(secondArray);
        Assert.NotSame(firstArray, secondArray);
        Assert.Equal(RpcMessages.ToFrame(message), first.ToArray());
        Assert.Equal(RpcMessages.ToFrame(message), second.ToArray());
    }

    [Fact]
    public void A_frame_at_hand_is_shared_not_rented()
    {
        byte[] frame = RpcMessages.ToFrame(Call(new MsgPackValue[] { 1 }));
        RoutedMessage routed = RoutedMessage.FromFrame(frame);

        ReadOnlyMemory<byte> rented = routed.RentFrame(out byte[]? array);

        Assert.Null(array);
        Assert.True(rented.Span == frame.AsSpan(), "the frame that arrived is forwarded as it is");
    }

    [Fact]
    public void A_large_message_is_written_once_and_shared()
    {
        RpcMethodV4 message = Call(new MsgPackValue[] { new byte[64 * 1024] });
        RoutedMessage routed = RoutedMessage.FromMessage(message);

        ReadOnlyMemory<byte> first = routed.RentFrame(out byte[]? firstArray);
        ReadOnlyMemory<byte> second = routed.RentFrame(out byte[]? secondArray);

        Assert.Null(firstArray);
        Assert.Null(secondArray);
        Assert.True(first.Span == second.Span, "both targets get the one frame written");
        Assert.Equal(RpcMessages.ToFrame(message), first.ToArray());
    }

    [Fact]
    public void A_rented_frame_is_not_the_shared_frame_a_later_target_may_take()
    {
        RpcMethodV4 message = Call(new MsgPackValue[] { "text" });
        RoutedMessage routed = RoutedMessage.FromMessage(message);

        routed.RentFrame(out byte[]? array);
        Assert.NotNull(array);
        array.AsSpan().Fill(0xFF); // back in the pool, the array is someone else's


        Assert.Equal(RpcMessages.ToFrame(message), routed.Frame.ToArray());
    }

    private static RpcMethodV4 Call(MsgPackValue[] args) => new()
    {
        Type = "method",
        From = "ws-user-1/caller",
        To = "ws-user-1/provider",
        Method = "provider:svc.add",
        Args = RawMsgPack.From(args),
    };
}

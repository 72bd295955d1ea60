using System.Reflection;
using Hypha.Protocol.Messages;
using Hypha.Protocol.MsgPack;
using Hypha.Protocol.Schemas;

namespace Hypha.Protocol.Tests.Messages;

/// <summary>A message read from a lent frame, then given its own copies of the values read after the frame is gone.</summary>
public sealed class RpcMessagesDetachTests
{
    [Fact]
    public void Detached_values_survive_the_frame_being_overwritten()
    {
        RpcMethodV4 original = Message();
        byte[] frame = RpcMessages.ToFrame(original);
        RpcMethodV4 read = RpcMessages.TryRead(frame, MsgPackReaderOptions.Default)!;

        RpcMessages.DetachValues(read);
        frame.AsSpan().Fill(0xEE);

        read.User = original.User; // left in the frame on purpose (next test)
        Assert.Equal(RpcMessages.ToFrame(original), RpcMessages.ToFrame(read));
    }

    [Fact]
    public void The_user_dict_stays_in_the_frame()
    {
        byte[] frame = RpcMessages.ToFrame(Message());
        RpcMethodV4 read = RpcMessages.TryRead(frame, MsgPackReaderOptions.Default)!;

        RpcMessages.DetachValues(read);

        Assert.True(System.Runtime.InteropServices.MemoryMarshal.TryGetArray(read.User!.Value.Bytes, out ArraySegment<byte> user));
        Assert.Same(frame, user.Array);
    }

    [Fact]
    public void Every_raw_value_but_the_user_dict_is_detached()
    {
        // A raw field added to the envelope must be copied too, or a lent frame's reader would keep a slice of it.
        string[] raw = typeof(RpcMethodV4).GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.PropertyType == typeof(RawMsgPack?))
            .Select(p => p.Name)
            .Order()
            .ToArray();

        Assert.Equal(["Args", "Data", "Promise", "T", "User"], raw);
    }

    [Fact]
    public void A_message_without_values_stays_without_them()
    {
        var message = new RpcMethodV4 { Type = "method", To = "ws/p", Method = "m" };

        RpcMessages.DetachValues(message);

        Assert.Null(message.Args);
        Assert.Null(message.Data);
        Assert.Null(message.Promise);
    }

    [Fact]
    public void A_cleared_message_is_a_new_one()
    {
        // Every settable field, set by reflection so that a field added to the envelope is covered too.
        var message = new RpcMethodV4();
        foreach (PropertyInfo property in Settable())
        {
            property.SetValue(message, property.PropertyType == typeof(string) ? "x"
                : property.PropertyType == typeof(RawMsgPack?) ? RawMsgPack.From(1)
                : property.PropertyType == typeof(bool?) ? true
                : throw new InvalidOperationException($"A field of a type this test does not know: {property.Name}"));
        }

        RpcMessages.Clear(message);

        var fresh = new RpcMethodV4();
        foreach (PropertyInfo property in Settable())
        {
            Assert.True(Equals(property.GetValue(fresh), property.GetValue(message)), property.Name);
        }

        Assert.Equal(RpcMessages.ToFrame(fresh), RpcMessages.ToFrame(message));
    }

    private static IEnumerable<PropertyInfo> Settable() =>
        typeof(RpcMethodV4).GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite);

    private static RpcMethodV4 Message() => new()
    {
        Type = "method",
        From = "ws-user-1/caller",
        To = "ws-user-1/provider",
        Method = "services.svc.echo",
        Session = "session-1",
        Args = RawMsgPack.From(new MsgPackValue[] { new byte[] { 1, 2, 3 }, "text", 42 }),
        Data = RawMsgPack.From(new MsgPackMap { { "key", 7 } }),
        Promise = RpcMessages.CompactPromiseMarker,
        T = RawMsgPack.From(10),
        User = RawMsgPack.From(new MsgPackMap { { "id", "user-1" }, { "roles", new MsgPackValue[] { "admin" } } }),
    };
}

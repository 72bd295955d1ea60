using System.Buffers;
using Hypha.Protocol.MsgPack;
using Hypha.Protocol.Schemas;

namespace Hypha.Protocol.Tests.Schemas;

public sealed class InternTableTests
{
    [Fact]
    public void A_value_gets_a_slot_the_second_time_it_is_seen()
    {
        var table = new InternSendTable();

        Assert.Equal(0, PlanOne(table, "services.s1.add"));
        int slot = PlanOne(table, "services.s1.add");
        Assert.True(slot > 0);
        Assert.Equal(slot, PlanOne(table, "services.s1.add"));
    }

    [Fact]
    public void Values_seen_once_never_take_a_slot_and_do_not_push_out_a_pending_sighting()
    {
        var table = new InternSendTable();

        Assert.Equal(0, PlanOne(table, "services.s1.add"));

        // Sightings are remembered by a 32-bit hash, so a one-off value whose hash matches the last sighting in its
        // place takes a slot early (these ten thousand have none; a change of hash may give one). Interning on first
        // sight would give ten thousand.
        int interned = 0;
        for (int i = 0; i < 10_000; i++)
        {
            if (PlanOne(table, $"session-{i}") != 0)
            {
                interned++;
            }
        }

        Assert.InRange(interned, 0, 3);

        // Ten thousand one-off values later, a value seen before may have lost its sighting to a collision: then its
        // next sighting records it again, and the one after takes the slot.
        int slot = PlanOne(table, "services.s1.add");
        if (slot == 0)
        {
            slot = PlanOne(table, "services.s1.add");
        }

        Assert.True(slot > 0);
    }

    [Fact]
    public void Values_too_long_to_intern_always_travel_as_literals()
    {
        var table = new InternSendTable();
        string longText = new('x', InternLimits.MaxEntryBytes + 1);
        string wideText = new('\u00e9', (InternLimits.MaxEntryBytes / 2) + 1);

        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(0, PlanOne(table, longText));
            Assert.Equal(0, PlanOne(table, wideText));
        }
    }

    [Fact]
    public void Sender_and_receiver_stay_in_step_through_evictions()
    {
        var sender = new InternSendTable();
        var receiver = new InternReceiveTable();
        var random = new Random(5);

        // Far more distinct values than slots, with a hot set that keeps its slots: every message must decode to
        // what was sent, whichever slots the sender chose to reuse.
        for (int i = 0; i < 20_000; i++)
        {
            var message = new RpcMethodV4
            {
                Type = "method",
                From = random.Next(4) == 0 ? $"ws/peer-{random.Next(3000)}" : "ws/hot",
                To = $"ws/to-{random.Next(1500)}",
                Method = $"services.s{random.Next(600)}.f",
                User = random.Next(3) == 0 ? RawMsgPack.From(new MsgPackMap { { "id", random.Next(2000) } }) : null,
            };

            RpcMethodV4 received = RoundTrip(message, sender, receiver);

            Assert.Equal((message.From, message.To, message.Method), (received.From, received.To, received.Method));
            Assert.Equal(message.User, received.User);
        }
    }

    [Fact]
    public void An_aborted_message_leaves_the_tables_in_step()
    {
        var sender = new InternSendTable();
        var receiver = new InternReceiveTable();
        for (int i = 0; i < 3000; i++)
        {
            var message = new RpcMethodV4 { Type = "method", To = $"ws/to-{i % 1800}", Method = $"m{i % 1700}" };
            if (i % 3 == 0)
            {
                SchemaMessage.Write(new ArrayBufferWriter<byte>(), 0, message, sender);
                sender.Abort();
                continue;
            }

            RpcMethodV4 received = RoundTrip(message, sender, receiver);
            Assert.Equal((message.To, message.Method), (received.To, received.Method));
        }
    }

    [Fact]
    public void A_full_table_never_evicts_a_slot_the_same_message_refers_to()
    {
        var sender = new InternSendTable();
        var receiver = new InternReceiveTable();

        // Fill every slot (each value twice, so it gets one), then send messages that refer to old values and
        // define new ones at once.
        for (int i = 0; i < InternLimits.Capacity; i++)
        {
            var fill = new RpcMethodV4 { Type = "t", Method = $"fill-{i}" };
            RoundTrip(fill, sender, receiver);
            RoundTrip(fill, sender, receiver);
        }

        for (int i = 0; i < 200; i++)
        {
            var mixed = new RpcMethodV4 { Type = "t", From = $"fill-{i}", To = $"new-{i}", Method = $"fill-{i + 1}", Ws = $"new-{i}" };
            RoundTrip(mixed, sender, receiver);
            RpcMethodV4 received = RoundTrip(mixed, sender, receiver);
            Assert.Equal((mixed.From, mixed.To, mixed.Method, mixed.Ws), (received.From, received.To, received.Method, received.Ws));
        }
    }

    [Theory]
    [InlineData("02 80 10 01 61")]
    [InlineData("01 00 82 08 61 62")]
    [InlineData("01 01 02 91")]
    [InlineData("01 00 02 ff fe")]
    public void Bad_definitions_are_format_errors(string hex)
    {
        var reader = new SchemaReader(Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal)), new InternReceiveTable());

        try
        {
            reader.ReadDefinitions();
            Assert.Fail("The definitions were accepted.");
        }
        catch (SchemaFormatException)
        {
        }
    }

    [Fact]
    public void A_reference_to_an_undefined_slot_or_the_wrong_kind_is_a_format_error()
    {
        var table = new InternReceiveTable();
        table.Define(3, InternKind.Text, "abc"u8, 0);

        Assert.Throws<SchemaFormatException>(() => table.Text(4, 0));
        Assert.Throws<SchemaFormatException>(() => table.MsgPack(3, 0));
        Assert.Equal("abc", table.Text(3, 0));
    }

    private static int PlanOne(InternSendTable table, string value)
    {
        table.Begin();
        return table.Plan(value);
    }

    private static RpcMethodV4 RoundTrip(RpcMethodV4 message, InternSendTable sender, InternReceiveTable receiver)
    {
        var output = new ArrayBufferWriter<byte>();
        SchemaMessage.Write(output, 0, message, sender);
        var reader = new SchemaReader(output.WrittenMemory, receiver);
        Assert.Equal(0, SchemaMessage.ReadHeader(ref reader));
        return SchemaMessage.ReadBody<RpcMethodV4>(ref reader);
    }
}

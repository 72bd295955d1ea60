using System.Net.Sockets;
using System.Threading.Channels;
using Hypha.Client;
using Hypha.Client.Rpc;
using Hypha.Client.Services;
using Hypha.Interop.Tests.Infrastructure;
using Hypha.Protocol.Messages;
using Hypha.Protocol.MsgPack;
using Hypha.Protocol.Native;
using Hypha.Protocol.Schemas;
using Hypha.Transport.Connections;
using Hypha.Transport.Multiplexing;

namespace Hypha.Interop.Tests.Live;

/// <summary>
/// The schema compiler in native mode end to end (issue 5): clients and server agree <c>rpc_method_v4</c> at Hello and
/// carry messages in its binary form; a peer with no schemas, a peer with an older version of the envelope (taught with
/// its definition, or not), and a peer that breaks the agreement all meet every other peer or fail alone.
/// </summary>
public sealed class NativeSchemaTests
{
    private static ServiceBuilder Calc() => new ServiceBuilder("calc")
        .Visibility(ServiceVisibility.Public)
        .Add("add", (int a, int b) => a + b)
        .Add("echo", (string text) => text);

    [Fact]
    public async Task Calls_between_native_clients_travel_in_the_binary_form_in_far_fewer_bytes()
    {
        await using LiveServer server = await LiveServer.StartAsync();
        await using HyphaClient provider = await HyphaClient.ConnectAsync(server.NativeClient("provider"));
        await using HyphaClient binary = await HyphaClient.ConnectAsync(server.NativeClient());
        await using HyphaClient msgpack = await HyphaClient.ConnectAsync(server.NativeClient(settings: new NativeSettings { Schemas = [] }));
        string id = (await provider.RegisterServiceAsync(Calc())).Id;

        Assert.Contains(binary.NativeAgreement!.Schemas, schema => schema.Fingerprint == RpcMethodV4.Schema.Fingerprint);
        Assert.Empty(msgpack.NativeAgreement!.Schemas);
        (long binarySent, long binaryReceived) = await CallManyAsync(binary, id);
        (long msgpackSent, long msgpackReceived) = await CallManyAsync(msgpack, id);

        // The server stamps a user map of a few hundred bytes on every message it delivers: interned, it takes one
        // byte; from, to and method too.
        Assert.True(binarySent < msgpackSent * 0.6, $"binary sent {binarySent} bytes per call, msgpack {msgpackSent}");
        Assert.True(binaryReceived < msgpackReceived * 0.3, $"binary received {binaryReceived} bytes per call, msgpack {msgpackReceived}");
        Assert.True(binary.NativeStatistics!.Value.BinaryMessagesSent >= 100 && binary.NativeStatistics.Value.BinaryMessagesReceived >= 100);
        Assert.Equal(0, msgpack.NativeStatistics!.Value.BinaryMessagesSent + msgpack.NativeStatistics.Value.BinaryMessagesReceived);
        Assert.True(provider.NativeStatistics!.Value.BinaryMessagesReceived >= 200, "the provider got the calls of both callers in the binary form");
    }

    [Fact]
    public async Task Generator_items_between_native_clients_travel_as_stream_items_in_fewer_bytes()
    {
        await using LiveServer server = await LiveServer.StartAsync();
        await using HyphaClient provider = await HyphaClient.ConnectAsync(server.NativeClient("provider"));
        var envelopeOnly = new NativeSettings { Schemas = [EnvelopeSchemas.DefaultOffers[0]] };
        await using HyphaClient withItems = await HyphaClient.ConnectAsync(server.NativeClient());
        await using HyphaClient withoutItems = await HyphaClient.ConnectAsync(server.NativeClient(settings: envelopeOnly));
        string id = (await provider.RegisterServiceAsync(new ServiceBuilder("numbers").Visibility(ServiceVisibility.Public)
            .Add("count", (int n) => Count(n)))).Id;

        Assert.Contains(withItems.NativeAgreement!.Schemas, schema => schema.Id == "stream_item");
        Assert.DoesNotContain(withoutItems.NativeAgreement!.Schemas, schema => schema.Id == "stream_item");
        long viaItems = await ReceivedForAsync(withItems, id);
        long viaResolves = await ReceivedForAsync(withoutItems, id);

        Assert.True(viaItems < viaResolves * 0.85, $"{viaItems} bytes received with stream items, {viaResolves} without");

        static async IAsyncEnumerable<int> Count(int n)
        {
            for (int i = 0; i < n; i++)
            {
                await Task.Yield();
                yield return i;
            }
        }
    }

    [Fact]
    public async Task A_native_peer_without_schemas_meets_binary_and_websocket_peers_both_ways()
    {
        await using LiveServer server = await LiveServer.StartAsync();
        await using HyphaClient plainProvider = await HyphaClient.ConnectAsync(server.NativeClient("plain", new NativeSettings { Schemas = [] }));
        await using HyphaClient binaryProvider = await HyphaClient.ConnectAsync(server.NativeClient("binary"));
        await using HyphaClient webSocket = await HyphaClient.ConnectAsync(new HyphaClientOptions { ServerUrl = server.Url, ClientId = "ws" });
        string plainId = (await plainProvider.RegisterServiceAsync(Calc())).Id;
        string binaryId = (await binaryProvider.RegisterServiceAsync(Calc())).Id;

        foreach ((HyphaClient caller, string target) in new[] { (binaryProvider, plainId), (plainProvider, binaryId), (webSocket, plainId), (webSocket, binaryId) })
        {
            RemoteService calc = await caller.GetServiceAsync(target);
            Assert.Equal(42, await calc.InvokeAsync<int>("add", 40, 2));
            Assert.Equal("é🙂", await calc.InvokeAsync<string>("echo", "é🙂"));
        }
    }

    [Fact]
    public async Task A_peer_with_an_older_envelope_taught_with_its_definition_keeps_the_binary_form_through_the_server()
    {
        await using LiveServer server = await LiveServer.StartAsync();
        await using HyphaClient provider = await HyphaClient.ConnectAsync(server.NativeClient("provider"));
        string id = (await provider.RegisterServiceAsync(Calc())).Id;
        CompiledSchema older = OlderEnvelope();
        var offer = new SchemaOffer { Id = older.Info.Id, Fingerprint = older.Info.Fingerprint, Definition = older.Info.Definition };
        await using RawNativeClient raw = await RawNativeClient.ConnectAsync(server, "older", [offer]);

        Assert.Equal(older.Info.Fingerprint, Assert.Single(raw.Mux.Agreement.Schemas).Fingerprint);
        SchemaRecord call = older.NewRecord();
        call["type"] = "method";
        call["from"] = raw.Address;
        call["to"] = ProviderAddress(id);
        call["method"] = "services.calc.add";
        call["session"] = "s1";
        call["args"] = RawMsgPack.From(new MsgPackValue[] { 40, 2 });
        call["promise"] = RawMsgPack.From("*");
        call["t"] = RawMsgPack.From(15);
        await raw.Mux.SendAsync(NativeChannel.Rpc, older, call);

        // The answer comes back in the older envelope's binary form: the server transcoded both ways with the codec
        // it compiled from the definition.
        InboundMessage answer = await raw.NextAsync();
        Assert.Equal(MessageFormat.Schema, answer.Format);
        SchemaRecord reply = answer.ReadBody(older);
        Assert.Equal("s1.resolve", reply["method"]);
        Assert.Equal(ProviderAddress(id), reply["from"]);
        Assert.Equal(42, ((RawMsgPack)reply["args"]!).ToValue().AsArray()[0].AsInt64());
    }

    [Fact]
    public async Task A_peer_with_an_older_envelope_and_no_definition_falls_back_to_msgpack()
    {
        await using LiveServer server = await LiveServer.StartAsync();
        await using HyphaClient provider = await HyphaClient.ConnectAsync(server.NativeClient("provider"));
        string id = (await provider.RegisterServiceAsync(Calc())).Id;
        CompiledSchema older = OlderEnvelope();
        await using RawNativeClient raw = await RawNativeClient.ConnectAsync(server, "older", [new SchemaOffer { Id = older.Info.Id, Fingerprint = older.Info.Fingerprint }]);

        Assert.Empty(raw.Mux.Agreement.Schemas);
        var call = new RpcMethodV4
        {
            Type = "method", From = raw.Address, To = ProviderAddress(id), Method = "services.calc.add", Session = "s1",
            Args = RawMsgPack.From(new MsgPackValue[] { 1, 2 }), Promise = RawMsgPack.From("*"), T = RawMsgPack.From(15),
        };
        await raw.Mux.SendAsync(NativeChannel.Rpc, RpcMessages.ToFrame(call));

        InboundMessage answer = await raw.NextAsync();
        Assert.Equal(MessageFormat.MsgPack, answer.Format);
        RpcMethodV4 reply = RpcMessages.TryRead(answer.Payload, HyphaFrame.DefaultReaderOptions)!;
        Assert.Equal("s1.resolve", reply.Method);
        Assert.Equal(3, reply.Args!.Value.ToValue().AsArray()[0].AsInt64());
    }

    [Fact]
    public async Task Binary_messages_that_break_the_agreement_are_dropped_with_the_reason_and_the_connection_goes_on()
    {
        var logs = new CollectingLoggerProvider();
        await using LiveServer server = await LiveServer.StartAsync(options => options with { LoggerProvider = logs });
        await using HyphaClient provider = await HyphaClient.ConnectAsync(server.NativeClient("provider"));
        string id = (await provider.RegisterServiceAsync(Calc())).Id;
        await using RawNativeClient liar = await RawNativeClient.ConnectAsync(server, "liar", EnvelopeSchemas.DefaultOffers);

        // A schema number nobody agreed, then a body that does not decode: each dropped alone.
        await liar.Mux.SendAsync(NativeChannel.Rpc, new byte[] { 7, 0, 1, 2, 3 }, MessageFormat.Schema);
        await logs.WaitForAsync("names schema number 7");
        await liar.Mux.SendAsync(NativeChannel.Rpc, new byte[] { 0, 0, 0xff, 0xff, 0xff }, MessageFormat.Schema);
        await logs.WaitForAsync("does not decode");

        await liar.Mux.SendAsync(NativeChannel.Rpc, new RpcMethodV4
        {
            Type = "method", From = liar.Address, To = ProviderAddress(id), Method = "services.calc.add", Session = "s2",
            Args = RawMsgPack.From(new MsgPackValue[] { 2, 3 }), Promise = RawMsgPack.From("*"), T = RawMsgPack.From(15),
        });
        RpcMethodV4 reply = (await liar.NextAsync()).ReadBody<RpcMethodV4>();
        Assert.Equal("s2.resolve", reply.Method);
        Assert.Equal(5, reply.Args!.Value.ToValue().AsArray()[0].AsInt64());
    }

    [Fact]
    public async Task A_header_out_of_step_with_the_tables_closes_that_connection_alone()
    {
        await using LiveServer server = await LiveServer.StartAsync();
        await using HyphaClient provider = await HyphaClient.ConnectAsync(server.NativeClient("provider"));
        RemoteService calc = await provider.GetServiceAsync((await provider.RegisterServiceAsync(Calc())).Id);
        await using RawNativeClient broken = await RawNativeClient.ConnectAsync(server, "broken", EnvelopeSchemas.DefaultOffers);

        await broken.Mux.SendAsync(NativeChannel.Rpc, new byte[] { 0, 0xd0, 0x0f }, MessageFormat.Schema);

        CloseReason reason = await broken.Mux.Completion.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(NativeErrorCode.ProtocolError, reason.Code);
        Assert.Equal(7, await calc.InvokeAsync<int>("add", 3, 4));
    }

    // rpc_method_v4 as it was before events carried data: the same fields but one, so another fingerprint.
    private static CompiledSchema OlderEnvelope()
    {
        var problems = new List<SchemaProblem>();
        SchemaDefinition current = SchemaParser.ParseDocument(RpcMethodV4.Schema.Definition, "current", problems).Single();
        var older = new SchemaDefinition(current.Id, current.Fields.Where(field => field.Name != "data"), [8], "An older rpc_method_v4.");
        SchemaSet set = SchemaSet.CreateValid([older]);
        Assert.NotEqual(RpcMethodV4.Schema.Fingerprint, set.Fingerprint(older.Id));
        return SchemaCompiler.Compile(set, older.Id);
    }

    private static string ProviderAddress(string serviceId) => serviceId[..serviceId.IndexOf(':', StringComparison.Ordinal)];

    private static async Task<long> ReceivedForAsync(HyphaClient client, string id)
    {
        RemoteService numbers = await client.GetServiceAsync(id);
        await foreach (int _ in await numbers.InvokeAsync<IAsyncEnumerable<int>>("count", 3))
        {
        }

        long before = client.NativeStatistics!.Value.BytesReceived;
        int expected = 0;
        await foreach (int item in await numbers.InvokeAsync<IAsyncEnumerable<int>>("count", 200))
        {
            Assert.Equal(expected++, item);
        }

        Assert.Equal(200, expected);
        return client.NativeStatistics!.Value.BytesReceived - before;
    }

    // Bytes per call, each way, of the smallest of three batches of 100 calls: whatever else reaches the client
    // meanwhile (an event about another client, under a loaded test run) only adds bytes to a batch. Seen once in a
    // full run: 393 bytes received per call in the binary form, where a batch takes under 157.
    private static async Task<(long Sent, long Received)> CallManyAsync(HyphaClient client, string id)
    {
        RemoteService calc = await client.GetServiceAsync(id);
        await calc.InvokeAsync<int>("add", 1, 1);
        await calc.InvokeAsync<int>("add", 1, 1);
        (long Sent, long Received) smallest = (long.MaxValue, long.MaxValue);
        for (int batch = 0; batch < 3; batch++)
        {
            Hypha.Transport.Multiplexing.MultiplexerStatistics before = client.NativeStatistics!.Value;
            for (int i = 0; i < 100; i++)
            {
                Assert.Equal(i + 1, await calc.InvokeAsync<int>("add", i, 1));
            }

            Hypha.Transport.Multiplexing.MultiplexerStatistics after = client.NativeStatistics!.Value;
            smallest = (Math.Min(smallest.Sent, (after.BytesSent - before.BytesSent) / 100), Math.Min(smallest.Received, (after.BytesReceived - before.BytesReceived) / 100));
        }

        return smallest;
    }
}

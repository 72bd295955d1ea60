using System.Net.Sockets;
using Hypha.Protocol.Messages;
using Hypha.Protocol.MsgPack;
using Hypha.Protocol.Native;
using Hypha.Protocol.Objects;
using Hypha.Protocol.Schemas;
using Hypha.Transport.Connections;
using Hypha.Transport.Multiplexing;
using Hypha.Server.Tests.Infrastructure;

namespace Hypha.Server.Tests.Routing;

public sealed class RoutingTests
{
    [Fact]
    public async Task The_server_stamps_the_sender_and_forwards_extra_bytes_unchanged()
    {
        (HyphaServer server, _) = await TestServer.StartAsync();
        await using (server)
        {
            await using TestClient a = await TestClient.JoinAsync(server, clientId: "a", workspace: "lab", token: Frames.TokenFor(server, "lab"));
            await using TestClient b = await TestClient.JoinAsync(server, clientId: "b", workspace: "lab", token: Frames.TokenFor(server, "lab", "bob"));

            // A spoofs from/ws/user; the extra holds values whose encoding must survive (a float 2.0, an int, bytes).
            var main = new MsgPackMap
            {
                { "type", "method" }, { "from", "evil/x" }, { "to", "b" }, { "method", "services.s.f" },
                { "ws", "evil" }, { "user", new MsgPackMap { { "id", "root" } } },
            };
            byte[] extra = ((MsgPackValue)new MsgPackMap { { "args", MsgPackValue.Array(2.0, 3, new byte[] { 1, 2 }) } }).ToBytes();
            await a.SendBinaryAsync(Frames.Concat(Frames.Write(main), extra));

            HyphaFrame received = (await b.ExpectBinaryAsync()).Frame();
            HyphaEnvelope envelope = received.Envelope;
            Assert.Equal("lab/a", envelope.From);
            Assert.Equal("lab/b", envelope.To);
            Assert.Equal("lab", envelope.Workspace);
            Assert.Equal("alice", envelope.User!["id"].AsString());
            Assert.Equal("services.s.f", envelope.Method);
            Assert.Equal(extra, received.ExtraBytes.ToArray());
        }
    }

    // Calls of rpc_method_v4's shape are routed as messages: a burst of large ones to a target that does not read
    // yet waits at the server behind a full socket and a full send queue, and each still arrives whole, in order,
    // with its own arguments.
    [Fact]
    public async Task Calls_queued_for_a_slow_target_each_keep_their_own_arguments()
    {
        (HyphaServer server, _) = await TestServer.StartAsync();
        await using (server)
        {
            await using TestClient a = await TestClient.JoinAsync(server);
            await using TestClient b = await TestClient.JoinAsync(server);
            const int Calls = 120;
            static string Text(int i) => new((char)('a' + (i % 26)), 32 * 1024 + i);
            Task sending = Task.Run(async () =>
            {
                for (int i = 0; i < Calls; i++)
                {
                    await a.SendBinaryAsync(Frames.Call(b.Address, "services.s.f", $"S{i}", i, Text(i)));
                }
            });
            await Task.WhenAny(sending, Task.Delay(TimeSpan.FromMilliseconds(500)));

            for (int i = 0; i < Calls; i++)
            {
                HyphaFrame received = (await b.ExpectBinaryAsync()).Frame();
                Assert.Equal($"S{i}", received.Envelope.Session);
                HyphaCall call = new(received.DecodeExtra()!);
                Assert.Equal(i, call.Args[0].AsInt64());
                Assert.Equal(Text(i), call.Args[1].AsString());
            }

            await sending;
        }
    }

    [Fact]
    public async Task Clients_may_address_other_workspaces()
    {
        (HyphaServer server, _) = await TestServer.StartAsync();
        await using (server)
        {
            await using TestClient a = await TestClient.JoinAsync(server);
            await using TestClient b = await TestClient.JoinAsync(server);
            await a.SendBinaryAsync(Frames.Call(b.Address, "services.s.f", "S1", 1));

            HyphaEnvelope envelope = (await b.ExpectBinaryAsync()).Frame().Envelope;
            Assert.Equal(a.Address, envelope.From);
            Assert.Equal(a.Workspace, envelope.Workspace);
            Assert.Equal("S1", envelope.Session);
        }
    }

    [Fact]
    public async Task A_call_to_a_missing_peer_is_rejected_in_its_name()
    {
        (HyphaServer server, _) = await TestServer.StartAsync();
        await using (server)
        {
            await using TestClient a = await TestClient.JoinAsync(server);
            await a.SendBinaryAsync(Frames.Call("ghost", "services.s.f", "S1", 1));

            HyphaFrame reject = (await a.ExpectBinaryAsync()).Frame();
            string target = $"{a.Workspace}/ghost";
            Assert.Equal("method", reject.Envelope.Type);
            Assert.Equal(target, reject.Envelope.From);
            Assert.Equal(a.Address, reject.Envelope.To);
            Assert.Equal("S1.reject", reject.Envelope.Method);
            HyphaCall call = new(reject.DecodeExtra()!);
            RemoteError error = RemoteError.FromMap(Assert.Single(call.Args).AsMap());
            Assert.Equal($"Target peer {target} is not connected", error.Message);
            Assert.Equal(string.Empty, error.Trace);

            // The reject answered the call: nothing is owed on it, and the server's shutdown does not wait for it.
            Assert.True(server.HasNoPendingCalls);
        }
    }

    [Fact]
    public async Task A_call_is_tracked_until_its_answer_passes_back()
    {
        (HyphaServer server, _) = await TestServer.StartAsync();
        await using (server)
        {
            await using TestClient a = await TestClient.JoinAsync(server);
            await using TestClient b = await TestClient.JoinAsync(server);
            await a.SendBinaryAsync(Frames.Call(b.Address, "services.s.f", "S1", 1));
            Assert.Equal("S1", (await b.ExpectBinaryAsync()).Frame().Envelope.Session);
            Assert.False(server.HasNoPendingCalls);

            var answer = new MsgPackMap { { "type", "method" }, { "to", a.Address }, { "method", "S1.resolve" }, { "parent", "S1" } };
            await b.SendBinaryAsync(Frames.Write(answer, HyphaCall.Create(["done"]).Extra));

            HyphaEnvelope received = (await a.ExpectBinaryAsync()).Frame().Envelope;
            Assert.Equal((b.Address, "S1.resolve"), (received.From, received.Method));
            Assert.True(server.HasNoPendingCalls);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)] // a key outside rpc_method_v4's schema: the frame is routed through its maps
    public async Task A_call_answered_in_chunks_is_no_longer_owed_once_the_chunks_are_handed_over(bool unknownKey)
    {
        (HyphaServer server, _) = await TestServer.StartAsync();
        await using (server)
        {
            await using TestClient a = await TestClient.JoinAsync(server);
            await using TestClient b = await TestClient.JoinAsync(server);
            await a.SendBinaryAsync(Frames.Call(b.Address, "services.s.f", "S1", 1));
            await b.ExpectBinaryAsync();

            // A large resolve travels as calls into the caller's message_cache keyed by the session it answers; the
            // process call hands it over (hypha-protocol.md §3.1). The router never sees S1.resolve itself.
            MsgPackMap process = HyphaEnvelope.CreateCall(null, a.Address, "services.built-in.message_cache.process", "P1").Main;
            if (unknownKey)
            {
                process.Set("trace_id", "t-1");
            }

            await b.SendBinaryAsync(Frames.Write(process, HyphaCall.Create(["S1", true]).Extra));
            Assert.Equal("P1", (await a.ExpectBinaryAsync()).Frame().Envelope.Session);
            var answer = new MsgPackMap { { "type", "method" }, { "to", b.Address }, { "method", "P1.resolve" }, { "parent", "P1" } };
            await a.SendBinaryAsync(Frames.Write(answer, HyphaCall.Create([MsgPackValue.Nil]).Extra));
            await b.ExpectBinaryAsync();

            Assert.True(server.HasNoPendingCalls);
        }
    }

    [Fact]
    public async Task Callees_in_other_workspaces_are_told_when_their_caller_leaves()
    {
        (HyphaServer server, _) = await TestServer.StartAsync();
        await using (server)
        {
            TestClient caller = await TestClient.JoinAsync(server, clientId: "c", workspace: "lab", token: Frames.TokenFor(server, "lab"));
            await using TestClient colleague = await TestClient.JoinAsync(server, clientId: "d", workspace: "lab", token: Frames.TokenFor(server, "lab", "bob"));
            await using TestClient foreign = await TestClient.JoinAsync(server);
            await using TestClient messaged = await TestClient.JoinAsync(server);
            string leaver = caller.Address;
            foreach ((TestClient callee, string session) in new[] { (foreign, "S1"), (foreign, "S2"), (colleague, "S3") })
            {
                await caller.SendBinaryAsync(Frames.Call(callee.Address, "services.s.f", session, 1));
                await callee.ExpectBinaryAsync();
            }

            // A message that expects no answer leaves the callee nothing to hold for the caller.
            await caller.SendBinaryAsync(Frames.Call(messaged.Address, "services.s.f", null, 1));
            await messaged.ExpectBinaryAsync();

            // Its own workspace learns of it from client_disconnected: only the foreign callee is told.
            Assert.Equal([foreign.Address], server.ForeignCalleesOf(leaver));
            await caller.DisposeAsync();
            HyphaFrame told = (await foreign.ExpectBinaryAsync()).Frame();
            Assert.Equal("peer_not_found", told.Envelope.Type);
            Assert.Equal(leaver, told.Main["peer_id"].AsString());
            Assert.Equal($"Client disconnected: {leaver}", told.Main["error"].AsString());
            Assert.True(told.Main[HyphaKeys.From].IsNil);
        }
    }

    [Fact]
    public async Task A_caller_is_rejected_in_the_name_of_a_callee_that_disconnects()
    {
        (HyphaServer server, _) = await TestServer.StartAsync();
        await using (server)
        {
            await using TestClient a = await TestClient.JoinAsync(server);
            TestClient b = await TestClient.JoinAsync(server);
            string callee = b.Address;
            await a.SendBinaryAsync(Frames.Call(callee, "services.s.f", "S1", 1));
            await b.ExpectBinaryAsync();
            await b.DisposeAsync();

            HyphaFrame reject = (await a.ExpectBinaryAsync()).Frame();
            Assert.Equal((callee, a.Address, "S1.reject"), (reject.Envelope.From, reject.Envelope.To, reject.Envelope.Method));
            RemoteError error = RemoteError.FromMap(Assert.Single(new HyphaCall(reject.DecodeExtra()!).Args).AsMap());
            Assert.Equal($"Client disconnected: {callee}", error.Message);
        }
    }

    [Fact]
    public async Task A_fire_and_forget_message_to_a_missing_peer_is_dropped()
    {
        (HyphaServer server, _) = await TestServer.StartAsync();
        await using (server)
        {
            await using TestClient a = await TestClient.JoinAsync(server);
            await a.SendBinaryAsync(Frames.Call("ghost", "S1.resolve"));
            await a.RoundTripAsync();
        }
    }

    [Fact]
    public async Task Frames_to_the_manager_are_delivered_stamped()
    {
        (HyphaServer server, FakeManager manager) = await TestServer.StartAsync();
        await using (server)
        {
            await using TestClient a = await TestClient.JoinAsync(server);
            byte[] sent = Frames.Call($"*/{FakeManager.Id}", "services.built-in.get_service", "S1", "default");
            await a.SendBinaryAsync(sent);

            HyphaFrame delivered = HyphaFrame.Decode(await manager.NextFrameAsync());
            Assert.Equal(a.Address, delivered.Envelope.From);
            Assert.Equal($"*/{FakeManager.Id}", delivered.Envelope.To);
            Assert.Equal(a.Workspace, delivered.Envelope.Workspace);
            Assert.Equal(a.ConnectionInfo.GetProperty("user").GetProperty("id").GetString(), delivered.Envelope.User!["id"].AsString());
            Assert.Equal(HyphaFrame.Decode(sent).ExtraBytes.ToArray(), delivered.ExtraBytes.ToArray());
        }
    }

    [Fact]
    public async Task A_message_kept_by_the_manager_outlives_the_receive_buffer_it_was_read_from()
    {
        (HyphaServer server, FakeManager manager) = await TestServer.StartAsync();
        await using (server)
        {
            await using TestClient a = await TestClient.JoinAsync(server);
            string argument = new('x', 3000);
            byte[] sent = Frames.Call($"*/{FakeManager.Id}", "services.built-in.get_service", "S1", argument);
            await a.SendBinaryAsync(sent);
            for (int i = 0; i < 50; i++)
            {
                // Frames of another content through the same receive buffer, so that its memory is written again.
                await a.SendBinaryAsync(Frames.Call("ghost", $"S{i}.resolve", null, new string((char)('a' + i % 26), 3000)));
            }

            await a.RoundTripAsync();
            HyphaFrame delivered = HyphaFrame.Decode(await manager.NextFrameAsync());
            Assert.Equal(HyphaFrame.Decode(sent).ExtraBytes.ToArray(), delivered.ExtraBytes.ToArray());
        }
    }

    [Fact]
    public async Task Binary_messages_kept_by_the_manager_are_not_read_into_again()
    {
        // A native client's binary messages are read into one reused instance, from pooled arrays given back, while
        // nothing holds the last one; the manager keeps what it is delivered (this fake encodes it only when the test
        // reads it). Messages of the same shape to a missing client follow each call, through the same arrays.
        (HyphaServer server, FakeManager manager) = await TestServer.StartAsync();
        await using (server)
        {
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            await socket.ConnectAsync("127.0.0.1", new Uri(server.BaseUrl).Port);
            await using SocketTransport transport = SocketTransport.FromConnected(socket);
            var options = new MultiplexerOptions { Settings = new NativeSettings { Schemas = EnvelopeSchemas.DefaultOffers } };
            (NativeSettings settings, MsgPackMap info) = await NativeHandshake.ConnectAsync(transport, options.Settings, new MsgPackMap { { "client_id", "n" } }, CancellationToken.None);
            await using var mux = new Multiplexer(transport, options, settings);
            mux.Start(_ => ValueTask.CompletedTask);

            var sends = new List<Task>();
            for (int i = 0; i < 3; i++)
            {
                sends.Add(mux.SendAsync(NativeChannel.Rpc, EchoCall($"*/{FakeManager.Id}", $"S{i}", $"echo-{i}")));
                for (int j = 0; j < 100; j++)
                {
                    sends.Add(mux.SendAsync(NativeChannel.Rpc, EchoCall("ghost", $"G{i}", $"xxxx-{i}")));
                }
            }

            await Task.WhenAll(sends);

            var delivered = new List<(string?, string)>();
            for (int i = 0; i < 3; i++)
            {
                HyphaFrame frame = HyphaFrame.Decode(await manager.NextFrameAsync());
                Assert.Equal($"{info["workspace"].AsString()}/n", frame.Envelope.From);
                delivered.Add((frame.Envelope.Session, new HyphaCall(frame.DecodeExtra()!).Args[0].AsString()));
            }

            Assert.Equal([("S0", "echo-0"), ("S1", "echo-1"), ("S2", "echo-2")], delivered);
        }
    }

    private static RpcMethodV4 EchoCall(string to, string session, string text) => new()
    {
        Type = "method",
        To = to,
        Method = "services.built-in.echo",
        Session = session,
        Args = RawMsgPack.From(MsgPackValue.Array(text)),
    };

    [Fact]
    public async Task Frames_from_the_manager_are_stamped_with_its_address()
    {
        (HyphaServer server, FakeManager manager) = await TestServer.StartAsync();
        await using (server)
        {
            await using TestClient a = await TestClient.JoinAsync(server);
            await manager.Router.SendFromManagerAsync(RpcMessages.TryRead(Frames.Call(a.Address, "S1.resolve", null, "ok"), HyphaFrame.DefaultReaderOptions)!, CancellationToken.None);

            HyphaEnvelope envelope = (await a.ExpectBinaryAsync()).Frame().Envelope;
            Assert.Equal($"*/{FakeManager.Id}", envelope.From);
            Assert.Equal(a.Workspace, envelope.Workspace);
            Assert.Equal("root", envelope.User!["id"].AsString());
        }
    }

    [Fact]
    public async Task A_manager_call_to_a_missing_peer_is_rejected_back_to_the_manager()
    {
        (HyphaServer server, FakeManager manager) = await TestServer.StartAsync();
        await using (server)
        {
            await manager.Router.SendFromManagerAsync(RpcMessages.TryRead(Frames.Call("lab/ghost", "services.built-in.get_service", "M1", "s"), HyphaFrame.DefaultReaderOptions)!, CancellationToken.None);

            HyphaEnvelope reject = HyphaFrame.Decode(await manager.NextFrameAsync()).Envelope;
            Assert.Equal("lab/ghost", reject.From);
            Assert.Equal($"*/{FakeManager.Id}", reject.To);
            Assert.Equal("M1.reject", reject.Method);
        }
    }

    [Fact]
    public async Task The_manager_sees_connects_and_disconnects_and_forgets_the_client()
    {
        (HyphaServer server, FakeManager manager) = await TestServer.StartAsync();
        await using (server)
        {
            TestClient a = await TestClient.JoinAsync(server);
            string address = a.Address;
            await manager.WaitForAsync("connected", address);
            Assert.NotNull(manager.Router.FindClient(address));
            Assert.Single(manager.Router.ListClients(a.Workspace));

            await a.DisposeAsync();
            await manager.WaitForAsync("disconnected", address);
            Assert.Null(manager.Router.FindClient(address));
            Assert.Empty(manager.Router.ListClients(address.Split('/')[0]));
        }
    }
}

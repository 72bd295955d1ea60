using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Hypha.Protocol.MsgPack;
using Hypha.Protocol.Native;
using Hypha.Transport.Connections;
using Hypha.Transport.Multiplexing;

namespace Hypha.Bench.Scenarios.Hol;

/// <summary>
/// The head-of-line cases at the multiplexer itself, on one TCP loopback connection: the client sends 256 MiB bulk
/// messages back to back (the socket stays full) while it times small echo calls on the rpc channel, one in flight.
/// Without the RPC layer's chunking in the way, this is the multiplexer's priorities against plain FIFO framing.
/// </summary>
internal static class MuxHolCase
{
    public static async Task<double[]> RunAsync(bool prioritize, bool withTransfer, HolSettings settings, TextWriter log)
    {
        // Default windows and frame size; only the message limit is raised so that one bulk message holds the transfer.
        var options = new MultiplexerOptions { Prioritize = prioritize, Settings = new NativeSettings { MaxMessage = 256 * 1024 * 1024 } };
        using var listener = new Socket(SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        Task<Socket> accepting = listener.AcceptAsync();
        await using SocketTransport clientEnd = await SocketTransport.ConnectTcpAsync("127.0.0.1", ((IPEndPoint)listener.LocalEndPoint!).Port, CancellationToken.None)
            .ConfigureAwait(false);
        await using SocketTransport serverEnd = SocketTransport.FromConnected(await accepting.ConfigureAwait(false));

        Task<(NativeSettings, MsgPackMap)> connecting = NativeHandshake.ConnectAsync(clientEnd, options.Settings, [], CancellationToken.None);
        (NativeSettings clientSettings, _) = await NativeHandshake.ReadHelloAsync(serverEnd, CancellationToken.None).ConfigureAwait(false);
        await NativeHandshake.AcceptAsync(serverEnd, options.Settings, [], CancellationToken.None).ConfigureAwait(false);
        (NativeSettings serverSettings, _) = await connecting.ConfigureAwait(false);

        await using var server = new Multiplexer(serverEnd, options, clientSettings);
        await using var client = new Multiplexer(clientEnd, options, serverSettings);
        server.Start(async message =>
        {
            if (message.Channel == NativeChannel.Rpc)
            {
                await server.SendAsync(NativeChannel.Rpc, message.Payload).ConfigureAwait(false); // echo the call
            }
        });
        TaskCompletionSource<ReadOnlyMemory<byte>>? answer = null;
        client.Start(message =>
        {
            answer!.TrySetResult(message.Payload);
            return ValueTask.CompletedTask;
        });

        using var stop = new CancellationTokenSource();
        Task transfers = withTransfer ? TransferAsync(client, settings.TransferBytes, log, stop.Token) : Task.CompletedTask;
        byte[] call = new byte[64];
        var micros = new List<double>(settings.Calls);
        long deadline = Stopwatch.GetTimestamp() + (long)(settings.MaxPerCase.TotalSeconds * Stopwatch.Frequency);
        try
        {
            // Without priorities a call can wait a whole transfer: the time limit keeps that case from taking minutes.
            for (int i = 0; i < settings.Calls && Stopwatch.GetTimestamp() < deadline; i++)
            {
                answer = new TaskCompletionSource<ReadOnlyMemory<byte>>(TaskCreationOptions.RunContinuationsAsynchronously);
                BitConverter.TryWriteBytes(call, i);
                long start = Stopwatch.GetTimestamp();
                await client.SendAsync(NativeChannel.Rpc, call).ConfigureAwait(false);
                ReadOnlyMemory<byte> echoed = await answer.Task.WaitAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(false);
                micros.Add(Stopwatch.GetElapsedTime(start).TotalMicroseconds);
                if (BitConverter.ToInt32(echoed.Span) != i)
                {
                    throw new InvalidOperationException($"call {i} was answered with the echo of another call.");
                }
            }
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await transfers.ConfigureAwait(false);
        }

        return [.. micros];
    }

    // Sends the payload again and again until the calls are timed, so every timed call competes with a transfer.
    private static async Task TransferAsync(Multiplexer client, int size, TextWriter log, CancellationToken stop)
    {
        byte[] payload = new byte[size];
        Random.Shared.NextBytes(payload);
        int transfers = 0;
        var clock = Stopwatch.StartNew();
        while (!stop.IsCancellationRequested)
        {
            await client.SendAsync(NativeChannel.Bulk, payload, CancellationToken.None).ConfigureAwait(false);
            transfers++;
        }

        log.WriteLine($"    {transfers} bulk messages of {size / (1024.0 * 1024):0} MiB in {clock.Elapsed.TotalSeconds:0.0} s " +
            $"({transfers * (double)size / clock.Elapsed.TotalSeconds / 1e6:0} MB/s)");
    }
}

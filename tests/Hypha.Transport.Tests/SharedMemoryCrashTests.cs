using System.Diagnostics;
using System.IO.Pipelines;
using System.Net.Sockets;
using Hypha.Protocol.MsgPack;
using Hypha.Protocol.Native;
using Hypha.Transport.Connections;
using Hypha.Transport.Multiplexing;
using Hypha.Transport.SharedMemory;

namespace Hypha.Transport.Tests;

public sealed class SharedMemoryCrashTests : IDisposable
{
    private readonly ShmDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task A_peer_killed_mid_transfer_leaves_no_file_behind_once_the_survivor_notices()
    {
        string socketPath = Path.Combine(Path.GetTempPath(), $"hypha-crash-{Guid.NewGuid():N}.sock");
        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(socketPath));
        listener.Listen(1);
        using Process child = StartChild(socketPath);
        var leases = new List<SharedMemoryLease>();
        try
        {
            await using SocketTransport transport = SocketTransport.FromConnected(await listener.AcceptAsync().WaitAsync(TimeSpan.FromSeconds(30)));
            var options = new MultiplexerOptions { SharedMemory = new SharedMemoryOptions { Directory = _directory.Path } };
            (NativeSettings client, _) = await NativeHandshake.ReadHelloAsync(transport, CancellationToken.None);
            NativeSettings answer = NativeHandshake.Answer(options, client);
            await NativeHandshake.AcceptAsync(transport, answer, new MsgPackMap(), CancellationToken.None);
            string prefix = (await child.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30)))!;

            // The survivor holds every payload, so the child keeps creating segments until its pool is full.
            var received = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            await using var survivor = new Multiplexer(transport, options with { Settings = answer }, client);
            survivor.Start(message =>
            {
                lock (leases)
                {
                    leases.AddRange(message.Attachments ?? []);
                    if (leases.Count >= 5)
                    {
                        received.TrySetResult();
                    }
                }

                return ValueTask.CompletedTask;
            });
            Assert.True(survivor.Agreement.SharedMemory);
            await received.Task.WaitAsync(TimeSpan.FromSeconds(30));
            Assert.NotEmpty(FilesOf(prefix));

            child.Kill();
            CloseReason reason = await survivor.Completion.WaitAsync(TimeSpan.FromSeconds(30));

            Assert.True(reason.ByPeer);
            Assert.Empty(FilesOf(prefix));
        }
        finally
        {
            if (!child.HasExited)
            {
                child.Kill();
            }

            leases.ForEach(lease => lease.Dispose());
            File.Delete(socketPath);
        }
    }

    private string[] FilesOf(string prefix) => Directory.GetFiles(_directory.Path, prefix + ".*");

    private Process StartChild(string socketPath)
    {
        string dll = Path.Combine(AppContext.BaseDirectory, "Hypha.Transport.Tests.Child.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add(dll);
        start.ArgumentList.Add(socketPath);
        start.ArgumentList.Add(_directory.Path);
        return Process.Start(start)!;
    }
}

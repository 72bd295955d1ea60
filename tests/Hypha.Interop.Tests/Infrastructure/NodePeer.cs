using System.Collections.Concurrent;
using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Hypha.Interop.Tests.Infrastructure;

/// <summary>A command the Node peer answered with <c>ok:false</c>.</summary>
internal sealed class NodePeerCommandException(string message) : Exception(message);

/// <summary>
/// A long-running <c>node hypha-peer.mjs</c>: the unmodified npm hypha-rpc client connected to a server, driven over
/// stdio with JSON lines (one command per line in, one answer per line out, correlated by <c>id</c>). See
/// tests/interop/js/README.md for the commands.
/// <para>
/// Whatever happens, no node process outlives the peer: <see cref="DisposeAsync"/> asks it to exit, then kills the
/// process tree; a process-exit hook kills any peer a crashed test left behind.
/// </para>
/// </summary>
internal sealed class NodePeer : IAsyncDisposable
{
    /// <summary>How long a peer may take to connect and print its ready line.</summary>
    public static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(20);

    /// <summary>How long a command waits for its answer unless told otherwise.</summary>
    public static readonly TimeSpan DefaultCommandTimeout = TimeSpan.FromSeconds(30);

    private const int StderrKeepChars = 32 * 1024;
    private static readonly TimeSpan ExitGrace = TimeSpan.FromSeconds(3);
    private static readonly ConcurrentDictionary<NodePeer, byte> Live = new();
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    private readonly Process _process;
    private readonly string _name;
    private readonly ConcurrentDictionary<long, TaskCompletionSource<JsonElement>> _pending = new();
    private readonly TaskCompletionSource<JsonElement> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly StringBuilder _stderr = new();
    private readonly Task _stdoutPump;
    private readonly Task _stderrPump;
    private long _nextId;
    private int _disposed;

    static NodePeer()
    {
        // The safety net: if the test host exits with peers still running (a crashed test, an aborted run), kill them.
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            foreach (NodePeer peer in Live.Keys)
            {
                KillTree(peer._process);
            }
        };
    }

    private NodePeer(Process process, string name)
    {
        _process = process;
        _name = name;
        // stderr first: the stdout pump waits for it when the process ends.
        _stderrPump = Task.Run(PumpStderrAsync);
        _stdoutPump = Task.Run(PumpStdoutAsync);
    }

    /// <summary>The workspace the peer joined (from its ready line).</summary>
    public string Workspace { get; private set; } = string.Empty;

    /// <summary>The peer's client id (from its ready line).</summary>
    public string ClientId { get; private set; } = string.Empty;

    /// <summary>The peer's absolute address, <c>workspace/client_id</c>.</summary>
    public string Address => $"{Workspace}/{ClientId}";

    /// <summary>The OS process id.</summary>
    public int ProcessId => _process.Id;

    /// <summary>Whether the node process has ended.</summary>
    public bool HasExited
    {
        get
        {
            try
            {
                return _process.HasExited;
            }
            catch (InvalidOperationException)
            {
                return true;
            }
        }
    }

    /// <summary>What the peer wrote to stderr so far (the last 32 K characters).</summary>
    public string Stderr
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    /// <summary>Starts a peer and waits until it is connected.</summary>
    /// <param name="serverUrl">What the client passes as <c>server_url</c>.</param>
    /// <param name="clientId">The client id.</param>
    /// <param name="workspace">The workspace to join, or null for the user's own.</param>
    /// <param name="token">An access token (<c>token</c>), or null for an anonymous user.</param>
    /// <param name="methodTimeout">The client's <c>method_timeout</c>, or null for hypha-rpc's default (30 s).</param>
    /// <param name="verbose">Pass hypha-rpc's log output through to stderr (shown in failures).</param>
    /// <exception cref="TimeoutException">No ready line within <see cref="ReadyTimeout"/> (the message holds stderr).</exception>
    /// <exception cref="InvalidOperationException">The peer exited before it was ready, or node is not on the PATH.</exception>
    public static async Task<NodePeer> StartAsync(
        string serverUrl, string clientId, string? workspace = null, string? token = null, TimeSpan? methodTimeout = null, bool verbose = false)
    {
        string script = Path.Combine(InteropPaths.JsDirectory, "hypha-peer.mjs");
        InteropPaths.RequireInstalledFile(Path.Combine(InteropPaths.JsDirectory, "node_modules", "hypha-rpc", "package.json"));
        var startInfo = new ProcessStartInfo("node")
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardInputEncoding = Utf8,
            StandardOutputEncoding = Utf8,
            StandardErrorEncoding = Utf8,
            WorkingDirectory = InteropPaths.JsDirectory,
        };
        startInfo.ArgumentList.Add(script);
        startInfo.ArgumentList.Add("--server-url");
        startInfo.ArgumentList.Add(serverUrl);
        startInfo.ArgumentList.Add("--client-id");
        startInfo.ArgumentList.Add(clientId);
        if (workspace is not null)
        {
            startInfo.ArgumentList.Add("--workspace");
            startInfo.ArgumentList.Add(workspace);
        }

        if (token is not null)
        {
            startInfo.ArgumentList.Add("--token");
            startInfo.ArgumentList.Add(token);
        }

        if (methodTimeout is { } timeout)
        {
            startInfo.ArgumentList.Add("--method-timeout");
            startInfo.ArgumentList.Add(timeout.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        if (verbose)
        {
            startInfo.ArgumentList.Add("--verbose");
        }

        var process = new Process { StartInfo = startInfo };
        try
        {
            process.Start();
        }
        catch (Win32Exception ex)
        {
            process.Dispose();
            throw new InvalidOperationException($"Could not start node: Node.js >= 20 must be on the PATH for the live tests ({ex.Message}).", ex);
        }

        var peer = new NodePeer(process, clientId);
        Live.TryAdd(peer, 0);
        try
        {
            JsonElement ready = await peer._ready.Task.WaitAsync(ReadyTimeout).ConfigureAwait(false);
            peer.Workspace = ready.GetProperty("workspace").GetString() ?? string.Empty;
            peer.ClientId = ready.TryGetProperty("client_id", out JsonElement id) ? id.GetString() ?? clientId : clientId;
            return peer;
        }
        catch (TimeoutException)
        {
            await peer.DisposeAsync().ConfigureAwait(false);
            throw new TimeoutException(
                $"hypha-peer {clientId} did not get ready within {ReadyTimeout.TotalSeconds:0} s (server {serverUrl}). stderr:\n{peer.Stderr}");
        }
        catch
        {
            await peer.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Sends one command (any object that serializes to a JSON object with an <c>op</c>; an <c>id</c> is added) and
    /// returns its <c>result</c>.
    /// </summary>
    /// <exception cref="NodePeerCommandException">The peer answered <c>ok:false</c>; the message is its error.</exception>
    /// <exception cref="TimeoutException">No answer in time (default <see cref="DefaultCommandTimeout"/>).</exception>
    /// <exception cref="InvalidOperationException">The peer has exited.</exception>
    public async Task<JsonElement> SendAsync(object command, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(command);
        JsonObject json = JsonSerializer.SerializeToNode(command) as JsonObject
            ?? throw new ArgumentException("A command must serialize to a JSON object.", nameof(command));
        long id = Interlocked.Increment(ref _nextId);
        json["id"] = id;
        string op = json["op"]?.GetValue<string>() ?? "?";
        var answer = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = answer;
        try
        {
            if (HasExited)
            {
                throw new InvalidOperationException($"hypha-peer {_name} has exited; cannot send '{op}'. stderr:\n{Stderr}");
            }

            await _writeLock.WaitAsync().ConfigureAwait(false);
            try
            {
                await _process.StandardInput.WriteLineAsync(json.ToJsonString()).ConfigureAwait(false);
                await _process.StandardInput.FlushAsync().ConfigureAwait(false);
            }
            catch (IOException ex)
            {
                throw new InvalidOperationException($"hypha-peer {_name} closed its stdin; cannot send '{op}'. stderr:\n{Stderr}", ex);
            }
            finally
            {
                _writeLock.Release();
            }

            TimeSpan limit = timeout ?? DefaultCommandTimeout;
            JsonElement response;
            try
            {
                response = await answer.Task.WaitAsync(limit).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                throw new TimeoutException($"hypha-peer {_name}: no answer to '{op}' within {limit.TotalSeconds:0.#} s. stderr:\n{Tail(Stderr)}");
            }

            if (response.TryGetProperty("ok", out JsonElement ok) && ok.ValueKind == JsonValueKind.True)
            {
                return response.TryGetProperty("result", out JsonElement result) ? result : default;
            }

            string error = response.TryGetProperty("error", out JsonElement message) ? message.ToString() : response.ToString();
            throw new NodePeerCommandException($"hypha-peer {_name}: '{op}' failed: {error}");
        }
        finally
        {
            _pending.TryRemove(id, out _);
        }
    }

    /// <summary>Kills the node process tree at once (a vanished peer: no disconnect, the socket just drops).</summary>
    public async Task KillAsync()
    {
        KillTree(_process, wait: false);
        try
        {
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is TimeoutException or InvalidOperationException)
        {
        }
    }

    /// <summary>Asks the peer to exit (disconnecting from the server), then kills its process tree if it is still there.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        try
        {
            if (!HasExited)
            {
                try
                {
                    // Closing stdin is the exit request the peer honours even while its commands are still running.
                    await _writeLock.WaitAsync(ExitGrace).ConfigureAwait(false);
                    _process.StandardInput.Close();
                }
                catch (Exception ex) when (ex is IOException or ObjectDisposedException or InvalidOperationException)
                {
                }

                using var grace = new CancellationTokenSource(ExitGrace);
                try
                {
                    await _process.WaitForExitAsync(grace.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                }
            }
        }
        finally
        {
            KillTree(_process);
            try
            {
                await Task.WhenAll(_stdoutPump, _stderrPump).WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is TimeoutException or IOException or ObjectDisposedException or OperationCanceledException)
            {
            }

            FailPending($"hypha-peer {_name} was disposed.");
            Live.TryRemove(this, out _);
            _process.Dispose();
            _writeLock.Dispose();
        }
    }

    private async Task PumpStdoutAsync()
    {
        try
        {
            while (await _process.StandardOutput.ReadLineAsync().ConfigureAwait(false) is { } line)
            {
                if (line.Length == 0)
                {
                    continue;
                }

                JsonElement message;
                try
                {
                    using JsonDocument document = JsonDocument.Parse(line);
                    message = document.RootElement.Clone();
                }
                catch (JsonException)
                {
                    AppendStderr($"[stdout, not JSON] {line}\n");
                    continue;
                }

                if (message.ValueKind != JsonValueKind.Object)
                {
                    continue;
                }

                if (message.TryGetProperty("event", out JsonElement evt) && evt.GetString() == "ready")
                {
                    _ready.TrySetResult(message);
                }
                else if (message.TryGetProperty("id", out JsonElement id) && id.ValueKind == JsonValueKind.Number
                    && _pending.TryGetValue(id.GetInt64(), out TaskCompletionSource<JsonElement>? answer))
                {
                    answer.TrySetResult(message);
                }
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or InvalidOperationException)
        {
        }
        finally
        {
            string exit = "?";
            try
            {
                if (_process.WaitForExit(TimeSpan.FromSeconds(5)))
                {
                    exit = _process.ExitCode.ToString(System.Globalization.CultureInfo.InvariantCulture);
                }
            }
            catch (Exception ex) when (ex is InvalidOperationException or SystemException)
            {
            }

            // Let stderr drain a little so the failure message says why.
            try
            {
                await _stderrPump.WaitAsync(TimeSpan.FromSeconds(2)).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
            }

            string reason = $"hypha-peer {_name} exited (exit code {exit}). stderr:\n{Tail(Stderr)}";
            _ready.TrySetException(new InvalidOperationException(reason));
            FailPending(reason);
        }
    }

    private async Task PumpStderrAsync()
    {
        var buffer = new char[4096];
        try
        {
            int read;
            while ((read = await _process.StandardError.ReadAsync(buffer).ConfigureAwait(false)) > 0)
            {
                AppendStderr(new string(buffer, 0, read));
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or InvalidOperationException)
        {
        }
    }

    private void AppendStderr(string text)
    {
        lock (_stderr)
        {
            _stderr.Append(text);
            if (_stderr.Length > StderrKeepChars)
            {
                _stderr.Remove(0, _stderr.Length - StderrKeepChars);
            }
        }
    }

    private void FailPending(string reason)
    {
        foreach (KeyValuePair<long, TaskCompletionSource<JsonElement>> pending in _pending)
        {
            pending.Value.TrySetException(new InvalidOperationException(reason));
        }
    }

    private static string Tail(string text, int max = 4000) => text.Length <= max ? text : "…" + text[^max..];

    private static void KillTree(Process process, bool wait = true)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            if (wait)
            {
                process.WaitForExit(TimeSpan.FromSeconds(10));
            }
        }
        catch (InvalidOperationException)
        {
            // Exited between the check and the kill, or already disposed.
        }
        catch (Win32Exception)
        {
            // Already gone.
        }
    }
}

using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace Hypha.Interop.Tests.Infrastructure;

/// <summary>What a finished <c>node</c> process left behind.</summary>
internal sealed record NodeResult(string CommandLine, int ExitCode, byte[] Stdout, string Stderr)
{
    /// <summary>stdout decoded as UTF-8 (for the JSON-printing subcommands).</summary>
    public string StdoutText => Encoding.UTF8.GetString(Stdout);

    /// <summary>A summary for assertion messages: command, exit code, the start of stdout, stderr.</summary>
    public string Describe(int maxStdoutChars = 4000)
    {
        string stdout = StdoutText;
        if (stdout.Length > maxStdoutChars)
        {
            stdout = string.Concat(stdout.AsSpan(0, maxStdoutChars), $"…({Stdout.Length} bytes)");
        }

        return $"{CommandLine}\nexit code: {ExitCode}\nstdout: {stdout}\nstderr: {Stderr}";
    }
}

/// <summary>Thrown when a <c>node</c> process outlives its timeout; the process tree has been killed by then.</summary>
internal sealed class NodeTimeoutException(string message, byte[] partialStdout, string partialStderr) : TimeoutException(message)
{
    /// <summary>What the process wrote to stdout before it was killed.</summary>
    public byte[] PartialStdout { get; } = partialStdout;

    /// <summary>What the process wrote to stderr before it was killed.</summary>
    public string PartialStderr { get; } = partialStderr;
}

/// <summary>
/// Runs <c>node &lt;script&gt; &lt;args&gt;</c> with binary stdin and captures stdout (bytes) and stderr (text).
/// stdin is written while stdout and stderr are drained, so large payloads in both directions cannot deadlock.
/// On timeout or cancellation the whole process tree is killed; the <see cref="Process"/> is always disposed.
/// </summary>
internal static class NodeRunner
{
    /// <summary>The default limit for one run.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Runs a script of <see cref="InteropPaths.JsDirectory"/> (or any script given by absolute path).</summary>
    /// <exception cref="NodeTimeoutException">The process did not exit within <paramref name="timeout"/>.</exception>
    public static async Task<NodeResult> RunAsync(
        string script,
        IReadOnlyList<string> args,
        ReadOnlyMemory<byte> stdin = default,
        TimeSpan? timeout = null,
        CancellationToken cancellationToken = default)
    {
        TimeSpan limit = timeout ?? DefaultTimeout;
        string scriptPath = Path.IsPathRooted(script) ? script : Path.Combine(InteropPaths.JsDirectory, script);
        var startInfo = new ProcessStartInfo("node")
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardErrorEncoding = Encoding.UTF8,
            WorkingDirectory = Path.GetDirectoryName(scriptPath)!,
        };
        startInfo.ArgumentList.Add(scriptPath);
        foreach (string arg in args)
        {
            startInfo.ArgumentList.Add(arg);
        }

        string commandLine = $"node {Path.GetFileName(scriptPath)} {string.Join(' ', args)}".TrimEnd();

        using var process = new Process { StartInfo = startInfo };
        try
        {
            process.Start();
        }
        catch (Win32Exception ex)
        {
            throw new InvalidOperationException(
                $"Could not start '{commandLine}': Node.js >= 20 must be on the PATH for the interop tests ({ex.Message}).", ex);
        }

        var stdout = new MemoryStream();
        var stderr = new MemoryStream();
        Task stdoutPump = process.StandardOutput.BaseStream.CopyToAsync(stdout, CancellationToken.None);
        Task stderrPump = process.StandardError.BaseStream.CopyToAsync(stderr, CancellationToken.None);
        Task stdinPump = WriteStdinAsync(process.StandardInput.BaseStream, stdin);

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(limit);
        try
        {
            await process.WaitForExitAsync(deadline.Token).ConfigureAwait(false);
            // The pipes reach end-of-file once the process has exited (and no grandchild holds them open).
            await Task.WhenAll(stdoutPump, stderrPump, stdinPump).WaitAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            KillTree(process);
            await DrainAsync(stdoutPump, stderrPump, stdinPump).ConfigureAwait(false);
            throw new NodeTimeoutException(
                $"'{commandLine}' did not finish within {limit.TotalSeconds:0.#} s; its process tree was killed. " +
                $"stdout so far: {stdout.Length} bytes; stderr so far: {Encoding.UTF8.GetString(stderr.ToArray())}",
                stdout.ToArray(),
                Encoding.UTF8.GetString(stderr.ToArray()));
        }
        finally
        {
            // Whatever happened above (cancellation, a failed pump, an assertion in a caller's continuation):
            // no node process may outlive the test.
            KillTree(process);
            await DrainAsync(stdoutPump, stderrPump, stdinPump).ConfigureAwait(false);
        }

        return new NodeResult(commandLine, process.ExitCode, stdout.ToArray(), Encoding.UTF8.GetString(stderr.ToArray()));
    }

    private static async Task WriteStdinAsync(Stream input, ReadOnlyMemory<byte> bytes)
    {
        try
        {
            if (!bytes.IsEmpty)
            {
                await input.WriteAsync(bytes).ConfigureAwait(false);
            }
        }
        catch (IOException)
        {
            // The process exited (or was killed) without reading all of stdin; its exit code tells why.
        }
        catch (ObjectDisposedException)
        {
        }
        finally
        {
            try
            {
                await input.DisposeAsync().ConfigureAwait(false); // end-of-file for the script
            }
            catch (IOException)
            {
            }
        }
    }

    private static void KillTree(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            process.WaitForExit(DrainTimeout);
        }
        catch (InvalidOperationException)
        {
            // Exited between the check and the kill, or was never started.
        }
        catch (Win32Exception)
        {
            // Already gone.
        }
    }

    // Lets the pumps finish after the process is gone, bounded: failures there are not the caller's business.
    private static async Task DrainAsync(params Task[] pumps)
    {
        try
        {
            await Task.WhenAll(pumps).WaitAsync(DrainTimeout).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or TimeoutException or OperationCanceledException)
        {
        }
    }
}

using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Hypha.Bench.Harness;

namespace Hypha.Bench.Scenarios.Rpc;

/// <summary>
/// The npm client in block mode (<c>bench-client.mjs --blocks</c>): connected and warmed up once, then counting its
/// calls in blocks the bench asks for one at a time, so that they can alternate with our client's and meet the same
/// moments of the machine. The process is stopped on dispose, whatever happened.
/// </summary>
internal sealed class NodeBlocks : IAsyncDisposable
{
    // How long Node may take to connect and warm up, and a block to overrun, before the run fails.
    private static readonly TimeSpan Allowance = TimeSpan.FromSeconds(30);

    private readonly Process _node;
    private readonly Task<string> _stderr;

    private NodeBlocks(Process node)
    {
        _node = node;
        _stderr = node.StandardError.ReadToEndAsync();
    }

    /// <summary>Starts Node against <paramref name="serviceId"/>'s <c>add</c> and waits until it is warm.</summary>
    public static async Task<NodeBlocks> StartAsync(string serverUrl, string serviceId, RpcSettings settings)
    {
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = RepositoryPaths.InteropJs(),
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (string argument in new[]
        {
            "bench-client.mjs", "--server-url", serverUrl, "--service", serviceId, "--method", "add", "--blocks",
            "--warmup", settings.Warmup.TotalSeconds.ToString(CultureInfo.InvariantCulture),
            "--concurrency", settings.InFlight.ToString(CultureInfo.InvariantCulture),
        })
        {
            start.ArgumentList.Add(argument);
        }

        var blocks = new NodeBlocks(Process.Start(start) ?? throw new InvalidOperationException("node could not be started."));
        try
        {
            JsonElement ready = await blocks.ReadLineAsync(settings.Warmup + Allowance).ConfigureAwait(false);
            if (ready.GetProperty("mode").GetString() != "ready")
            {
                throw new InvalidOperationException($"bench-client.mjs --blocks answered {ready} instead of being ready.");
            }

            return blocks;
        }
        catch
        {
            await blocks.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Runs one block of <paramref name="duration"/>; returns the calls that completed in it.</summary>
    public async Task<long> RunAsync(TimeSpan duration)
    {
        await _node.StandardInput.WriteLineAsync($"run {duration.TotalMilliseconds.ToString(CultureInfo.InvariantCulture)}").ConfigureAwait(false);
        await _node.StandardInput.FlushAsync().ConfigureAwait(false);
        JsonElement block = await ReadLineAsync(duration + Allowance).ConfigureAwait(false);
        if (block.GetProperty("errors").GetInt64() > 0)
        {
            throw new InvalidOperationException($"js-hypha-ws: calls failed in a block: {block}");
        }

        return block.GetProperty("calls").GetInt64();
    }

    private async Task<JsonElement> ReadLineAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        string? line;
        try
        {
            line = await _node.StandardOutput.ReadLineAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"bench-client.mjs --blocks gave no answer within {timeout.TotalSeconds:N0} s.");
        }

        if (line is null)
        {
            await _node.WaitForExitAsync().ConfigureAwait(false);
            throw new InvalidOperationException($"bench-client.mjs --blocks ended (exit {_node.ExitCode}): {await _stderr.ConfigureAwait(false)}");
        }

        return JsonDocument.Parse(line).RootElement.Clone();
    }

    /// <summary>Asks Node to disconnect and exit; kills it if it has not within a few seconds.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_node.HasExited)
            {
                await _node.StandardInput.WriteLineAsync("quit").ConfigureAwait(false);
                _node.StandardInput.Close();
            }

            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await _node.WaitForExitAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or InvalidOperationException)
        {
            // It is killed below.
        }
        finally
        {
            if (!_node.HasExited)
            {
                _node.Kill(entireProcessTree: true);
            }

            _node.Dispose();
        }
    }
}

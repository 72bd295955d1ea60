using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Hypha.Interop.Tests.Infrastructure;

public sealed class NodeRunnerTests : IDisposable
{
    private readonly string _scratch = Directory.CreateTempSubdirectory("hypha-interop-").FullName;

    public void Dispose() => Directory.Delete(_scratch, recursive: true);

    [Fact]
    public async Task Passes_stdin_and_arguments_and_captures_stdout_stderr_and_exit_code()
    {
        string script = WriteScript("io.mjs", """
            const chunks = [];
            for await (const c of process.stdin) chunks.push(c);
            const input = Buffer.concat(chunks);
            process.stderr.write(`got ${input.length} bytes, args ${process.argv.slice(2).join("|")}\n`);
            process.stdout.write(Buffer.from(input.map((b) => b ^ 0xff)));
            process.exitCode = 3;
            """);
        byte[] input = new byte[3 * 1024 * 1024]; // larger than any pipe buffer: must not deadlock
        new Random(1).NextBytes(input);

        NodeResult result = await NodeRunner.RunAsync(script, ["a b", "ü"], input);

        Assert.Equal(3, result.ExitCode);
        Assert.Equal($"got {input.Length} bytes, args a b|ü\n", result.Stderr);
        Assert.Equal(input.Select(b => (byte)(b ^ 0xff)).ToArray(), result.Stdout);
    }

    [Fact]
    public async Task Kills_the_whole_process_tree_on_timeout()
    {
        string script = WriteScript("hang.mjs", """
            import { spawn } from "node:child_process";
            const child = spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)"], { stdio: "ignore" });
            process.stdout.write(`${child.pid}\n`);
            setInterval(() => {}, 1000);
            """);
        var stopwatch = Stopwatch.StartNew();

        NodeTimeoutException timeout = await Assert.ThrowsAsync<NodeTimeoutException>(
            () => NodeRunner.RunAsync(script, [], timeout: TimeSpan.FromSeconds(2)));

        Assert.InRange(stopwatch.Elapsed, TimeSpan.FromSeconds(1.9), TimeSpan.FromSeconds(20));
        int childPid = int.Parse(Encoding.ASCII.GetString(timeout.PartialStdout).Trim(), CultureInfo.InvariantCulture);
        Assert.True(await HasEndedAsync(childPid), $"the grandchild node process {childPid} survived the timeout");
    }

    [Fact]
    public async Task The_peer_reports_malformed_input_with_exit_code_1()
    {
        NodeResult result = await NodeRunner.RunAsync("msgpack-peer.mjs", ["echo"], new byte[] { 0x92, 0x01, 0xc1 });

        Assert.True(result.ExitCode == 1, result.Describe());
        Assert.Empty(result.Stdout);
        Assert.Contains("decode error", result.Stderr, StringComparison.Ordinal);
    }

    private string WriteScript(string name, string code)
    {
        string path = Path.Combine(_scratch, name);
        File.WriteAllText(path, code);
        return path;
    }

    // A killed process may linger briefly as a zombie until its new parent reaps it; that counts as ended.
    private static async Task<bool> HasEndedAsync(int pid)
    {
        for (int attempt = 0; attempt < 50; attempt++)
        {
            try
            {
                using Process process = Process.GetProcessById(pid);
                if (process.HasExited || IsZombie(pid))
                {
                    return true;
                }
            }
            catch (ArgumentException)
            {
                return true; // no such process
            }

            await Task.Delay(100);
        }

        return false;
    }

    private static bool IsZombie(int pid)
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        try
        {
            // /proc/<pid>/stat: "pid (comm) S ...": the state letter follows the last ')'.
            string stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].StartsWith('Z');
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return true; // gone
        }
    }
}

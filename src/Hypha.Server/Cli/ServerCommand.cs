using System.Reflection;
using System.Runtime.InteropServices;

namespace Hypha.Server.Cli;

/// <summary>Runs the hypha-server executable: parse, start, print where it serves, stop on Ctrl+C or SIGTERM.</summary>
internal static class ServerCommand
{
    /// <summary>The version of this build, without the source-revision suffix.</summary>
    public static string Version { get; } =
        typeof(ServerCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? "unknown";

    /// <summary>Runs the command; returns the process exit code (0 ok, 1 failed to serve, 2 bad arguments).</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        CommandLine commandLine;
        try
        {
            commandLine = CommandLine.Parse(args, Environment.GetEnvironmentVariable);
        }
        catch (FormatException ex)
        {
            await error.WriteLineAsync($"hypha-server: {ex.Message}\n{CommandLine.Usage}").ConfigureAwait(false);
            return 2;
        }

        if (commandLine.ShowHelp)
        {
            await output.WriteLineAsync(CommandLine.Usage).ConfigureAwait(false);
            return 0;
        }

        if (commandLine.ShowVersion)
        {
            await output.WriteLineAsync($"hypha-server {Version}").ConfigureAwait(false);
            return 0;
        }

        var stop = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using PosixSignalRegistration interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using PosixSignalRegistration terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);

        HyphaServer server;
        try
        {
            server = await HyphaServer.StartAsync(commandLine.Options, ManagerWiring.Create).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is NotSupportedException or ArgumentException or IOException)
        {
            await error.WriteLineAsync($"hypha-server: cannot serve: {ex.Message}").ConfigureAwait(false);
            return 1;
        }

        await using (server.ConfigureAwait(false))
        {
            string unix = server.UnixUrl is { } url ? $", {url}" : string.Empty;
            await output.WriteLineAsync(
                $"hypha-server {Version} listening on {server.BaseUrl} (WebSocket {Connections.WebSocketEndpoint.Path}; native mode {server.NativeUrl}{unix})")
                .ConfigureAwait(false);
            await stop.Task.ConfigureAwait(false);
            await output.WriteLineAsync("hypha-server stopping").ConfigureAwait(false);
        }

        return 0;

        // Keep the process alive until the server has closed its connections; the stop itself happens above.
        void OnSignal(PosixSignalContext context)
        {
            context.Cancel = true;
            stop.TrySetResult();
        }
    }
}

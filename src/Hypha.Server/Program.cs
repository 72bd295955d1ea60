using Hypha.Server.Cli;

// The hypha-server executable: a hypha-mode server on Kestrel (see docs/hypha-server.md).
return await ServerCommand.RunAsync(args, Console.Out, Console.Error).ConfigureAwait(false);

/// <summary>The entry point of the hypha-server executable.</summary>
public partial class Program;

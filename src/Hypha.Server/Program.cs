using System.Reflection;

// The hypha-server executable. Until the hypha-mode server lands it only reports its version;
// see ROADMAP.md for what comes next.
string version = typeof(Program).Assembly
    .GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

if (args is ["--help" or "-h"])
{
    Console.WriteLine("usage: hypha-server [--version]");
    return 0;
}

Console.WriteLine($"hypha-server {version}");
if (args is not ["--version"])
{
    Console.WriteLine("Serving arrives with the hypha-mode milestone (ROADMAP.md); this build only reports its version.");
}
return 0;

/// <summary>The entry point of the hypha-server executable.</summary>
public partial class Program;

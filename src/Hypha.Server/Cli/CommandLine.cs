namespace Hypha.Server.Cli;

/// <summary>
/// The hypha-server command line: <c>[--host H] [--port P] [--unix-socket PATH] [--public-base-url URL] [--jwt-secret S]
/// [--version] [--help]</c>. Values may follow their option as the next argument or after <c>=</c>.
/// </summary>
/// <param name="Options">The server settings given (defaults for the rest).</param>
/// <param name="ShowVersion">--version: print the version and exit.</param>
/// <param name="ShowHelp">--help or -h: print the usage and exit.</param>
internal sealed record CommandLine(HyphaServerOptions Options, bool ShowVersion, bool ShowHelp)
{
    /// <summary>The environment variable read when --jwt-secret is not given, as the real server does.</summary>
    public const string JwtSecretVariable = "HYPHA_JWT_SECRET";

    /// <summary>The usage text.</summary>
    public const string Usage = """
        usage: hypha-server [--host H] [--port P] [--unix-socket PATH] [--public-base-url URL] [--jwt-secret S] [--version] [--help]

          --host H               address to listen on: an IP address or localhost (default 127.0.0.1)
          --port P               TCP port, 0 for any free one (default 9527); hypha (WebSocket /ws) and native mode
          --unix-socket PATH     also listen on this Unix domain socket (native mode and HTTP; replaces the file)
          --public-base-url URL  URL clients are told to use (default http://<host>:<port> as bound)
          --jwt-secret S         key of the tokens the server issues (default $HYPHA_JWT_SECRET, else random:
                                 then tokens do not survive a restart)
          --version              print the version and exit
          --help, -h             print this help and exit
        """;

    /// <summary>Parses the arguments.</summary>
    /// <param name="args">The command-line arguments.</param>
    /// <param name="environment">Reads an environment variable (<see cref="Environment.GetEnvironmentVariable(string)"/> in the executable).</param>
    /// <exception cref="FormatException">An unknown option, a missing value or a bad port.</exception>
    public static CommandLine Parse(IReadOnlyList<string> args, Func<string, string?> environment)
    {
        var options = new HyphaServerOptions();
        bool version = false, help = false;
        string? secret = null;
        for (int i = 0; i < args.Count; i++)
        {
            (string name, string? inlineValue) = Split(args[i]);
            switch (name)
            {
                case "--version":
                    version = true;
                    break;
                case "--help" or "-h":
                    help = true;
                    break;
                case "--host":
                    options = options with { Host = Value(args, ref i, name, inlineValue) };
                    break;
                case "--port":
                    options = options with { Port = ParsePort(Value(args, ref i, name, inlineValue)) };
                    break;
                case "--unix-socket":
                    options = options with { UnixSocketPath = Value(args, ref i, name, inlineValue) };
                    break;
                case "--public-base-url":
                    options = options with { PublicBaseUrl = Value(args, ref i, name, inlineValue) };
                    break;
                case "--jwt-secret":
                    secret = Value(args, ref i, name, inlineValue);
                    break;
                default:
                    throw new FormatException($"unknown argument '{args[i]}'");
            }
        }

        secret ??= environment(JwtSecretVariable) is { Length: > 0 } fromEnvironment ? fromEnvironment : null;
        return new CommandLine(options with { JwtSecret = secret }, version, help);
    }

    private static (string Name, string? InlineValue) Split(string argument)
    {
        int equals = argument.IndexOf('=', StringComparison.Ordinal);
        return argument.StartsWith("--", StringComparison.Ordinal) && equals > 0
            ? (argument[..equals], argument[(equals + 1)..])
            : (argument, null);
    }

    private static string Value(IReadOnlyList<string> args, ref int i, string name, string? inlineValue)
    {
        if (inlineValue is not null)
        {
            return inlineValue;
        }

        if (i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal))
        {
            throw new FormatException($"{name} needs a value");
        }

        return args[++i];
    }

    private static int ParsePort(string text) =>
        int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int port) && port <= 65535
            ? port
            : throw new FormatException($"--port must be a number from 0 to 65535, not '{text}'");
}

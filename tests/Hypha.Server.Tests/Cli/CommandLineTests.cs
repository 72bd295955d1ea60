using Hypha.Server.Cli;

namespace Hypha.Server.Tests.Cli;

public sealed class CommandLineTests
{
    private static readonly Func<string, string?> NoEnvironment = _ => null;

    [Fact]
    public void Defaults_match_the_real_server()
    {
        CommandLine commandLine = CommandLine.Parse([], NoEnvironment);
        Assert.Equal(("127.0.0.1", 9527), (commandLine.Options.Host, commandLine.Options.Port));
        Assert.Null(commandLine.Options.JwtSecret);
        Assert.Null(commandLine.Options.PublicBaseUrl);
        Assert.False(commandLine.ShowHelp || commandLine.ShowVersion);
    }

    [Fact]
    public void Every_option_is_read_in_both_spellings()
    {
        CommandLine commandLine = CommandLine.Parse(
            ["--host", "0.0.0.0", "--port=0", "--unix-socket", "/tmp/h.sock", "--public-base-url", "https://h.example", "--jwt-secret=s", "--version", "-h"],
            NoEnvironment);
        HyphaServerOptions options = commandLine.Options;
        Assert.Equal(("0.0.0.0", 0, "https://h.example", "s"), (options.Host, options.Port, options.PublicBaseUrl, options.JwtSecret));
        Assert.Equal("/tmp/h.sock", options.UnixSocketPath);
        Assert.True(commandLine.ShowVersion && commandLine.ShowHelp);
    }

    [Fact]
    public void The_secret_falls_back_to_the_environment()
    {
        Func<string, string?> environment = name => name == "HYPHA_JWT_SECRET" ? "from-env" : null;
        Assert.Equal("from-env", CommandLine.Parse([], environment).Options.JwtSecret);
        Assert.Equal("given", CommandLine.Parse(["--jwt-secret", "given"], environment).Options.JwtSecret);
    }

    [Theory]
    [InlineData("--bogus")]
    [InlineData("--port")]
    [InlineData("--port", "70000")]
    [InlineData("--port", "-1")]
    [InlineData("--host", "--port")]
    public void Bad_arguments_are_refused(params string[] args)
    {
        Assert.Throws<FormatException>(() => CommandLine.Parse(args, NoEnvironment));
    }
}

using System.IO.Pipelines;

namespace Hypha.Transport.Connections;

/// <summary>Two connected ends in memory: what one writes, the other reads. For tests and in-process peers.</summary>
public static class InMemoryTransport
{
    /// <summary>Creates the pair. <paramref name="options"/> bounds each direction (default: 1 MiB before a writer waits).</summary>
    public static (IDuplexPipe A, IDuplexPipe B) CreatePair(PipeOptions? options = null)
    {
        options ??= new PipeOptions(pauseWriterThreshold: 1024 * 1024, resumeWriterThreshold: 512 * 1024, useSynchronizationContext: false);
        var aToB = new Pipe(options);
        var bToA = new Pipe(options);
        return (new End(bToA.Reader, aToB.Writer), new End(aToB.Reader, bToA.Writer));
    }

    private sealed class End(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }
}

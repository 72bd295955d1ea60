using Hypha.Client;

namespace Hypha.Hosting;

/// <summary>How <c>AddHyphaServer</c> connects: its client's options, built from the container when the host starts.</summary>
internal sealed record HostedServerOptions(Func<IServiceProvider, HyphaClientOptions> Build);

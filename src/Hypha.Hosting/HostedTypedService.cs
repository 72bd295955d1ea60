using Hypha.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Hypha.Hosting;

/// <summary>One typed service <c>AddHyphaServer</c> registers when the host starts.</summary>
internal sealed record HostedTypedService(Type Contract, Func<HyphaClient, IServiceScopeFactory, CancellationToken, Task<ServiceRegistration>> Register);

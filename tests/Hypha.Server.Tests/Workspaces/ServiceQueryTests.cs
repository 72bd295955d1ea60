using Hypha.Server.Workspaces;

namespace Hypha.Server.Tests.Workspaces;

public class ServiceQueryTests
{
    [Theory]
    [InlineData("ws-2/client-b:calc", "ws-2", "client-b", "calc", "*")]
    [InlineData("ws-2/calc", "ws-2", "*", "calc", "*")]
    [InlineData("calc", "ws-1", "*", "calc", "*")]
    [InlineData("client-b:calc", "ws-1", "client-b", "calc", "*")]
    [InlineData("ws-2/client-b:calc@app", "ws-2", "client-b", "calc", "app")]
    [InlineData("ws-2/calc@app", "ws-2", "*", "calc", "app")]
    [InlineData("calc@app", "ws-1", "*", "calc", "app")]
    [InlineData("client-b:calc@app", "ws-1", "client-b", "calc", "app")]
    [InlineData("ws-2/*:calc", "ws-2", "*", "calc", "*")]
    public void Resolves_every_id_form_against_the_caller_workspace(
        string text, string workspace, string clientId, string service, string appId)
    {
        ServiceQuery query = ServiceQuery.Parse(text, callerWorkspace: "ws-1");

        Assert.Equal(new ServiceLookup(workspace, clientId, service, appId), query);
    }

    [Theory]
    [InlineData("~")]
    [InlineData("ws-1/~")]
    [InlineData("public/~")]
    public void Tilde_names_the_manager(string text)
    {
        Assert.Same(ManagerQuery.Instance, ServiceQuery.Parse(text, "ws-1"));
        Assert.Equal("~", ManagerQuery.Instance.ToString());
    }

    [Fact]
    public void A_client_or_app_qualified_tilde_is_a_service_name()
    {
        Assert.IsType<ServiceLookup>(ServiceQuery.Parse("client-a:~", "ws-1"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("a/b/c")]
    [InlineData("ws/a:b:c")]
    [InlineData("x@y@z")]
    [InlineData("a:ws/b")]
    [InlineData("ws/")]
    [InlineData("ws/c:")]
    [InlineData(":svc")]
    [InlineData("svc@")]
    [InlineData("*/calc")]
    [InlineData("ws-*/calc")]
    [InlineData("*")]
    [InlineData("ws/c:*")]
    public void Rejects_malformed_queries(string text)
    {
        var error = Assert.Throws<ServiceRegistryException>(() => ServiceQuery.Parse(text, "ws-1"));

        Assert.Equal(ServiceRegistryErrorKind.Invalid, error.Kind);
        Assert.Contains("Invalid service id", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_null_query_is_invalid()
    {
        var error = Assert.Throws<ServiceRegistryException>(() => ServiceQuery.Parse(null, "ws-1"));
        Assert.Equal(ServiceRegistryErrorKind.Invalid, error.Kind);
    }

    [Theory]
    [InlineData("ws-2/client-b:calc", "ws-2/client-b:calc")]
    [InlineData("calc", "ws-1/*:calc")]
    [InlineData("calc@app", "ws-1/*:calc@app")]
    public void Prints_as_the_id_it_searches(string text, string printed)
    {
        Assert.Equal(printed, ServiceQuery.Parse(text, "ws-1").ToString());
    }
}

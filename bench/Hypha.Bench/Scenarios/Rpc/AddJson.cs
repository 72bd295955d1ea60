using System.Text.Json;
using System.Text.Json.Serialization;

namespace Hypha.Bench.Scenarios.Rpc;

/// <summary>The body of <c>POST /add</c> in the <c>aspnet-http</c> case: <c>{"a":1,"b":2}</c>.</summary>
internal sealed record AddRequest(int A, int B);

/// <summary>The answer of <c>POST /add</c>: <c>{"result":3}</c>.</summary>
internal sealed record AddResponse(int Result);

/// <summary>Source-generated JSON for both bodies, with web naming (camelCase), as ASP.NET Core's own defaults.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(AddRequest))]
[JsonSerializable(typeof(AddResponse))]
internal sealed partial class AddJsonContext : JsonSerializerContext;

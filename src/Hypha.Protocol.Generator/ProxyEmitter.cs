using System.Globalization;
using Microsoft.CodeAnalysis;

namespace Hypha.Protocol.Generator;

/// <summary>
/// Writes the client side of a contract: a proxy class that implements the interface, each method writing its
/// arguments straight into the call's <c>args</c> and reading its result straight from the answer. A proxy not yet
/// bound (handed out by a container before connecting) binds on its first call.
/// </summary>
internal static class ProxyEmitter
{
    private const string Typed = CodecEmitter.Typed;
    private const string MsgPack = CodecEmitter.MsgPack;

    public static void Emit(CodeWriter code, ContractModel contract)
    {
        code.Line($"/// <summary>Calls a remote <see cref=\"{contract.Symbol.Name}\"/> through hypha (generated).</summary>")
            .Open($"public sealed class Proxy : {contract.TypeText}")
            .Line($"private readonly {Typed}.TypedRemoteService _remote;")
            .Line()
            .Line("/// <summary>A proxy that calls through <paramref name=\"remote\"/>.</summary>")
            .Open($"public Proxy({Typed}.TypedRemoteService remote)")
            .Line("_remote = remote ?? throw new global::System.ArgumentNullException(nameof(remote));")
            .Close()
            .Line()
            .Line("/// <summary>The remote service this proxy calls.</summary>")
            .Line($"public {Typed}.TypedRemoteService Remote => _remote;")
            .Line();
        foreach (MethodModel method in contract.Methods)
        {
            Method(code, contract, method);
        }

        code.Close().Line();
    }

    private static void Method(CodeWriter code, ContractModel contract, MethodModel method)
    {
        string id = method.Id.ToString(CultureInfo.InvariantCulture);
        IMethodSymbol symbol = method.Symbol;
        string declaration = string.Join(", ", symbol.Parameters.Select(p => $"{TypeClassifier.TypeText(p.Type)} @{p.Name}"));
        string allArguments = string.Join(", ", symbol.Parameters.Select(p => $"@{p.Name}"));
        string cancellation = method.CancellationIndex >= 0 ? $"@{symbol.Parameters[method.CancellationIndex].Name}" : "default";
        string wireArguments = string.Join(string.Empty, method.Parameters.Select(p => $", @{p.Name}"));
        string returnText = TypeClassifier.TypeText(symbol.ReturnType);
        string signature = $"{returnText} {method.DeclaringTypeText}.@{symbol.Name}({declaration})";

        if (method.Return == ReturnShape.Stream)
        {
            TypeModel stream = method.Result!;
            code.Line($"{signature} => Stream{id}({string.Join(string.Empty, method.Parameters.Select(p => $"@{p.Name}, "))}{cancellation});")
                .Line()
                .Open($"private async {returnText} Stream{id}({string.Join(string.Empty, method.Parameters.Select(p => $"{p.Type.TypeText} @{p.Name}, "))}[global::System.Runtime.CompilerServices.EnumeratorCancellation] global::System.Threading.CancellationToken __cancellation)")
                .Line("await _remote.BindAsync(__cancellation).ConfigureAwait(false);")
                .Line($"_remote.TryStartCall({id}, out {Typed}.TypedOutgoingCall __call);")
                .Open("try").Line($"Arguments{id}(__call{wireArguments});").Close()
                .Open("catch").Line("__call.Abandon();").Line("throw;").Close()
                .Line()
                .Open($"await foreach ({stream.Element!.TypeText} __item in global::System.Threading.Tasks.TaskAsyncEnumerableExtensions.ConfigureAwait(__call.StreamAsync(Items_{stream.CodecName}, __cancellation), false))")
                .Line("yield return __item;")
                .Close()
                .Close()
                .Line();
        }
        else
        {
            string invoke = method.Return is ReturnShape.TaskOf or ReturnShape.ValueTaskOf
                ? $"__call.InvokeAsync(Result{id}, {cancellation})"
                : $"__call.InvokeAsync({cancellation})";
            bool isTask = method.Return is ReturnShape.Task or ReturnShape.TaskOf;
            code.Open(signature)
                .Open($"if (!_remote.TryStartCall({id}, out {Typed}.TypedOutgoingCall __call))")
                .Line($"return Bind{id}({allArguments});")
                .Close()
                .Line()
                .Open("try").Line($"Arguments{id}(__call{wireArguments});").Close()
                .Open("catch").Line("__call.Abandon();").Line("throw;").Close()
                .Line()
                .Line($"return {invoke}{(isTask ? ".AsTask()" : string.Empty)};")
                .Close()
                .Line()
                .Open($"private async {returnText} Bind{id}({declaration})")
                .Line($"await _remote.BindAsync({cancellation}).ConfigureAwait(false);")
                .Line($"{(method.Result is null ? string.Empty : "return ")}await (({method.DeclaringTypeText})this).@{symbol.Name}({allArguments}).ConfigureAwait(false);")
                .Close()
                .Line();
            if (method.Result is { } result)
            {
                CodecEmitter.ReaderField(code, $"Result{id}", result);
            }
        }

        code.Open($"private static void Arguments{id}({Typed}.TypedOutgoingCall __call{string.Join(string.Empty, method.Parameters.Select(p => $", {p.Type.TypeText} @{p.Name}"))})")
            .Line($"{MsgPack}.MsgPackWriter writer = __call.StartArguments({method.Parameters.Count});");
        foreach (ParameterModel parameter in method.Parameters)
        {
            CodecEmitter.Write(code, parameter.Type, $"@{parameter.Name}", "__call");
        }

        code.Line("__call.EndArguments(ref writer);").Close().Line();
    }
}

namespace Hypha.Protocol.Generator;

/// <summary>
/// Writes the server side of a contract: per method, a function that binds the call's arguments (positional, then
/// keyword) straight from the message, calls the implementation, and writes its result straight into the response;
/// the descriptor switches on the method id to reach it. The same body runs a local callback a peer calls back.
/// </summary>
internal static class DispatchEmitter
{
    private const string Typed = CodecEmitter.Typed;
    private const string MsgPack = CodecEmitter.MsgPack;
    private const string Tasks = "global::System.Threading.Tasks";

    public static void EmitMethod(CodeWriter code, ContractModel contract, MethodModel method)
    {
        string suffix = method.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        code.Open($"private static {Tasks}.ValueTask Invoke{suffix}({contract.TypeText} service, {Typed}.TypedRequest request, {Typed}.TypedResponse response, global::System.Threading.CancellationToken cancellationToken)");
        // The wire arguments in order, then what is not read from the wire put back at its place in the signature
        // (in ascending position, so each lands where the method declares it).
        var arguments = method.Parameters.Select((_, i) => $"p{i}").ToList();
        var passed = new List<(int Index, string Text)>();
        if (method.CancellationIndex >= 0)
        {
            passed.Add((method.CancellationIndex, method.Return == ReturnShape.Stream ? "lifetime.Token" : "cancellationToken"));
        }

        if (method.ContextIndex >= 0)
        {
            passed.Add((method.ContextIndex, method.ContextNullable ? "request.Caller" : "request.Caller!"));
        }

        foreach ((int index, string text) in passed.OrderBy(p => p.Index))
        {
            arguments.Insert(Math.Min(index, arguments.Count), text);
        }

        string call = $"(({method.DeclaringTypeText})service).@{method.Symbol.Name}({string.Join(", ", arguments)})";
        EmitInvocation(code, method.WireName, $"Parameters{suffix}", method.Parameters, call, method.Return, method.Result, suffix);
        code.Close().Line();
        EmitCompletion(code, method.Return, method.Result, suffix);
        code.Line($"private static readonly string[] Parameters{suffix} = [{string.Join(", ", method.Parameters.Select(p => CodecEmitter.Literal(p.WireName)))}];")
            .Line();
    }

    /// <summary>The body: bind, call <paramref name="call"/>, answer.</summary>
    public static void EmitInvocation(CodeWriter code, string function, string namesField, IReadOnlyList<ParameterModel> parameters, string call,
        ReturnShape shape, TypeModel? result, string suffix)
    {
        code.Line($"{Typed}.TypedReadContext context = request.Context;")
            .Line($"{MsgPack}.MsgPackReader reader = request.CreateReader();")
            .Line($"{Typed}.ArgumentBinding arguments = {Typed}.ArgumentBinding.Bind(request, ref reader, {CodecEmitter.Literal(function)}, {namesField});");
        for (int i = 0; i < parameters.Count; i++)
        {
            code.Line($"{parameters[i].Type.TypeText} p{i};");
        }

        if (parameters.Count > 0)
        {
            code.Line("int current = 0;").Open("try");
            for (int i = 0; i < parameters.Count; i++)
            {
                ParameterModel parameter = parameters[i];
                // Keyword values are read out of line (ArgumentBinding.TryKeyword): inlined, each one's reader and
                // reads would add to the frame the JIT zeroes on every call, positional or not.
                string readKeyword = $"static (ref {MsgPack}.MsgPackReader keyword, {Typed}.TypedReadContext context) => {CodecEmitter.Read(parameter.Type, "keyword", "context")}";
                code.Line($"current = {i};")
                    .Open($"if (arguments.IsPositional({i}))").Line($"p{i} = {CodecEmitter.Read(parameter.Type, "reader", "context")};").Close()
                    .Open($"else if (!arguments.TryKeyword({i}, {readKeyword}, context, out p{i}))")
                    .Line(parameter.DefaultText is { } fallback ? $"p{i} = {fallback};"
                        : parameter.Type.Nullable ? $"p{i} = default;"
                        : $"throw arguments.Missing({i});")
                    .Close();
            }

            code.Close()
                .Open($"catch ({MsgPack}.MsgPackException ex)")
                .Line("throw arguments.Invalid(current, ex);")
                .Close();
        }

        code.Line();
        switch (shape)
        {
            case ReturnShape.Void:
                code.Line($"{call};").Line("return default;");
                break;
            case ReturnShape.Task:
                code.Line($"{Tasks}.Task task = {call};")
                    .Line($"return task.IsCompletedSuccessfully ? default : new {Tasks}.ValueTask(task);");
                break;
            case ReturnShape.ValueTask:
                code.Line($"return {call};");
                break;
            case ReturnShape.TaskOf:
            case ReturnShape.ValueTaskOf:
                string task = shape == ReturnShape.TaskOf ? $"{Tasks}.Task<{result!.TypeText}>" : $"{Tasks}.ValueTask<{result!.TypeText}>";
                code.Line($"{task} task = {call};")
                    .Open("if (task.IsCompletedSuccessfully)")
                    .Line($"Answer{suffix}(response, task.Result);")
                    .Line("return default;")
                    .Close()
                    .Line()
                    .Line($"return Await{suffix}(task, response);");
                break;
            case ReturnShape.Stream:
                code.Line("global::System.Threading.CancellationTokenSource lifetime = response.StreamLifetime(cancellationToken);")
                    .Line($"{result!.TypeText} items;")
                    .Open("try").Line($"items = {call};").Close()
                    .Open("catch").Line("lifetime.Dispose();").Line("throw;").Close()
                    .Line()
                    .Line($"{MsgPack}.MsgPackWriter writer = response.StartResult();")
                    .Line($"response.WriteStream(ref writer, items, ItemWriter_{result.CodecName}, lifetime);")
                    .Line("response.EndResult(ref writer);")
                    .Line("return default;");
                break;
        }
    }

    /// <summary>For a result: the function that writes it, and the one that awaits it when it is not ready at once.</summary>
    public static void EmitCompletion(CodeWriter code, ReturnShape shape, TypeModel? result, string suffix)
    {
        if (shape is not (ReturnShape.TaskOf or ReturnShape.ValueTaskOf))
        {
            return;
        }

        string task = shape == ReturnShape.TaskOf ? $"{Tasks}.Task<{result!.TypeText}>" : $"{Tasks}.ValueTask<{result!.TypeText}>";
        code.Open($"private static async {Tasks}.ValueTask Await{suffix}({task} task, {Typed}.TypedResponse response)")
            .Line($"Answer{suffix}(response, await task.ConfigureAwait(false));")
            .Close()
            .Line()
            .Open($"private static void Answer{suffix}({Typed}.TypedResponse response, {result.TypeText} result)")
            .Line($"{MsgPack}.MsgPackWriter writer = response.StartResult();");
        CodecEmitter.Write(code, result, "result", "response");
        code.Line("response.EndResult(ref writer);").Close().Line();
    }
}

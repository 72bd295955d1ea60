using System.Collections;
using Hypha.Protocol.MsgPack;

namespace Hypha.Client.Services;

/// <summary>
/// JSON schemas of .NET parameter types, as hypha's <c>service_schema</c> carries them, so that Python and
/// JavaScript peers (and LLM tool callers) see what a C# function takes.
/// </summary>
internal static class JsonSchemas
{
    public static MsgPackMap ForType(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(string) || type == typeof(char) || type == typeof(DateTime) || type == typeof(DateTimeOffset) || type.IsEnum)
        {
            return Typed("string");
        }

        if (type == typeof(bool))
        {
            return Typed("boolean");
        }

        if (type == typeof(byte[]) || type == typeof(ReadOnlyMemory<byte>) || type == typeof(Memory<byte>))
        {
            return new MsgPackMap { { "type", "string" }, { "format", "binary" } };
        }

        if (IsInteger(type))
        {
            return Typed("integer");
        }

        if (type == typeof(float) || type == typeof(double) || type == typeof(decimal) || type == typeof(Half))
        {
            return Typed("number");
        }

        if (typeof(IDictionary).IsAssignableFrom(type) || IsGenericDictionary(type))
        {
            return Typed("object");
        }

        if (type.IsArray || (type != typeof(string) && typeof(IEnumerable).IsAssignableFrom(type)))
        {
            Type? element = type.IsArray ? type.GetElementType() : type.IsGenericType ? type.GetGenericArguments()[0] : null;
            MsgPackMap array = Typed("array");
            if (element is not null && element != typeof(object))
            {
                array.Add("items", ForType(element));
            }

            return array;
        }

        // object, MsgPackValue, delegates, remote functions: any value.
        return new MsgPackMap();
    }

    /// <summary>The function schema <c>{name, description, parameters}</c>; parameter names in snake_case, as
    /// hypha peers name them (keyword arguments bind either way).</summary>
    public static MsgPackMap ForFunction(string name, string? description, IReadOnlyList<ParameterBinding> parameters)
    {
        var properties = new MsgPackMap();
        var required = new List<MsgPackValue>();
        foreach (ParameterBinding parameter in parameters)
        {
            if (parameter.Kind != ParameterKind.Argument)
            {
                continue;
            }

            properties.Add(Rpc.ObjectMapper.SnakeCase(parameter.Name), ForType(parameter.Type));
            if (!parameter.HasDefault && !parameter.IsNullable)
            {
                required.Add(Rpc.ObjectMapper.SnakeCase(parameter.Name));
            }
        }

        var schema = new MsgPackMap { { "name", name } };
        if (description is not null)
        {
            schema.Add("description", description);
        }

        schema.Add("parameters", new MsgPackMap { { "type", "object" }, { "properties", properties }, { "required", required.ToArray() } });
        return schema;
    }

    private static MsgPackMap Typed(string type) => new() { { "type", type } };

    private static bool IsInteger(Type type) =>
        type == typeof(int) || type == typeof(long) || type == typeof(short) || type == typeof(sbyte)
        || type == typeof(uint) || type == typeof(ulong) || type == typeof(ushort) || type == typeof(byte);

    private static bool IsGenericDictionary(Type type) =>
        type.IsGenericType && type.GetInterfaces().Append(type).Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IDictionary<,>));
}

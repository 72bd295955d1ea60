using System.Reflection;

namespace Hypha.Client.Rpc;

/// <summary>
/// Maps plain .NET objects (records, classes) to hypha maps with snake_case keys and back, for dynamic calls.
/// Typed services (docs/typed-services.md) use generated codecs instead, with no reflection.
/// </summary>
internal static class ObjectMapper
{
    /// <summary>Whether <paramref name="type"/> is a plain object this mapper encodes as a map of its properties.</summary>
    public static bool IsPlainObject(Type type) =>
        type.IsClass && type != typeof(string) && !type.IsArray && !typeof(Delegate).IsAssignableFrom(type)
        && !typeof(System.Collections.IEnumerable).IsAssignableFrom(type)
        && type.Namespace?.StartsWith("System", StringComparison.Ordinal) != true
        && type.Assembly != typeof(ObjectMapper).Assembly
        && type.Assembly != typeof(Hypha.Protocol.MsgPack.MsgPackValue).Assembly
        && Readable(type).Length > 0;

    /// <summary>The object's public readable properties by snake_case name.</summary>
    public static IEnumerable<KeyValuePair<string, object?>> Fields(object value) =>
        Readable(value.GetType()).Select(p => new KeyValuePair<string, object?>(SnakeCase(p.Name), p.GetValue(value)));

    /// <summary>Builds a <paramref name="type"/> from a map: through the constructor whose parameters the map names
    /// (records), or through a parameterless constructor and settable properties.</summary>
    public static object Create(Type type, IReadOnlyDictionary<string, object?> fields)
    {
        object? Lookup(string name, Type target) =>
            fields.FirstOrDefault(f => Same(f.Key, name)) is { Key: not null } field ? ValueConverter.ConvertTo(field.Value, target) : null;

        ConstructorInfo? constructor = type.GetConstructors()
            .Where(c => c.GetParameters().Length > 0)
            .OrderByDescending(c => c.GetParameters().Length)
            .FirstOrDefault(c => c.GetParameters().All(p => p.HasDefaultValue || fields.Keys.Any(k => Same(k, p.Name!))));
        object instance = constructor is not null
            ? constructor.Invoke(constructor.GetParameters()
                .Select(p => fields.Keys.Any(k => Same(k, p.Name!)) ? Lookup(p.Name!, p.ParameterType) : p.DefaultValue)
                .ToArray())
            : Activator.CreateInstance(type)
              ?? throw new InvalidCastException($"{type.Name} has no constructor a map can fill.");

        if (constructor is null)
        {
            foreach (PropertyInfo property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite))
            {
                if (fields.Keys.Any(k => Same(k, property.Name)))
                {
                    property.SetValue(instance, Lookup(property.Name, property.PropertyType));
                }
            }
        }

        return instance;
    }

    /// <summary><c>MaxItems</c> and <c>maxItems</c> become <c>max_items</c> (the schema language's rule).</summary>
    public static string SnakeCase(string name) => Hypha.Protocol.Schemas.SchemaNames.ToSnakeCase(name);

    private static bool Same(string key, string name) =>
        string.Equals(key.Replace("_", string.Empty, StringComparison.Ordinal), name.Replace("_", string.Empty, StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase);

    private static PropertyInfo[] Readable(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanRead && p.GetIndexParameters().Length == 0).ToArray();
}

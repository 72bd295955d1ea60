using System.Buffers;
using System.Collections;
using System.Globalization;
using System.Reflection;
using Hypha.Protocol.MsgPack;
using Hypha.Protocol.Objects;
using Hypha.Transport.SharedMemory;

namespace Hypha.Client.Rpc;

/// <summary>
/// Converts decoded values (what <see cref="HyphaValue.ToObject"/> and the RPC layer produce: long, double,
/// string, byte[], object?[], Dictionary&lt;string, object?&gt;, typed arrays, <see cref="RemoteFunction"/>, remote
/// generators) to the .NET type a parameter or a caller asks for.
/// </summary>
public static class ValueConverter
{
    /// <summary>Converts <paramref name="value"/> to <typeparamref name="T"/>.</summary>
    /// <exception cref="InvalidCastException">The value cannot become a <typeparamref name="T"/>.</exception>
    /// <exception cref="OverflowException">A number does not fit.</exception>
    public static T ConvertTo<T>(object? value) => (T)ConvertTo(value, typeof(T))!;

    /// <summary>Converts <paramref name="value"/> to <paramref name="type"/>.</summary>
    /// <exception cref="InvalidCastException">The value cannot become a <paramref name="type"/>.</exception>
    /// <exception cref="OverflowException">A number does not fit.</exception>
    public static object? ConvertTo(object? value, Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        if (value is SharedMemoryLease payload)
        {
            return ConvertPayload(payload, type);
        }

        if (type == typeof(object))
        {
            return value;
        }

        Type? underlying = Nullable.GetUnderlyingType(type);
        if (value is null)
        {
            return !type.IsValueType || underlying is not null
                ? null
                : throw new InvalidCastException($"null cannot become a {type.Name}.");
        }

        type = underlying ?? type;
        if (type.IsInstanceOfType(value))
        {
            return value;
        }

        // Decoded msgpack integers are longs; int parameters are the commonest conversion of all, so it skips the
        // reflection below.
        if (type == typeof(int) && value is long whole)
        {
            return BoxedIntegers.Box(checked((int)whole));
        }

        if (type == typeof(MsgPackValue))
        {
            return HyphaValue.FromObject(value);
        }

        if (type.IsEnum)
        {
            return value is string name ? Enum.Parse(type, name, ignoreCase: true) : Enum.ToObject(type, ConvertTo(value, Enum.GetUnderlyingType(type))!);
        }

        if (IsNumber(type) && IsNumber(value.GetType()))
        {
            return ConvertNumber(value, type);
        }

        if (type == typeof(string) && value is char c)
        {
            return c.ToString();
        }

        if (value is byte[] bytes)
        {
            if (type == typeof(ReadOnlyMemory<byte>)) return new ReadOnlyMemory<byte>(bytes);
            if (type == typeof(Memory<byte>)) return new Memory<byte>(bytes);
            if (type == typeof(IMemoryOwner<byte>)) return new ArrayOwner(bytes);
        }

        if (type == typeof(DateTimeOffset) && value is DateTime time)
        {
            return new DateTimeOffset(time);
        }

        if (type == typeof(TimeSpan) && IsNumber(value.GetType()))
        {
            return TimeSpan.FromSeconds(Convert.ToDouble(value, CultureInfo.InvariantCulture));
        }

        if (type.IsArray && value is IEnumerable sequence and not string)
        {
            Type element = type.GetElementType()!;
            object?[] items = sequence.Cast<object?>().ToArray();
            var array = Array.CreateInstance(element, items.Length);
            for (int i = 0; i < items.Length; i++)
            {
                array.SetValue(ConvertTo(items[i], element), i);
            }

            return array;
        }

        if (type.IsGenericType)
        {
            Type definition = type.GetGenericTypeDefinition();
            Type[] arguments = type.GetGenericArguments();
            if (definition == typeof(IAsyncEnumerable<>) && value is RemoteGeneratorProxy generator)
            {
                // Each item converted as it arrives: a payload in shared memory reaches an IMemoryOwner<byte> with no copy.
                return typeof(RemoteGeneratorProxy).GetMethod(nameof(RemoteGeneratorProxy.ItemsAsync))!
                    .MakeGenericMethod(arguments[0]).Invoke(generator, [CancellationToken.None]);
            }

            if (definition == typeof(IAsyncEnumerable<>) && value is IAsyncEnumerable<object?> remote)
            {
                return typeof(ValueConverter).GetMethod(nameof(CastAsync), BindingFlags.NonPublic | BindingFlags.Static)!
                    .MakeGenericMethod(arguments[0]).Invoke(null, [remote]);
            }

            if (IsDictionaryType(definition) && arguments[0] == typeof(string) && value is IDictionary map)
            {
                var dictionary = (IDictionary)Activator.CreateInstance(typeof(Dictionary<,>).MakeGenericType(arguments))!;
                foreach (DictionaryEntry entry in map)
                {
                    dictionary[entry.Key] = ConvertTo(entry.Value, arguments[1]);
                }

                return dictionary;
            }

            if (IsListType(definition) && value is IEnumerable items and not string)
            {
                var list = (IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(arguments[0]))!;
                foreach (object? item in items)
                {
                    list.Add(ConvertTo(item, arguments[0]));
                }

                return list;
            }
        }

        if (value is IReadOnlyDictionary<string, object?> fields && !type.IsPrimitive && type != typeof(string))
        {
            return ObjectMapper.Create(type, fields);
        }

        throw new InvalidCastException($"A value of type {value.GetType().Name} cannot become a {type.Name}.");
    }

    // A payload received in shared memory: a view or an owner of its bytes without a copy (the view is valid while the
    // call that brought it runs, the owner until disposed); anything else gets a copy.
    private static object? ConvertPayload(SharedMemoryLease payload, Type type)
    {
        if (type == typeof(ReadOnlyMemory<byte>) || type == typeof(ReadOnlyMemory<byte>?))
        {
            return (ReadOnlyMemory<byte>)payload.Memory;
        }

        if (type == typeof(Memory<byte>) || type == typeof(Memory<byte>?))
        {
            return payload.Memory;
        }

        return type == typeof(IMemoryOwner<byte>) || type == typeof(SharedMemoryLease)
            ? payload.Share()
            : ConvertTo(payload.Memory.ToArray(), type);
    }

    private static async IAsyncEnumerable<T> CastAsync<T>(IAsyncEnumerable<object?> source)
    {
        await foreach (object? item in source.ConfigureAwait(false))
        {
            yield return (T)ConvertTo(item, typeof(T))!;
        }
    }

    private static object ConvertNumber(object value, Type type)
    {
        // A whole float may stand for an integer (JavaScript numbers); a fractional one may not.
        if (value is double or float && IsIntegerType(type))
        {
            double d = Convert.ToDouble(value, CultureInfo.InvariantCulture);
            if (Math.Floor(d) != d)
            {
                throw new InvalidCastException($"{d} is not a whole number, so it cannot become a {type.Name}.");
            }
        }

        return type == typeof(Half)
            ? (Half)Convert.ToDouble(value, CultureInfo.InvariantCulture)
            : Convert.ChangeType(value, type, CultureInfo.InvariantCulture);
    }

    private static bool IsNumber(Type type) =>
        type.IsPrimitive && type != typeof(bool) && type != typeof(char) && type != typeof(IntPtr) && type != typeof(UIntPtr)
        || type == typeof(decimal) || type == typeof(Half);

    private static bool IsIntegerType(Type type) =>
        type == typeof(int) || type == typeof(long) || type == typeof(short) || type == typeof(sbyte)
        || type == typeof(uint) || type == typeof(ulong) || type == typeof(ushort) || type == typeof(byte);

    private static bool IsDictionaryType(Type definition) =>
        definition == typeof(Dictionary<,>) || definition == typeof(IDictionary<,>) || definition == typeof(IReadOnlyDictionary<,>);

    // Bytes that arrived in a message, as an owner: nothing to give back.
    private sealed class ArrayOwner(byte[] bytes) : IMemoryOwner<byte>
    {
        public Memory<byte> Memory => bytes;

        public void Dispose()
        {
        }
    }

    private static bool IsListType(Type definition) =>
        definition == typeof(List<>) || definition == typeof(IList<>) || definition == typeof(IReadOnlyList<>)
        || definition == typeof(IEnumerable<>) || definition == typeof(ICollection<>) || definition == typeof(IReadOnlyCollection<>);
}

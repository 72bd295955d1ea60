using System.Buffers;
using System.Collections;
using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using Hypha.Client.Services;
using Hypha.Protocol.Messages;
using Hypha.Protocol.MsgPack;
using Hypha.Protocol.Objects;

namespace Hypha.Client.Rpc;

public sealed partial class RpcPeer
{
    // Deep enough for any real payload; a deeper structure is almost surely a cycle.
    private const int MaxEncodeDepth = 64;

    /// <summary>
    /// Encodes a .NET value for a message. Delegates become callbacks and async sequences generators, both kept in
    /// <paramref name="session"/>, so only the session's target can call them; remote functions travel as their
    /// original descriptor, so passing one on never adds a hop.
    /// </summary>
    private MsgPackValue Encode(object? value, RpcSession session, int depth = 0)
    {
        if (depth > MaxEncodeDepth)
        {
            throw new ArgumentException($"The value nests deeper than {MaxEncodeDepth} levels (a cycle?).");
        }

        if (TryEncodeSelfContained(value, out MsgPackValue encoded))
        {
            return encoded;
        }

        if (value is Delegate handler)
        {
            return EncodeCallback(handler, session);
        }

        if (AsObjectSequence(value) is { } sequence)
        {
            string objectId = RandomIds.New();
            session.AddObject(objectId, new GeneratorState(sequence));
            string path = $"{session.Id}.{objectId}";
            return RemoteGenerator.Create(LocalAddress, path, $"{path}:close", Options.ServerUrl);
        }

        return value switch
        {
            IDictionary dictionary => EncodeMap(Entries(dictionary), session, depth),
            IEnumerable items => EncodeItems(items, session, depth),
            _ when ObjectMapper.IsPlainObject(value.GetType()) => EncodeMap(Fields(value), session, depth),
            _ => HyphaValue.FromObject(value),
        };
    }

    /// <summary>
    /// Encodes a value that hands out nothing (no callback, no generator, nothing nested that could hold one): such a
    /// value needs no session. False for every other value.
    /// </summary>
    private static bool TryEncodeSelfContained([NotNullWhen(false)] object? value, out MsgPackValue encoded)
    {
        switch (value)
        {
            case null:
                encoded = default;
                return true;
            case MsgPackValue already:
                encoded = already;
                return true;
            case RemoteFunction function:
                encoded = function.Descriptor.Map;
                return true;
            case HyphaObject known:
                encoded = known.Map;
                return true;
            case Exception error:
                encoded = RemoteError.Create(error.Message, error.ToString());
                return true;
            case IMemoryOwner<byte> owner:
                // A PayloadBuffer, or a payload received in shared memory passed on: kept by reference, not copied.
                encoded = (ReadOnlyMemory<byte>)owner.Memory;
                return true;
            case Enum member:
                encoded = member.ToString();
                return true;
            case not null when IsLeaf(value):
                encoded = HyphaValue.FromObject(value);
                return true;
            default:
                encoded = default;
                return false;
        }
    }

    // Out of Encode: a lambda there that captures its parameters makes every call of Encode allocate the closure,
    // leaves included (one object per argument of every call).
    private MsgPackValue[] EncodeItems(IEnumerable items, RpcSession session, int depth)
    {
        var encoded = new List<MsgPackValue>();
        foreach (object? item in items)
        {
            encoded.Add(Encode(item, session, depth + 1));
        }

        return [.. encoded];
    }

    private static IEnumerable<KeyValuePair<object, object?>> Fields(object value)
    {
        foreach (KeyValuePair<string, object?> field in ObjectMapper.Fields(value))
        {
            yield return new KeyValuePair<object, object?>(field.Key, field.Value);
        }
    }

    private MsgPackMap EncodeMap(IReadOnlyDictionary<string, object?> map, RpcSession session, int depth) =>
        EncodeMap(map.Select(e => new KeyValuePair<object, object?>(e.Key, e.Value)), session, depth);

    private MsgPackMap EncodeMap(IEnumerable<KeyValuePair<object, object?>> entries, RpcSession session, int depth)
    {
        var map = new MsgPackMap();
        foreach (KeyValuePair<object, object?> entry in entries)
        {
            if (entry.Key is not string key)
            {
                throw new NotSupportedException($"Map keys must be strings (Python peers reject others), not {entry.Key.GetType()}.");
            }

            map.Add(key, Encode(entry.Value, session, depth + 1));
        }

        return map;
    }

    // Through IDictionary's own enumerator: a generic dictionary's non-generic IEnumerable yields boxed
    // KeyValuePairs, not DictionaryEntry.
    private static IEnumerable<KeyValuePair<object, object?>> Entries(IDictionary dictionary)
    {
        IDictionaryEnumerator entries = dictionary.GetEnumerator();
        while (entries.MoveNext())
        {
            yield return new KeyValuePair<object, object?>(entries.Key, entries.Value);
        }
    }

    private MsgPackValue EncodeCallback(Delegate handler, RpcSession session)
    {
        string objectId = RandomIds.New();
        string name = handler.Method.Name.Contains('<', StringComparison.Ordinal) ? "callback" : handler.Method.Name;
        session.AddObject(objectId, new LocalFunction(name, handler, null));
        return RemoteMethod.Create(LocalAddress, $"{session.Id}.{objectId}", RemotePromiseMode.Compact, Options.ServerUrl, name, string.Empty);
    }

    /// <summary>
    /// Decodes a value from a message sent by a peer of <paramref name="senderWorkspace"/>: remote functions become
    /// <see cref="RemoteFunction"/>s (their bare targets made absolute with the sender's workspace), generators
    /// async sequences, maps dictionaries and arrays object arrays, recursively.
    /// </summary>
    internal object? Decode(MsgPackValue value, string senderWorkspace, string? remoteParent)
    {
        switch (value.Kind)
        {
            case MsgPackValueKind.Array:
                MsgPackValue[] items = value.AsArray();
                var decoded = new object?[items.Length];
                for (int i = 0; i < items.Length; i++)
                {
                    decoded[i] = Decode(items[i], senderWorkspace, remoteParent);
                }

                return decoded;
            case MsgPackValueKind.Map:
                switch (HyphaObject.Decode(value))
                {
                    case RemoteMethod method:
                        return new RemoteFunction(this, method.WithTarget(method.AbsoluteTarget(senderWorkspace)), remoteParent);
                    case RemoteGenerator generator:
                        return new RemoteGeneratorProxy(this, generator, senderWorkspace);
                    case null when !value.AsMap().ContainsKey(HyphaKeys.RType):
                        var map = new Dictionary<string, object?>(StringComparer.Ordinal);
                        foreach (KeyValuePair<MsgPackValue, MsgPackValue> entry in value.AsMap())
                        {
                            if (!entry.Key.TryGetString(out string? key))
                            {
                                throw new HyphaProtocolException($"Map keys must be strings, not {entry.Key.Kind}.");
                            }

                            map[key] = Decode(entry.Value, senderWorkspace, remoteParent);
                        }

                        return map;
                }

                return HyphaValue.ToObject(value);
            default:
                return HyphaValue.ToObject(value);
        }
    }

    private static bool IsLeaf(object value) =>
        value is string or bool or char or byte[] or ReadOnlyMemory<byte> or Memory<byte> or ArraySegment<byte>
            or DateTime or DateTimeOffset or MsgPackTimestamp or MsgPackMap or Half
        || value.GetType().IsPrimitive
        || (value is Array array && array.GetType().GetElementType() is { } element && (element.IsPrimitive || element == typeof(Half)));

    private static IAsyncEnumerable<object?>? AsObjectSequence(object value)
    {
        if (value is IAsyncEnumerable<object?> objects)
        {
            return objects;
        }

        // IAsyncEnumerable<T> is covariant only for reference types; value-type sequences need an adapter.
        Type? sequenceType = value.GetType().GetInterfaces()
            .FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IAsyncEnumerable<>));
        return sequenceType is null
            ? null
            : (IAsyncEnumerable<object?>)typeof(RpcPeer).GetMethod(nameof(Box), BindingFlags.NonPublic | BindingFlags.Static)!
                .MakeGenericMethod(sequenceType.GetGenericArguments()[0]).Invoke(null, [value])!;
    }

    private static async IAsyncEnumerable<object?> Box<T>(IAsyncEnumerable<T> source)
    {
        await foreach (T item in source.ConfigureAwait(false))
        {
            yield return item;
        }
    }
}

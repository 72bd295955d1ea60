using Hypha.Protocol.MsgPack;

namespace Hypha.Client.Typed;

/// <summary>Reads one value of a typed contract (generated code: a static lambda per type).</summary>
public delegate T TypedValueReader<out T>(ref MsgPackReader reader, TypedReadContext context);

/// <summary>Writes one value of a typed contract (generated code: a static lambda per type).</summary>
public delegate void TypedValueWriter<in T>(ref MsgPackWriter writer, T value, TypedWriteContext context);

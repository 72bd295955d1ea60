using Hypha.Protocol.MsgPack;
using Hypha.Protocol.Schemas;

namespace Hypha.Client.Typed;

/// <summary>Reads one value of a typed contract (generated code: a static lambda per type).</summary>
public delegate T TypedValueReader<out T>(ref MsgPackReader reader, TypedReadContext context);

/// <summary>Writes one value of a typed contract (generated code: a static lambda per type).</summary>
public delegate void TypedValueWriter<in T>(ref MsgPackWriter writer, T value, TypedWriteContext context);

/// <summary>Writes the binary body of a record (generated code).</summary>
/// <typeparam name="T">The record type.</typeparam>
public delegate void TypedBinaryWriter<in T>(ref SchemaWriter writer, T value, TypedWriteContext context);

/// <summary>Reads the binary body of a record (generated code).</summary>
/// <typeparam name="T">The record type.</typeparam>
public delegate T TypedBinaryReader<out T>(ref SchemaReader reader, TypedReadContext context);

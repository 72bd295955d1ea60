using System.ComponentModel;
using System.Runtime.CompilerServices;
using Hypha.Protocol.MsgPack;

namespace Hypha.Client.Typed;

/// <summary>
/// How the arguments of one call fill a typed function's parameters, the way hypha binds them: positional values in
/// order, then keyword arguments by name (a keyword matches a parameter's wire name exactly, or once underscores and
/// case are ignored, so Python's <c>max_items=</c> and JavaScript's <c>maxItems</c> both fill <c>maxItems</c>). The
/// positional values are read in place by the generated code; keyword values are found in one pass over the map,
/// only when the caller sent one.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct ArgumentBinding
{
    private readonly TypedRequest _request;
    private readonly string _function;
    private readonly string[] _parameters;
    private readonly int _positional;

    // The offset of each parameter's keyword value in the arguments, plus one (0: not given by keyword).
    private readonly long[]? _keywords;

    private ArgumentBinding(TypedRequest request, string function, string[] parameters, int positional, long[]? keywords)
    {
        _request = request;
        _function = function;
        _parameters = parameters;
        _positional = positional;
        _keywords = keywords;
    }

    /// <summary>
    /// Reads the array header at <paramref name="reader"/> (which is then at the first positional value) and binds
    /// the call's arguments to <paramref name="parameters"/> (their wire names, in order).
    /// </summary>
    /// <exception cref="ArgumentException">Too many positional arguments, an unknown keyword, a parameter given twice, or
    /// arguments that are not an array (with a map of string keys last when keywords are given).</exception>
    public static ArgumentBinding Bind(TypedRequest request, ref MsgPackReader reader, string function, string[] parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        try
        {
            int count = reader.ReadArrayHeader();
            int positional = request.WithKwargs ? count - 1 : count;
            if (positional < 0 || positional > parameters.Length)
            {
                throw PositionalError(function, parameters.Length, positional);
            }

            long[]? keywords = request.WithKwargs ? FindKeywords(reader, function, parameters, positional) : null;
            return new ArgumentBinding(request, function, parameters, positional, keywords);
        }
        catch (MsgPackException ex)
        {
            throw MalformedError(function, ex);
        }
    }

    // Messages are built out of line, so that the binding every typed call runs stays small (see MsgPackReader).
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static ArgumentException PositionalError(string function, int parameters, int positional) => positional < 0
        ? new ArgumentException($"{function}: 'with_kwargs' is set but no keyword arguments were given.")
        : new ArgumentException($"{function}: takes {parameters} positional arguments but {positional} were given.");

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static ArgumentException MalformedError(string function, MsgPackException ex) =>
        new($"{function}: the arguments are malformed: {ex.Message}", ex);

    /// <summary>True when parameter <paramref name="index"/> is given positionally: its value is next at the reader.</summary>
    public bool IsPositional(int index) => index < _positional;

    /// <summary>
    /// Reads the keyword value of parameter <paramref name="index"/> with <paramref name="read"/>, when one was given.
    /// Generated dispatchers call this rather than reading in place: the keyword path stays out of their frames, which
    /// the JIT zeroes on every call.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public bool TryKeyword<T>(int index, TypedValueReader<T> read, TypedReadContext context, out T value)
    {
        ArgumentNullException.ThrowIfNull(read);
        if (_keywords is { } keywords && keywords[index] > 0)
        {
            var reader = new MsgPackReader(_request.Arguments[(int)(keywords[index] - 1)..], _request.Context.ReaderOptions);
            value = read(ref reader, context);
            return true;
        }

        value = default!;
        return false;
    }

    /// <summary>The error for parameter <paramref name="index"/> given neither way, and without a default.</summary>
    public ArgumentException Missing(int index) => new($"{_function}: missing argument '{_parameters[index]}'.");

    /// <summary>The error for a value of parameter <paramref name="index"/> that is not of its type.</summary>
    public ArgumentException Invalid(int index, Exception inner) =>
        new($"{_function}: argument '{_parameters[index]}': {inner.Message}", inner);

    private static long[] FindKeywords(MsgPackReader reader, string function, string[] parameters, int positional)
    {
        // A copy of the reader: the caller's stays at the first positional value.
        for (int i = 0; i < positional; i++)
        {
            reader.Skip();
        }

        if (reader.NextType != MsgPackType.Map)
        {
            throw new ArgumentException($"{function}: 'with_kwargs' is set but the last argument is not a map of keyword arguments.");
        }

        var keywords = new long[parameters.Length];
        int entries = reader.ReadMapHeader();
        for (int e = 0; e < entries; e++)
        {
            string key = reader.ReadString() ?? throw new MsgPackException("A keyword argument has a nil name", reader.Consumed);
            int index = Match(key, parameters);
            if (index < 0)
            {
                throw new ArgumentException($"{function}: got an unexpected keyword argument '{key}'.");
            }

            if (index < positional || keywords[index] != 0)
            {
                throw new ArgumentException($"{function}: got multiple values for argument '{parameters[index]}'.");
            }

            keywords[index] = reader.Consumed + 1;
            reader.Skip();
        }

        return keywords;
    }

    private static int Match(string keyword, string[] parameters)
    {
        int exact = Array.IndexOf(parameters, keyword);
        if (exact >= 0)
        {
            return exact;
        }

        for (int i = 0; i < parameters.Length; i++)
        {
            if (TypedValues.SameName(keyword, parameters[i]))
            {
                return i;
            }
        }

        return -1;
    }
}

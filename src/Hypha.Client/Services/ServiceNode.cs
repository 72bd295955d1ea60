namespace Hypha.Client.Services;

/// <summary>
/// An ordered level of a service: functions, nested levels and plain values by name. Hypha services are nested
/// maps (<c>svc.math.mul</c>), addressed by dotted paths.
/// </summary>
public sealed class ServiceNode
{
    private readonly List<KeyValuePair<string, object?>> _members = [];

    // The position of each member in _members: a call's function is found from the span of its path, without a
    // string or a delegate per call.
    private readonly Dictionary<string, int> _positions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _positionsBySpan;

    /// <summary>Creates an empty level.</summary>
    public ServiceNode()
    {
        _positionsBySpan = _positions.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>The members in the order they were added: <see cref="LocalFunction"/> (<see cref="Typed.TypedMethod"/> in a typed service), <see cref="ServiceNode"/> or a value.</summary>
    public IReadOnlyList<KeyValuePair<string, object?>> Members => _members;

    /// <summary>The member of this name, or null.</summary>
    public object? this[string name] => _positions.TryGetValue(name, out int index) ? _members[index].Value : null;

    /// <summary>The function at a dotted path below this level, or null.</summary>
    public LocalFunction? FindFunction(ReadOnlySpan<char> path)
    {
        ServiceNode node = this;
        while (true)
        {
            int dot = path.IndexOf('.');
            object? member = node._positionsBySpan.TryGetValue(dot < 0 ? path : path[..dot], out int index) ? node._members[index].Value : null;
            if (dot < 0)
            {
                return member as LocalFunction;
            }

            if (member is not ServiceNode child)
            {
                return null;
            }

            node = child;
            path = path[(dot + 1)..];
        }
    }

    internal void Set(ReadOnlySpan<char> path, object? member)
    {
        int dot = path.IndexOf('.');
        string name = (dot < 0 ? path : path[..dot]).ToString();
        if (name.Length == 0)
        {
            throw new ArgumentException("Member names cannot be empty.", nameof(path));
        }

        if (dot < 0)
        {
            Put(name, member);
            return;
        }

        if (this[name] is not ServiceNode child)
        {
            child = new ServiceNode();
            Put(name, child);
        }

        child.Set(path[(dot + 1)..], member);
    }

    // Replaces a member in place (it keeps its position) or adds it at the end.
    private void Put(string name, object? member)
    {
        if (_positions.TryGetValue(name, out int index))
        {
            _members[index] = new(name, member);
            return;
        }

        _positions[name] = _members.Count;
        _members.Add(new(name, member));
    }
}

namespace Hypha.Client.Services;

/// <summary>
/// An ordered level of a service: functions, nested levels and plain values by name. Hypha services are nested
/// maps (<c>svc.math.mul</c>), addressed by dotted paths.
/// </summary>
public sealed class ServiceNode
{
    private readonly List<KeyValuePair<string, object?>> _members = [];

    /// <summary>The members in the order they were added: <see cref="LocalFunction"/> (<see cref="Typed.TypedMethod"/> in a typed service), <see cref="ServiceNode"/> or a value.</summary>
    public IReadOnlyList<KeyValuePair<string, object?>> Members => _members;

    /// <summary>The member of this name, or null.</summary>
    public object? this[string name] => _members.FirstOrDefault(m => m.Key == name).Value;

    /// <summary>The function at a dotted path below this level, or null.</summary>
    public LocalFunction? FindFunction(ReadOnlySpan<char> path)
    {
        ServiceNode node = this;
        while (true)
        {
            int dot = path.IndexOf('.');
            string name = (dot < 0 ? path : path[..dot]).ToString();
            object? member = node[name];
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

        int index = _members.FindIndex(m => m.Key == name);
        if (dot < 0)
        {
            if (index >= 0)
            {
                _members[index] = new(name, member);
            }
            else
            {
                _members.Add(new(name, member));
            }

            return;
        }

        if (index < 0 || _members[index].Value is not ServiceNode child)
        {
            child = new ServiceNode();
            if (index >= 0)
            {
                _members[index] = new(name, child);
            }
            else
            {
                _members.Add(new(name, child));
            }
        }

        child.Set(path[(dot + 1)..], member);
    }
}

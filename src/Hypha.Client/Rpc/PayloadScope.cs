using System.Runtime.InteropServices;
using Hypha.Protocol.MsgPack;
using Hypha.Transport.SharedMemory;

namespace Hypha.Client.Rpc;

/// <summary>
/// The payloads one received message referenced in shared memory, and who lets go of them: the answer to a call
/// once it has been sent (the call's <see cref="ReadOnlyMemory{T}"/> arguments are valid until then), the caller of a
/// call for its result once converted, or the dispatcher at once for anything else.
/// </summary>
internal sealed class PayloadScope
{
    private readonly IReadOnlyList<SharedMemoryLease> _leases;
    private int _claimed;
    private int _done;

    public PayloadScope(IReadOnlyList<SharedMemoryLease> leases)
    {
        _leases = leases;
    }

    /// <summary>True once an answer took the scope: it will let go when the answer is sent.</summary>
    public bool IsClaimed => Volatile.Read(ref _claimed) != 0;

    /// <summary>An answer takes the scope over.</summary>
    public void Claim() => Volatile.Write(ref _claimed, 1);

    /// <summary>Lets go of every payload.</summary>
    public void Dispose() => DisposeExcept(default);

    /// <summary>Lets go of every payload except those <paramref name="kept"/> holds, which its receiver lets go of.</summary>
    public void DisposeExcept(MsgPackValue kept)
    {
        if (Interlocked.Exchange(ref _done, 1) != 0)
        {
            return;
        }

        HashSet<SharedMemoryLease>? keep = null;
        Collect(kept, ref keep);
        foreach (SharedMemoryLease lease in _leases)
        {
            if (keep?.Contains(lease) != true)
            {
                lease.Dispose();
            }
        }
    }

    /// <summary>Lets go of the payloads a value holds (a result, once converted).</summary>
    public static void Release(MsgPackValue value)
    {
        HashSet<SharedMemoryLease>? leases = null;
        Collect(value, ref leases);
        if (leases is null)
        {
            return;
        }

        foreach (SharedMemoryLease lease in leases)
        {
            lease.Dispose();
        }
    }

    /// <summary>The lease behind a binary value, if it is a payload in shared memory.</summary>
    public static SharedMemoryLease? LeaseOf(MsgPackValue value) =>
        value.IsBinary && MemoryMarshal.TryGetMemoryManager(value.AsBinary(), out SharedMemoryLease? lease) ? lease : null;

    // The set is created on the first lease found: most values (every small call's) hold none.
    private static void Collect(MsgPackValue value, ref HashSet<SharedMemoryLease>? leases)
    {
        switch (value.Kind)
        {
            case MsgPackValueKind.Binary when LeaseOf(value) is { } lease:
                (leases ??= new HashSet<SharedMemoryLease>(ReferenceEqualityComparer.Instance)).Add(lease);
                break;
            case MsgPackValueKind.Array:
                foreach (MsgPackValue item in value.AsArray())
                {
                    Collect(item, ref leases);
                }

                break;
            case MsgPackValueKind.Map:
                foreach (KeyValuePair<MsgPackValue, MsgPackValue> entry in value.AsMap())
                {
                    Collect(entry.Value, ref leases);
                }

                break;
        }
    }
}

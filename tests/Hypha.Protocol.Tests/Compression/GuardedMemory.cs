using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Hypha.Protocol.Tests.Compression;

/// <summary>
/// Memory with an inaccessible page on each side (mmap + mprotect), so a read or write one byte outside a span placed
/// flush against a guard crashes the process instead of passing unnoticed: the fuzz tests' out-of-range detector.
/// </summary>
internal sealed class GuardedMemory : IDisposable
{
    private const int ProtNone = 0;
    private const int ProtReadWrite = 3;
    private const int MapPrivateAnonymous = 0x02 | 0x20;

    private readonly nint _base;
    private readonly nuint _mapped;
    private readonly nint _usable;

    public GuardedMemory(int capacity)
    {
        PageSize = Environment.SystemPageSize;
        Capacity = (capacity + PageSize - 1) / PageSize * PageSize;
        _mapped = (nuint)(Capacity + (2 * PageSize));
        _base = Mmap(0, _mapped, ProtNone, MapPrivateAnonymous, -1, 0);
        if (_base == -1)
        {
            throw new Win32Exception(Marshal.GetLastPInvokeError(), "mmap failed");
        }

        _usable = _base + PageSize;
        if (Mprotect(_usable, (nuint)Capacity, ProtReadWrite) != 0)
        {
            throw new Win32Exception(Marshal.GetLastPInvokeError(), "mprotect failed");
        }
    }

    public int PageSize { get; }

    /// <summary>The usable bytes between the two guards.</summary>
    public int Capacity { get; }

    /// <summary>
    /// A span of <paramref name="length"/> bytes that ends right before the upper guard (<paramref name="flushEnd"/>)
    /// or starts right after the lower one.
    /// </summary>
    public Span<byte> Span(int length, bool flushEnd)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, Capacity);
        nint start = flushEnd ? _usable + Capacity - length : _usable;
        return MemoryMarshal.CreateSpan(ref Unsafe.AddByteOffset(ref Unsafe.NullRef<byte>(), start), length);
    }

    public void Dispose() => _ = Munmap(_base, _mapped);

    [DllImport("libc", EntryPoint = "mmap", SetLastError = true)]
    private static extern nint Mmap(nint address, nuint length, int protection, int flags, int fd, nint offset);

    [DllImport("libc", EntryPoint = "mprotect", SetLastError = true)]
    private static extern int Mprotect(nint address, nuint length, int protection);

    [DllImport("libc", EntryPoint = "munmap", SetLastError = true)]
    private static extern int Munmap(nint address, nuint length);
}

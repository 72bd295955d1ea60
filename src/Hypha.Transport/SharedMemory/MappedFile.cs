using System.IO.MemoryMappedFiles;

namespace Hypha.Transport.SharedMemory;

/// <summary>
/// One segment file mapped whole into this process (.NET on Unix has no named maps, so segments are files in a tmpfs
/// directory). The file descriptor is closed once mapped; the mapping lives on. It is unmapped when nothing refers
/// to it any more, by its finalizer: spans handed to the application (through leases and buffers) keep this object
/// reachable, so no view can outlive its mapping, whatever the application does with it.
/// </summary>
internal sealed unsafe partial class MappedFile
{
    private readonly MemoryMappedViewAccessor _view;
    private readonly byte* _base;

    private MappedFile(MemoryMappedViewAccessor view, long size)
    {
        _view = view;
        Size = size;
        byte* pointer = null;
        view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
        _base = pointer + view.PointerOffset;
        GC.AddMemoryPressure(size);
    }

    ~MappedFile()
    {
        _view.SafeMemoryMappedViewHandle.ReleasePointer();
        _view.Dispose();
        GC.RemoveMemoryPressure(Size);
    }

    /// <summary>The file's size in bytes, all of it mapped.</summary>
    public long Size { get; }

    /// <summary>Creates a new file of <paramref name="size"/> bytes, readable and writable by its owner only (0600), and maps it.</summary>
    /// <exception cref="IOException">The file exists already, or the directory is full.</exception>
    public static MappedFile Create(string path, long size)
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("Shared-memory segments are files in a tmpfs directory: Linux only.");
        }

        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.ReadWrite,
            Share = FileShare.ReadWrite,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        };
        var stream = new FileStream(path, options);
        try
        {
            // The creation mode passes through the umask, which may only remove bits: set exactly owner read-write.
            File.SetUnixFileMode(stream.SafeFileHandle, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            stream.SetLength(size);
            return Map(stream, size);
        }
        catch
        {
            stream.Dispose();
            SharedMemoryFiles.TryDelete(path);
            throw;
        }
    }

    /// <summary>Maps an existing segment file, which must be a regular file of at least <paramref name="minSize"/> bytes.</summary>
    /// <exception cref="SharedMemoryException">The file is missing, not a regular file, too small, or cannot be mapped.</exception>
    public static MappedFile Open(string path, long minSize)
    {
        FileStream? stream = null;
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists || info.LinkTarget is not null)
            {
                throw new SharedMemoryException($"The shared-memory segment {path} does not exist (its owner may have closed or died).");
            }

            stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite);
            long size = stream.Length;
            if (size < minSize)
            {
                throw new SharedMemoryException($"The shared-memory segment {path} has {size} bytes, fewer than the {minSize} referenced.");
            }

            MappedFile mapped = Map(stream, size);
            stream = null;
            return mapped;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new SharedMemoryException($"The shared-memory segment {path} cannot be opened: {ex.Message}", ex);
        }
        finally
        {
            stream?.Dispose();
        }
    }

    /// <summary>
    /// Has the kernel allocate the pages of a range of a new file in one call, where it can (Linux 5.14+): taking them one fault
    /// at a time costs several times more, and on a virtual machine each first touch is dear (docs/performance.md).
    /// Without the call, the pages come one by one as they are written, as ever.
    /// </summary>
    public void Populate(long offset, long length)
    {
        const int PopulateWrite = 23; // MADV_POPULATE_WRITE
        _ = Advise((nint)(_base + offset), (nuint)length, PopulateWrite);
    }

    [System.Runtime.InteropServices.LibraryImport("libc", EntryPoint = "madvise")]
    private static partial int Advise(nint address, nuint length, int advice);

    /// <summary>The bytes at <paramref name="offset"/>; the caller checked the range.</summary>
    public Span<byte> Span(long offset, int length) => new(_base + offset, length);

    private static MappedFile Map(FileStream stream, long size)
    {
        using MemoryMappedFile file = MemoryMappedFile.CreateFromFile(stream, null, 0, MemoryMappedFileAccess.ReadWrite, HandleInheritability.None, leaveOpen: false);
        return new MappedFile(file.CreateViewAccessor(0, 0, MemoryMappedFileAccess.ReadWrite), size);
    }
}

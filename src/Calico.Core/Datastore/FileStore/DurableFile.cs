using System.Runtime.InteropServices;

namespace Calico.Datastore;

/// <summary>
/// Writes that survive a crash whole: data goes to a scratch file, is flushed to disk, then renamed over the target,
/// and the directory is flushed so the rename itself is on disk. A reader sees the old file or the new one, never a mix.
/// </summary>
internal static class DurableFile
{
    /// <summary>
    /// Replaces <paramref name="path"/> whole. Without <paramref name="flush"/> the change is whole for every process
    /// at once but may not survive a machine crash (the caller can redo it from its journal).
    /// </summary>
    public static void WriteAtomic(string tempPath, string path, ReadOnlySpan<byte> data, bool flush = true)
    {
        using (var stream = new FileStream(tempPath, FileMode.Create, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete, 1))
        {
            stream.Write(data);
            if (flush) stream.Flush(flushToDisk: true);
        }
        System.IO.File.Move(tempPath, path, overwrite: true);
        if (flush) SyncDirectory(Path.GetDirectoryName(path)!);
    }

    public static void Delete(string path, bool flush = true)
    {
        System.IO.File.Delete(path);
        if (flush) SyncDirectory(Path.GetDirectoryName(path)!);
    }

    /// <summary>Creates a directory and any missing parents, flushing each parent so the new entries are on disk.</summary>
    public static void EnsureDirectory(string directory, bool flush = true)
    {
        if (Directory.Exists(directory)) return;
        var parent = Path.GetDirectoryName(directory);
        if (parent is not null) EnsureDirectory(parent, flush);
        Directory.CreateDirectory(directory);
        if (parent is not null && flush) SyncDirectory(parent);
    }

    /// <summary>Flushes everything written to the file system holding <paramref name="directory"/> (syncfs(2); sync(2) elsewhere).</summary>
    public static void SyncFileSystem(string directory)
    {
        if (OperatingSystem.IsWindows()) return;
        if (!OperatingSystem.IsLinux())
        {
            Posix.sync();
            return;
        }
        var fd = Posix.open(directory, 0 /* O_RDONLY */);
        if (fd < 0) { Posix.sync(); return; }
        try
        {
            if (Posix.syncfs(fd) != 0) throw new IOException($"syncfs of {directory} failed (errno {Marshal.GetLastPInvokeError()})");
        }
        finally
        {
            _ = Posix.close(fd);
        }
    }

    /// <summary>fsync(2) on a directory; .NET has no API for it. A no-op where directories cannot be opened (Windows).</summary>
    public static void SyncDirectory(string directory)
    {
        if (OperatingSystem.IsWindows()) return;
        var fd = Posix.open(directory, 0 /* O_RDONLY */);
        if (fd < 0) return;
        try
        {
            if (Posix.fsync(fd) != 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                const int EINVAL = 22;
                if (errno != EINVAL) throw new IOException($"fsync of directory {directory} failed (errno {errno})");
            }
        }
        finally
        {
            _ = Posix.close(fd);
        }
    }

    private static class Posix
    {
        [DllImport("libc", SetLastError = true)]
        public static extern int open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

        [DllImport("libc", SetLastError = true)]
        public static extern int fsync(int fd);

        [DllImport("libc")]
        public static extern int close(int fd);

        [DllImport("libc", SetLastError = true)]
        public static extern int syncfs(int fd);

        [DllImport("libc")]
        public static extern void sync();
    }
}

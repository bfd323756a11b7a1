namespace Calico.Datastore;

/// <summary>
/// The lock that serialises writers across processes and keeps readers off a half-applied write. It is the OS lock
/// .NET itself takes when opening a file: flock(LOCK_EX) for FileShare.None, flock(LOCK_SH) otherwise on Unix, share
/// modes on Windows. The kernel drops it when its process dies, so a killed writer never leaves the store locked.
/// </summary>
internal sealed class StoreLock : IDisposable
{
    private readonly FileStream _stream;

    private StoreLock(FileStream stream) => _stream = stream;

    public void Dispose() => _stream.Dispose();

    /// <summary>Null when a shared lock is asked for and the store has no lock file yet (nothing was ever written).</summary>
    public static async Task<StoreLock?> AcquireAsync(string lockFile, bool exclusive, TimeSpan timeout, string location, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        var delay = 1;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                return exclusive
                    ? new StoreLock(new FileStream(lockFile, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1))
                    : new StoreLock(new FileStream(lockFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1));
            }
            catch (Exception ex) when (!exclusive && ex is FileNotFoundException or DirectoryNotFoundException)
            {
                return null;
            }
            catch (IOException ex) when (IsLockConflict(ex))
            {
                if (DateTime.UtcNow >= deadline)
                    throw new DatastoreUnavailableException(
                        $"{location} is locked by another process and stayed locked for {timeout.TotalSeconds:0.#} s (lock file {lockFile})",
                        location, new[] { lockFile }, ex);
                await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
                delay = Math.Min(delay * 2, 16);
            }
        }
    }

    /// <summary>True when .NET has been told not to lock files, which would let writers lose each other's updates.</summary>
    public static bool FileLockingDisabled =>
        (AppContext.TryGetSwitch("System.IO.DisableFileLocking", out var disabled) && disabled)
        || Environment.GetEnvironmentVariable("DOTNET_SYSTEM_IO_DISABLEFILELOCKING") is "1" or "true" or "True" or "TRUE";

    /// <summary>
    /// The lock is held elsewhere: on Unix .NET reports flock's EWOULDBLOCK with the errno as HResult
    /// (11 on Linux, 35 on macOS); on Windows it is a sharing or lock violation.
    /// </summary>
    private static bool IsLockConflict(IOException ex)
    {
        if (OperatingSystem.IsWindows())
        {
            const int ERROR_SHARING_VIOLATION = 32, ERROR_LOCK_VIOLATION = 33;
            return (ex.HResult & 0xFFFF) is ERROR_SHARING_VIOLATION or ERROR_LOCK_VIOLATION;
        }
        return ex.HResult == (OperatingSystem.IsLinux() ? 11 : 35);
    }
}

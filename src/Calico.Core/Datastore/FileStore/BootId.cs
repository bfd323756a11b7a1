namespace Calico.Datastore;

/// <summary>
/// This boot of the machine, from /proc/sys/kernel/random/boot_id. Files written without fsync can only be lost by a
/// crash of the whole machine, which means a new boot id; so the file store flushes only its journal, and the first
/// process after a reboot checks every value file written since the last snapshot against the journal.
/// Null where the kernel gives no boot id: there every write is flushed.
/// </summary>
internal static class BootId
{
    private static readonly Lazy<string?> Value = new(Read);

    public static string? Current => Value.Value;

    private static string? Read()
    {
        if (!OperatingSystem.IsLinux()) return null;
        try
        {
            var text = System.IO.File.ReadAllText("/proc/sys/kernel/random/boot_id").Trim();
            return text.Length > 0 ? text : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}

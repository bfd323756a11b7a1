using System.Management.Automation;

namespace Calico.PowerShell.Infrastructure;

/// <summary>
/// Turns -Path (wildcards) and -LiteralPath arguments into file-system paths, the way PowerShell's own file cmdlets do,
/// reporting each path that resolves to nothing as its own non-terminating error.
/// </summary>
internal static class InputFiles
{
    private static readonly string[] ManifestExtensions = { ".yaml", ".yml", ".json" };

    public static IEnumerable<string> Resolve(PSCmdlet cmdlet, string[]? paths, bool literal, bool expandDirectories)
    {
        foreach (var path in paths ?? Array.Empty<string>())
        {
            List<string> resolved;
            try
            {
                resolved = literal
                    ? new List<string> { cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath(path) }
                    : cmdlet.SessionState.Path.GetResolvedProviderPathFromPSPath(path, out _).ToList();
            }
            catch (ItemNotFoundException ex)
            {
                cmdlet.WriteError(new ErrorRecord(ex, "PathNotFound", ErrorCategory.ObjectNotFound, path));
                continue;
            }
            catch (Exception ex) when (ex is ProviderNotFoundException or System.Management.Automation.DriveNotFoundException or NotSupportedException or PSArgumentException)
            {
                cmdlet.WriteError(new ErrorRecord(ex, "InvalidPath", ErrorCategory.InvalidArgument, path));
                continue;
            }

            foreach (var file in resolved)
            {
                if (Directory.Exists(file))
                {
                    if (!expandDirectories)
                    {
                        cmdlet.WriteError(new ErrorRecord(new IOException($"'{file}' is a directory, not a manifest file."),
                            "PathIsDirectory", ErrorCategory.InvalidArgument, file));
                        continue;
                    }
                    foreach (var f in Directory.EnumerateFiles(file).Where(IsManifestFile).OrderBy(f => f, StringComparer.Ordinal))
                        yield return f;
                }
                else if (File.Exists(file))
                {
                    yield return file;
                }
                else
                {
                    cmdlet.WriteError(new ErrorRecord(new FileNotFoundException($"Cannot find the file '{file}' because it does not exist.", file),
                        "PathNotFound", ErrorCategory.ObjectNotFound, path));
                }
            }
        }
    }

    private static bool IsManifestFile(string path) =>
        ManifestExtensions.Contains(Path.GetExtension(path), StringComparer.OrdinalIgnoreCase);

    /// <summary>Reads a manifest file, or reports why it cannot be read; null means an error was written.</summary>
    public static string? ReadText(PSCmdlet cmdlet, string file)
    {
        try
        {
            return File.ReadAllText(file);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            cmdlet.WriteError(new ErrorRecord(ex, "FileReadError", ErrorCategory.ReadError, file));
            return null;
        }
    }
}

using System.ComponentModel;
using System.Diagnostics;

namespace Calico.Dataplane.Kernel;

/// <summary>What a finished command left behind.</summary>
public sealed record CommandResult(int ExitCode, string StandardOutput, string StandardError);

/// <summary>
/// Runs one external command (ip, bridge, nft, sh) to completion. The kernel layer talks to the kernel only
/// through this, so tests can replay captured output without a kernel.
/// </summary>
public interface ICommandRunner
{
    /// <summary>Runs the command with <paramref name="standardInput"/> (when not null) on its stdin.</summary>
    /// <exception cref="KernelCommandException">The program could not be started at all.</exception>
    CommandResult Run(string file, IReadOnlyList<string> arguments, string? standardInput = null);
}

/// <summary>Runs commands as child processes, with no shell in between.</summary>
public sealed class ProcessCommandRunner : ICommandRunner
{
    public static ProcessCommandRunner Instance { get; } = new();

    public CommandResult Run(string file, IReadOnlyList<string> arguments, string? standardInput = null)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        // iproute2 and nft print messages in the C locale only when asked; errors are parsed and shown as-is.
        start.Environment["LC_ALL"] = "C";

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new Win32Exception($"{file} did not start");
        }
        catch (Win32Exception e)
        {
            throw new KernelCommandException(CommandText.Of(file, arguments), -1, $"cannot start {file}: {e.Message}");
        }

        using (process)
        {
            // Read both streams while writing stdin, or a large batch could fill a pipe and deadlock.
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            try
            {
                if (standardInput is not null) process.StandardInput.Write(standardInput);
                process.StandardInput.Close();
            }
            catch (IOException)
            {
                // The command exited before reading all of its input; its exit code and stderr say why.
            }
            process.WaitForExit();
            return new CommandResult(process.ExitCode, stdout.GetAwaiter().GetResult(), stderr.GetAwaiter().GetResult());
        }
    }
}

/// <summary>Shows a command line the way a user would type it, for error messages.</summary>
internal static class CommandText
{
    public static string Of(string file, IReadOnlyList<string> arguments) =>
        string.Join(' ', new[] { file }.Concat(arguments).Select(Quote));

    private static string Quote(string word) =>
        word.Length > 0 && word.All(c => char.IsAsciiLetterOrDigit(c) || "-_./:=@,+%".Contains(c)) ? word : "'" + word.Replace("'", "'\\''") + "'";
}

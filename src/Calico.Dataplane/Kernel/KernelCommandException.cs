namespace Calico.Dataplane.Kernel;

/// <summary>
/// A command that reads or changes the kernel failed. The message names the command, its exit code and what
/// it said on stderr; for a batch, also the line that failed (everything before that line was applied).
/// </summary>
public sealed class KernelCommandException : Exception
{
    public KernelCommandException(string command, int exitCode, string standardError, int? failedLine = null, string? failedLineText = null)
        : base(Describe(command, exitCode, standardError, failedLine, failedLineText))
    {
        Command = command;
        ExitCode = exitCode;
        StandardError = standardError;
        FailedLine = failedLine;
        FailedLineText = failedLineText;
    }

    /// <summary>The command line, e.g. `ip -n lab1 -batch -`.</summary>
    public string Command { get; }

    /// <summary>The exit code; -1 when the program could not be started.</summary>
    public int ExitCode { get; }

    public string StandardError { get; }

    /// <summary>1-based line of the batch or script that failed, when the tool said which.</summary>
    public int? FailedLine { get; }

    public string? FailedLineText { get; }

    private static string Describe(string command, int exitCode, string standardError, int? failedLine, string? failedLineText)
    {
        var message = $"'{command}' failed";
        if (exitCode >= 0) message += $" with exit code {exitCode}";
        if (failedLine is not null)
        {
            message += $" at line {failedLine}";
            if (failedLineText is not null) message += $" ({failedLineText})";
        }
        var error = standardError.Trim();
        return error.Length == 0 ? message : $"{message}: {error}";
    }
}

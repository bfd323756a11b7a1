using Calico.Dataplane.Kernel;

namespace Calico.Dataplane.Tests.Support;

/// <summary>A command runner that records each command and answers from a script, for tests without a kernel.</summary>
internal sealed class ScriptedRunner : ICommandRunner
{
    private readonly Func<string, IReadOnlyList<string>, string?, CommandResult> _answer;

    public ScriptedRunner(Func<string, IReadOnlyList<string>, string?, CommandResult> answer) => _answer = answer;

    /// <summary>Answers every command with exit code 0 and <paramref name="stdout"/>.</summary>
    public ScriptedRunner(string stdout = "") : this((_, _, _) => new CommandResult(0, stdout, "")) { }

    public List<(string File, IReadOnlyList<string> Arguments, string? Input)> Calls { get; } = [];

    public CommandResult Run(string file, IReadOnlyList<string> arguments, string? standardInput = null)
    {
        Calls.Add((file, arguments, standardInput));
        return _answer(file, arguments, standardInput);
    }

    /// <summary>The commands as text, e.g. "ip -n x -json address show".</summary>
    public IReadOnlyList<string> CommandLines => Calls.Select(c => string.Join(' ', [c.File, .. c.Arguments])).ToArray();
}

using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace Calico.PowerShell.Completion;

/// <summary>Completes calico-node's IP_AUTODETECTION_METHOD forms.</summary>
public sealed class AutodetectionMethodCompleter : IArgumentCompleter
{
    private static readonly (string Text, string Tip)[] Methods =
    {
        ("first-found", "The first global-unicast address, skipping Calico's default interface exclusions"),
        ("interface=", "interface=REGEX[,REGEX]: only interfaces whose names match"),
        ("skip-interface=", "skip-interface=REGEX[,REGEX]: the default exclusions plus these"),
        ("can-reach=", "can-reach=IP-or-name: the source address the kernel would use to reach it"),
        ("cidr=", "cidr=CIDR[,CIDR]: the first address inside one of these"),
    };

    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters) =>
        Methods.Where(m => m.Text.StartsWith(wordToComplete ?? "", StringComparison.OrdinalIgnoreCase))
            .Select(m => new CompletionResult(m.Text, m.Text, CompletionResultType.ParameterValue, m.Tip));
}

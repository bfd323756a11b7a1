using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using Calico.PowerShell.Infrastructure;
using Calico.Resources;

namespace Calico.PowerShell.Completion;

/// <summary>
/// Completes resource names from the current datastore. Names are quoted when PowerShell would otherwise split or
/// misread them; a datastore that cannot be read simply offers nothing.
/// </summary>
public abstract class ResourceNameCompleter<T> : IArgumentCompleter where T : CalicoResource
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var word = (wordToComplete ?? "").Trim('\'', '"');
        var pattern = WildcardPattern.Get(word + "*", WildcardOptions.IgnoreCase);
        IReadOnlyList<T> items;
        try
        {
            items = DatastoreSession.Current().Client.Resources.ListAsync<T>().GetAwaiter().GetResult().Items;
        }
        catch (Exception)
        {
            // Completion must never throw at the user's prompt.
            return Array.Empty<CompletionResult>();
        }
        return items
            .Select(r => r.Name)
            .Where(n => pattern.IsMatch(n))
            .OrderBy(n => n, StringComparer.Ordinal)
            .Select(n => new CompletionResult(Quote(n), n, CompletionResultType.ParameterValue, Describe(items.First(i => i.Name == n))))
            .ToList();
    }

    protected abstract string Describe(T resource);

    internal static string Quote(string name)
    {
        var needsQuotes = name.Length == 0 || name.Any(c => char.IsWhiteSpace(c) || "'\"`$(){}[];,|&@#<>".Contains(c));
        return needsQuotes ? "'" + name.Replace("'", "''") + "'" : name;
    }
}

public sealed class IPPoolNameCompleter : ResourceNameCompleter<IPPool>
{
    protected override string Describe(IPPool pool) => $"{pool.Name}: {pool.Cidr}, IPIP {pool.IPIPMode}, VXLAN {pool.VXLANMode}";
}

public sealed class NodeNameCompleter : ResourceNameCompleter<Node>
{
    protected override string Describe(Node node) => $"{node.Name}: {node.IPv4Address ?? "no IPv4 address"}";
}

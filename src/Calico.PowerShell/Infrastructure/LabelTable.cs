using System.Collections;

namespace Calico.PowerShell.Infrastructure;

/// <summary>
/// Hashtables from PowerShell are case-insensitive; Calico's labels are not. Copy them into an ordinal dictionary so
/// selectors match exactly as Calico matches them.
/// </summary>
internal static class LabelTable
{
    public static Dictionary<string, string>? ToLabels(Hashtable? table)
    {
        if (table is null || table.Count == 0) return null;
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry e in table)
            labels[e.Key?.ToString() ?? ""] = e.Value?.ToString() ?? "";
        return labels;
    }
}

using Calico.Serialization;

namespace Calico.Resources;

/// <summary>One field that differs between the stored and the proposed resource.</summary>
public sealed record FieldChange(string Field, string? OldValue, string? NewValue)
{
    public override string ToString() => $"{Field}: {Show(OldValue)} → {Show(NewValue)}";

    private static string Show(string? value) => value ?? "(none)";
}

/// <summary>
/// Field-by-field comparison of two resources as Calico would store them, for -WhatIf messages that name
/// every change, old → new. Bookkeeping that the datastore owns (resourceVersion, uid, creationTimestamp) is ignored.
/// </summary>
public static class ResourceDiff
{
    private static readonly HashSet<string> Ignored = new(StringComparer.Ordinal)
    {
        "metadata.resourceVersion", "metadata.uid", "metadata.creationTimestamp", "metadata.generation", "metadata.selfLink",
    };

    /// <param name="current">The stored resource, or null when the proposal would create it.</param>
    public static IReadOnlyList<FieldChange> Compare(CalicoResource? current, CalicoResource proposed)
    {
        var before = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var after = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (current is not null) Flatten(JsonTree.Parse(ResourceJson.Serialize(current)), "", before);
        Flatten(JsonTree.Parse(ResourceJson.Serialize(proposed)), "", after);

        var changes = new List<FieldChange>();
        foreach (var field in before.Keys.Union(after.Keys).OrderBy(k => k, StringComparer.Ordinal))
        {
            if (Ignored.Contains(field) || field is "kind" or "apiVersion") continue;
            before.TryGetValue(field, out var old);
            after.TryGetValue(field, out var @new);
            if (old != @new) changes.Add(new FieldChange(field, old, @new));
        }
        return changes;
    }

    // Lists are compared whole (allowedUses [Workload, Tunnel]); maps and objects field by field.
    private static void Flatten(DocNode node, string path, IDictionary<string, string> into)
    {
        switch (node)
        {
            case DocMapping map:
                foreach (var (key, value) in map.Entries)
                {
                    var name = key.Value ?? "";
                    var child = path.Length == 0 ? name
                        : IsPlainName(name) ? path + "." + name
                        : $"{path}[{FieldError.Quote(name)}]";
                    Flatten(value, child, into);
                }
                break;
            case DocSequence seq:
                into[path] = "[" + string.Join(", ", seq.Items.Select(Text)) + "]";
                break;
            case DocScalar scalar when !scalar.IsNull:
                into[path] = scalar.Value ?? "";
                break;
        }
    }

    private static string Text(DocNode node) => node switch
    {
        DocScalar s => s.Value ?? "null",
        DocMapping m => "{" + string.Join(", ", m.Entries.Select(e => $"{e.Key.Value}: {Text(e.Value)}")) + "}",
        DocSequence q => "[" + string.Join(", ", q.Items.Select(Text)) + "]",
        _ => "",
    };

    private static bool IsPlainName(string name) => name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');
}

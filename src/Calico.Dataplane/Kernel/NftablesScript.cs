using System.Text;

namespace Calico.Dataplane.Kernel;

/// <summary>Builds nft scripts for <see cref="IKernel.ApplyNftables"/>.</summary>
public static class NftablesScript
{
    /// <summary>
    /// Replaces one table wholesale in a single transaction, whether or not it exists: declare it (a no-op when
    /// present), delete it, and define it anew with <paramref name="body"/> (its sets, maps and chains).
    /// Other tables are never named, so they are left exactly as they are.
    /// </summary>
    public static string ReplaceTable(NftablesTable table, string body)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(body);
        CheckWord(table.Family, "family");
        CheckWord(table.Name, "name");
        var script = new StringBuilder()
            .Append("table ").Append(table).Append(" {}\n")
            .Append("delete table ").Append(table).Append('\n')
            .Append("table ").Append(table).Append(" {\n");
        foreach (var line in body.Replace("\r\n", "\n").TrimEnd('\n').Split('\n'))
        {
            if (line.Length > 0) script.Append('\t').Append(line);
            script.Append('\n');
        }
        return script.Append("}\n").ToString();
    }

    /// <summary>Deletes a table if it exists, in one transaction.</summary>
    public static string DeleteTable(NftablesTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        CheckWord(table.Family, "family");
        CheckWord(table.Name, "name");
        return $"table {table} {{}}\ndelete table {table}\n";
    }

    private static void CheckWord(string word, string field)
    {
        if (word.Length == 0 || !word.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.'))
            throw new ArgumentException($"nftables table {field}: value \"{word}\": must be letters, digits, '_', '-' or '.'", field);
    }
}

namespace Calico.Manifests;

/// <summary>
/// Splits a manifest into documents where calicoctl does (calicoctl/util/yaml/separator.go): at every line
/// that starts with "---", the rest of that line included. Splitting before parsing means one broken
/// document does not hide the others.
/// </summary>
internal static class DocumentSplitter
{
    /// <param name="Start">Where the document's text starts in the whole source.</param>
    /// <param name="End">Where it ends (exclusive): at the line break before the next separator, or the end.</param>
    /// <param name="FirstLine">The 1-based line of the whole source on which it starts.</param>
    /// <param name="SeparatorTail">Text after "---" on the separator line before it, which calicoctl discards; null when none.</param>
    /// <param name="SeparatorLine">The line of that separator.</param>
    internal readonly record struct Part(int Start, int End, int FirstLine, string? SeparatorTail, int SeparatorLine);

    public static List<Part> Split(string text)
    {
        var parts = new List<Part>();
        var start = 0;
        var line = 1;
        var partLine = 1;
        string? tail = null;
        var tailLine = 0;
        var i = 0;
        while (true)
        {
            var nl = text.IndexOf('\n', i);
            if (nl < 0) break;
            line++;
            i = nl + 1;
            // A separator is "\n---" at any position, whatever follows on its line (calicoctl does not require a
            // space or the end of the line, so "----" and "---foo" separate too).
            if (string.CompareOrdinal(text, i, "---", 0, 3) != 0) continue;
            parts.Add(new Part(start, nl, partLine, tail, tailLine));
            var end = text.IndexOf('\n', i);
            var rest = (end < 0 ? text.AsSpan(i + 3) : text.AsSpan(i + 3, end - i - 3)).TrimEnd('\r');
            tail = IsIgnorable(rest) ? null : rest.ToString();
            tailLine = line;
            if (end < 0)
            {
                start = text.Length;
                i = text.Length;
                break;
            }
            start = end + 1;
            i = start;
            line++;
            partLine = line;
        }
        parts.Add(new Part(start, text.Length, partLine, tail, tailLine));
        return parts;
    }

    // Blanks, a comment, or more dashes ("-----") lose nothing when calicoctl drops them.
    private static bool IsIgnorable(ReadOnlySpan<char> s)
    {
        var t = s.Trim(" \t");
        return t.Length == 0 || t[0] == '#' || !t.ContainsAnyExcept('-');
    }
}

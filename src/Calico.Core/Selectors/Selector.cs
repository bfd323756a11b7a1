namespace Calico.Selectors;

/// <summary>
/// TEMPORARY stand-in for the real selector parser, which is being written in parallel.
/// It only rejects text that no Calico selector parser could accept (empty text, unbalanced
/// parentheses, a dangling operator), so that validation code can be written and tested against
/// the agreed API. Drop this commit when the real parser is merged.
/// </summary>
public sealed class Selector
{
    private Selector(string text) => Text = text;

    public string Text { get; }

    public static bool TryParse(string text, out Selector? selector, out string? error)
    {
        selector = null;
        error = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "empty selector";
            return false;
        }
        var depth = 0;
        foreach (var c in text)
        {
            if (c == '(') depth++;
            else if (c == ')' && --depth < 0) break;
        }
        if (depth != 0)
        {
            error = "unbalanced parentheses";
            return false;
        }
        var trimmed = text.TrimEnd();
        if (trimmed.EndsWith("==", StringComparison.Ordinal) || trimmed.EndsWith("!=", StringComparison.Ordinal)
            || trimmed.EndsWith("&&", StringComparison.Ordinal) || trimmed.EndsWith("||", StringComparison.Ordinal))
        {
            error = "unexpected end of selector";
            return false;
        }
        selector = new Selector(text);
        return true;
    }

    public override string ToString() => Text;
}

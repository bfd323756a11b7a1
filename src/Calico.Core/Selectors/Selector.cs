using System.Text;

namespace Calico.Selectors;

/// <summary>
/// A Calico label selector such as <c>zone == "a" &amp;&amp; has(rack)</c>, parsed exactly as libcalico-go parses
/// it (lib/selector). Immutable and safe to match from many threads; matching allocates nothing.
/// </summary>
public sealed class Selector : IEquatable<Selector>
{
    private static readonly IReadOnlyDictionary<string, string> NoLabels = new Dictionary<string, string>();

    private readonly SelectorNode _root;

    private Selector(SelectorNode root)
    {
        _root = root;
        var text = new StringBuilder();
        root.AppendText(text);
        Text = text.ToString();
        var labelNames = new List<string>();
        foreach (var node in Walk(root))
        {
            var label = node switch
            {
                HasNode has => has.Label,
                LabelValueNode value => value.Label,
                LabelInSetNode set => set.Label,
                _ => null,
            };
            if (label is not null && !labelNames.Contains(label)) labelNames.Add(label);
            UsesGlobal |= node is GlobalNode;
        }
        LabelNames = labelNames;
    }

    /// <summary>The selector that matches everything: <c>all()</c>, also what empty text parses to.</summary>
    public static Selector All { get; } = Parse("all()");

    /// <summary>
    /// Calico's canonical form (its selector String()): one space around operators, &amp;&amp; and || groups in
    /// parentheses, "!" written without its own parentheses, strings in " unless they hold one, set values sorted
    /// and de-duplicated. Two selectors with the same Text are the same selector to Calico.
    /// </summary>
    public string Text { get; }

    /// <summary>Label names the selector reads, each once, in order of first appearance.</summary>
    public IReadOnlyList<string> LabelNames { get; }

    /// <summary>Whether the selector contains global(), which Calico allows only in some fields.</summary>
    public bool UsesGlobal { get; }

    /// <summary>Parses selector text; empty or blank (spaces and tabs) text is <c>all()</c>.</summary>
    /// <exception cref="SelectorParseException">The text is not a valid selector.</exception>
    public static Selector Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!SelectorParser.TryParse(text, out var root, out var error)) throw new SelectorParseException(text, error);
        return new Selector(root);
    }

    /// <summary>
    /// Parses selector text without throwing. On failure <paramref name="error"/> says what is wrong and at which
    /// character (1-based), e.g. <c>expected string after '==', found label "b" at character 6</c>.
    /// </summary>
    public static bool TryParse(string text, out Selector? selector, out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (SelectorParser.TryParse(text, out var root, out var syntaxError))
        {
            selector = new Selector(root);
            error = null;
            return true;
        }
        selector = null;
        error = SelectorParseException.Describe(syntaxError);
        return false;
    }

    /// <summary>
    /// Whether the labels satisfy the selector; null means no labels. Keys are looked up with the dictionary's own
    /// comparer: Calico's labels are case-sensitive, so pass an ordinal dictionary.
    /// </summary>
    public bool Matches(IReadOnlyDictionary<string, string>? labels) => _root.Matches(labels ?? NoLabels);

    public override string ToString() => Text;

    public bool Equals(Selector? other) => other is not null && string.Equals(Text, other.Text, StringComparison.Ordinal);

    public override bool Equals(object? obj) => Equals(obj as Selector);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Text);

    private static IEnumerable<SelectorNode> Walk(SelectorNode node)
    {
        var pending = new Stack<SelectorNode>();
        pending.Push(node);
        while (pending.Count > 0)
        {
            var current = pending.Pop();
            yield return current;
            foreach (var child in current.Children.Reverse()) pending.Push(child);
        }
    }
}

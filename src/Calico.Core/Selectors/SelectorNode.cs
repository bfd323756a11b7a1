using System.Text;

namespace Calico.Selectors;

/// <summary>
/// The selector tree of libcalico-go (lib/selector/parser/ast.go). Matches evaluates against one label map
/// without allocating; AppendText writes Calico's canonical String() form (ast.go collectFragments).
/// Trees are immutable, so one selector can be matched from many threads at once.
/// </summary>
internal abstract class SelectorNode
{
    public abstract bool Matches(IReadOnlyDictionary<string, string> labels);

    public abstract void AppendText(StringBuilder text);

    /// <summary>Walks the tree depth first; used for the label names and global() facts computed once per parse.</summary>
    public virtual IEnumerable<SelectorNode> Children => [];
}

internal sealed class AllNode : SelectorNode
{
    public override bool Matches(IReadOnlyDictionary<string, string> labels) => true;

    public override void AppendText(StringBuilder text) => text.Append("all()");
}

/// <summary>global() matches everything when evaluated (ast.go:690-692); its meaning lies in where Calico allows it.</summary>
internal sealed class GlobalNode : SelectorNode
{
    public override bool Matches(IReadOnlyDictionary<string, string> labels) => true;

    public override void AppendText(StringBuilder text) => text.Append("global()");
}

internal sealed class HasNode(string label) : SelectorNode
{
    public string Label { get; } = label;

    public override bool Matches(IReadOnlyDictionary<string, string> labels) => labels.ContainsKey(Label);

    public override void AppendText(StringBuilder text) => text.Append("has(").Append(Label).Append(')');
}

/// <summary>
/// label OP "value". A missing label makes ==, contains, starts with and ends with false, but != true
/// (ast.go:235-241, 431-437).
/// </summary>
internal abstract class LabelValueNode(string label, string value) : SelectorNode
{
    public string Label { get; } = label;
    public string Value { get; } = value;

    protected abstract string Operator { get; }
    protected abstract bool MatchesWhenAbsent { get; }
    protected abstract bool Test(string actual);

    public sealed override bool Matches(IReadOnlyDictionary<string, string> labels) =>
        labels.TryGetValue(Label, out var actual) ? Test(actual) : MatchesWhenAbsent;

    public sealed override void AppendText(StringBuilder text)
    {
        text.Append(Label).Append(' ').Append(Operator).Append(' ');
        AppendQuoted(text, Value);
    }

    /// <summary>Calico quotes with ' only when the value holds a " (ast.go:673-681); a value never holds both.</summary>
    public static void AppendQuoted(StringBuilder text, string value)
    {
        var quote = value.Contains('"') ? '\'' : '"';
        text.Append(quote).Append(value).Append(quote);
    }
}

internal sealed class LabelEqualsNode(string label, string value) : LabelValueNode(label, value)
{
    protected override string Operator => "==";
    protected override bool MatchesWhenAbsent => false;
    protected override bool Test(string actual) => string.Equals(actual, Value, StringComparison.Ordinal);
}

internal sealed class LabelNotEqualsNode(string label, string value) : LabelValueNode(label, value)
{
    protected override string Operator => "!=";
    protected override bool MatchesWhenAbsent => true;
    protected override bool Test(string actual) => !string.Equals(actual, Value, StringComparison.Ordinal);
}

internal sealed class LabelContainsNode(string label, string value) : LabelValueNode(label, value)
{
    protected override string Operator => "contains";
    protected override bool MatchesWhenAbsent => false;
    protected override bool Test(string actual) => actual.Contains(Value, StringComparison.Ordinal);
}

internal sealed class LabelStartsWithNode(string label, string value) : LabelValueNode(label, value)
{
    protected override string Operator => "starts with";
    protected override bool MatchesWhenAbsent => false;
    protected override bool Test(string actual) => actual.StartsWith(Value, StringComparison.Ordinal);
}

internal sealed class LabelEndsWithNode(string label, string value) : LabelValueNode(label, value)
{
    protected override string Operator => "ends with";
    protected override bool MatchesWhenAbsent => false;
    protected override bool Test(string actual) => actual.EndsWith(Value, StringComparison.Ordinal);
}

/// <summary>label in {...} / label not in {...}: a missing label is never "in" and always "not in" (ast.go:352-392).</summary>
internal sealed class LabelInSetNode(string label, LabelValueSet values, bool negated) : SelectorNode
{
    public string Label { get; } = label;
    public LabelValueSet Values { get; } = values;
    public bool Negated { get; } = negated;

    public override bool Matches(IReadOnlyDictionary<string, string> labels) =>
        labels.TryGetValue(Label, out var actual) ? Values.Contains(actual) != Negated : Negated;

    public override void AppendText(StringBuilder text)
    {
        text.Append(Label).Append(Negated ? " not in {" : " in {");
        var first = true;
        foreach (var value in Values.Values)
        {
            if (!first) text.Append(", ");
            first = false;
            LabelValueNode.AppendQuoted(text, value);
        }
        text.Append('}');
    }
}

internal sealed class NotNode(SelectorNode operand) : SelectorNode
{
    public SelectorNode Operand { get; } = operand;

    public override bool Matches(IReadOnlyDictionary<string, string> labels) => !Operand.Matches(labels);

    /// <summary>No parentheses of its own: "!(a == 'b')" is written "!a == \"b\"" (ast.go:510-513).</summary>
    public override void AppendText(StringBuilder text)
    {
        text.Append('!');
        Operand.AppendText(text);
    }

    public override IEnumerable<SelectorNode> Children => [Operand];
}

/// <summary>
/// Two or more operands joined by &amp;&amp; or ||. Always written in parentheses, even at the top level
/// (ast.go:568-577, 643-652), which is what makes the canonical form unambiguous.
/// </summary>
internal sealed class JunctionNode(SelectorNode[] operands, bool isAnd) : SelectorNode
{
    private readonly SelectorNode[] _operands = operands;

    public bool IsAnd { get; } = isAnd;

    public override bool Matches(IReadOnlyDictionary<string, string> labels)
    {
        // Both loops stop at the first deciding operand, as Calico's do.
        foreach (var operand in _operands)
        {
            if (operand.Matches(labels) != IsAnd) return !IsAnd;
        }
        return IsAnd;
    }

    public override void AppendText(StringBuilder text)
    {
        text.Append('(');
        for (var i = 0; i < _operands.Length; i++)
        {
            if (i > 0) text.Append(IsAnd ? " && " : " || ");
            _operands[i].AppendText(text);
        }
        text.Append(')');
    }

    public override IEnumerable<SelectorNode> Children => _operands;
}

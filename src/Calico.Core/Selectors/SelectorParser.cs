using System.Runtime.CompilerServices;

namespace Calico.Selectors;

/// <summary>
/// Builds the selector tree from tokens as libcalico-go's recursive-descent parser does
/// (lib/selector/parser/parser.go): || binds loosest, then &amp;&amp;, then a run of ! in front of one operation.
/// </summary>
internal sealed class SelectorParser
{
    /// <summary>
    /// Deepest parenthesis nesting accepted. Calico has no limit (Go stacks grow), but a stack overflow would end
    /// the whole .NET process, so we stop here. Every selector within the API's 1024-character limit fits: n levels
    /// around the shortest operation, all(), take 2n + 5 characters, so at most 509.
    /// </summary>
    public const int MaxNesting = 512;

    private readonly List<SelectorToken> _tokens;
    private int _next;
    private int _nesting;
    private SelectorSyntaxError _error;

    private SelectorParser(List<SelectorToken> tokens) => _tokens = tokens;

    public static bool TryParse(string text, out SelectorNode root, out SelectorSyntaxError error)
    {
        root = new AllNode();
        var tokens = new List<SelectorToken>();
        if (!SelectorTokenizer.TryTokenize(text, tokens, out error)) return false;
        // Empty or blank text selects everything (parser.go:93-97).
        if (tokens[0].Kind == SelectorTokenKind.EndOfSelector) return true;

        var parser = new SelectorParser(tokens);
        var node = parser.ParseJunction(isAnd: false);
        if (node is null)
        {
            error = parser._error;
            return false;
        }
        var rest = parser.Peek();
        if (rest.Kind != SelectorTokenKind.EndOfSelector)
        {
            error = new($"unexpected content at end of selector: {rest.Describe()}", rest.Position);
            return false;
        }
        root = node;
        return true;
    }

    private SelectorToken Peek(int ahead = 0) => _tokens[Math.Min(_next + ahead, _tokens.Count - 1)];

    /// <summary>
    /// Operands joined by || (each an &amp;&amp; expression) or by &amp;&amp; (each an operation); a single operand is
    /// returned bare (parser.go:126-211). No delegates: each nesting level should cost few stack frames.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private SelectorNode? ParseJunction(bool isAnd)
    {
        var joiner = isAnd ? SelectorTokenKind.And : SelectorTokenKind.Or;
        var first = isAnd ? ParseOperation() : ParseJunction(isAnd: true);
        if (first is null) return null;
        if (Peek().Kind != joiner) return first;
        var operands = new List<SelectorNode> { first };
        while (Peek().Kind == joiner)
        {
            _next++;
            var operand = isAnd ? ParseOperation() : ParseJunction(isAnd: true);
            if (operand is null) return null;
            operands.Add(operand);
        }
        return new JunctionNode([.. operands], isAnd);
    }

    /// <summary>
    /// Leading "!"s collapse to one negation or none (parser.go:232-241), then one operation or a parenthesised
    /// expression (parser.go:244-371).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private SelectorNode? ParseOperation()
    {
        var negated = false;
        while (Peek().Kind == SelectorTokenKind.Not)
        {
            negated = !negated;
            _next++;
        }

        var token = Peek();
        SelectorNode? node;
        switch (token.Kind)
        {
            case SelectorTokenKind.Has:
                node = new HasNode(token.Value!);
                _next++;
                break;
            case SelectorTokenKind.All:
                node = new AllNode();
                _next++;
                break;
            case SelectorTokenKind.Global:
                node = new GlobalNode();
                _next++;
                break;
            case SelectorTokenKind.Label:
                node = ParseLabelOperation();
                break;
            case SelectorTokenKind.LParen:
                node = ParseParenthesised();
                break;
            default:
                return Fail(Unexpected(token), token.Position);
        }
        if (node is null) return null;
        return negated ? new NotNode(node) : node;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private SelectorNode? ParseParenthesised()
    {
        var open = Peek();
        if (_nesting == MaxNesting) return Fail(TooDeep(), open.Position);
        // A backstop for threads with unusually small stacks.
        if (!RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            return Fail("parentheses nested too deeply for this thread's stack", open.Position);
        }
        _next++;
        _nesting++;
        var inner = ParseJunction(isAnd: false);
        _nesting--;
        if (inner is null) return null;
        var close = Peek();
        if (close.Kind != SelectorTokenKind.RParen) return Fail(Unclosed(open, close), close.Position);
        _next++;
        return inner;
    }

    // Messages are built out of line so that the frames of the recursion above stay small: each nesting level
    // costs ParseOperation, ParseParenthesised and two ParseJunction frames.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static string Unexpected(SelectorToken token) => $"unexpected {token.Describe()}";

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static string TooDeep() => $"parentheses nested more than {MaxNesting} deep";

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static string Unclosed(SelectorToken open, SelectorToken close) =>
        $"expected ) to close the ( at character {open.Position + 1}, found {close.Describe()}";

    [MethodImpl(MethodImplOptions.NoInlining)]
    private SelectorNode? ParseLabelOperation()
    {
        var label = Peek();
        var op = Peek(1);
        switch (op.Kind)
        {
            case SelectorTokenKind.Eq:
            case SelectorTokenKind.Ne:
            case SelectorTokenKind.Contains:
            case SelectorTokenKind.StartsWith:
            case SelectorTokenKind.EndsWith:
                var literal = Peek(2);
                if (literal.Kind != SelectorTokenKind.StringLiteral)
                {
                    return Fail($"expected string after '{SelectorToken.Symbol(op.Kind)}', found {literal.Describe()}",
                        literal.Position);
                }
                _next += 3;
                return MakeComparison(op.Kind, label.Value!, literal.Value!);
            case SelectorTokenKind.In:
            case SelectorTokenKind.NotIn:
                return ParseSet(label.Value!, op);
            default:
                // Calico: "unexpected end of string looking for op" or "expected == or != not: ..." (parser.go:262-265, 351-353).
                var hint = op.Kind == SelectorTokenKind.LParen && label.Value is "has" or "all" or "global"
                    ? $" (write {label.Value}( with no space)"
                    : "";
                return Fail($"expected operator after label \"{label.Value}\", found {op.Describe()}{hint}", op.Position);
        }
    }

    private static LabelValueNode MakeComparison(SelectorTokenKind op, string label, string value) => op switch
    {
        SelectorTokenKind.Eq => new LabelEqualsNode(label, value),
        SelectorTokenKind.Ne => new LabelNotEqualsNode(label, value),
        SelectorTokenKind.Contains => new LabelContainsNode(label, value),
        SelectorTokenKind.StartsWith => new LabelStartsWithNode(label, value),
        _ => new LabelEndsWithNode(label, value),
    };

    /// <summary>
    /// { "a", "b" } after in / not in (parser.go:312-350). Strings separated by commas; a trailing comma and an
    /// empty set are both accepted.
    /// </summary>
    private SelectorNode? ParseSet(string label, SelectorToken op)
    {
        var open = Peek(2);
        if (open.Kind != SelectorTokenKind.LBrace)
        {
            return Fail($"expected set literal {{...}} after '{SelectorToken.Symbol(op.Kind)}', found {open.Describe()}",
                open.Position);
        }
        _next += 3;
        var values = new List<string>();
        var afterValue = false;
        while (Peek().Kind == SelectorTokenKind.StringLiteral)
        {
            values.Add(Peek().Value!);
            _next++;
            afterValue = Peek().Kind != SelectorTokenKind.Comma;
            if (afterValue) break;
            _next++;
        }
        var close = Peek();
        if (close.Kind != SelectorTokenKind.RBrace)
        {
            var expected = afterValue ? ", or }" : "a string or }";
            return Fail($"expected {expected} in the set opened at character {open.Position + 1}, " +
                $"found {close.Describe()}", close.Position);
        }
        _next++;
        return new LabelInSetNode(label, new LabelValueSet(values), negated: op.Kind == SelectorTokenKind.NotIn);
    }

    private SelectorNode? Fail(string reason, int position)
    {
        _error = new SelectorSyntaxError(reason, position);
        return null;
    }
}

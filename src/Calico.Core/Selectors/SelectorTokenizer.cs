using System.Buffers;
using System.Text;

namespace Calico.Selectors;

/// <summary>
/// Splits selector text into tokens exactly as libcalico-go's tokenizer does (lib/selector/tokenizer/tokenizer.go),
/// adding only the position of each token and of each error.
/// </summary>
internal static class SelectorTokenizer
{
    /// <summary>Longest label name Calico accepts (tokenizer.go:55); label names are ASCII, so chars = bytes.</summary>
    public const int MaxLabelLength = 512;

    public static bool TryTokenize(string input, List<SelectorToken> tokens, out SelectorSyntaxError error)
    {
        var i = 0;
        while (true)
        {
            i = SkipWhitespace(input, i);
            if (i == input.Length)
            {
                tokens.Add(new(SelectorTokenKind.EndOfSelector, null, i));
                error = default;
                return true;
            }
            var start = i;
            switch (input[i])
            {
                case '(': tokens.Add(new(SelectorTokenKind.LParen, null, start)); i++; break;
                case ')': tokens.Add(new(SelectorTokenKind.RParen, null, start)); i++; break;
                case '{': tokens.Add(new(SelectorTokenKind.LBrace, null, start)); i++; break;
                case '}': tokens.Add(new(SelectorTokenKind.RBrace, null, start)); i++; break;
                case ',': tokens.Add(new(SelectorTokenKind.Comma, null, start)); i++; break;
                case '"':
                case '\'':
                    // No escapes: a literal runs to the next copy of its own quote (tokenizer.go:97-114).
                    var close = input.IndexOf(input[i], i + 1);
                    if (close < 0) return Fail("unterminated string", start, out error);
                    tokens.Add(new(SelectorTokenKind.StringLiteral, input.Substring(i + 1, close - i - 1), start));
                    i = close + 1;
                    break;
                case '=':
                    if (!TryPair(input, ref i, "==", SelectorTokenKind.Eq, tokens, out error)) return false;
                    break;
                case '!':
                    // "!=" wins over "!" wherever it appears (tokenizer.go:130-136).
                    if (At(input, i, "!="))
                    {
                        tokens.Add(new(SelectorTokenKind.Ne, null, start));
                        i += 2;
                    }
                    else
                    {
                        tokens.Add(new(SelectorTokenKind.Not, null, start));
                        i++;
                    }
                    break;
                case '&':
                    if (!TryPair(input, ref i, "&&", SelectorTokenKind.And, tokens, out error)) return false;
                    break;
                case '|':
                    if (!TryPair(input, ref i, "||", SelectorTokenKind.Or, tokens, out error)) return false;
                    break;
                default:
                    var previous = tokens.Count > 0 ? tokens[^1].Kind : SelectorTokenKind.None;
                    if (!(previous == SelectorTokenKind.Label
                            ? TryOperator(input, ref i, tokens, out error)
                            : TryWord(input, ref i, tokens, out error)))
                    {
                        return false;
                    }
                    break;
            }
        }
    }

    /// <summary>=, &amp; and | only come doubled (tokenizer.go:124-148).</summary>
    private static bool TryPair(string input, ref int i, string pair, SelectorTokenKind kind, List<SelectorToken> tokens,
        out SelectorSyntaxError error)
    {
        if (!At(input, i, pair)) return Fail("expected " + pair, i, out error);
        tokens.Add(new(kind, null, i));
        i += 2;
        error = default;
        return true;
    }

    /// <summary>Calico's identifier characters (tokenizer.go:290-298): label names are ASCII [a-zA-Z0-9_./-].</summary>
    public static bool IsLabelChar(char c) =>
        char.IsAsciiLetterOrDigit(c) || c == '_' || c == '.' || c == '/' || c == '-';

    /// <summary>Only space and tab are whitespace to Calico (tokenizer.go:209-218); a newline is an error.</summary>
    private static int SkipWhitespace(string input, int i)
    {
        while (i < input.Length && (input[i] == ' ' || input[i] == '\t')) i++;
        return i;
    }

    /// <summary>Right after a label only an operator word may follow (tokenizer.go:153-168).</summary>
    private static bool TryOperator(string input, ref int i, List<SelectorToken> tokens, out SelectorSyntaxError error)
    {
        var start = i;
        SelectorTokenKind kind;
        if (TryCutWord(input, ref i, "contains")) kind = SelectorTokenKind.Contains;
        else if (TryCutWords(input, ref i, "starts", "with")) kind = SelectorTokenKind.StartsWith;
        else if (TryCutWords(input, ref i, "ends", "with")) kind = SelectorTokenKind.EndsWith;
        else if (TryCutWords(input, ref i, "not", "in")) kind = SelectorTokenKind.NotIn;
        else if (TryCutWord(input, ref i, "in")) kind = SelectorTokenKind.In;
        else
        {
            error = OperatorFailure(input, start, tokens[^1].Value!);
            return false;
        }
        tokens.Add(new(kind, null, start));
        error = default;
        return true;
    }

    /// <summary>
    /// Calico only says it wanted an operator. When a two-word operator is there but what follows it starts like a
    /// label, as in <c>a starts with b</c>, the real mistake is the missing string or set, so say that.
    /// </summary>
    private static SelectorSyntaxError OperatorFailure(string input, int start, string label)
    {
        foreach (var (first, second, wants) in (ReadOnlySpan<(string, string, string)>)[
            ("starts", "with", "string"), ("ends", "with", "string"), ("not", "in", "set literal {...}")])
        {
            var j = start;
            if (!At(input, j, first)) continue;
            j = SkipWhitespace(input, j + first.Length);
            if (!At(input, j, second)) continue;
            var afterWord = j + second.Length;
            j = SkipWhitespace(input, afterWord);
            if (j > afterWord) return new($"expected {wants} after '{first} {second}', found {DescribeAt(input, j)}", j);
        }
        return new($"expected operator after label \"{label}\", found {DescribeAt(input, start)}", start);
    }

    /// <summary>has(label), all(), global() or a label (tokenizer.go:169-201). The "(" must touch the keyword.</summary>
    private static bool TryWord(string input, ref int i, List<SelectorToken> tokens, out SelectorSyntaxError error)
    {
        var start = i;
        if (At(input, i, "has("))
        {
            var j = SkipWhitespace(input, i + 4);
            if (!TryCutLabel(input, ref j, "expected label name after has(, found", out var label, out error)) return false;
            j = SkipWhitespace(input, j);
            if (!At(input, j, ")")) return Fail("no closing ')' after has(", j, out error);
            tokens.Add(new(SelectorTokenKind.Has, label, start));
            i = j + 1;
            return true;
        }
        if (At(input, i, "all(")) return TryEmptyCall(input, ref i, "all(", SelectorTokenKind.All, tokens, out error);
        if (At(input, i, "global(")) return TryEmptyCall(input, ref i, "global(", SelectorTokenKind.Global, tokens, out error);
        if (!TryCutLabel(input, ref i, "unexpected character", out var name, out error)) return false;
        tokens.Add(new(SelectorTokenKind.Label, name, start));
        return true;
    }

    private static bool TryEmptyCall(string input, ref int i, string opening, SelectorTokenKind kind,
        List<SelectorToken> tokens, out SelectorSyntaxError error)
    {
        var j = SkipWhitespace(input, i + opening.Length);
        if (!At(input, j, ")")) return Fail($"no closing ')' after {opening}", j, out error);
        tokens.Add(new(kind, null, i));
        i = j + 1;
        error = default;
        return true;
    }

    /// <summary>
    /// Calico reports an empty label as "expected identifier" (tokenizer.go:276-277); whenMissing says instead what
    /// was wanted there, and the character found is appended.
    /// </summary>
    private static bool TryCutLabel(string input, ref int i, string whenMissing, out string label, out SelectorSyntaxError error)
    {
        var end = i;
        while (end < input.Length && IsLabelChar(input[end])) end++;
        label = input[i..end];
        if (label.Length == 0)
        {
            var hint = i < input.Length && char.IsWhiteSpace(input[i]) ? " (only spaces and tabs may separate tokens)" : "";
            return Fail($"{whenMissing} {DescribeAt(input, i)}{hint}", i, out error);
        }
        if (label.Length > MaxLabelLength)
        {
            return Fail($"label too long: {label.Length} characters, the limit is {MaxLabelLength}", i, out error);
        }
        i = end;
        error = default;
        return true;
    }

    /// <summary>A single-word operator must end at a word boundary (cutPrefixCheckBreak, tokenizer.go:227-236).</summary>
    private static bool TryCutWord(string input, ref int i, string word)
    {
        var end = i + word.Length;
        if (!At(input, i, word) || (end < input.Length && IsLabelChar(input[end]))) return false;
        i = end;
        return true;
    }

    /// <summary>
    /// Calico's cutMultiWordPrefixCheckBreak (tokenizer.go:238-253): whitespace between the words is optional
    /// ("notin", "startswith"), and the whitespace after the last word is skipped before the word boundary is
    /// checked, so "a not in b" fails here while "a in b" gets as far as the parser.
    /// </summary>
    private static bool TryCutWords(string input, ref int i, string first, string second)
    {
        var j = i;
        foreach (var word in (ReadOnlySpan<string>)[first, second])
        {
            if (!At(input, j, word)) return false;
            j = SkipWhitespace(input, j + word.Length);
        }
        if (j < input.Length && IsLabelChar(input[j])) return false;
        i = j;
        return true;
    }

    private static bool At(string input, int i, string text) =>
        input.AsSpan(i).StartsWith(text, StringComparison.Ordinal);

    private static string DescribeAt(string input, int i)
    {
        if (i >= input.Length) return "end of selector";
        var word = i;
        while (word < input.Length && IsLabelChar(input[word])) word++;
        if (word > i) return "\"" + input[i..word] + "\"";
        // A code point, not a char: an emoji outside a string is one character to the user.
        if (Rune.DecodeFromUtf16(input.AsSpan(i), out var rune, out var length) != OperationStatus.Done)
        {
            return $"U+{(int)input[i]:X4}";
        }
        return Rune.IsControl(rune) || Rune.IsWhiteSpace(rune) || length > 1
            ? $"U+{rune.Value:X4}"
            : $"'{input.Substring(i, length)}'";
    }

    private static bool Fail(string reason, int position, out SelectorSyntaxError error)
    {
        error = new SelectorSyntaxError(reason, position);
        return false;
    }
}

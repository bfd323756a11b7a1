using Calico.Selectors;

namespace Calico.Tests.Selectors;

/// <summary>
/// Calico's tokenizer table, case by case: libcalico-go/lib/selector/tokenizer/tokenizer_test.go at calico 87c15906.
/// Tokens are written Kind or Kind(value), like Calico's Token.String().
/// </summary>
public class SelectorTokenizerTests
{
    [Theory]
    [InlineData("tokenizer_test.go:31", "a==\"b\"", "Label(a) Eq StringLiteral(b) EndOfSelector")]
    [InlineData("tokenizer_test.go:37", "a!=\"b\"", "Label(a) Ne StringLiteral(b) EndOfSelector")]
    [InlineData("tokenizer_test.go:43", "a != \"b\"", "Label(a) Ne StringLiteral(b) EndOfSelector")]
    [InlineData("tokenizer_test.go:49", "(a==\"b\")", "LParen Label(a) Eq StringLiteral(b) RParen EndOfSelector")]
    [InlineData("tokenizer_test.go:58", "a==\"b\"", "Label(a) Eq StringLiteral(b) EndOfSelector")]
    [InlineData("tokenizer_test.go:64", "label == \"value\"", "Label(label) Eq StringLiteral(value) EndOfSelector")]
    [InlineData("tokenizer_test.go:70", "label contains \"value\"", "Label(label) Contains StringLiteral(value) EndOfSelector")]
    [InlineData("tokenizer_test.go:76", "contains contains \"contains\"", "Label(contains) Contains StringLiteral(contains) EndOfSelector")]
    [InlineData("tokenizer_test.go:82", "contains contains 'contains'", "Label(contains) Contains StringLiteral(contains) EndOfSelector")]
    [InlineData("tokenizer_test.go:88", "label contains\"value\"", "Label(label) Contains StringLiteral(value) EndOfSelector")]
    [InlineData("tokenizer_test.go:94", "label startswith \"value\"", "Label(label) StartsWith StringLiteral(value) EndOfSelector")]
    [InlineData("tokenizer_test.go:100", "label endswith \"value\"", "Label(label) EndsWith StringLiteral(value) EndOfSelector")]
    [InlineData("tokenizer_test.go:106", "label starts with \"value\"", "Label(label) StartsWith StringLiteral(value) EndOfSelector")]
    [InlineData("tokenizer_test.go:112", "startswith starts with \"value\"", "Label(startswith) StartsWith StringLiteral(value) EndOfSelector")]
    [InlineData("tokenizer_test.go:118", "label ends with \"value\"", "Label(label) EndsWith StringLiteral(value) EndOfSelector")]
    [InlineData("tokenizer_test.go:124", "endswith ends with \"value\"", "Label(endswith) EndsWith StringLiteral(value) EndOfSelector")]
    [InlineData("tokenizer_test.go:130", "label starts  with \"value\"", "Label(label) StartsWith StringLiteral(value) EndOfSelector")]
    [InlineData("tokenizer_test.go:136", "label ends  with \"value\"", "Label(label) EndsWith StringLiteral(value) EndOfSelector")]
    [InlineData("tokenizer_test.go:164", "a not in \"bar\" && !has(foo) || b in c",
        "Label(a) NotIn StringLiteral(bar) And Not Has(foo) Or Label(b) In Label(c) EndOfSelector")]
    [InlineData("tokenizer_test.go:177", "has(calico/k8s_ns)", "Has(calico/k8s_ns) EndOfSelector")]
    [InlineData("tokenizer_test.go:181", "has(calico/k8s_ns/role)", "Has(calico/k8s_ns/role) EndOfSelector")]
    [InlineData("tokenizer_test.go:185", "has(calico/k8s_NS-.1/role)", "Has(calico/k8s_NS-.1/role) EndOfSelector")]
    [InlineData("tokenizer_test.go:189", "calico/k8s_ns == \"kube-system\" && k8s-app == \"kube-dns\"",
        "Label(calico/k8s_ns) Eq StringLiteral(kube-system) And Label(k8s-app) Eq StringLiteral(kube-dns) EndOfSelector")]
    [InlineData("tokenizer_test.go:199", "a  not  in  \"bar\"  &&  ! has( foo )  ||  b  in  c ",
        "Label(a) NotIn StringLiteral(bar) And Not Has(foo) Or Label(b) In Label(c) EndOfSelector")]
    [InlineData("tokenizer_test.go:212", "a notin\"bar\"&&!has(foo)||b in\"c\"",
        "Label(a) NotIn StringLiteral(bar) And Not Has(foo) Or Label(b) In StringLiteral(c) EndOfSelector")]
    [InlineData("tokenizer_test.go:225", "a not in {}", "Label(a) NotIn LBrace RBrace EndOfSelector")]
    [InlineData("tokenizer_test.go:232", "a not in {\"a\"}", "Label(a) NotIn LBrace StringLiteral(a) RBrace EndOfSelector")]
    [InlineData("tokenizer_test.go:240", "a not in {\"a\",\"B\"}",
        "Label(a) NotIn LBrace StringLiteral(a) Comma StringLiteral(B) RBrace EndOfSelector")]
    [InlineData("tokenizer_test.go:250", "global()", "Global EndOfSelector")]
    [InlineData("tokenizer_test.go:254", "global( )", "Global EndOfSelector")]
    [InlineData("tokenizer_test.go:258", "all()", "All EndOfSelector")]
    [InlineData("tokenizer_test.go:262", "all( )", "All EndOfSelector")]
    public void Tokenizes_as_Calico_does(string source, string input, string expected)
    {
        Assert.True(Tokenize(input, out var tokens, out var error), $"{source}: {error}");
        Assert.Equal(expected, tokens);
    }

    [Theory]
    [InlineData("tokenizer_test.go:149", "label == \"value")]
    [InlineData("tokenizer_test.go:150", "label == 'value")]
    [InlineData("tokenizer_test.go:151", "label = \"value\"")]
    [InlineData("tokenizer_test.go:152", "all(")]
    [InlineData("tokenizer_test.go:153", "global(")]
    [InlineData("tokenizer_test.go:154", "has()")]
    [InlineData("tokenizer_test.go:155", "has(foo")]
    [InlineData("tokenizer_test.go:156", "has( foo ")]
    [InlineData("tokenizer_test.go:157", "a == \"b\" & has(foo)")]
    [InlineData("tokenizer_test.go:158", "a == \"b\" | has(foo)")]
    [InlineData("tokenizer_test.go:159", "label starts foo \"value\"")]
    [InlineData("tokenizer_test.go:160", "label inf \"value\"")]
    [InlineData("tokenizer_test.go:161", "label ends foo \"value\"")]
    [InlineData("tokenizer_test.go:162", "label ends withs \"value\"")]
    [InlineData("tokenizer_test.go:163", "label squiggles \"value\"")]
    public void Rejects_what_Calico_rejects(string source, string input)
    {
        Assert.False(Tokenize(input, out var tokens, out _), $"{source}: tokenized as {tokens}");
    }

    [Fact]
    public void A_label_of_512_characters_is_accepted() // tokenizer_test.go:142
    {
        var label = new string('a', 512);
        Assert.True(Tokenize(label + " == \"value\"", out var tokens, out _));
        Assert.Equal($"Label({label}) Eq StringLiteral(value) EndOfSelector", tokens);
    }

    [Fact]
    public void A_label_of_513_characters_is_rejected() // tokenizer_test.go:148
    {
        Assert.False(Tokenize(new string('a', 513) + " == \"value\"", out _, out var error));
        Assert.StartsWith("label too long: 513 characters", error);
    }

    [Theory]
    // Only space and tab separate tokens (tokenizer.go:209-218).
    [InlineData("a ==\n\"b\"")]
    [InlineData("a ==\r\"b\"")]
    [InlineData("\u00a0all()")]
    // Keywords are lower case and "(" must touch them (tokenizer.go:169-196).
    [InlineData("a IN {\"b\"}")]
    // Label names are ASCII [a-zA-Z0-9_./-] (tokenizer.go:290-298).
    [InlineData("zoné == \"a\"")]
    [InlineData("a:b == \"a\"")]
    // After a label only an operator may follow; has( is not looked for there (tokenizer.go:153-168).
    [InlineData("a has(b)")]
    // "not in" needs a word boundary after the whitespace that follows "in" (tokenizer.go:238-253).
    [InlineData("a not in b")]
    public void Rejects_more_of_what_Calico_rejects(string input)
    {
        Assert.False(Tokenize(input, out var tokens, out _), $"tokenized as {tokens}");
    }

    [Theory]
    [InlineData("has (a)", "Label(has) LParen Label(a) RParen EndOfSelector")]
    [InlineData("all == \"x\"", "Label(all) Eq StringLiteral(x) EndOfSelector")]
    [InlineData("in in {}", "Label(in) In LBrace RBrace EndOfSelector")]
    [InlineData("a in b", "Label(a) In Label(b) EndOfSelector")]
    [InlineData("a\t==\t'x y'", "Label(a) Eq StringLiteral(x y) EndOfSelector")]
    [InlineData("a == \"x\ny\"", "Label(a) Eq StringLiteral(x\ny) EndOfSelector")]
    [InlineData("a == \"it's\"", "Label(a) Eq StringLiteral(it's) EndOfSelector")]
    [InlineData("a == \"\"", "Label(a) Eq StringLiteral() EndOfSelector")]
    [InlineData("!!a", "Not Not Label(a) EndOfSelector")]
    [InlineData("a !has(b)", "Label(a) Not Has(b) EndOfSelector")]
    [InlineData("-1.a/_B", "Label(-1.a/_B) EndOfSelector")]
    public void Tokenizes_edge_cases_as_Calico_does(string input, string expected)
    {
        Assert.True(Tokenize(input, out var tokens, out var error), error);
        Assert.Equal(expected, tokens);
    }

    [Fact]
    public void Tokens_record_where_they_start()
    {
        var tokens = new List<SelectorToken>();
        Assert.True(SelectorTokenizer.TryTokenize(" a  in {'x'}", tokens, out _));
        Assert.Equal([1, 4, 7, 8, 11, 12], tokens.Select(t => t.Position));
    }

    private static bool Tokenize(string input, out string tokens, out string error)
    {
        var list = new List<SelectorToken>();
        var ok = SelectorTokenizer.TryTokenize(input, list, out var syntaxError);
        tokens = string.Join(" ", list.Select(t => t.Value is null ? t.Kind.ToString() : $"{t.Kind}({t.Value})"));
        error = $"{syntaxError.Reason} at {syntaxError.Position}";
        return ok;
    }
}

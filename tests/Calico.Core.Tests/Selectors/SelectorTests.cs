using Calico.Selectors;

namespace Calico.Tests.Selectors;

/// <summary>Calico behaviour the ported tables leave implicit, and what our API adds to it.</summary>
public class SelectorTests
{
    private static Dictionary<string, string> Labels(params string[] keyValues)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < keyValues.Length; i += 2) labels[keyValues[i]] = keyValues[i + 1];
        return labels;
    }

    [Theory]
    // && binds tighter than ||; ! applies to one operation only (parser.go:126-241).
    [InlineData("a == 'x' || b == 'y' && c == 'z'", "(a == \"x\" || (b == \"y\" && c == \"z\"))")]
    [InlineData("(a == 'x' || b == 'y') && c == 'z'", "((a == \"x\" || b == \"y\") && c == \"z\")")]
    [InlineData("!a == 'x' && b == 'y'", "(!a == \"x\" && b == \"y\")")]
    [InlineData("!(a == 'x' && b == 'y')", "!(a == \"x\" && b == \"y\")")]
    [InlineData("a == 'x' && b == 'y' && c == 'z'", "(a == \"x\" && b == \"y\" && c == \"z\")")]
    [InlineData("(a == 'x' && b == 'y') && c == 'z'", "((a == \"x\" && b == \"y\") && c == \"z\")")]
    // Runs of ! collapse (parser.go:232-241).
    [InlineData("!!has(a)", "has(a)")]
    [InlineData("! ! !has(a)", "!has(a)")]
    [InlineData("((((has(a)))))", "has(a)")]
    // Spelling variants of the two-word operators.
    [InlineData("a notin {'x'}", "a not in {\"x\"}")]
    [InlineData("a not\tin{'x'}", "a not in {\"x\"}")]
    [InlineData("a startswith'x'", "a starts with \"x\"")]
    // Sets: empty, trailing comma, and quotes chosen value by value.
    [InlineData("a in {}", "a in {}")]
    [InlineData("a not in {'x',}", "a not in {\"x\"}")]
    [InlineData("a in {'\"', \"'\"}", "a in {'\"', \"'\"}")]
    [InlineData("a == ''", "a == \"\"")]
    [InlineData("\tglobal( )", "global()")]
    [InlineData("projectcalico.org/name == 'node-1'", "projectcalico.org/name == \"node-1\"")]
    [InlineData("has( kubernetes.io/hostname )", "has(kubernetes.io/hostname)")]
    public void Canonical_text_shows_how_Calico_grouped_it(string text, string canonical)
    {
        Assert.Equal(canonical, Selector.Parse(text).Text);
        Assert.Equal(canonical, Selector.Parse(canonical).Text);
    }

    [Fact]
    public void Canonical_text_is_not_always_a_fixed_point()
    {
        // A ! in front of parentheses holding a lone ! prints as "!!", which collapses when parsed again
        // (ast.go:510-513 with parser.go:232-241); both forms select the same labels.
        var once = Selector.Parse("!(!has(a))");
        Assert.Equal("!!has(a)", once.Text);
        var twice = Selector.Parse(once.Text);
        Assert.Equal("has(a)", twice.Text);
        Assert.NotEqual(once, twice);
        Assert.Equal(once.Matches(Labels("a", "")), twice.Matches(Labels("a", "")));
    }

    [Theory]
    [InlineData("a == 'x' || b == 'y' && c == 'z'", true, false, true)]
    [InlineData("(a == 'x' || b == 'y') && c == 'z'", false, false, true)]
    [InlineData("!a == 'x' && b == 'y'", false, true, true)]
    public void Precedence_decides_what_matches(string text, bool onlyA, bool onlyB, bool bAndC)
    {
        var selector = Selector.Parse(text);
        Assert.Equal(onlyA, selector.Matches(Labels("a", "x")));
        Assert.Equal(onlyB, selector.Matches(Labels("b", "y")));
        Assert.Equal(bAndC, selector.Matches(Labels("b", "y", "c", "z")));
    }

    [Theory]
    // A missing label fails every test but != and not in (ast.go:235-441).
    [InlineData("a == ''", false)]
    [InlineData("a != 'x'", true)]
    [InlineData("a contains ''", false)]
    [InlineData("a starts with ''", false)]
    [InlineData("a ends with ''", false)]
    [InlineData("a in {''}", false)]
    [InlineData("a not in {'x'}", true)]
    [InlineData("a in {}", false)]
    [InlineData("a not in {}", true)]
    [InlineData("!has(a)", true)]
    [InlineData("global()", true)]
    [InlineData("all()", true)]
    public void Null_labels_are_no_labels(string text, bool expected)
    {
        Assert.Equal(expected, Selector.Parse(text).Matches(null));
        Assert.Equal(expected, Selector.Parse(text).Matches(Labels()));
    }

    [Theory]
    [InlineData("a == ''", "", true)]
    [InlineData("a contains ''", "x", true)]
    [InlineData("a starts with 'X'", "xy", false)]
    [InlineData("a == 'x'", "X", false)]
    [InlineData("a ends with 'é'", "café", true)]
    public void Values_compare_ordinally(string text, string value, bool expected)
    {
        Assert.Equal(expected, Selector.Parse(text).Matches(Labels("a", value)));
    }

    [Fact]
    public void Matching_allocates_nothing_per_call()
    {
        // These labels make every node of the tree run (nothing short-circuits). Route planning matches every pool
        // against every node; a per-call allocation would show here as at least 24 bytes a call. The bound leaves
        // room for one-off runtime allocations, not for one per call.
        var selector = Selector.Parse("has(rack) && zone == 'a' || x in {'1', '2'} || !y starts with 'q' || z != 'c'");
        IReadOnlyDictionary<string, string> labels = Labels("zone", "b", "rack", "r", "x", "3", "y", "qq", "z", "c");
        var hits = 0;
        for (var i = 0; i < 1000; i++) hits += selector.Matches(labels) ? 1 : 0;
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 10_000; i++) hits += selector.Matches(labels) ? 1 : 0;
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, hits);
        Assert.True(allocated < 10_000, $"{allocated} bytes allocated by 10,000 matches");
    }

    [Fact]
    public void Label_names_are_case_sensitive()
    {
        Assert.False(Selector.Parse("has(Zone)").Matches(Labels("zone", "a")));
    }

    [Fact]
    public void Empty_and_blank_text_is_all()
    {
        Assert.Equal(Selector.All, Selector.Parse(""));
        Assert.Equal(Selector.All, Selector.Parse(" \t "));
        Assert.Equal("all()", Selector.All.Text);
        Assert.True(Selector.All.Matches(Labels("a", "b")));
    }

    [Fact]
    public void Equal_selectors_have_equal_canonical_text()
    {
        var a = Selector.Parse("zone=='a'&&has(rack)");
        var b = Selector.Parse("(zone == \"a\") && has( rack )");
        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, Selector.Parse("has(rack) && zone == 'a'"));
    }

    [Fact]
    public void Label_names_are_listed_once_in_order_of_appearance()
    {
        var selector = Selector.Parse("zone == 'a' && (has(rack) || !zone in {'b'}) && x/y not in {} || all()");
        Assert.Equal(["zone", "rack", "x/y"], selector.LabelNames);
        Assert.Empty(Selector.All.LabelNames);
    }

    [Theory]
    [InlineData("global()", true)]
    [InlineData("has(a) || !global()", true)]
    [InlineData("all()", false)]
    [InlineData("a == 'global()'", false)]
    [InlineData("global == 'x'", false)]
    public void UsesGlobal_looks_at_the_tree(string text, bool expected)
    {
        Assert.Equal(expected, Selector.Parse(text).UsesGlobal);
    }

    [Theory]
    [InlineData("a ==\n\"b\"", "unexpected character U+000A (only spaces and tabs may separate tokens)", 5)]
    [InlineData("a == \"b\"\r\n", "unexpected character U+000D (only spaces and tabs may separate tokens)", 9)]
    [InlineData("has (a)", "expected operator after label \"has\", found '(' (write has( with no space)", 5)]
    [InlineData("has()", "expected label name after has(, found ')'", 5)]
    [InlineData("has(a b)", "no closing ')' after has(", 7)]
    [InlineData("all(x)", "no closing ')' after all(", 5)]
    [InlineData("global(", "no closing ')' after global(", 8)]
    [InlineData("a = 'b'", "expected ==", 3)]
    [InlineData("a in {'x' 'y'}", "expected , or } in the set opened at character 6, found string \"y\"", 11)]
    [InlineData("a in {,}", "expected a string or } in the set opened at character 6, found ','", 7)]
    [InlineData("a in b", "expected set literal {...} after 'in', found label \"b\"", 6)]
    [InlineData("a not in b", "expected set literal {...} after 'not in', found \"b\"", 10)]
    [InlineData("a squiggles 'b'", "expected operator after label \"a\", found \"squiggles\"", 3)]
    [InlineData("a 😀 'b'", "expected operator after label \"a\", found U+1F600", 3)]
    [InlineData("zoné == 'a'", "expected operator after label \"zon\", found 'é'", 4)]
    [InlineData("zone == 'a' has(rack)", "unexpected content at end of selector: 'has(rack)'", 13)]
    [InlineData("a == 'b')", "unexpected content at end of selector: ')'", 9)]
    [InlineData("((a == 'b')", "expected ) to close the ( at character 1, found end of selector", 12)]
    [InlineData("a == 'b' && (c", "expected operator after label \"c\", found end of selector", 15)]
    [InlineData("ALL()", "expected operator after label \"ALL\", found '('", 4)]
    public void Errors_say_what_is_wrong_and_where(string text, string reason, int character)
    {
        Assert.False(Selector.TryParse(text, out _, out var error));
        Assert.Equal($"{reason} at character {character}", error);
    }

    [Fact]
    public void The_exception_message_quotes_the_selector()
    {
        var thrown = Assert.Throws<SelectorParseException>(() => Selector.Parse("a == b"));
        Assert.Equal("invalid selector \"a == b\": expected string after '==', found label \"b\" at character 6", thrown.Message);
        Assert.IsAssignableFrom<FormatException>(thrown);
    }

    [Fact]
    public void A_label_longer_than_512_characters_is_refused_where_it_starts()
    {
        var text = "has(x) || has(" + new string('a', 513) + ")";
        var thrown = Assert.Throws<SelectorParseException>(() => Selector.Parse(text));
        Assert.Equal("label too long: 513 characters, the limit is 512", thrown.Reason);
        Assert.Equal(14, thrown.Position);
        Assert.True(Selector.TryParse("has(" + new string('a', 512) + ")", out _, out _));
    }

    [Fact]
    public void Nesting_is_capped_instead_of_overflowing_the_stack()
    {
        string Nested(int depth) => new string('(', depth) + "has(a)" + new string(')', depth);
        Assert.True(Selector.Parse(Nested(SelectorParser.MaxNesting)).Matches(Labels("a", "")));
        var thrown = Assert.Throws<SelectorParseException>(() => Selector.Parse(Nested(SelectorParser.MaxNesting + 1)));
        Assert.Equal($"parentheses nested more than {SelectorParser.MaxNesting} deep", thrown.Reason);
        Assert.Equal(SelectorParser.MaxNesting, thrown.Position);
    }

    [Fact]
    public void Deep_trees_match_and_print()
    {
        // Each level adds a ! and a junction node, the deepest tree the parser lets through. With an even number
        // of levels, has(a) decides unless b is there, which makes every level false.
        Assert.Equal(0, SelectorParser.MaxNesting % 2);
        var text = string.Concat(Enumerable.Repeat("!(has(b) || ", SelectorParser.MaxNesting)) + "has(a)"
            + new string(')', SelectorParser.MaxNesting);
        var selector = Selector.Parse(text);
        Assert.True(selector.Matches(Labels("a", "")));
        Assert.False(selector.Matches(Labels()));
        Assert.False(selector.Matches(Labels("a", "", "b", "")));
        Assert.Equal(selector, Selector.Parse(selector.Text));
    }
}

using System.Text.Json;
using Calico.Selectors;

namespace Calico.Tests.Selectors;

/// <summary>
/// Calico's parser tables, case by case: libcalico-go/lib/selector/parser/parser_test.go at calico 87c15906.
/// Each row cites the line of its entry there.
/// </summary>
public class SelectorParserTests
{
    /// <summary>selectorTests (parser_test.go:32-167), one row per label map: the map and whether it must match.</summary>
    public static TheoryData<string, string, string, bool> MatchTable => new()
    {
        { "parser_test.go:33", "a == \"b\"", "{\"a\":\"b\"}", true },
        { "parser_test.go:33", "a == \"b\"", "{\"a\":\"b\",\"c\":\"d\"}", true },
        { "parser_test.go:33", "a == \"b\"", "{}", false },
        { "parser_test.go:33", "a == \"b\"", "{\"a\":\"c\"}", false },
        { "parser_test.go:33", "a == \"b\"", "{\"c\":\"d\"}", false },
        { "parser_test.go:42", "a == \"b\" && c == \"d\"", "{\"a\":\"b\",\"c\":\"d\"}", true },
        { "parser_test.go:42", "a == \"b\" && c == \"d\"", "{}", false },
        { "parser_test.go:42", "a == \"b\" && c == \"d\"", "{\"a\":\"b\",\"c\":\"e\"}", false },
        { "parser_test.go:42", "a == \"b\" && c == \"d\"", "{\"a\":\"c\",\"c\":\"d\"}", false },
        { "parser_test.go:42", "a == \"b\" && c == \"d\"", "{\"c\":\"d\"}", false },
        { "parser_test.go:42", "a == \"b\" && c == \"d\"", "{\"a\":\"b\"}", false },
        { "parser_test.go:52", "a == \"b\" || c == \"d\"", "{\"a\":\"b\",\"c\":\"d\"}", true },
        { "parser_test.go:52", "a == \"b\" || c == \"d\"", "{\"a\":\"b\"}", true },
        { "parser_test.go:52", "a == \"b\" || c == \"d\"", "{\"c\":\"d\"}", true },
        { "parser_test.go:52", "a == \"b\" || c == \"d\"", "{}", false },
        { "parser_test.go:52", "a == \"b\" || c == \"d\"", "{\"a\":\"e\",\"c\":\"e\"}", false },
        { "parser_test.go:52", "a == \"b\" || c == \"d\"", "{\"c\":\"e\"}", false },
        { "parser_test.go:52", "a == \"b\" || c == \"d\"", "{\"a\":\"e\"}", false },
        { "parser_test.go:63", "a in {\"'\", '\"', \"c\"}", "{\"a\":\"c\"}", true },
        { "parser_test.go:63", "a in {\"'\", '\"', \"c\"}", "{\"a\":\"\\\"\"}", true },
        { "parser_test.go:63", "a in {\"'\", '\"', \"c\"}", "{\"a\":\"'\"}", true },
        { "parser_test.go:63", "a in {\"'\", '\"', \"c\"}", "{}", false },
        { "parser_test.go:63", "a in {\"'\", '\"', \"c\"}", "{\"a\":\"e\"}", false },
        { "parser_test.go:73", "a not in {\"'\", '\"', \"c\"}", "{}", true },
        { "parser_test.go:73", "a not in {\"'\", '\"', \"c\"}", "{\"a\":\"e\"}", true },
        { "parser_test.go:73", "a not in {\"'\", '\"', \"c\"}", "{\"a\":\"c\"}", false },
        { "parser_test.go:73", "a not in {\"'\", '\"', \"c\"}", "{\"a\":\"\\\"\"}", false },
        { "parser_test.go:73", "a not in {\"'\", '\"', \"c\"}", "{\"a\":\"'\"}", false },
        { "parser_test.go:84", "a == 'a'", "{\"a\":\"a\"}", true },
        { "parser_test.go:85", "a == \"a\"", "{\"a\":\"a\"}", true },
        { "parser_test.go:86", "a != \"b\"", "{\"a\":\"a\"}", true },
        { "parser_test.go:87", "a != \"a\"", "{}", true },
        { "parser_test.go:88", "a contains \"a\"", "{\"a\":\"a\"}", true },
        { "parser_test.go:88", "a contains \"a\"", "{\"a\":\"bab\"}", true },
        { "parser_test.go:88", "a contains \"a\"", "{\"a\":\"aaa\",\"b\":\"c\"}", true },
        { "parser_test.go:88", "a contains \"a\"", "{}", false },
        { "parser_test.go:88", "a contains \"a\"", "{\"a\":\"b\"}", false },
        { "parser_test.go:88", "a contains \"a\"", "{\"b\":\"aaa\"}", false },
        { "parser_test.go:97", "a starts with \"a\"", "{\"a\":\"a\"}", true },
        { "parser_test.go:97", "a starts with \"a\"", "{\"a\":\"abb\"}", true },
        { "parser_test.go:97", "a starts with \"a\"", "{\"a\":\"aaa\",\"b\":\"c\"}", true },
        { "parser_test.go:97", "a starts with \"a\"", "{}", false },
        { "parser_test.go:97", "a starts with \"a\"", "{\"a\":\"b\"}", false },
        { "parser_test.go:97", "a starts with \"a\"", "{\"a\":\"baa\"}", false },
        { "parser_test.go:97", "a starts with \"a\"", "{\"b\":\"aaa\"}", false },
        { "parser_test.go:107", "a ends with \"a\"", "{\"a\":\"a\"}", true },
        { "parser_test.go:107", "a ends with \"a\"", "{\"a\":\"bba\"}", true },
        { "parser_test.go:107", "a ends with \"a\"", "{\"a\":\"aaa\",\"b\":\"c\"}", true },
        { "parser_test.go:107", "a ends with \"a\"", "{}", false },
        { "parser_test.go:107", "a ends with \"a\"", "{\"a\":\"b\"}", false },
        { "parser_test.go:107", "a ends with \"a\"", "{\"a\":\"aab\"}", false },
        { "parser_test.go:107", "a ends with \"a\"", "{\"b\":\"aaa\"}", false },
        { "parser_test.go:117", "a in {\"a\"}", "{\"a\":\"a\"}", true },
        { "parser_test.go:118", "!a in {\"a\"}", "{\"a\":\"b\"}", true },
        { "parser_test.go:119", "a in {\"a\", \"b\"}", "{\"a\":\"a\"}", true },
        { "parser_test.go:120", "a in {\"a\", \"b\"}", "{\"a\":\"b\"}", true },
        { "parser_test.go:121", "a not in {\"d\", \"e\"}", "{\"a\":\"a\"}", true },
        { "parser_test.go:122", "has(a)", "{\"a\":\"b\"}", true },
        { "parser_test.go:123", "!has(a)", "{\"b\":\"b\"}", true },
        { "parser_test.go:124", "", "{}", true },
        { "parser_test.go:125", " ", "{}", true },
        { "parser_test.go:126", "", "{\"a\":\"b\"}", true },
        { "parser_test.go:127", "all()", "{}", true },
        { "parser_test.go:128", " all()", "{}", true },
        { "parser_test.go:129", " all()", "{\"a\":\"b\"}", true },
        { "parser_test.go:130", "global()", "{}", true },
        { "parser_test.go:131", " global()", "{}", true },
        { "parser_test.go:132", " global()", "{\"a\":\"b\"}", true },
        { "parser_test.go:134", "a == 'a'", "{\"a\":\"b\"}", false },
        { "parser_test.go:135", "a == 'a'", "{}", false },
        { "parser_test.go:136", "a != \"a\"", "{\"a\":\"a\"}", false },
        { "parser_test.go:137", "a != 'a'", "{\"a\":\"a\"}", false },
        { "parser_test.go:138", "a in {\"a\"}", "{\"a\":\"b\"}", false },
        { "parser_test.go:139", "a not in {\"a\"}", "{\"a\":\"a\"}", false },
        { "parser_test.go:140", "a in {\"a\", \"b\"}", "{\"a\":\"c\"}", false },
        { "parser_test.go:141", "has(b)", "{\"a\":\"b\"}", false },
        { "parser_test.go:142", "!!has(b)", "{\"a\":\"b\"}", false },
        { "parser_test.go:143", "! has(a)", "{\"a\":\"b\"}", false },
        { "parser_test.go:144", "!has(a)", "{\"a\":\"b\"}", false },
        { "parser_test.go:145", "!!! has(a)", "{\"a\":\"b\"}", false },
        { "parser_test.go:146", "!!!has(a)", "{\"a\":\"b\"}", false },
        { "parser_test.go:147", "!! ! has(a)", "{\"a\":\"b\"}", false },
        { "parser_test.go:148", "! !!has(a)", "{\"a\":\"b\"}", false },
        { "parser_test.go:151", "a == 'a1' && b == 'b1'", "{\"a\":\"a1\",\"b\":\"b1\"}", true },
        { "parser_test.go:152", "a == 'a1' && b != 'b1'", "{\"a\":\"a1\",\"b\":\"b1\"}", false },
        { "parser_test.go:153", "a != 'a1' && b == 'b1'", "{\"a\":\"a1\",\"b\":\"b1\"}", false },
        { "parser_test.go:154", "a != 'a1' && b != 'b1'", "{\"a\":\"a1\",\"b\":\"b1\"}", false },
        { "parser_test.go:155", "a != 'a1' && !b == 'b1'", "{\"a\":\"a1\",\"b\":\"b1\"}", false },
        { "parser_test.go:156", "!a == 'a1' && b == 'b1'", "{\"a\":\"a1\",\"b\":\"b1\"}", false },
        { "parser_test.go:157", "has(a) && !has(b)", "{\"a\":\"a\"}", true },
        { "parser_test.go:158", "!has(b) && has(a)", "{\"a\":\"a\"}", true },
        { "parser_test.go:159", "!(!has(a) || has(b))", "{\"a\":\"a\"}", true },
        { "parser_test.go:160", "!(has(b) || !has(a))", "{\"a\":\"a\"}", true },
        { "parser_test.go:162", "a == 'a1' || b == 'b1'", "{\"a\":\"a1\",\"b\":\"b1\"}", true },
        { "parser_test.go:163", "a == 'a1' || b != 'b1'", "{\"a\":\"a1\",\"b\":\"b1\"}", true },
        { "parser_test.go:164", "a != 'a1' || b == 'b1'", "{\"a\":\"a1\",\"b\":\"b1\"}", true },
        { "parser_test.go:165", "a != 'a1' || b != 'b1'", "{\"a\":\"a1\",\"b\":\"b1\"}", false },
        { "parser_test.go:166", "! a == 'a1' || ! b == 'b1'", "{\"a\":\"a1\",\"b\":\"b1\"}", false },
    };

    [Theory]
    [MemberData(nameof(MatchTable))]
    public void Matches_as_Calico_does(string source, string selector, string labelsJson, bool expected)
    {
        var labels = JsonSerializer.Deserialize<Dictionary<string, string>>(labelsJson)!;
        var parsed = Selector.Parse(selector);
        Assert.True(expected == parsed.Matches(labels), $"{source}: {selector} on {labelsJson}");
        // parser_test.go:247-262: the canonical text selects the same label maps.
        Assert.True(expected == Selector.Parse(parsed.Text).Matches(labels), $"{source}: {parsed.Text} on {labelsJson}");
    }

    /// <summary>badSelectors (parser_test.go:169-196), with the reason and 1-based character we report.</summary>
    [Theory]
    [InlineData("parser_test.go:170", "b == b", "expected string after '==', found label \"b\"", 6)]
    [InlineData("parser_test.go:171", "b contains b", "expected string after 'contains', found label \"b\"", 12)]
    [InlineData("parser_test.go:172", "b starts with b", "expected string after 'starts with', found \"b\"", 15)]
    [InlineData("parser_test.go:173", "b ends with b", "expected string after 'ends with', found \"b\"", 13)]
    [InlineData("parser_test.go:174", "'b1' == b", "unexpected string \"b1\"", 1)]
    [InlineData("parser_test.go:175", "b", "expected operator after label \"b\", found end of selector", 2)]
    [InlineData("parser_test.go:176", "a b", "expected operator after label \"a\", found \"b\"", 3)]
    [InlineData("parser_test.go:177", "!", "unexpected end of selector", 2)]
    [InlineData("parser_test.go:178", "foo == \"bar\" &", "expected &&", 14)]
    [InlineData("parser_test.go:179", "foo == \"bar\" |", "expected ||", 14)]
    [InlineData("parser_test.go:180", "foo != ||", "expected string after '!=', found '||'", 8)]
    [InlineData("parser_test.go:181", "foo in {\"\", ||", "expected a string or } in the set opened at character 8, found '||'", 13)]
    [InlineData("parser_test.go:182", "foo in \"\"", "expected set literal {...} after 'in', found string \"\"", 8)]
    [InlineData("parser_test.go:183", "\"FOO", "unterminated string", 1)]
    [InlineData("parser_test.go:184", "\"FOO'", "unterminated string", 1)]
    [InlineData("parser_test.go:185", "\"FOO", "unterminated string", 1)]
    [InlineData("parser_test.go:186", "'FOO", "unterminated string", 1)]
    [InlineData("parser_test.go:187", "(", "unexpected end of selector", 2)]
    [InlineData("parser_test.go:188", "(a == \"foo\"", "expected ) to close the ( at character 1, found end of selector", 12)]
    [InlineData("parser_test.go:189", ")", "unexpected ')'", 1)]
    [InlineData("parser_test.go:190", "()", "unexpected ')'", 2)]
    [InlineData("parser_test.go:191", "%", "unexpected character '%'", 1)]
    [InlineData("parser_test.go:192", "a == \"b\" && %", "unexpected character '%'", 13)]
    [InlineData("parser_test.go:193", "a == \"b\" || %", "unexpected character '%'", 13)]
    [InlineData("parser_test.go:194", "a ", "expected operator after label \"a\", found end of selector", 3)]
    [InlineData("parser_test.go:195", "has(foo) &&", "unexpected end of selector", 12)]
    public void Rejects_what_Calico_rejects(string source, string text, string reason, int character)
    {
        Assert.False(Selector.TryParse(text, out var selector, out var error), source);
        Assert.Null(selector);
        Assert.Equal($"{reason} at character {character}", error);
        var thrown = Assert.Throws<SelectorParseException>(() => Selector.Parse(text));
        Assert.Equal(reason, thrown.Reason);
        Assert.Equal(character - 1, thrown.Position);
        Assert.Equal(text, thrown.SelectorText);
    }

    /// <summary>canonicalisationTests (parser_test.go:198-221): canonical text, which parses back to itself.</summary>
    [Theory]
    [InlineData("parser_test.go:203", "", "all()")]
    [InlineData("parser_test.go:204", " all() ", "all()")]
    [InlineData("parser_test.go:205", " (all() )", "all()")]
    [InlineData("parser_test.go:206", "! (has( b)||! has(a ))", "!(has(b) || !has(a))")]
    [InlineData("parser_test.go:207", "! (a == \"b\"&&! c != \"d\")", "!(a == \"b\" && !c != \"d\")")]
    [InlineData("parser_test.go:208", "a == \"'\"", "a == \"'\"")]
    [InlineData("parser_test.go:209", "a == '\"'", "a == '\"'")]
    [InlineData("parser_test.go:210", "a contains '\"'", "a contains '\"'")]
    [InlineData("parser_test.go:211", "a contains \"'\"", "a contains \"'\"")]
    [InlineData("parser_test.go:212", "a startswith '\"'", "a starts with '\"'")]
    [InlineData("parser_test.go:213", "a endswith \"'\"", "a ends with \"'\"")]
    [InlineData("parser_test.go:214", "a!='\"'", "a != '\"'")]
    [InlineData("parser_test.go:216", "a in {\"d\"}", "a in {\"d\"}")]
    [InlineData("parser_test.go:217", "a in {\"a\", \"b\"}", "a in {\"a\", \"b\"}")]
    [InlineData("parser_test.go:218", "a in {\"d\", \"a\", \"b\"}", "a in {\"a\", \"b\", \"d\"}")]
    [InlineData("parser_test.go:219", "a in {\"z\", \"x\", \"y\", \"a\"}", "a in {\"a\", \"x\", \"y\", \"z\"}")]
    [InlineData("parser_test.go:220", "a in {\"z\", \"z\", \"x\", \"y\", \"x\", \"a\"}", "a in {\"a\", \"x\", \"y\", \"z\"}")]
    // Visitor tests (parser_test.go:334-348) without their "visited/" label prefix, which we do not implement.
    [InlineData("parser_test.go:334", "k == 'v'", "k == \"v\"")]
    [InlineData("parser_test.go:335", "k != 'v'", "k != \"v\"")]
    [InlineData("parser_test.go:336", "k contains 'v'", "k contains \"v\"")]
    [InlineData("parser_test.go:337", "k starts with 'v'", "k starts with \"v\"")]
    [InlineData("parser_test.go:338", "k ends with 'v'", "k ends with \"v\"")]
    [InlineData("parser_test.go:339", "k == 'v' && x == 'y'", "(k == \"v\" && x == \"y\")")]
    [InlineData("parser_test.go:340", "k == 'v' || has(x)", "(k == \"v\" || has(x))")]
    [InlineData("parser_test.go:341", "!(k == 'v')", "!k == \"v\"")]
    [InlineData("parser_test.go:342", "k in {'v'}", "k in {\"v\"}")]
    [InlineData("parser_test.go:343", "k not in {'v'}", "k not in {\"v\"}")]
    [InlineData("parser_test.go:344", "!(!(k == 'v' && has(t) || all()) && (a in {'b', 'c'}))",
        "!(!((k == \"v\" && has(t)) || all()) && a in {\"b\", \"c\"})")]
    public void Canonical_text_is_Calicos(string source, string text, string canonical)
    {
        var selector = Selector.Parse(text);
        Assert.True(canonical == selector.Text, $"{source}: got {selector.Text}");
        Assert.Equal(canonical, selector.ToString());
        Assert.Equal(canonical, Selector.Parse(canonical).Text);
        Assert.Equal(selector, Selector.Parse(canonical));
    }
}

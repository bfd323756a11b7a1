using Calico.Selectors;

namespace Calico.Tests.Selectors;

/// <summary>
/// The in/not-in value set: libcalico-go/lib/selector/parser/stringset_test.go at calico 87c15906, plus Go's byte
/// order, which Calico's sort.Slice on strings gives and ordinal UTF-16 order does not.
/// </summary>
public class LabelValueSetTests
{
    [Theory]
    [InlineData("stringset_test.go:57", new string[0])]
    [InlineData("stringset_test.go:58", new[] { "a" })]
    [InlineData("stringset_test.go:59", new[] { "a", "b" })]
    [InlineData("stringset_test.go:60", new[] { "a", "b", "c" })]
    [InlineData("stringset_test.go:61", new[] { "a", "b", "c", "d" })]
    [InlineData("stringset_test.go:62", new[] { "foo", "bar", "baz", "baz" })]
    [InlineData("stringset_test.go:63", new[] { "foo", "foo", "baz", "baz" })]
    public void Contains_every_input_and_nothing_else(string source, string[] input)
    {
        var set = new LabelValueSet(input);
        foreach (var s in input)
        {
            Assert.True(set.Contains(s), $"{source}: {s}");
            Assert.False(set.Contains(s + "bogus"), $"{source}: {s}bogus");
        }
        Assert.True(set.Values.Count <= input.Length, source);
    }

    [Theory]
    [InlineData("stringset_test.go:73", new string[0], new string[0])]
    [InlineData("stringset_test.go:74", new[] { "a", "b" }, new[] { "a", "b" })]
    [InlineData("stringset_test.go:75", new[] { "b", "a", "b", "a" }, new[] { "a", "b" })]
    public void Sorts_and_removes_duplicates(string source, string[] input, string[] expected)
    {
        Assert.True(expected.SequenceEqual(new LabelValueSet(input).Values), source);
    }

    [Fact]
    public void Sorts_in_Go_byte_order_not_UTF16_order()
    {
        // UTF-8 puts U+FFFD (EF BF BD) before U+1F600 (F0 9F 98 80); UTF-16 ordinal puts the surrogate D83D first.
        Assert.Equal(["B", "a", "é", "\uFFFD", "😀"], new LabelValueSet(["😀", "\uFFFD", "é", "a", "B"]).Values);
        Assert.Equal("a in {\"\uFFFD\", \"😀\"}", Selector.Parse("a in {'😀', '\uFFFD'}").Text);
    }

    [Fact]
    public void Compares_case_sensitively()
    {
        var set = new LabelValueSet(["A"]);
        Assert.True(set.Contains("A"));
        Assert.False(set.Contains("a"));
    }
}

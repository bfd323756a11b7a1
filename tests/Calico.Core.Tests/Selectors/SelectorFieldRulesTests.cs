using Calico.Selectors;

namespace Calico.Tests.Selectors;

public class SelectorFieldRulesTests
{
    [Fact]
    public void The_limit_is_the_CRDs_1024()
    {
        Assert.Equal(1024, SelectorFieldRules.MaxLength);
    }

    [Theory]
    [InlineData("", 0)]
    [InlineData("all()", 5)]
    [InlineData("a == 'é'", 8)]   // one code point though two UTF-8 bytes
    [InlineData("a == '😀'", 8)]  // one code point though two UTF-16 chars and four UTF-8 bytes
    public void Length_counts_code_points_as_Kubernetes_does(string text, int expected)
    {
        Assert.Equal(expected, SelectorFieldRules.Length(text));
    }

    [Theory]
    [InlineData("global()", true)]
    [InlineData("has(a) && global( )", true)]
    [InlineData("a == \"global(\"", true)]    // a substring test: Calico refuses this valid selector too
    [InlineData("global ()", false)]          // and misses this one, which does not parse anyway
    [InlineData("all()", false)]
    [InlineData("GLOBAL()", false)]
    public void MentionsGlobal_is_Calicos_substring_test(string text, bool expected)
    {
        Assert.Equal(expected, SelectorFieldRules.MentionsGlobal(text));
    }
}

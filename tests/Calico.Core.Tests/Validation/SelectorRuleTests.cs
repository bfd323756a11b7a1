using Calico.Validation;
using static Calico.Tests.Validation.ValidationAssert;

namespace Calico.Tests.Validation;

/// <summary>
/// nodeSelector and namespaceSelector: the parser's verdict lands on the right field; global() and the length limit
/// are ours (api ippool.go:93-94, 135, 140). The syntax itself is the selector parser's to test.
/// </summary>
public class SelectorRuleTests
{
    [Theory]
    [InlineData("((")]
    [InlineData("a == ")]
    public void A_selector_the_parser_refuses_is_a_problem_at_node_selector(string selector)
    {
        var errors = ResourceValidator.Validate(Pool("10.0.0.0/16", s => s.NodeSelector = selector));
        var error = Assert.Single(errors);
        Assert.Equal("spec.nodeSelector", error.Field);
        Assert.Equal(selector, error.Value);
        Assert.StartsWith("invalid selector: ", error.Message);
    }

    [Theory]
    [InlineData("((")]
    [InlineData("a == ")]
    public void A_selector_the_parser_refuses_is_a_problem_at_namespace_selector(string selector)
    {
        var pool = Pool("10.0.0.0/16", s => { s.AllowedUses = [Calico.Resources.IPPoolAllowedUse.Workload]; s.NamespaceSelector = selector; });
        var error = Assert.Single(ResourceValidator.Validate(pool));
        Assert.Equal("spec.namespaceSelector", error.Field);
        Assert.StartsWith("invalid selector: ", error.Message);
    }

    [Theory]
    [InlineData("global()")]
    [InlineData("global() && has(a)")]
    [InlineData("zone == \"global(\"")]   // the CEL rule is a substring test
    public void Node_selector_may_not_use_global(string selector) =>
        // Has, not Single: whether the parser also objects is the parser's business.
        Has(Pool("10.0.0.0/16", s => s.NodeSelector = selector), "spec.nodeSelector", "global() selector is not valid for IPPool nodeSelector");

    [Fact]
    public void Namespace_selector_may_not_use_global() =>
        Has(Pool("10.0.0.0/16", s => { s.AllowedUses = [Calico.Resources.IPPoolAllowedUse.Workload]; s.NamespaceSelector = "global()"; }),
            "spec.namespaceSelector", "global() selector is not valid for IPPool namespaceSelector");

    [Fact]
    public void A_selector_of_1024_characters_is_accepted() => Valid(Pool("10.0.0.0/16", s => s.NodeSelector = Selector(1024, 'x')));

    [Fact]
    public void A_selector_over_1024_characters_is_too_long()
    {
        var selector = Selector(1025, 'x');
        var error = Single(Pool("10.0.0.0/16", s => s.NodeSelector = selector), "spec.nodeSelector", "may not be more than 1024 bytes");
        Assert.Equal(selector, error.Value);
    }

    [Fact]
    public void Selector_length_counts_characters_not_UTF16_units()
    {
        // 1024 characters, each outside the BMP: 2040 UTF-16 units.
        Valid(Pool("10.0.0.0/16", s => s.NodeSelector = Selector(1024, "\U0001F600")));
    }

    /// <summary>a == "…" padded to the given length in characters.</summary>
    private static string Selector(int length, object filler)
    {
        const string head = "a == \"";
        var count = length - head.Length - 1;
        return head + string.Concat(Enumerable.Repeat(filler.ToString(), count)) + "\"";
    }
}

using static Calico.Tests.Validation.ValidationAssert;

namespace Calico.Tests.Validation;

/// <summary>metadata.name: a DNS-1123 subdomain of at most 253 bytes (validator.go:1235-1259).</summary>
public class NameRuleTests
{
    private const string PatternMessage =
        @"name must consist of lower case alphanumeric characters, '-' or '.' (regex: [a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*)";

    [Theory]
    [InlineData("a")]
    [InlineData("0")]
    [InlineData("default-ipv4-ippool")]
    [InlineData("pool.name")]
    [InlineData("node-1.example.com")]
    [InlineData("1-2.3-4")]
    public void Subdomain_names_are_accepted(string name) => Valid(Pool("10.0.0.0/16", name: name));

    [Fact]
    public void A_name_of_253_bytes_is_accepted() => Valid(Pool("10.0.0.0/16", name: new string('a', 253)));

    [Theory]
    [InlineData("")]
    [InlineData("Pool")]
    [InlineData("tHiNg")]
    [InlineData("-pool")]
    [InlineData("pool-")]
    [InlineData(".pool")]
    [InlineData("pool.")]
    [InlineData("pool..name")]
    [InlineData("pool.-name")]
    [InlineData("pool-.name")]
    [InlineData("pool_name")]
    [InlineData("pool name")]
    [InlineData("t~!s.h.i.ng")]
    [InlineData("192.168.0.0/16")]
    [InlineData("pöol")]
    public void Other_names_are_refused_with_Calicos_pattern(string name)
    {
        var error = Single(Pool("10.0.0.0/16", name: name), "metadata.name", PatternMessage);
        Assert.Equal(name, error.Value);
    }

    [Fact]
    public void A_name_over_253_bytes_is_too_long_by_its_excess()
    {
        Single(Pool("10.0.0.0/16", name: new string('a', 256)), "metadata.name", "name is too long by 3 bytes");
    }

    [Fact]
    public void A_long_badly_formed_name_gets_both_problems()
    {
        var errors = Calico.Validation.ResourceValidator.Validate(Pool("10.0.0.0/16", name: new string('A', 254)));
        Assert.Equal(["name is too long by 1 bytes", PatternMessage], errors.Select(e => e.Message));
    }

    [Fact]
    public void Node_names_follow_the_same_rule() =>
        Single(Node(name: "Node_1"), "metadata.name", PatternMessage);
}

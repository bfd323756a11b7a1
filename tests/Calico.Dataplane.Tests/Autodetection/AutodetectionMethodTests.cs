using Calico.Dataplane.Autodetection;
using Calico.Net;

namespace Calico.Dataplane.Tests.Autodetection;

/// <summary>IP_AUTODETECTION_METHOD values read as calico-node's AutoDetectCIDR reads them.</summary>
public class AutodetectionMethodTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("first-found")]
    public void Empty_and_first_found_are_first_found(string? text) =>
        Assert.Equal(AutodetectionKind.FirstFound, AutodetectionMethod.Parse(text).Kind);

    [Fact]
    public void Interface_lists_split_on_commas_with_optional_whitespace()
    {
        var method = AutodetectionMethod.Parse("interface=eth.* , ens\\d+,enp0s3");
        Assert.Equal(AutodetectionKind.Interface, method.Kind);
        Assert.Equal(["eth.*", "ens\\d+", "enp0s3"], method.InterfacePatterns);
    }

    [Fact]
    public void Whitespace_not_around_a_comma_is_part_of_the_regex_as_in_go()
    {
        Assert.Equal([" eth0"], AutodetectionMethod.Parse("interface= eth0").InterfacePatterns);
    }

    [Fact]
    public void Skip_interface_keeps_its_regexes()
    {
        var method = AutodetectionMethod.Parse("skip-interface=enp6s.*,wlan0");
        Assert.Equal(AutodetectionKind.SkipInterface, method.Kind);
        Assert.Equal(["enp6s.*", "wlan0"], method.InterfacePatterns);
    }

    [Fact]
    public void Cidr_lists_are_read_as_networks()
    {
        var method = AutodetectionMethod.Parse("cidr=10.0.2.0/24 ,192.168.1.7/16");
        Assert.Equal(AutodetectionKind.Cidr, method.Kind);
        Assert.Equal([IPPrefix.Parse("10.0.2.0/24"), IPPrefix.Parse("192.168.0.0/16")], method.Cidrs);
    }

    [Fact]
    public void Can_reach_keeps_its_destination()
    {
        var method = AutodetectionMethod.Parse("can-reach=www.example.com");
        Assert.Equal((AutodetectionKind.CanReach, "www.example.com"), (method.Kind, method.Destination));
    }

    [Theory]
    [InlineData("kubernetes-internal-ip")]
    [InlineData("kubernetes-internal-ipv4")]
    public void Kubernetes_internal_ip_is_matched_by_prefix_as_calico_node_does(string text) =>
        Assert.Equal(AutodetectionKind.KubernetesInternalIP, AutodetectionMethod.Parse(text).Kind);

    [Theory]
    [InlineData("First-Found")]
    [InlineData("first_found")]
    [InlineData("interfaces=eth0")]
    [InlineData("eth0")]
    [InlineData("can_reach=8.8.8.8")]
    public void Anything_else_is_an_error_naming_the_variable_and_value(string text)
    {
        var e = Assert.Throws<AutodetectionException>(() => AutodetectionMethod.Parse(text));
        Assert.Equal("IP_AUTODETECTION_METHOD", e.Error.Field);
        Assert.Equal(text, e.Error.Value);
        Assert.StartsWith($"IP_AUTODETECTION_METHOD: value \"{text}\": not an autodetection method", e.Message);
    }

    [Fact]
    public void An_invalid_cidr_is_an_error_naming_it()
    {
        var e = Assert.Throws<AutodetectionException>(() => AutodetectionMethod.Parse("cidr=10.0.2.0/24,10.0.3.0/33", "IP6_AUTODETECTION_METHOD"));
        Assert.Equal("IP6_AUTODETECTION_METHOD", e.Error.Field);
        Assert.Contains("invalid CIDR \"10.0.3.0/33\"", e.Message);
    }

    [Theory]
    [InlineData("interface=eth(")]
    [InlineData("skip-interface=(a)\\1")]
    [InlineData("interface=(?<=x)eth0")]
    public void Regexes_go_would_refuse_are_errors_naming_them(string text)
    {
        var e = Assert.Throws<AutodetectionException>(() => AutodetectionMethod.Parse(text));
        Assert.Contains("invalid interface regex", e.Message);
    }

    [Fact]
    public void Can_reach_needs_a_destination()
    {
        Assert.Contains("can-reach= needs", Assert.Throws<AutodetectionException>(() => AutodetectionMethod.Parse("can-reach=")).Message);
    }
}

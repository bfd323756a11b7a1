using Calico.Routing;

namespace Calico.Tests.Routing;

public class VtepMacTests
{
    [Theory]
    // 0x66 then the first five bytes of SHA-1 of the name (vxlan_resolver.go:358-366); the IPv6 device hashes name + "-v6".
    [InlineData("node1", 4, "66:f9:37:c3:7e:94")]
    [InlineData("node3", 4, "66:a4:6f:e0:c4:da")]
    [InlineData("node1", 6, "66:0f:35:f2:60:df")]
    public void Generated_MAC_is_0x66_and_five_bytes_of_the_names_SHA1(string node, int family, string mac) =>
        Assert.Equal(mac, VtepMac.Generate(node, family));

    [Theory]
    [InlineData("AA:BB:CC:DD:EE:FF", "aa:bb:cc:dd:ee:ff")]
    [InlineData("aa-bb-cc-dd-ee-ff", "aa:bb:cc:dd:ee:ff")]
    [InlineData("aabb.ccdd.eeff", "aa:bb:cc:dd:ee:ff")]
    public void Go_MAC_forms_are_read(string text, string expected)
    {
        Assert.True(VtepMac.TryNormalize(text, out var mac));
        Assert.Equal(expected, mac);
    }

    [Theory]
    [InlineData("aa:bb:cc:dd:ee")]
    [InlineData("aa:bb-cc:dd:ee:ff")]
    [InlineData("aa:bb:cc:dd:ee:fg")]
    [InlineData("00:00:00:00:fe:80:00:00")]
    [InlineData("")]
    public void Anything_but_a_6_byte_MAC_is_refused(string text) => Assert.False(VtepMac.TryNormalize(text, out _));
}

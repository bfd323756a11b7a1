using Calico.Dataplane.Kernel;

namespace Calico.Dataplane.Tests.Kernel;

public class SysctlKeyTests
{
    [Theory]
    [InlineData("net.ipv4.ip_forward", "net/ipv4/ip_forward")]
    [InlineData("net/ipv4/ip_forward", "net/ipv4/ip_forward")]
    [InlineData("net.ipv4.conf.vxlan/calico.proxy_arp", "net/ipv4/conf/vxlan.calico/proxy_arp")]
    [InlineData("net/ipv4/conf/vxlan.calico/proxy_arp", "net/ipv4/conf/vxlan.calico/proxy_arp")]
    public void Both_sysctl_notations_are_read_as_sysctl_8_reads_them(string key, string path) =>
        Assert.Equal(path, SysctlKey.Parse(key).Path);

    [Fact]
    public void Per_interface_keys_keep_dots_in_the_device_name()
    {
        var key = SysctlKey.ForInterface("net.ipv4.neigh", "vxlan.calico", "proxy_delay");
        Assert.Equal("net/ipv4/neigh/vxlan.calico/proxy_delay", key.Path);
        Assert.Equal("net.ipv4.neigh.vxlan/calico.proxy_delay", key.ToString());
        Assert.Equal(key, SysctlKey.Parse(key.ToString()));
    }

    [Theory]
    [InlineData("ip_forward")]
    [InlineData("net..ipv4")]
    [InlineData("net/../etc")]
    [InlineData("net.ipv4.ip forward")]
    public void Names_that_are_not_kernel_parameters_are_errors(string key) =>
        Assert.Contains(key, Assert.Throws<ArgumentException>(() => SysctlKey.Parse(key)).Message);
}

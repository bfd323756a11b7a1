using System.Net;
using System.Text.RegularExpressions;
using Calico.Net;
using Calico.Serialization;

namespace Calico.Manifests;

/// <summary>
/// The checks calicoctl's v1 loader ran before converting (libcalico-go lib/validator/v1/validator.go):
/// ipPool size, masking, link-local and IPv6 IP-in-IP rules, the ipip mode spelling, node names and BGP addresses.
/// </summary>
internal static partial class V1Checks
{
    private static readonly IPPrefix V4LinkLocal = new(IPAddress.Parse("169.254.0.0"), 16);
    private static readonly IPPrefix V6LinkLocal = new(IPAddress.Parse("fe80::"), 10);

    /// <param name="at">The document node of a field path, for the error's line; null when unknown.</param>
    public static void Check(V1Resource resource, Func<string, DocNode?> at, DecodeContext ctx)
    {
        switch (resource)
        {
            case V1IPPool pool: CheckIPPool(pool, at, ctx); break;
            case V1Node node: CheckNode(node, at, ctx); break;
        }
    }

    private static void CheckIPPool(V1IPPool pool, Func<string, DocNode?> at, DecodeContext ctx)
    {
        // validateIPIPMode: ^(always|cross-subnet|)$, lower case only.
        if (pool.IPIP is { } ipip && !IPIPMode().IsMatch(ipip.Mode))
            ctx.Error(at("spec.ipip.mode"), "spec.ipip.mode", ipip.Mode, "IPIP mode must be always or cross-subnet (lower case), or empty for always");

        // Without a CIDR the validator checks nothing else; libcalico-go then fails to build the pool's key.
        if (pool.Cidr is not { } cidr)
        {
            ctx.Error(at("metadata"), "metadata.cidr", null, "an ipPool needs metadata.cidr");
            return;
        }
        var cidrText = cidr.ToString();
        if (cidr.IsIPv6 && pool.IPIP is { Enabled: true })
            ctx.Error(at("spec.ipip.enabled"), "spec.ipip.enabled", "true", "IPIP is not supported on an IPv6 IP pool");
        // Calico IPAM hands out blocks of at least 64 addresses, so an enabled pool must hold one.
        if (!pool.Disabled && cidr.MaxPrefixLength - cidr.PrefixLength < 6)
        {
            ctx.Error(at("metadata.cidr"), "metadata.cidr", cidrText, cidr.IsIPv6
                ? "IP pool size is too small (min /122) for use with Calico IPAM"
                : "IP pool size is too small (min /26) for use with Calico IPAM");
        }
        if (!cidr.IsMasked)
            ctx.Error(at("metadata.cidr"), "metadata.cidr", cidrText, "IP pool CIDR is not strictly masked");
        var linkLocal = cidr.IsIPv6 ? V6LinkLocal : V4LinkLocal;
        if (cidr.Overlaps(linkLocal))
        {
            ctx.Error(at("metadata.cidr"), "metadata.cidr", cidrText, cidr.IsIPv6
                ? "IP pool range overlaps with IPv6 Link Local range fe80::/10"
                : "IP pool range overlaps with IPv4 Link Local range 169.254.0.0/16");
        }
    }

    private static void CheckNode(V1Node node, Func<string, DocNode?> at, DecodeContext ctx)
    {
        // metadata.name is validate:"omitempty,name".
        if (node.Name.Length > 0 && !NodeName().IsMatch(node.Name))
            ctx.Error(at("metadata.name"), "metadata.name", node.Name, "a v1 node name may hold only letters, digits, '_', '.' and '-', at most 128 of them");
        if (node.BGP is not { } bgp) return;
        if (bgp.IPv4Address is null && bgp.IPv6Address is null)
            ctx.Error(at("spec.bgp"), "spec.bgp.ipv4Address", null, "no BGP IP address and subnet specified");
        if (bgp.IPv4Address is { IsIPv6: true } v4)
            ctx.Error(at("spec.bgp.ipv4Address"), "spec.bgp.ipv4Address", v4.ToString(), "invalid IPv4 address and subnet specified");
        if (bgp.IPv6Address is { IsIPv6: false } v6)
            ctx.Error(at("spec.bgp.ipv6Address"), "spec.bgp.ipv6Address", v6.ToString(), "invalid IPv6 address and subnet specified");
    }

    [GeneratedRegex(@"^(always|cross-subnet|)\z")]
    private static partial Regex IPIPMode();

    [GeneratedRegex(@"^[a-zA-Z0-9_.-]{1,128}\z")]
    private static partial Regex NodeName();
}

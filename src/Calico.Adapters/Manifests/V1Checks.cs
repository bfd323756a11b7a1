using System.Buffers;
using System.Net;
using Calico.Net;
using Calico.Serialization;

namespace Calico.Manifests;

/// <summary>
/// The checks calicoctl's v1 loader ran before converting (libcalico-go lib/validator/v1/validator.go):
/// ipPool size, masking, link-local and IPv6 IP-in-IP rules, the ipip mode spelling, node names and BGP addresses.
/// </summary>
internal static class V1Checks
{
    private static readonly IPPrefix V4LinkLocal = new(IPAddress.Parse("169.254.0.0"), 16);
    private static readonly IPPrefix V6LinkLocal = new(IPAddress.Parse("fe80::"), 10);

    /// <param name="document">The document the resource was decoded from without errors; errors point into it.</param>
    public static void Check(V1Resource resource, DocMapping document, DecodeContext ctx)
    {
        switch (resource)
        {
            case V1IPPool pool: CheckIPPool(pool, document, ctx); break;
            case V1Node node: CheckNode(node, document, ctx); break;
        }
    }

    // An error is placed at its field, or at the document when the field is not written.
    private static DocNode At(DocMapping document, string path) => V1Decoder.FieldNode(document, path) ?? document;

    private static void CheckIPPool(V1IPPool pool, DocMapping document, DecodeContext ctx)
    {
        // validateIPIPMode: ^(always|cross-subnet|)$, lower case only.
        if (pool.IPIP is { } ipip && ipip.Mode is not ("always" or "cross-subnet" or ""))
            ctx.Error(At(document, "spec.ipip.mode"), "spec.ipip.mode", ipip.Mode, "IPIP mode must be always or cross-subnet (lower case), or empty for always");

        // Without a CIDR the validator checks nothing else; libcalico-go then fails to build the pool's key.
        if (pool.Cidr is not { } cidr)
        {
            ctx.Error(document, "metadata.cidr", null, "an ipPool needs metadata.cidr");
            return;
        }
        var cidrText = cidr.ToString();
        if (cidr.IsIPv6 && pool.IPIP is { Enabled: true })
            ctx.Error(At(document, "spec.ipip.enabled"), "spec.ipip.enabled", "true", "IPIP is not supported on an IPv6 IP pool");
        // Calico IPAM hands out blocks of at least 64 addresses, so an enabled pool must hold one.
        if (!pool.Disabled && cidr.MaxPrefixLength - cidr.PrefixLength < 6)
        {
            ctx.Error(At(document, "metadata.cidr"), "metadata.cidr", cidrText, cidr.IsIPv6
                ? "IP pool size is too small (min /122) for use with Calico IPAM"
                : "IP pool size is too small (min /26) for use with Calico IPAM");
        }
        if (!cidr.IsMasked)
            ctx.Error(At(document, "metadata.cidr"), "metadata.cidr", cidrText, "IP pool CIDR is not strictly masked");
        var linkLocal = cidr.IsIPv6 ? V6LinkLocal : V4LinkLocal;
        if (cidr.Overlaps(linkLocal))
        {
            ctx.Error(At(document, "metadata.cidr"), "metadata.cidr", cidrText, cidr.IsIPv6
                ? "IP pool range overlaps with IPv6 Link Local range fe80::/10"
                : "IP pool range overlaps with IPv4 Link Local range 169.254.0.0/16");
        }
    }

    private static void CheckNode(V1Node node, DocMapping document, DecodeContext ctx)
    {
        // metadata.name is validate:"omitempty,name".
        if (node.Name.Length > 0 && !IsNodeName(node.Name))
            ctx.Error(At(document, "metadata.name"), "metadata.name", node.Name, "a v1 node name may hold only letters, digits, '_', '.' and '-', at most 128 of them");
        if (node.BGP is not { } bgp) return;
        if (bgp.IPv4Address is null && bgp.IPv6Address is null)
            ctx.Error(At(document, "spec.bgp"), "spec.bgp.ipv4Address", null, "no BGP IP address and subnet specified");
        if (bgp.IPv4Address is { IsIPv6: true } v4)
            ctx.Error(At(document, "spec.bgp.ipv4Address"), "spec.bgp.ipv4Address", v4.ToString(), "invalid IPv4 address and subnet specified");
        if (bgp.IPv6Address is { IsIPv6: false } v6)
            ctx.Error(At(document, "spec.bgp.ipv6Address"), "spec.bgp.ipv6Address", v6.ToString(), "invalid IPv6 address and subnet specified");
    }

    // ^[a-zA-Z0-9_.-]{1,128}$
    private static bool IsNodeName(string name) =>
        name.Length is >= 1 and <= 128 && !name.AsSpan().ContainsAnyExcept(NodeNameCharacters);

    private static readonly SearchValues<char> NodeNameCharacters =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-");
}

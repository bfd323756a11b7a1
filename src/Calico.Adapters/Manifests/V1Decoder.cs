using Calico.Net;
using Calico.Resources;
using Calico.Serialization;

namespace Calico.Manifests;

/// <summary>
/// Maps an apiVersion v1 document onto the v1 model with the strictness of calicoctl's v1 loader
/// (calicoctl/commands/resourceloader: UnmarshalStrict into libcalico-go lib/apis/v1): unknown fields are
/// errors, field names match case-insensitively as in Go, addresses must be strings.
/// </summary>
internal static class V1Decoder
{
    private static readonly string[] TopFields = ["kind", "apiVersion", "metadata", "spec"];
    private static readonly string[] PoolMetadataFields = ["cidr"];
    private static readonly string[] PoolSpecFields = ["ipip", "nat-outgoing", "disabled"];
    private static readonly string[] IPIPFields = ["enabled", "mode"];
    private static readonly string[] NodeMetadataFields = ["name"];
    private static readonly string[] NodeSpecFields = ["bgp", "orchRefs"];
    private static readonly string[] BgpFields = ["asNumber", "ipv4Address", "ipv6Address"];
    private static readonly string[] OrchRefFields = ["nodeName", "orchestrator"];

    /// <summary>Decodes one v1 resource of a known kind.</summary>
    public static V1Resource? Decode(DocNode document, string kind, DecodeContext ctx) => kind switch
    {
        V1IPPool.KindName => DecodeIPPool(document, ctx),
        V1Node.KindName => DecodeNode(document, ctx),
        _ => null,
    };

    /// <summary>
    /// The node of a field such as "spec.ipip.mode" in a document that decoded cleanly, keys matched as Go
    /// matches them; null when it is not there. Looked up only to place an error, so nothing is recorded while decoding.
    /// </summary>
    public static DocNode? FieldNode(DocMapping document, string path)
    {
        DocNode? node = document;
        foreach (var name in path.Split('.'))
        {
            if (node is not DocMapping map) return null;
            node = null;
            foreach (var (key, value) in map.Entries)
            {
                if (GoFieldMatch.Matches(name, key.Value ?? ""))
                {
                    node = value;
                    break;
                }
            }
        }
        return node;
    }

    private static V1IPPool DecodeIPPool(DocNode document, DecodeContext ctx)
    {
        var pool = new V1IPPool();
        foreach (var (field, value, path) in GoFieldMatch.Fields(ctx, document, "", TopFields))
        {
            switch (field)
            {
                case "metadata":
                    foreach (var (_, v, p) in GoFieldMatch.Fields(ctx, value, path, PoolMetadataFields))
                        pool.Cidr = Address(v, p, ctx, required: true);
                    break;
                case "spec":
                    foreach (var (f, v, p) in GoFieldMatch.Fields(ctx, value, path, PoolSpecFields))
                    {
                        switch (f)
                        {
                            case "ipip": pool.IPIP = v is DocScalar { IsNull: true } ? null : DecodeIPIP(v, p, ctx); break;
                            case "nat-outgoing": pool.NatOutgoing = ctx.Bool(v, p); break;
                            case "disabled": pool.Disabled = ctx.Bool(v, p); break;
                        }
                    }
                    break;
            }
        }
        return pool;
    }

    private static V1IPIPConfiguration DecodeIPIP(DocNode node, FieldPath path, DecodeContext ctx)
    {
        var ipip = new V1IPIPConfiguration();
        foreach (var (f, v, p) in GoFieldMatch.Fields(ctx, node, path, IPIPFields))
        {
            if (f == "enabled") ipip.Enabled = ctx.Bool(v, p);
            else ipip.Mode = ctx.String(v, p) ?? "";
        }
        return ipip;
    }

    private static V1Node DecodeNode(DocNode document, DecodeContext ctx)
    {
        var node = new V1Node();
        foreach (var (field, value, path) in GoFieldMatch.Fields(ctx, document, "", TopFields))
        {
            switch (field)
            {
                case "metadata":
                    foreach (var (_, v, p) in GoFieldMatch.Fields(ctx, value, path, NodeMetadataFields))
                        node.Name = ctx.String(v, p) ?? "";
                    break;
                case "spec":
                    foreach (var (f, v, p) in GoFieldMatch.Fields(ctx, value, path, NodeSpecFields))
                    {
                        if (f == "bgp") node.BGP = v is DocScalar { IsNull: true } ? null : DecodeBgp(v, p, ctx);
                        else node.OrchRefs = ctx.List(v, p, (item, ip) => DecodeOrchRef(item, ip, ctx));
                    }
                    break;
            }
        }
        return node;
    }

    private static V1NodeBGPSpec DecodeBgp(DocNode node, FieldPath path, DecodeContext ctx)
    {
        var bgp = new V1NodeBGPSpec();
        foreach (var (f, v, p) in GoFieldMatch.Fields(ctx, node, path, BgpFields))
        {
            switch (f)
            {
                case "asNumber": bgp.ASNumber = V3Decoder.DecodeASNumber(v, p, ctx); break;
                case "ipv4Address": bgp.IPv4Address = Address(v, p, ctx, required: false); break;
                case "ipv6Address": bgp.IPv6Address = Address(v, p, ctx, required: false); break;
            }
        }
        return bgp;
    }

    private static OrchRef DecodeOrchRef(DocNode node, FieldPath path, DecodeContext ctx)
    {
        var o = new OrchRef();
        foreach (var (f, v, p) in GoFieldMatch.Fields(ctx, node, path, OrchRefFields))
        {
            if (f == "nodeName") o.NodeName = ctx.String(v, p);
            else o.Orchestrator = ctx.String(v, p) ?? "";
        }
        return o;
    }

    /// <summary>
    /// A v1 net.IPNet: a CIDR, or a bare address taken as /32 or /128 (lib/net ParseCIDROrIP), host bits kept.
    /// It decodes itself from a JSON string only, so an unquoted number or boolean is an error, not text.
    /// </summary>
    private static IPPrefix? Address(DocNode node, FieldPath path, DecodeContext ctx, bool required)
    {
        if (node is DocScalar { IsNull: true } && !required) return null;
        if (node is not DocScalar { Quoted: true } s)
        {
            ctx.Error(node, path, DecodeContext.ScalarText(node), "expected an IP address or CIDR as a string");
            return null;
        }
        if (IPPrefix.TryParseAddressOrPrefix(s.Value, out var prefix, out _)) return prefix;
        ctx.Error(node, path, s.Value, "invalid CIDR address");
        return null;
    }
}

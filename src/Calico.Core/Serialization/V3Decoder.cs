using Calico.Resources;

namespace Calico.Serialization;

/// <summary>
/// Maps a projectcalico.org/v3 document tree onto the typed resources, with Calico's strict field rules.
/// Always returns the best object it could build, so validation can report its problems alongside.
/// </summary>
public static class V3Decoder
{
    /// <summary>Decodes one v3 resource document whose kind has already been read.</summary>
    public static CalicoResource? Decode(DocNode document, string kind, DecodeContext ctx) => kind switch
    {
        IPPool.KindName => DecodeIPPool(document, ctx),
        Node.KindName => DecodeNode(document, ctx),
        _ => null,
    };

    public static IPPool DecodeIPPool(DocNode document, DecodeContext ctx)
    {
        var pool = new IPPool();
        foreach (var (key, value, path) in ctx.Fields(document, ""))
        {
            switch (key)
            {
                case "apiVersion" or "kind": break;
                case "metadata": pool.Metadata = DecodeMetadata(value, path, ctx); break;
                case "spec": pool.Spec = DecodeIPPoolSpec(value, path, ctx); break;
                case "status": pool.StatusJson = value is DocScalar { IsNull: true } ? null : ResourceJson.TreeToJson(value); break;
                default: ctx.UnknownField(value, path); break;
            }
        }
        return pool;
    }

    private static IPPoolSpec DecodeIPPoolSpec(DocNode node, FieldPath path, DecodeContext ctx)
    {
        var spec = new IPPoolSpec();
        foreach (var (key, value, p) in ctx.Fields(node, path))
        {
            switch (key)
            {
                case "cidr": spec.Cidr = ctx.String(value, p) ?? ""; break;
                case "vxlanMode": spec.VXLANMode = ctx.Enum<VXLANMode>(value, p); break;
                case "ipipMode": spec.IPIPMode = ctx.Enum<IPIPMode>(value, p); break;
                case "natOutgoing": spec.NatOutgoing = ctx.Bool(value, p); break;
                case "disabled": spec.Disabled = ctx.Bool(value, p); break;
                case "disableBGPExport": spec.DisableBGPExport = ctx.Bool(value, p); break;
                case "blockSize": spec.BlockSize = (int)ctx.Integer(value, p, int.MinValue, int.MaxValue); break;
                case "nodeSelector": spec.NodeSelector = ctx.String(value, p); break;
                case "namespaceSelector": spec.NamespaceSelector = ctx.String(value, p); break;
                case "allowedUses": spec.AllowedUses = DecodeAllowedUses(value, p, ctx); break;
                case "assignmentMode": spec.AssignmentMode = ctx.OptionalEnum<AssignmentMode>(value, p); break;
                default: ctx.UnknownField(value, p); break;
            }
        }
        return spec;
    }

    private static List<IPPoolAllowedUse>? DecodeAllowedUses(DocNode node, FieldPath path, DecodeContext ctx)
    {
        var list = ctx.List(node, path, (item, p) => (object?)ctx.Enum<IPPoolAllowedUse>(item, p));
        return list?.Cast<IPPoolAllowedUse>().ToList();
    }

    public static Node DecodeNode(DocNode document, DecodeContext ctx)
    {
        var node = new Node();
        foreach (var (key, value, path) in ctx.Fields(document, ""))
        {
            switch (key)
            {
                case "apiVersion" or "kind": break;
                case "metadata": node.Metadata = DecodeMetadata(value, path, ctx); break;
                case "spec": node.Spec = DecodeNodeSpec(value, path, ctx); break;
                case "status": node.Status = DecodeNodeStatus(value, path, ctx); break;
                default: ctx.UnknownField(value, path); break;
            }
        }
        return node;
    }

    private static NodeSpec DecodeNodeSpec(DocNode node, FieldPath path, DecodeContext ctx)
    {
        var spec = new NodeSpec();
        foreach (var (key, value, p) in ctx.Fields(node, path))
        {
            switch (key)
            {
                case "bgp": spec.BGP = value is DocScalar { IsNull: true } ? null : DecodeBgp(value, p, ctx); break;
                case "ipv4VXLANTunnelAddr": spec.IPv4VXLANTunnelAddr = ctx.String(value, p); break;
                case "vxlanTunnelMACAddr": spec.VXLANTunnelMACAddr = ctx.String(value, p); break;
                case "ipv6VXLANTunnelAddr": spec.IPv6VXLANTunnelAddr = ctx.String(value, p); break;
                case "vxlanTunnelMACAddrV6": spec.VXLANTunnelMACAddrV6 = ctx.String(value, p); break;
                case "orchRefs": spec.OrchRefs = ctx.List(value, p, (item, ip) => DecodeOrchRef(item, ip, ctx)); break;
                case "wireguard": spec.Wireguard = value is DocScalar { IsNull: true } ? null : DecodeWireguard(value, p, ctx); break;
                case "addresses": spec.Addresses = ctx.List(value, p, (item, ip) => DecodeNodeAddress(item, ip, ctx)); break;
                case "interfaces": spec.Interfaces = ctx.List(value, p, (item, ip) => DecodeNodeInterface(item, ip, ctx)); break;
                default: ctx.UnknownField(value, p); break;
            }
        }
        return spec;
    }

    private static NodeBGPSpec DecodeBgp(DocNode node, FieldPath path, DecodeContext ctx)
    {
        var bgp = new NodeBGPSpec();
        foreach (var (key, value, p) in ctx.Fields(node, path))
        {
            switch (key)
            {
                case "asNumber": bgp.ASNumber = DecodeASNumber(value, p, ctx); break;
                case "ipv4Address": bgp.IPv4Address = ctx.String(value, p); break;
                case "ipv6Address": bgp.IPv6Address = ctx.String(value, p); break;
                case "ipv4IPIPTunnelAddr": bgp.IPv4IPIPTunnelAddr = ctx.String(value, p); break;
                case "routeReflectorClusterID": bgp.RouteReflectorClusterID = ctx.String(value, p); break;
                default: ctx.UnknownField(value, p); break;
            }
        }
        return bgp;
    }

    /// <summary>An AS number may be a JSON number or a string, plain or dotted (numorstring.ASNumber).</summary>
    public static ASNumber? DecodeASNumber(DocNode node, FieldPath path, DecodeContext ctx)
    {
        if (node is not DocScalar s)
        {
            ctx.Error(node, path, null, $"expected an AS number, got a {node.Describe()}");
            return null;
        }
        if (s.IsNull) return null;
        // Go reads an unquoted value as a uint32 and only a string may be dotted: YAML 1.10 is the
        // float 1.1, which calicoctl rejects rather than reading it as AS 1.10.
        if (s.Quoted ? ASNumber.TryParse(s.Value, out var n) : IsPlainUInt32(s.Value, out n)) return n;
        ctx.Error(node, path, s.Value, "expected an AS number: 0-4294967295, or dotted a.b with each part 0-65535");
        return null;
    }

    private static bool IsPlainUInt32(string? text, out ASNumber number)
    {
        number = default;
        return !string.IsNullOrEmpty(text) && !text.Contains('.') && ASNumber.TryParse(text, out number);
    }

    private static OrchRef DecodeOrchRef(DocNode node, FieldPath path, DecodeContext ctx)
    {
        var o = new OrchRef();
        foreach (var (key, value, p) in ctx.Fields(node, path))
        {
            switch (key)
            {
                case "nodeName": o.NodeName = ctx.String(value, p); break;
                case "orchestrator": o.Orchestrator = ctx.String(value, p) ?? ""; break;
                default: ctx.UnknownField(value, p); break;
            }
        }
        return o;
    }

    private static NodeWireguardSpec DecodeWireguard(DocNode node, FieldPath path, DecodeContext ctx)
    {
        var w = new NodeWireguardSpec();
        foreach (var (key, value, p) in ctx.Fields(node, path))
        {
            switch (key)
            {
                case "interfaceIPv4Address": w.InterfaceIPv4Address = ctx.String(value, p); break;
                case "interfaceIPv6Address": w.InterfaceIPv6Address = ctx.String(value, p); break;
                default: ctx.UnknownField(value, p); break;
            }
        }
        return w;
    }

    private static NodeAddress DecodeNodeAddress(DocNode node, FieldPath path, DecodeContext ctx)
    {
        var a = new NodeAddress();
        foreach (var (key, value, p) in ctx.Fields(node, path))
        {
            switch (key)
            {
                case "address": a.Address = ctx.String(value, p) ?? ""; break;
                case "type": a.Type = ctx.String(value, p); break;
                default: ctx.UnknownField(value, p); break;
            }
        }
        return a;
    }

    private static NodeInterface DecodeNodeInterface(DocNode node, FieldPath path, DecodeContext ctx)
    {
        var i = new NodeInterface();
        foreach (var (key, value, p) in ctx.Fields(node, path))
        {
            switch (key)
            {
                case "name": i.Name = ctx.String(value, p); break;
                case "addresses": i.Addresses = ctx.List(value, p, (item, ip) => ctx.String(item, ip)); break;
                default: ctx.UnknownField(value, p); break;
            }
        }
        return i;
    }

    private static NodeStatus DecodeNodeStatus(DocNode node, FieldPath path, DecodeContext ctx)
    {
        var st = new NodeStatus();
        foreach (var (key, value, p) in ctx.Fields(node, path))
        {
            switch (key)
            {
                case "wireguardPublicKey": st.WireguardPublicKey = ctx.String(value, p); break;
                case "wireguardPublicKeyV6": st.WireguardPublicKeyV6 = ctx.String(value, p); break;
                case "podCIDRs": st.PodCIDRs = ctx.List(value, p, (item, ip) => ctx.String(item, ip)); break;
                default: ctx.UnknownField(value, p); break;
            }
        }
        return st;
    }

    public static ObjectMeta DecodeMetadata(DocNode node, FieldPath path, DecodeContext ctx)
    {
        var m = new ObjectMeta();
        foreach (var (key, value, p) in ctx.Fields(node, path))
        {
            switch (key)
            {
                case "name": m.Name = ctx.String(value, p) ?? ""; break;
                case "generateName": m.GenerateName = ctx.String(value, p); break;
                case "namespace": m.Namespace = ctx.String(value, p); break;
                case "selfLink": m.SelfLink = ctx.String(value, p); break;
                case "uid": m.Uid = ctx.String(value, p); break;
                case "resourceVersion": m.ResourceVersion = ctx.String(value, p); break;
                case "generation": m.Generation = ctx.Integer(value, p, long.MinValue, long.MaxValue); break;
                case "creationTimestamp": m.CreationTimestamp = ctx.Timestamp(value, p); break;
                case "deletionTimestamp": m.DeletionTimestamp = ctx.Timestamp(value, p); break;
                case "deletionGracePeriodSeconds":
                    m.DeletionGracePeriodSeconds = value is DocScalar { IsNull: true } ? null : ctx.Integer(value, p, long.MinValue, long.MaxValue);
                    break;
                case "labels": m.Labels = ctx.StringMap(value, p); break;
                case "annotations": m.Annotations = ctx.StringMap(value, p); break;
                case "finalizers": m.Finalizers = ctx.List(value, p, (item, ip) => ctx.String(item, ip)); break;
                default: ctx.UnknownField(value, p); break;
            }
        }
        return m;
    }
}

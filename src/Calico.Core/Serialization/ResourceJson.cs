using System.Text.Json;
using Calico.Resources;

namespace Calico.Serialization;

/// <summary>
/// The JSON form of v3 resources: what Calico stores in etcd and what calicoctl prints with -o json.
/// Field order and omitempty follow the Go structs, so our bytes equal Calico's.
/// </summary>
public static class ResourceJson
{
    public static string Serialize(CalicoResource resource, bool indent = false)
    {
        var w = new GoJsonWriter(indent);
        Write(w, resource);
        return w.ToString();
    }

    public static void Write(GoJsonWriter w, CalicoResource resource)
    {
        switch (resource)
        {
            case IPPool pool: WriteIPPool(w, pool); break;
            case Node node: WriteNode(w, node); break;
            default: throw new ArgumentException($"cannot serialize kind {resource.Kind}", nameof(resource));
        }
    }

    /// <summary>Reads one stored or printed v3 resource; the kind comes from the JSON itself.</summary>
    /// <exception cref="ManifestException">When the JSON is malformed or does not describe a valid v3 resource.</exception>
    public static CalicoResource Deserialize(string json, string? source = null)
    {
        DocNode tree;
        try
        {
            tree = JsonTree.Parse(json);
        }
        catch (JsonException ex)
        {
            throw new ManifestException(new[] { new FieldError { Source = source, Message = "not valid JSON: " + ex.Message } });
        }
        var ctx = new DecodeContext(source);
        var kind = tree is DocMapping m ? DecodeContext.ScalarText(m["kind"] ?? new DocScalar(null, false)) : null;
        var apiVersion = tree is DocMapping m2 ? DecodeContext.ScalarText(m2["apiVersion"] ?? new DocScalar(null, false)) : null;
        if (apiVersion != CalicoResource.ApiVersionV3)
            ctx.Error(tree, "apiVersion", apiVersion, $"expected {CalicoResource.ApiVersionV3}");
        var resource = kind is null ? null : V3Decoder.Decode(tree, kind, ctx);
        if (resource is null)
            ctx.Error(tree, "kind", kind, "expected IPPool or Node");
        if (ctx.HasErrors || resource is null) throw new ManifestException(ctx.Errors);
        return resource;
    }

    public static T Deserialize<T>(string json, string? source = null) where T : CalicoResource =>
        Deserialize(json, source) as T
        ?? throw new ManifestException(new[] { new FieldError { Source = source, Field = "kind", Message = $"expected kind {typeof(T).Name}" } });

    /// <summary>Re-encodes a subtree compactly, as Go would print the same value.</summary>
    internal static string TreeToJson(DocNode node)
    {
        var w = new GoJsonWriter();
        WriteTree(w, node);
        return w.ToString();
    }

    private static void WriteTree(GoJsonWriter w, DocNode node)
    {
        switch (node)
        {
            case DocMapping m:
                w.StartObject();
                foreach (var (k, v) in m.Entries) { w.Name(k.Value ?? ""); WriteTree(w, v); }
                w.EndObject();
                break;
            case DocSequence s:
                w.StartArray();
                foreach (var v in s.Items) WriteTree(w, v);
                w.EndArray();
                break;
            case DocScalar sc when sc.IsNull: w.Null(); break;
            case DocScalar sc when sc.Quoted: w.String(sc.Value ?? ""); break;
            case DocScalar sc when sc.Value is "true" or "false": w.Bool(sc.Value == "true"); break;
            case DocScalar sc when IsJsonNumber(sc.Value): w.RawScalar(sc.Value!); break;
            case DocScalar sc: w.String(sc.Value ?? ""); break;
        }
    }

    private static bool IsJsonNumber(string? text) =>
        !string.IsNullOrEmpty(text) && (char.IsAsciiDigit(text[0]) || text[0] == '-')
        && double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out _);

    private static void WriteTypeMeta(GoJsonWriter w, string kind) =>
        w.Name("kind").String(kind).Name("apiVersion").String(CalicoResource.ApiVersionV3);

    public static void WriteMetadata(GoJsonWriter w, ObjectMeta m)
    {
        w.Name("metadata").StartObject()
            .OptString("name", m.Name)
            .OptString("generateName", m.GenerateName)
            .OptString("namespace", m.Namespace)
            .OptString("selfLink", m.SelfLink)
            .OptString("uid", m.Uid)
            .OptString("resourceVersion", m.ResourceVersion)
            .OptNumber("generation", m.Generation);
        // metav1.Time has omitempty, but omitempty never drops a struct: the zero time is written as null.
        w.Name("creationTimestamp").Time(m.CreationTimestamp);
        if (m.DeletionTimestamp is not null) w.Name("deletionTimestamp").Time(m.DeletionTimestamp);
        if (m.DeletionGracePeriodSeconds is { } g) w.Name("deletionGracePeriodSeconds").Number(g);
        w.OptStringMap("labels", m.Labels)
            .OptStringMap("annotations", m.Annotations)
            .OptStringList("finalizers", m.Finalizers)
            .EndObject();
    }

    private static void WriteIPPool(GoJsonWriter w, IPPool pool)
    {
        var s = pool.Spec;
        w.StartObject();
        WriteTypeMeta(w, IPPool.KindName);
        WriteMetadata(w, pool.Metadata);
        w.Name("spec").StartObject()
            .Name("cidr").String(s.Cidr)
            .OptString("vxlanMode", s.VXLANMode?.ToString())
            .OptString("ipipMode", s.IPIPMode?.ToString())
            .OptBool("natOutgoing", s.NatOutgoing)
            .OptBool("disabled", s.Disabled)
            .OptBool("disableBGPExport", s.DisableBGPExport)
            .OptNumber("blockSize", s.BlockSize)
            .OptString("nodeSelector", s.NodeSelector)
            .OptString("namespaceSelector", s.NamespaceSelector)
            .OptStringList("allowedUses", s.AllowedUses?.Select(u => u.ToString()).ToList());
        if (s.AssignmentMode is { } am) w.Name("assignmentMode").String(am.ToString());
        w.EndObject();
        if (pool.StatusJson is not null) w.Name("status").Raw(pool.StatusJson);
        w.EndObject();
    }

    private static void WriteNode(GoJsonWriter w, Node node)
    {
        var s = node.Spec;
        w.StartObject();
        WriteTypeMeta(w, Node.KindName);
        WriteMetadata(w, node.Metadata);
        w.Name("spec").StartObject();
        if (s.BGP is { } bgp)
        {
            w.Name("bgp").StartObject();
            if (bgp.ASNumber is { } asn) w.Name("asNumber").Number(asn.Value);
            w.OptString("ipv4Address", bgp.IPv4Address)
                .OptString("ipv6Address", bgp.IPv6Address)
                .OptString("ipv4IPIPTunnelAddr", bgp.IPv4IPIPTunnelAddr)
                .OptString("routeReflectorClusterID", bgp.RouteReflectorClusterID)
                .EndObject();
        }
        w.OptString("ipv4VXLANTunnelAddr", s.IPv4VXLANTunnelAddr)
            .OptString("vxlanTunnelMACAddr", s.VXLANTunnelMACAddr)
            .OptString("ipv6VXLANTunnelAddr", s.IPv6VXLANTunnelAddr)
            .OptString("vxlanTunnelMACAddrV6", s.VXLANTunnelMACAddrV6);
        if (s.OrchRefs is { Count: > 0 })
        {
            w.Name("orchRefs").StartArray();
            foreach (var o in s.OrchRefs)
                w.StartObject().OptString("nodeName", o.NodeName).Name("orchestrator").String(o.Orchestrator).EndObject();
            w.EndArray();
        }
        if (s.Wireguard is { } wg)
        {
            w.Name("wireguard").StartObject()
                .OptString("interfaceIPv4Address", wg.InterfaceIPv4Address)
                .OptString("interfaceIPv6Address", wg.InterfaceIPv6Address)
                .EndObject();
        }
        if (s.Addresses is { Count: > 0 })
        {
            w.Name("addresses").StartArray();
            foreach (var a in s.Addresses)
                w.StartObject().Name("address").String(a.Address).OptString("type", a.Type).EndObject();
            w.EndArray();
        }
        if (s.Interfaces is { Count: > 0 })
        {
            w.Name("interfaces").StartArray();
            foreach (var i in s.Interfaces)
                w.StartObject().OptString("name", i.Name).OptStringList("addresses", i.Addresses).EndObject();
            w.EndArray();
        }
        w.EndObject();
        w.Name("status").StartObject()
            .OptString("wireguardPublicKey", node.Status.WireguardPublicKey)
            .OptString("wireguardPublicKeyV6", node.Status.WireguardPublicKeyV6)
            .OptStringList("podCIDRs", node.Status.PodCIDRs)
            .EndObject();
        w.EndObject();
    }
}

using Calico.Resources;
using Calico.Serialization;

namespace Calico.Manifests;

/// <summary>
/// Turns one document's tree into items: a single resource, a top-level YAML list of resources, a `List`
/// (apiVersion v1, what calicoctl convert writes for several), or an IPPoolList / NodeList (what calicoctl
/// get writes). Each resource is dispatched on apiVersion and kind, matched exactly as calicoctl does.
/// </summary>
internal static class ManifestDocument
{
    private const string ListKind = "List";
    private static readonly string[] ListFields = ["kind", "apiVersion", "metadata", "items"];
    private static readonly string[] ListMetaFields = ["selfLink", "resourceVersion", "continue", "remainingItemCount"];

    // v1 kinds calicoctl's loader knew (lib/apis/v1) besides the two this module handles.
    private static readonly string[] OtherV1Kinds = ["bgpPeer", "hostEndpoint", "policy", "profile", "workloadEndpoint"];

    public static void Read(DocNode root, string? source, int document, List<ManifestItem> items)
    {
        switch (root)
        {
            case DocSequence seq:
                for (var i = 0; i < seq.Items.Count; i++)
                    items.Add(ReadResource(seq.Items[i], source, document, i, $"[{i}]", expectedKind: null));
                return;
            case DocMapping map:
                var (apiVersion, kind) = Header(map);
                if (apiVersion == V1Resource.ApiVersionV1 && kind == ListKind)
                    ReadList(map, source, document, null, items);
                else if (apiVersion == CalicoResource.ApiVersionV3 && kind is IPPool.ListKindName or Node.ListKindName)
                    ReadList(map, source, document, kind == IPPool.ListKindName ? IPPool.KindName : Node.KindName, items);
                else
                    items.Add(ReadResource(map, source, document, null, "", expectedKind: null));
                return;
            default:
                var ctx = new DecodeContext(source, document);
                ctx.Error(root, "", DecodeContext.ScalarText(root), $"expected a resource (a mapping) or a list of resources, got a {root.Describe()}");
                items.Add(Failed(ctx, root, null, null, null));
                return;
        }
    }

    // Lists are read leniently about their own metadata (ListMeta) and strictly about everything else.
    private static void ReadList(DocMapping list, string? source, int document, string? itemKind, List<ManifestItem> items)
    {
        var ctx = new DecodeContext(source, document);
        DocSequence? entries = null;
        foreach (var (key, value, path) in ctx.Fields(list, ""))
        {
            switch (key)
            {
                case "kind" or "apiVersion": break;
                case "metadata":
                    foreach (var (k, v, p) in ctx.Fields(value, path))
                        if (Array.IndexOf(ListMetaFields, k) < 0) ctx.UnknownField(v, p);
                    break;
                case "items":
                    if (value is DocSequence s) entries = s;
                    else if (value is not DocScalar { IsNull: true })
                        ctx.Error(value, path, DecodeContext.ScalarText(value), $"expected a list, got a {value.Describe()}");
                    break;
                default:
                    ctx.UnknownField(value, path);
                    break;
            }
        }
        var (apiVersion, kind) = Header(list);
        if (ctx.HasErrors)
        {
            items.Add(Failed(ctx, list, null, apiVersion, kind));
            return;
        }
        if (entries is null) return;
        for (var i = 0; i < entries.Items.Count; i++)
            items.Add(ReadResource(entries.Items[i], source, document, i, $"items[{i}]", itemKind));
    }

    private static ManifestItem ReadResource(DocNode node, string? source, int document, int? index, string prefix, string? expectedKind)
    {
        var ctx = new DecodeContext(source, document);
        if (node is not DocMapping map)
        {
            ctx.Error(node, "", DecodeContext.ScalarText(node), $"expected a resource (a mapping), got a {node.Describe()}");
            return Failed(ctx, node, index, null, null, prefix);
        }
        var (apiVersion, kind) = Header(map);
        if (expectedKind is not null)
        {
            // A typed list's items are decoded as its item kind whatever they say, as Go's typed lists are;
            // an item claiming another kind is a mistake worth reporting.
            if (kind is not null && kind != expectedKind)
                ctx.Error(map["kind"], "kind", kind, $"an item of a {expectedKind}List must be a {expectedKind}");
            if (apiVersion is not null && apiVersion != CalicoResource.ApiVersionV3)
                ctx.Error(map["apiVersion"], "apiVersion", apiVersion, $"expected {CalicoResource.ApiVersionV3}");
            (apiVersion, kind) = (CalicoResource.ApiVersionV3, expectedKind);
        }

        CalicoResource? v3 = null;
        V1Resource? v1 = null;
        if (apiVersion == CalicoResource.ApiVersionV3 && kind is IPPool.KindName or Node.KindName)
        {
            v3 = V3Decoder.Decode(map, kind, ctx);
        }
        else if (apiVersion == V1Resource.ApiVersionV1 && kind is V1IPPool.KindName or V1Node.KindName)
        {
            v1 = V1Decoder.Decode(map, kind, ctx);
            if (!ctx.HasErrors && v1 is not null) V1Checks.Check(v1, map, ctx);
        }
        else
        {
            UnknownType(map, apiVersion, kind, ctx);
        }

        if (ctx.HasErrors) return Failed(ctx, map, index, apiVersion, kind, prefix);
        return new ManifestItem
        {
            Source = source,
            Document = document,
            Index = index,
            Line = map.Line,
            ApiVersion = apiVersion,
            Kind = kind,
            Resource = v3,
            V1 = v1,
        };
    }

    private static void UnknownType(DocMapping map, string? apiVersion, string? kind, DecodeContext ctx)
    {
        var at = map["kind"] ?? map;
        if (string.IsNullOrEmpty(apiVersion) || string.IsNullOrEmpty(kind))
        {
            ctx.Error(string.IsNullOrEmpty(kind) ? at : map["apiVersion"] ?? map, string.IsNullOrEmpty(kind) ? "kind" : "apiVersion", null,
                "apiVersion and kind are required (projectcalico.org/v3 IPPool or Node, or v1 ipPool or node)");
            return;
        }
        string hint;
        if (apiVersion == V1Resource.ApiVersionV1)
        {
            hint = Array.IndexOf(OtherV1Kinds, kind) >= 0
                ? $"v1 {kind} is a Calico kind this module does not handle; it handles ipPool and node"
                : "the v1 kinds are ipPool and node, spelled exactly so";
        }
        else if (apiVersion == CalicoResource.ApiVersionV3)
        {
            hint = "this module handles IPPool and Node (and IPPoolList, NodeList), spelled exactly so";
        }
        else
        {
            hint = $"apiVersion must be {CalicoResource.ApiVersionV3} or v1";
        }
        ctx.Error(at, "kind", kind, $"unknown resource type ({kind}) and/or version ({apiVersion}): {hint}");
    }

    /// <summary>
    /// apiVersion and kind, read as calicoctl first reads a document into TypeMetadata: an exact key, else a
    /// case-insensitive one; a number or boolean is taken as its text. Null where missing or not a scalar.
    /// </summary>
    private static (string? ApiVersion, string? Kind) Header(DocMapping map) => (HeaderField(map, "apiVersion"), HeaderField(map, "kind"));

    private static string? HeaderField(DocMapping map, string name)
    {
        var node = map[name];
        if (node is null)
        {
            foreach (var (k, v) in map.Entries)
            {
                if (string.Equals(k.Value, name, StringComparison.OrdinalIgnoreCase))
                {
                    node = v;
                    break;
                }
            }
        }
        return node is DocScalar { IsNull: false } s ? s.StringValue ?? s.Value : null;
    }

    private static ManifestItem Failed(DecodeContext ctx, DocNode at, int? index, string? apiVersion, string? kind, string prefix = "") => new()
    {
        Source = ctx.Source,
        Document = ctx.Document,
        Index = index,
        Line = at.Line,
        ApiVersion = apiVersion,
        Kind = kind,
        Errors = prefix.Length == 0
            ? ctx.Errors.ToArray()
            : ctx.Errors.Select(e => e with { Field = e.Field.Length == 0 ? prefix : e.Field.StartsWith('[') ? prefix + e.Field : prefix + "." + e.Field }).ToArray(),
    };
}

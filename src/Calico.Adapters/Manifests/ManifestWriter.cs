using Calico.Resources;
using Calico.Serialization;

namespace Calico.Manifests;

/// <summary>How <see cref="ManifestWriter"/> writes several resources.</summary>
public enum ManifestShape
{
    /// <summary>One resource as itself; several in a `kind: List`, `apiVersion: v1` object, as calicoctl convert writes.</summary>
    List,

    /// <summary>Always a list of the resources' own kind (IPPoolList, NodeList), as calicoctl get prints all of a kind.</summary>
    KindList,

    /// <summary>One resource as itself; several as a bare YAML or JSON list, as calicoctl get prints named resources.</summary>
    Array,
}

/// <summary>
/// Writes v3 resources as calicoctl prints them with -o yaml or -o json. The JSON is <see cref="ResourceJson"/>'s
/// (Go's field order and omitempty) indented as Go's MarshalIndent; the YAML is that JSON re-emitted by
/// <see cref="YamlEmitter"/>. Both end with a line break, as calicoctl's output does.
/// </summary>
public static class ManifestWriter
{
    private const string ListKind = "List";
    private const string ListApiVersion = "v1";

    public static string ToYaml(CalicoResource resource) => ToYaml([resource]);

    public static string ToJson(CalicoResource resource) => ToJson([resource]);

    /// <param name="listResourceVersion">metadata.resourceVersion of a <see cref="ManifestShape.KindList"/> (the datastore revision).</param>
    public static string ToYaml(IReadOnlyList<CalicoResource> resources, ManifestShape shape = ManifestShape.List, string? listResourceVersion = null)
    {
        var json = new GoJsonWriter();
        Write(json, resources, shape, listResourceVersion);
        return YamlEmitter.Write(JsonTree.Parse(json.ToString()));
    }

    /// <param name="listResourceVersion">metadata.resourceVersion of a <see cref="ManifestShape.KindList"/> (the datastore revision).</param>
    public static string ToJson(IReadOnlyList<CalicoResource> resources, ManifestShape shape = ManifestShape.List, string? listResourceVersion = null)
    {
        var json = new GoJsonWriter(indent: true);
        Write(json, resources, shape, listResourceVersion);
        return json + "\n";
    }

    private static void Write(GoJsonWriter w, IReadOnlyList<CalicoResource> resources, ManifestShape shape, string? listResourceVersion)
    {
        ArgumentNullException.ThrowIfNull(resources);
        if (resources.Count == 1 && shape != ManifestShape.KindList)
        {
            ResourceJson.Write(w, resources[0]);
            return;
        }
        switch (shape)
        {
            case ManifestShape.Array:
                WriteItems(w, resources);
                break;
            case ManifestShape.List:
                // metav1.List: TypeMeta, then an empty ListMeta, then the items.
                w.StartObject().Name("kind").String(ListKind).Name("apiVersion").String(ListApiVersion)
                    .Name("metadata").StartObject().EndObject().Name("items");
                WriteItems(w, resources);
                w.EndObject();
                break;
            case ManifestShape.KindList:
                w.StartObject().Name("kind").String(KindListName(resources)).Name("apiVersion").String(CalicoResource.ApiVersionV3)
                    .Name("metadata").StartObject().OptString("resourceVersion", listResourceVersion).EndObject().Name("items");
                WriteItems(w, resources);
                w.EndObject();
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(shape), shape, null);
        }
    }

    private static void WriteItems(GoJsonWriter w, IReadOnlyList<CalicoResource> resources)
    {
        w.StartArray();
        foreach (var r in resources) ResourceJson.Write(w, r);
        w.EndArray();
    }

    private static string KindListName(IReadOnlyList<CalicoResource> resources)
    {
        if (resources.Count == 0) throw new ArgumentException("a KindList needs at least one resource to take its kind from", nameof(resources));
        var kind = resources[0].Kind;
        if (resources.Any(r => r.Kind != kind)) throw new ArgumentException("a KindList holds resources of one kind only", nameof(resources));
        return kind switch
        {
            IPPool.KindName => IPPool.ListKindName,
            Node.KindName => Node.ListKindName,
            _ => kind + "List",
        };
    }
}

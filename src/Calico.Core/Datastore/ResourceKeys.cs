using Calico.Resources;

namespace Calico.Datastore;

/// <summary>
/// Calico's etcd keys for v3 resources: /calico/resources/v3/projectcalico.org/&lt;plural&gt;/&lt;name&gt;, with no namespace
/// segment because IPPool and Node are cluster-scoped (libcalico-go model/resource.go).
/// </summary>
public static class ResourceKeys
{
    public const string Root = "/calico/resources/v3/projectcalico.org/";

    /// <summary>The kind name a resource type is stored under.</summary>
    public static string KindOf<T>() where T : CalicoResource =>
        typeof(T) == typeof(IPPool) ? IPPool.KindName
        : typeof(T) == typeof(Node) ? Node.KindName
        : throw new ArgumentException($"{typeof(T).Name} is not a resource the datastore holds (IPPool, Node)");

    public static string Plural(string kind) => kind switch
    {
        IPPool.KindName => "ippools",
        Node.KindName => "nodes",
        _ => throw new ArgumentException($"kind {kind} is not a resource the datastore holds (IPPool, Node)", nameof(kind)),
    };

    /// <summary>The list prefix of a kind, ending in '/' so that "ippools" never matches "ippoolsx".</summary>
    public static string Prefix(string kind) => Root + Plural(kind) + "/";

    public static string Key(string kind, string name) => Prefix(kind) + name;
}

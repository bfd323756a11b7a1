using System.Text.Json;
using Calico.Datastore;
using Calico.Resources;

namespace Calico.Client;

/// <summary>Nodes with libcalico-go's client rules (clientv3/node.go).</summary>
public sealed class NodeClient : ResourceClient<Node>
{
    private const string BgpConfigurationKey = "/calico/resources/v3/projectcalico.org/bgpconfigurations/default";

    internal NodeClient(CalicoClient client) : base(client)
    {
    }

    /// <summary>Creating a node initialises the datastore first, as Calico's Nodes().Create does.</summary>
    protected override Task CheckCreateAsync(Node node, CancellationToken cancellationToken) =>
        ClusterInformation.EnsureInitializedAsync(Resources.Store, cancellationToken);

    /// <summary>Nodes that set no AS number inherit the cluster's (BGPConfiguration "default"), shown in parentheses.</summary>
    protected override async Task DecorateAsync(IReadOnlyList<Node> nodes, CancellationToken cancellationToken)
    {
        if (!nodes.Any(n => n.Spec.BGP is not null && n.Spec.BGP.ASNumber is null)) return;
        var global = await ReadGlobalASNumberAsync(cancellationToken).ConfigureAwait(false);
        foreach (var node in nodes) node.GlobalASNumber = global;
    }

    private async Task<ASNumber?> ReadGlobalASNumberAsync(CancellationToken cancellationToken)
    {
        var kv = await Resources.Store.GetAsync(BgpConfigurationKey, cancellationToken).ConfigureAwait(false);
        if (kv is null) return null;
        try
        {
            using var doc = JsonDocument.Parse(kv.Value);
            if (doc.RootElement.TryGetProperty("spec", out var spec) && spec.TryGetProperty("asNumber", out var asn))
            {
                var text = asn.ValueKind == JsonValueKind.Number ? asn.GetRawText() : asn.GetString();
                if (ASNumber.TryParse(text, out var n)) return n;
            }
        }
        catch (JsonException)
        {
            // calicoctl prints "unknown" when it cannot read the configuration; the default stands in here.
        }
        return null;
    }

    /// <summary>
    /// Deletes a node and, as Calico does, what IPAM holds for it: its tunnel addresses and its block affinities.
    /// </summary>
    public override async Task<Node?> DeleteAsync(string name, string? resourceVersion = null, CancellationToken cancellationToken = default)
    {
        var deleted = await Resources.DeleteAsync<Node>(name, resourceVersion, cancellationToken).ConfigureAwait(false);
        await Client.ReleaseNodeIpamAsync(name, cancellationToken).ConfigureAwait(false);
        return deleted;
    }
}

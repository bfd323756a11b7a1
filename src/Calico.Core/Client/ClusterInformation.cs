using System.Text;
using Calico.Datastore;
using Calico.Serialization;

namespace Calico.Client;

/// <summary>
/// Calico's EnsureInitialized: the ClusterInformation "default" with a cluster GUID and datastoreReady, created
/// once by whichever client gets there first (libcalico-go clientv3/client.go ensureClusterInformation).
/// </summary>
internal static class ClusterInformation
{
    public const string Key = "/calico/resources/v3/projectcalico.org/clusterinformations/default";

    public static async Task EnsureInitializedAsync(IKeyValueStore store, CancellationToken cancellationToken)
    {
        if (await store.GetAsync(Key, cancellationToken).ConfigureAwait(false) is not null) return;
        var w = new GoJsonWriter().StartObject()
            .Name("kind").String("ClusterInformation")
            .Name("apiVersion").String(Resources.CalicoResource.ApiVersionV3)
            .Name("metadata").StartObject()
            .Name("name").String("default")
            .Name("uid").String(Guid.NewGuid().ToString())
            .Name("creationTimestamp").Time(DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds()))
            .EndObject()
            .Name("spec").StartObject()
            .Name("clusterGUID").String(Guid.NewGuid().ToString("N"))
            .Name("datastoreReady").Bool(true)
            .EndObject()
            .EndObject();
        try
        {
            await store.CreateAsync(Key, Encoding.UTF8.GetBytes(w.ToString()), cancellationToken).ConfigureAwait(false);
        }
        catch (ResourceAlreadyExistsException)
        {
            // Another client initialised the datastore first; theirs stands.
        }
    }
}

using Calico.Datastore;
using Calico.Net;

namespace Calico.Ipam;

/// <summary>A host's claim on a block that was given up.</summary>
public sealed record ReleasedAffinity(string Host, IPPrefix Block);

public sealed partial class IpamClient
{
    /// <summary>
    /// Gives up the affinities of blocks inside <paramref name="cidr"/>: of every host (what Calico does when a pool
    /// is deleted, libcalico-go ReleasePoolAffinities), or of one host. Empty blocks are deleted; blocks with
    /// addresses in use stay, unowned, so those addresses remain valid until released.
    /// </summary>
    /// <param name="mustBeEmpty">Only give up blocks with no address in use.</param>
    public async Task<IReadOnlyList<ReleasedAffinity>> ReleaseAffinitiesAsync(IPPrefix cidr, string? host = null, bool mustBeEmpty = false,
        CancellationToken cancellationToken = default)
    {
        var network = cidr.Network;
        var released = new List<ReleasedAffinity>();
        for (var round = 0; round < DatastoreRetries; round++)
        {
            var affinities = (await _store.ListAffinitiesAsync(host, 0, cancellationToken).ConfigureAwait(false))
                .Where(a => network.Contains(a.Cidr.Address)).ToList();
            var again = await ReleaseEachAsync(affinities, mustBeEmpty, released, cancellationToken).ConfigureAwait(false);
            // A block claimed by another host meanwhile: its affinity may be new, so look again (as Calico does).
            if (!again) return released;
        }
        throw TooManyRetries($"releasing affinities in {network}");
    }

    /// <summary>Gives up every affinity of one host, both families (libcalico-go ReleaseHostAffinities).</summary>
    public async Task<IReadOnlyList<ReleasedAffinity>> ReleaseHostAffinitiesAsync(string host, bool mustBeEmpty = false,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(host);
        var released = new List<ReleasedAffinity>();
        var affinities = await _store.ListAffinitiesAsync(host, 0, cancellationToken).ConfigureAwait(false);
        await ReleaseEachAsync(affinities, mustBeEmpty, released, cancellationToken).ConfigureAwait(false);
        return released;
    }

    /// <returns>True when some block turned out to belong to another host.</returns>
    private async Task<bool> ReleaseEachAsync(List<StoredAffinity> affinities, bool mustBeEmpty, List<ReleasedAffinity> released, CancellationToken ct)
    {
        var config = await GetConfigAsync(ct).ConfigureAwait(false);
        var claimedElsewhere = false;
        foreach (var affinity in affinities)
        {
            for (var attempt = 0; attempt < DatastoreRetries; attempt++)
            {
                try
                {
                    await _claims.ReleaseBlockAffinityAsync(affinity.Host, affinity.Cidr, config, mustBeEmpty, null, ct).ConfigureAwait(false);
                    released.Add(new ReleasedAffinity(affinity.Host, affinity.Cidr));
                }
                catch (ResourceConflictException)
                {
                    continue;
                }
                catch (BlockClaimConflictException)
                {
                    claimedElsewhere = true;
                }
                catch (Exception ex) when (ex is ResourceNotFoundException or BlockNotEmptyException)
                {
                }
                break;
            }
        }
        return claimedElsewhere;
    }
}

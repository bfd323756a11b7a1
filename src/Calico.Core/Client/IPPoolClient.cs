using Calico.Datastore;
using Calico.Ipam;
using Calico.Net;
using Calico.Resources;
using Calico.Serialization;
using Calico.Validation;

namespace Calico.Client;

/// <summary>IP pools with libcalico-go's client rules (clientv3/ippool.go) and the cross-subnet guard.</summary>
public sealed class IPPoolClient : ResourceClient<IPPool>
{
    internal IPPoolClient(CalicoClient client) : base(client)
    {
    }

    protected override void ApplyDefaults(IPPool pool) => ResourceDefaults.Apply(pool);

    /// <summary>A new pool may not overlap any pool (disabled ones included), nor blocks of another size.</summary>
    protected override async Task CheckCreateAsync(IPPool pool, CancellationToken cancellationToken)
    {
        var pools = await Resources.ListAsync<IPPool>(cancellationToken).ConfigureAwait(false);
        var blocks = await ListBlockCidrsAsync(Resources.Store, pool.Prefix!.Value.Family, cancellationToken).ConfigureAwait(false);
        var errors = CreateErrors(pool, pools.Items, blocks);
        if (errors.Count > 0) throw new ResourceValidationException(pool.Kind, pool.Name, errors);
    }

    /// <summary>The CIDRs of the IPAM blocks of one address family.</summary>
    internal static async Task<IReadOnlyList<IPPrefix>> ListBlockCidrsAsync(IKeyValueStore store, int family, CancellationToken cancellationToken)
    {
        var blocks = await store.ListAsync(IpamKeys.BlockPrefix(family), cancellationToken).ConfigureAwait(false);
        var cidrs = new List<IPPrefix>(blocks.Items.Count);
        foreach (var block in blocks.Items)
            if (IpamKeys.TryDecodeBlockKey(block.Key, out var cidr)) cidrs.Add(cidr);
        return cidrs;
    }

    /// <summary>Why creating <paramref name="pool"/> next to these pools and blocks would be refused; empty when it would not.</summary>
    internal static List<FieldError> CreateErrors(IPPool pool, IEnumerable<IPPool> pools, IEnumerable<IPPrefix> blocks)
    {
        var cidr = pool.Prefix!.Value;
        var errors = new List<FieldError>();
        foreach (var other in pools)
        {
            if (other.Name == pool.Name || other.Prefix is not { } otherCidr) continue;
            if (otherCidr.Overlaps(cidr))
            {
                errors.Add(new FieldError
                {
                    Field = "spec.cidr", Value = pool.Cidr,
                    Message = $"IPPool({pool.Name}) CIDR overlaps with IPPool({other.Name}) CIDR {other.Cidr}",
                });
            }
        }
        foreach (var blockCidr in blocks)
        {
            if (blockCidr.PrefixLength != pool.Spec.BlockSize && blockCidr.Overlaps(cidr))
            {
                errors.Add(new FieldError
                {
                    Field = "spec.blockSize", Value = pool.Spec.BlockSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    Message = $"IPPool blocksSize conflicts with existing allocations that use a different blockSize (block {blockCidr})",
                });
                break;
            }
        }
        return errors;
    }

    protected override async Task CheckWriteAsync(IPPool pool, IPPool? current, WriteOptions options, CancellationToken cancellationToken)
    {
        if (options.AllowNodesWithoutSubnet || !CrossSubnetGuard.BecomesCrossSubnet(pool, current)) return;
        var nodes = await Resources.ListAsync<Node>(cancellationToken).ConfigureAwait(false);
        var offending = CrossSubnetGuard.NodesWithoutSubnet(pool, current, nodes.Items);
        if (offending.Count > 0) throw new CrossSubnetGuardException(pool, offending);
    }

    /// <summary>
    /// Calico deletes a pool in steps, so IPAM stops using it first: disable it (if enabled), then release the
    /// block affinities within its CIDR, then delete it.
    /// </summary>
    public override async Task<IPPool?> DeleteAsync(string name, string? resourceVersion = null, CancellationToken cancellationToken = default)
    {
        var pool = await Resources.GetAsync<IPPool>(name, cancellationToken).ConfigureAwait(false);
        if (!string.IsNullOrEmpty(resourceVersion) && resourceVersion != pool.ResourceVersion)
        {
            throw new ResourceConflictException(
                $"IPPool({name}): resource version '{resourceVersion}' is out of date (latest: {pool.ResourceVersion})",
                Resources.Store.Location, ResourceKeys.Key(IPPool.KindName, name), null, pool);
        }
        if (!pool.Spec.Disabled)
        {
            var disabled = pool.Clone();
            disabled.Spec.Disabled = true;
            pool = await Resources.UpdateAsync(disabled, cancellationToken).ConfigureAwait(false);
        }
        if (pool.Prefix is { } cidr) await Client.ReleasePoolAffinitiesAsync(cidr, cancellationToken).ConfigureAwait(false);
        return await Resources.DeleteAsync<IPPool>(name, pool.ResourceVersion, cancellationToken).ConfigureAwait(false);
    }
}

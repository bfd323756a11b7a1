using System.Net;
using Calico.Datastore;
using Calico.Net;
using Calico.Resources;

namespace Calico.Ipam;

/// <summary>
/// Gives a node the tunnel addresses calico-node would (node/pkg/allocateip reconcileTunnelAddrs): one address per
/// encapsulation from the pools that use it, under the handle "ipip-tunnel-addr-&lt;node&gt;" (or vxlan-…) with the
/// attributes {"node","type"}. A current address is kept only while IPAM says it is this node's tunnel address and
/// it lies in an eligible pool; an address with no eligible pool left is cleared and released. The node is not
/// written here: the caller writes the returned node through its resource store.
/// </summary>
public sealed class TunnelAddressAllocator
{
    private static readonly TunnelAddressType[] Order = [TunnelAddressType.IPIP, TunnelAddressType.VXLAN, TunnelAddressType.VXLANV6];

    private readonly IKeyValueStore _store;
    private readonly TimeProvider? _clock;

    public TunnelAddressAllocator(IKeyValueStore store, TimeProvider? clock = null)
    {
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _clock = clock;
    }

    /// <summary>The CIDRs of the pools a tunnel address of this type may come from, for this node.</summary>
    public static IReadOnlyList<IPPrefix> EligiblePools(Node node, IEnumerable<IPPool> pools, TunnelAddressType type) =>
        TunnelAddressTypes.EligiblePools(node, pools, type).Select(p => p.Cidr).ToList();

    /// <summary>
    /// Reconciles the node's IPIP, VXLAN and IPv6 VXLAN tunnel addresses against <paramref name="pools"/> (every
    /// pool, disabled ones included). On failure, addresses assigned during this call are released again.
    /// </summary>
    /// <exception cref="IpamException">An address could not be assigned, or a stored address is not an IP address.</exception>
    public async Task<TunnelAddressResult> ReconcileAsync(Node node, IReadOnlyList<IPPool> pools, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(pools);
        var updated = node.Clone();
        var ipam = new IpamClient(_store, new IpamCluster(pools, [node]), _clock);
        var changes = new List<TunnelAddressChange>();
        var assigned = new List<TunnelAddressType>();
        try
        {
            foreach (var type in Order)
            {
                var eligible = TunnelAddressTypes.EligiblePools(node, pools, type);
                var change = eligible.Count > 0
                    ? await EnsureAsync(ipam, updated, type, eligible, cancellationToken).ConfigureAwait(false)
                    : await RemoveAsync(ipam, updated, type, cancellationToken).ConfigureAwait(false);
                if (change.Action is TunnelAddressAction.Assigned or TunnelAddressAction.Reassigned) assigned.Add(type);
                changes.Add(change);
            }
        }
        catch
        {
            foreach (var type in assigned) await TryReleaseHandleAsync(ipam, TunnelAddressTypes.Handle(type, node.Name)).ConfigureAwait(false);
            throw;
        }
        var changed = Order.Any(t => TunnelAddressTypes.Get(node, t) != TunnelAddressTypes.Get(updated, t)) || (node.Spec.BGP is null) != (updated.Spec.BGP is null);
        return new TunnelAddressResult(updated, changed, changes);
    }

    /// <summary>allocateip.go ensureHostTunnelAddress.</summary>
    private static async Task<TunnelAddressChange> EnsureAsync(IpamClient ipam, Node node, TunnelAddressType type, List<IpamPool> eligible,
        CancellationToken ct)
    {
        var current = TunnelAddressTypes.Get(node, type);
        var handle = TunnelAddressTypes.Handle(type, node.Name);
        var release = false;
        string reason;
        if (string.IsNullOrEmpty(current))
        {
            // Defensively release the handle: IPAM may still hold an address the node lost track of.
            release = true;
            reason = "the node had no address";
        }
        else
        {
            var address = ParseAddress(node, type, current);
            var owner = await ipam.GetAssignmentAttributesAsync(address, ct).ConfigureAwait(false);
            var attributes = owner?.Secondary;
            if (owner is null)
            {
                release = true;
                reason = $"{current} is not assigned in IPAM";
            }
            else if (attributes is not null && attributes.GetValueOrDefault(AllocationAttribute.TypeKey) == TunnelAddressTypes.AttributeType(type)
                && attributes.GetValueOrDefault(AllocationAttribute.NodeKey) == node.Name)
            {
                if (IpamPool.Containing(eligible, address) is not null)
                    return new TunnelAddressChange(type, TunnelAddressAction.Kept, current, current, $"{current} is this node's {TunnelAddressTypes.AttributeType(type)} in an eligible pool");
                release = true;
                reason = $"{current} is no longer in an eligible pool";
            }
            else if (attributes is null || attributes.Count == 0)
            {
                if (owner.HandleId is not null)
                {
                    // Workload addresses have always had a handle: this one belongs to a pod; leave it alone.
                    reason = $"{current} belongs to handle {owner.HandleId}";
                }
                else
                {
                    // A tunnel address from before Calico used handles: give it the handle and attributes, keeping it.
                    if (await TryAdoptAsync(ipam, node, type, address, ct).ConfigureAwait(false))
                        return new TunnelAddressChange(type, TunnelAddressAction.Kept, current, current, $"{current} was re-assigned with handle {handle}");
                    reason = $"{current} was taken while being re-assigned with a handle";
                }
            }
            else
            {
                reason = $"{current} is assigned to {Describe(attributes)}";
            }
        }

        if (release) await TryReleaseHandleAsync(ipam, handle).ConfigureAwait(false);
        var assignment = await ipam.AutoAssignAsync(new AutoAssignArgs
        {
            Host = node.Name,
            Count = 1,
            Family = TunnelAddressTypes.Family(type),
            HandleId = handle,
            Attributes = TunnelAddressTypes.Attributes(type, node.Name),
            IntendedUse = IPPoolAllowedUse.Tunnel,
            Pools = eligible.Select(p => p.Cidr).ToList(),
        }, ct).ConfigureAwait(false);
        assignment.ThrowIfIncomplete();
        var assigned = assignment.Addresses[0].ToString();
        TunnelAddressTypes.Set(node, type, assigned);
        return new TunnelAddressChange(type, string.IsNullOrEmpty(current) ? TunnelAddressAction.Assigned : TunnelAddressAction.Reassigned,
            string.IsNullOrEmpty(current) ? null : current, assigned, reason);
    }

    /// <summary>allocateip.go correctAllocationWithHandle.</summary>
    private static async Task<bool> TryAdoptAsync(IpamClient ipam, Node node, TunnelAddressType type, IPAddress address, CancellationToken ct)
    {
        await ipam.ReleaseIPsAsync([new ReleaseOptions(address)], ct).ConfigureAwait(false);
        try
        {
            await ipam.AssignIPAsync(new AssignIPArgs
            {
                Address = address,
                Host = node.Name,
                HandleId = TunnelAddressTypes.Handle(type, node.Name),
                Attributes = TunnelAddressTypes.Attributes(type, node.Name),
            }, ct).ConfigureAwait(false);
            return true;
        }
        catch (IpamException ex) when (ex.Reason == IpamErrorReason.AddressInUse)
        {
            return false;
        }
    }

    /// <summary>allocateip.go removeHostTunnelAddr.</summary>
    private static async Task<TunnelAddressChange> RemoveAsync(IpamClient ipam, Node node, TunnelAddressType type, CancellationToken ct)
    {
        var current = TunnelAddressTypes.Get(node, type);
        TunnelAddressTypes.Clear(node, type);
        var handle = TunnelAddressTypes.Handle(type, node.Name);
        var hadHandle = await TryReleaseHandleAsync(ipam, handle).ConfigureAwait(false);
        var reason = $"no pool is eligible for {TunnelAddressTypes.AttributeType(type)}";
        if (!hadHandle && !string.IsNullOrEmpty(current) && IPParser.TryParse(current, out var address))
        {
            // No handle: the address may predate handles (no owner recorded) or the handle itself was lost.
            AllocationAttribute? owner;
            try
            {
                owner = await ipam.GetAssignmentAttributesAsync(address, ct).ConfigureAwait(false);
            }
            catch (IpamException ex) when (ex.Reason == IpamErrorReason.AddressInCooldown)
            {
                owner = null;
            }
            if (owner is not null)
            {
                if ((owner.Secondary is null || owner.Secondary.Count == 0) && owner.HandleId is null)
                    await ipam.ReleaseIPsAsync([new ReleaseOptions(address)], ct).ConfigureAwait(false);
                else if (owner.HandleId == handle)
                    await ipam.ReleaseIPsAsync([new ReleaseOptions(address, handle)], ct).ConfigureAwait(false);
                else
                    reason += $"; {current} has been reused by {Describe(owner.Secondary)} and is left assigned";
            }
        }
        return string.IsNullOrEmpty(current)
            ? new TunnelAddressChange(type, TunnelAddressAction.None, null, null, reason)
            : new TunnelAddressChange(type, TunnelAddressAction.Released, current, null, reason);
    }

    /// <returns>False when the handle did not exist.</returns>
    private static async Task<bool> TryReleaseHandleAsync(IpamClient ipam, string handle)
    {
        try
        {
            await ipam.ReleaseByHandleAsync(handle).ConfigureAwait(false);
            return true;
        }
        catch (ResourceNotFoundException)
        {
            return false;
        }
    }

    private static IPAddress ParseAddress(Node node, TunnelAddressType type, string text) =>
        IPParser.TryParse(text, out var address) ? address
        : throw new IpamException(IpamErrorReason.InvalidRequest,
            $"Node {node.Name} {TunnelAddressTypes.FieldPath(type)} '{text}' is not an IP address, so it cannot be checked against IPAM");

    private static string Describe(IReadOnlyDictionary<string, string>? attributes) =>
        attributes is null || attributes.Count == 0 ? "an owner with no attributes"
        : string.Join(", ", attributes.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => $"{a.Key}={a.Value}"));
}

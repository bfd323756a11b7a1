using Calico.Ipam;
using Calico.Net;
using Calico.Resources;

namespace Calico.Client;

/// <summary>How the node's IPv4 address changed when it registered, and why.</summary>
public sealed record NodeAddressChange(string? OldAddress, string? NewAddress, string Reason)
{
    public override string ToString() => $"{OldAddress ?? "(none)"} → {NewAddress ?? "(none)"}: {Reason}";
}

/// <summary>What registering a node did: the node as stored, whether it was created or changed, and why.</summary>
public sealed class NodeRegistration
{
    internal NodeRegistration(Node node, ApplyAction action, NodeAddressChange? address, IReadOnlyList<TunnelAddressChange> tunnelAddresses)
    {
        Node = node;
        Action = action;
        AddressChange = address;
        TunnelAddresses = tunnelAddresses;
    }

    public string Name => Node.Name;
    public Node Node { get; }
    public ApplyAction Action { get; }
    /// <summary>Null when the stored address was already right.</summary>
    public NodeAddressChange? AddressChange { get; }
    public IReadOnlyList<TunnelAddressChange> TunnelAddresses { get; }
    public string? IPv4Address => Node.IPv4Address;
    public IPPrefix? IPv4Subnet => Node.IPv4Subnet;
}

/// <summary>Another node already has the address this node registers with (calico-node refuses to start then).</summary>
public sealed class NodeAddressClashException : InvalidOperationException
{
    public NodeAddressClashException(string node, string address, IReadOnlyList<string> others)
        : base($"Node {node} cannot take {address}: node(s) {string.Join(", ", others)} already have that address "
            + "(calico-node refuses to start then; use -Force, calico-node's DISABLE_NODE_IP_CHECK, if it is really meant).")
    {
        Others = others;
    }

    public IReadOnlyList<string> Others { get; }
}

/// <summary>
/// What calico-node does at start-up, for one host: store the node with its detected address (and subnet), then give it
/// the tunnel addresses its pools need (releasing those no pool needs). Unlike calico-node, a node stored without a
/// subnet (the pre-v2.1 /32) whose host has a real prefix is fixed, and the fix is reported.
/// </summary>
public static class NodeRegistrar
{
    /// <param name="ipv4Address">The host's address with its interface's prefix (from autodetection), or null to keep what is stored.</param>
    public static async Task<NodeRegistration> RegisterAsync(CalicoClient client, string name, IPPrefix? ipv4Address,
        bool allowAddressClash = false, WriteOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= WriteOptions.Default;
        var current = await client.Nodes.TryGetAsync(name, cancellationToken).ConfigureAwait(false);
        var node = current?.Clone() ?? new Node { Name = name };
        var addressChange = ipv4Address is { } address ? SetAddress(node, address) : null;
        if (addressChange is not null && !allowAddressClash)
            await CheckClashAsync(client, name, ipv4Address!.Value, cancellationToken).ConfigureAwait(false);

        var applied = await client.Nodes.ApplyAsync(node, options, cancellationToken).ConfigureAwait(false);
        if (options.DryRun) return new NodeRegistration(applied.Resource, applied.Action, addressChange, Array.Empty<TunnelAddressChange>());

        var pools = (await client.IPPools.ListAsync(cancellationToken).ConfigureAwait(false)).Items;
        var tunnels = await new TunnelAddressAllocator(client.Store).ReconcileAsync(applied.Resource, pools, cancellationToken).ConfigureAwait(false);
        var stored = applied.Resource;
        var action = applied.Action;
        if (tunnels.NodeChanged)
        {
            stored = await client.Nodes.UpdateAsync(tunnels.Node, options, cancellationToken).ConfigureAwait(false);
            if (action == ApplyAction.Unchanged) action = ApplyAction.Updated;
        }
        return new NodeRegistration(stored, action, addressChange, tunnels.Changes);
    }

    private static NodeAddressChange? SetAddress(Node node, IPPrefix address)
    {
        var old = node.IPv4Address;
        var text = address.ToString();
        if (old == text) return null;
        node.Spec.BGP ??= new NodeBGPSpec();
        node.Spec.BGP.IPv4Address = text;
        var sameHost = IPPrefix.TryParseAddressOrPrefix(old, out var oldPrefix, out var hadPrefix) && oldPrefix.Address.Equals(address.Address);
        var reason = old is null ? "the node had no IPv4 address"
            : sameHost && (!hadPrefix || oldPrefix.PrefixLength == oldPrefix.MaxPrefixLength) && address.PrefixLength < address.MaxPrefixLength
                ? $"stored without a subnet (the pre-v2.1 problem, which breaks CrossSubnet); fixed to /{address.PrefixLength}, subnet {address.Network}"
            : sameHost ? $"the interface's prefix is /{address.PrefixLength}, not /{oldPrefix.PrefixLength}"
            : "the host's address changed";
        return new NodeAddressChange(old, text, reason);
    }

    private static async Task CheckClashAsync(CalicoClient client, string name, IPPrefix address, CancellationToken cancellationToken)
    {
        var nodes = (await client.Nodes.ListAsync(cancellationToken).ConfigureAwait(false)).Items;
        var others = nodes
            .Where(n => n.Name != name && IPPrefix.TryParseAddressOrPrefix(n.IPv4Address, out var p, out _) && p.Address.Equals(address.Address))
            .Select(n => n.Name)
            .ToList();
        if (others.Count > 0) throw new NodeAddressClashException(name, address.Address.ToString(), others);
    }
}

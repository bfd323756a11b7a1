namespace Calico.Routing;

/// <summary>
/// One destination as felix's L3 route resolver describes it to the route managers: its pool type, its node, and the
/// flags of proto.RouteUpdate that the managers read (l3_route_resolver.go:693-896).
/// </summary>
internal readonly record struct RouteResolution
{
    public required NetKey Key { get; init; }
    public required PoolVerdict Pool { get; init; }
    /// <summary>rt.DstNodeName: the last of block node, host-address owner, tunnel-address owner on the path.</summary>
    public string? Node { get; init; }
    /// <summary>The block this destination comes from, and the node of the block that holds it, if another one does.</summary>
    public BlockFacts? Block { get; init; }
    public string? EnclosingHost { get; init; }
    public bool Borrowed { get; init; }
    public bool LocalWorkload { get; init; }
    public bool RemoteWorkload { get; init; }
    public bool RemoteTunnel { get; init; }

    public int Family => Key.Family;

    /// <summary>
    /// Whether a route manager of the destination's pool type takes it as a remote route: a remote workload block or
    /// address (route_mgr.go:188), a remote tunnel address that is also a workload entry (isRemoteTunnelRoute, 157-160),
    /// or a borrowed remote tunnel address (isBorrowedRoute, 164-167).
    /// </summary>
    public bool WantsRoute => RemoteWorkload || (RemoteTunnel && Borrowed);

    /// <summary>routeIsLocalBlock (route_mgr.go:266-299): a local block that is not a single address gets a blackhole.</summary>
    public bool IsLocalBlock => LocalWorkload && !Key.IsHost;

    /// <summary>vxlan_mgr.go:267: the destination is a remote VTEP's own address, routed straight on the VXLAN device.</summary>
    public bool IsRemoteTunnelAddress => RemoteTunnel && (RemoteWorkload || Borrowed);

    /// <summary>
    /// Resolves <paramref name="destination"/> for <paramref name="localNode"/> as felix's flush does. Every name here
    /// comes interned from <paramref name="cluster"/>, so names compare by reference.
    /// </summary>
    public static RouteResolution Resolve(Destination destination, ClusterIndex cluster, string localNode)
    {
        var key = destination.Key;
        var contribution = destination.Contribution;
        var block = contribution?.Block;
        // The block that holds the destination, when the destination is an address of its own (a borrowed /32 or a
        // tunnel address); its node is the first block entry on the path (l3_route_resolver.go:754-763).
        string? enclosing;
        if (block is not null) enclosing = block.Key.Length < key.Length ? block.Host : null;
        else
        {
            block = cluster.Blocks.FindEnclosing(key);
            enclosing = block?.Host;
        }

        string? node = null, firstBlockNode = null;
        bool blockSeen = false, borrowed = false, blockLocal = false, blockRemote = false;
        void SeeBlock(string blockNode)
        {
            if (blockSeen && !NodeNames.Same(firstBlockNode, blockNode)) borrowed = true;
            else
            {
                blockSeen = true;
                firstBlockNode = blockNode;
            }
            node = blockNode;
            if (NodeNames.Same(blockNode, localNode)) blockLocal = true; else blockRemote = true;
        }

        if (enclosing is not null) SeeBlock(enclosing);
        var blockMatchesRoute = false;
        if (contribution is { } c)
        {
            SeeBlock(c.Node);
            blockMatchesRoute = true;
        }

        bool hostRef = false, tunnelRef = false, remoteTunnel = false;
        if (key.IsHost)
        {
            if (cluster.HostAddressOwner(key) is { } hostOwner)
            {
                node = hostOwner;
                hostRef = true;
            }
            if (cluster.TunnelAddressOwner(key) is { } tunnelOwner)
            {
                node = tunnelOwner;
                tunnelRef = true;
                if (blockSeen && !NodeNames.Same(firstBlockNode, tunnelOwner)) borrowed = true;
                remoteTunnel = !NodeNames.Same(tunnelOwner, localNode);
            }
        }

        // A host address never takes a block's workload type, nor does a tunnel address merely inside a block (849-863).
        var applyBlockTypes = blockSeen && !hostRef && (blockMatchesRoute || !tunnelRef);
        return new RouteResolution
        {
            Key = key,
            Pool = cluster.Pools.Resolve(key),
            Node = node,
            Block = block,
            EnclosingHost = enclosing,
            Borrowed = borrowed,
            LocalWorkload = applyBlockTypes && blockLocal,
            RemoteWorkload = applyBlockTypes && blockRemote,
            RemoteTunnel = remoteTunnel,
        };
    }
}

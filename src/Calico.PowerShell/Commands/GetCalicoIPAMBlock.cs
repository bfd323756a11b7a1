using System.Management.Automation;
using Calico.Analysis;
using Calico.Ipam;
using Calico.PowerShell.Completion;
using Calico.PowerShell.Infrastructure;

namespace Calico.PowerShell.Commands;

/// <summary>
/// calicoctl ipam show --show-blocks, with more: every IPAM block with its affinity host, pool, size, addresses in use
/// and free, and the addresses other nodes borrowed from it. Filters combine; each is quiet when it matches nothing.
/// </summary>
[Cmdlet(VerbsCommon.Get, "CalicoIPAMBlock")]
[OutputType(typeof(IpamBlockInfo))]
public sealed class GetCalicoIPAMBlockCommand : CalicoCmdlet
{
    private DestinationFilter? _cidr;

    /// <summary>Only blocks affine to these nodes (wildcards).</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(NodeNameCompleter))]
    public string[]? Node { get; set; }

    /// <summary>Only blocks in these pools, by pool name (wildcards).</summary>
    [Parameter]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(IPPoolNameCompleter))]
    public string[]? Pool { get; set; }

    /// <summary>Only the block holding this address, or the blocks overlapping this CIDR.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? Cidr { get; set; }

    protected override void ProcessRecord()
    {
        if (!IpamFilters.TryParseRange(this, Cidr, nameof(Cidr), out _cidr)) return;
        if (ReadReportingUnreadable(Client.Ipam.GetBlocksAsync, Cidr ?? (object?)Node) is not { } blocks) return;
        var nodes = new NameFilter(Node);
        var pools = new NameFilter(Pool);
        foreach (var block in blocks)
        {
            if (!nodes.IsEmpty && !(block.Host is { } host && nodes.Matches(host))) continue;
            if (!pools.IsEmpty && !(block.Pool is { } pool && pools.Matches(pool))) continue;
            if (_cidr is not null && !IpamFilters.Holds(_cidr, block.Cidr)) continue;
            WriteObject(block);
        }
    }
}

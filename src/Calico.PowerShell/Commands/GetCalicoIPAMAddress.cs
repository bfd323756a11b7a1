using System.Management.Automation;
using Calico.Analysis;
using Calico.Ipam;
using Calico.PowerShell.Completion;
using Calico.PowerShell.Infrastructure;

namespace Calico.PowerShell.Commands;

/// <summary>
/// calicoctl ipam show --ip, for every assigned address at once: the address, its handle, the node it was given to,
/// what it is (a pod, a tunnel address), its block and its attributes. Filters combine; each is quiet when it matches
/// nothing.
/// </summary>
[Cmdlet(VerbsCommon.Get, "CalicoIPAMAddress")]
[OutputType(typeof(IpamAddressInfo))]
public sealed class GetCalicoIPAMAddressCommand : CalicoCmdlet
{
    private DestinationFilter? _address;

    /// <summary>Only addresses given to these nodes, by their "node" attribute (wildcards).</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(NodeNameCompleter))]
    public string[]? Node { get; set; }

    /// <summary>Only addresses under these handles (wildcards).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    public string[]? Handle { get; set; }

    /// <summary>Only this address, or the addresses in this CIDR (a block or a pool piped in binds its CIDR here).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("Cidr")]
    [ValidateNotNullOrEmpty]
    public string? Address { get; set; }

    protected override void ProcessRecord()
    {
        if (!IpamFilters.TryParseRange(this, Address, nameof(Address), out _address)) return;
        var addresses = ReadReportingUnreadable((unreadable, ct) => Client.Ipam.GetAllocationsAsync(null, null, unreadable, ct), Address ?? (object?)Node);
        if (addresses is null) return;
        var nodes = new NameFilter(Node);
        var handles = new NameFilter(Handle);
        foreach (var address in addresses)
        {
            if (!nodes.IsEmpty && !(address.Node is { } node && nodes.Matches(node))) continue;
            if (!handles.IsEmpty && !(address.Handle is { } handle && handles.Matches(handle))) continue;
            if (_address is not null && !_address.Prefix.Contains(address.Address)) continue;
            WriteObject(address);
        }
    }
}

using System.Management.Automation;
using System.Net;
using Calico.Net;
using Calico.PowerShell.Completion;
using Calico.PowerShell.Infrastructure;
using Calico.Resources;

namespace Calico.PowerShell.Commands;

/// <summary>Gets IP pools from the datastore, by name (wildcards) or by CIDR.</summary>
[Cmdlet(VerbsCommon.Get, "CalicoIPPool", DefaultParameterSetName = NameSet)]
[OutputType(typeof(IPPool))]
public sealed class GetCalicoIPPoolCommand : CalicoCmdlet
{
    private const string NameSet = "Name";
    private const string CidrSet = "Cidr";

    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = NameSet)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(IPPoolNameCompleter))]
    public string[]? Name { get; set; }

    /// <summary>Pools with this CIDR; or, for a bare address, the pools that contain it.</summary>
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = CidrSet)]
    [ValidateNotNullOrEmpty]
    public string[] Cidr { get; set; } = Array.Empty<string>();

    protected override void ProcessRecord()
    {
        var pools = ListNamed(Client.IPPools, ParameterSetName == CidrSet ? null : Name);
        if (pools is null) return;
        var selected = ParameterSetName == CidrSet ? ByCidr(pools) : pools;
        foreach (var pool in selected) WriteObject(pool);
    }

    private List<IPPool> ByCidr(IReadOnlyList<IPPool> pools)
    {
        var matched = new List<IPPool>();
        foreach (var text in Cidr)
        {
            Func<IPPrefix, bool> test;
            if (IPPrefix.TryParse(text, out var cidr)) test = p => p.Network == cidr.Network;
            else if (IPParser.TryParse(text, out IPAddress address)) test = p => p.Contains(address);
            else
            {
                WriteError(new ErrorRecord(new PSArgumentException($"'{text}' is neither a CIDR nor an IP address."),
                    "InvalidCidr", ErrorCategory.InvalidArgument, text));
                continue;
            }
            var found = pools.Where(p => p.Prefix is { } prefix && test(prefix)).ToList();
            if (found.Count == 0)
                WriteError(new ErrorRecord(new ItemNotFoundException($"No IPPool has CIDR {text} in the {Client.Location}."),
                    "ResourceNotFound", ErrorCategory.ObjectNotFound, text));
            matched.AddRange(found.Where(f => !matched.Contains(f)));
        }
        return matched;
    }
}

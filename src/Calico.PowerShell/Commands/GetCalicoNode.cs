using System.Management.Automation;
using Calico.Net;
using Calico.PowerShell.Completion;
using Calico.PowerShell.Infrastructure;
using Calico.Resources;
using Calico.Selectors;

namespace Calico.PowerShell.Commands;

/// <summary>
/// Gets nodes from the datastore: by name (wildcards), by the subnet their IPv4 address lies in, those stored without
/// a subnet (a /32 or no prefix: the seed's pre-v2.1 problem), or by a Calico label selector. Filters combine.
/// </summary>
[Cmdlet(VerbsCommon.Get, "CalicoNode")]
[OutputType(typeof(Node))]
public sealed class GetCalicoNodeCommand : CalicoCmdlet
{
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(NodeNameCompleter))]
    public string[]? Name { get; set; }

    /// <summary>Only nodes whose IPv4 address lies in this subnet, e.g. 10.0.2.0/24.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Subnet { get; set; }

    /// <summary>Only nodes whose IPv4 address is stored without a real subnet (a /32, or no prefix).</summary>
    [Parameter]
    public SwitchParameter MissingSubnet { get; set; }

    /// <summary>Only nodes whose labels match this Calico selector, e.g. 'zone == "a" &amp;&amp; has(rack)'.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Selector { get; set; }

    private IPPrefix? _subnet;
    private Selector? _selector;

    protected override void BeginProcessing()
    {
        if (Subnet is not null)
        {
            if (!IPPrefix.TryParse(Subnet, out var subnet))
                ThrowTerminatingError(new ErrorRecord(new PSArgumentException($"-Subnet '{Subnet}' is not a CIDR such as 10.0.2.0/24."),
                    "InvalidSubnet", ErrorCategory.InvalidArgument, Subnet));
            _subnet = subnet.Network;
        }
        if (Selector is not null)
        {
            if (!Selectors.Selector.TryParse(Selector, out var selector, out var error))
                ThrowTerminatingError(new ErrorRecord(new PSArgumentException($"-Selector '{Selector}' is not a valid Calico selector: {error}"),
                    "InvalidSelector", ErrorCategory.InvalidArgument, Selector));
            _selector = selector;
        }
    }

    protected override void ProcessRecord()
    {
        var named = ListNamed(Client.Nodes, Name);
        if (named is null) return;
        foreach (var node in named.Where(Selected))
            WriteObject(node);
    }

    private bool Selected(Node node)
    {
        if (_subnet is { } subnet && !(IPPrefix.TryParseAddressOrPrefix(node.IPv4Address, out var address, out _) && subnet.Contains(address.Address)))
            return false;
        if (MissingSubnet && !(node.IPv4Address is not null && node.IPv4Subnet is null)) return false;
        if (_selector is not null && !_selector.Matches(node.Metadata.Labels)) return false;
        return true;
    }
}

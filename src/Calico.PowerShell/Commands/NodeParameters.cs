using System.Management.Automation;
using Calico.PowerShell.Infrastructure;
using Calico.Resources;

namespace Calico.PowerShell.Commands;

/// <summary>The node settings New-CalicoNode and Set-CalicoNode share; only the parameters given change a node.</summary>
public abstract class NodeParameters : CalicoCmdlet
{
    /// <summary>The node's IPv4 address with its subnet's prefix length, e.g. 10.0.2.15/24; an empty string removes it.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [AllowEmptyString]
    public string? IPv4Address { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [AllowEmptyString]
    public string? IPv6Address { get; set; }

    /// <summary>The node's AS number (plain, or dotted a.b); $null to inherit the cluster's.</summary>
    [Parameter]
    [AllowNull]
    [ASNumberTransformation]
    public ASNumber? ASNumber { get; set; }

    [Parameter]
    [AllowEmptyString]
    public string? RouteReflectorClusterID { get; set; }

    [Parameter]
    public System.Collections.Hashtable? Labels { get; set; }

    protected bool IsBound(string parameter) => MyInvocation.BoundParameters.ContainsKey(parameter);

    protected void ApplyParameters(Node node)
    {
        if (IsBound(nameof(IPv4Address))) Bgp(node).IPv4Address = Empty(IPv4Address);
        if (IsBound(nameof(IPv6Address))) Bgp(node).IPv6Address = Empty(IPv6Address);
        if (IsBound(nameof(ASNumber))) Bgp(node).ASNumber = ASNumber;
        if (IsBound(nameof(RouteReflectorClusterID))) Bgp(node).RouteReflectorClusterID = Empty(RouteReflectorClusterID);
        if (IsBound(nameof(Labels))) node.Metadata.Labels = LabelTable.ToLabels(Labels);
        // Calico refuses an empty bgp section, and calico-node clears it to null when nothing is left in it.
        if (node.Spec.BGP is { IsEmpty: true }) node.Spec.BGP = null;
    }

    private static NodeBGPSpec Bgp(Node node) => node.Spec.BGP ??= new NodeBGPSpec();

    private static string? Empty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}

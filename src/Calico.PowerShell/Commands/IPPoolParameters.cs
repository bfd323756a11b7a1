using System.Management.Automation;
using Calico.PowerShell.Infrastructure;
using Calico.Resources;

namespace Calico.PowerShell.Commands;

/// <summary>
/// The pool settings New-CalicoIPPool and Set-CalicoIPPool share. Only the parameters the user gave change a pool,
/// so Set-CalicoIPPool -NatOutgoing leaves the modes as they are and -NatOutgoing:$false turns NAT off. The value
/// parameters are nullable so that help shows no default: an omitted one means "unchanged" (Set) or Calico's default (New).
/// </summary>
public abstract class IPPoolParameters : CalicoCmdlet
{
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public IPIPMode? IPIPMode { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    public VXLANMode? VXLANMode { get; set; }

    [Parameter]
    public SwitchParameter NatOutgoing { get; set; }

    [Parameter]
    public SwitchParameter Disabled { get; set; }

    [Parameter]
    public SwitchParameter DisableBGPExport { get; set; }

    [Parameter]
    [ValidateRange(0, 128)]
    public int? BlockSize { get; set; }

    [Parameter]
    [AllowEmptyString]
    public string? NodeSelector { get; set; }

    [Parameter]
    [AllowEmptyString]
    public string? NamespaceSelector { get; set; }

    [Parameter]
    public IPPoolAllowedUse[]? AllowedUses { get; set; }

    [Parameter]
    public AssignmentMode? AssignmentMode { get; set; }

    /// <summary>Pool labels; they replace the pool's labels.</summary>
    [Parameter]
    public System.Collections.Hashtable? Labels { get; set; }

    protected bool IsBound(string parameter) => MyInvocation.BoundParameters.ContainsKey(parameter);

    /// <summary>Writes the given parameters into <paramref name="pool"/>.</summary>
    protected void ApplyParameters(IPPool pool)
    {
        var spec = pool.Spec;
        if (IsBound(nameof(IPIPMode))) spec.IPIPMode = IPIPMode;
        if (IsBound(nameof(VXLANMode))) spec.VXLANMode = VXLANMode;
        if (IsBound(nameof(NatOutgoing))) spec.NatOutgoing = NatOutgoing.IsPresent;
        if (IsBound(nameof(Disabled))) spec.Disabled = Disabled.IsPresent;
        if (IsBound(nameof(DisableBGPExport))) spec.DisableBGPExport = DisableBGPExport.IsPresent;
        if (IsBound(nameof(BlockSize))) spec.BlockSize = BlockSize ?? 0;
        if (IsBound(nameof(NodeSelector))) spec.NodeSelector = string.IsNullOrEmpty(NodeSelector) ? null : NodeSelector;
        if (IsBound(nameof(NamespaceSelector))) spec.NamespaceSelector = string.IsNullOrEmpty(NamespaceSelector) ? null : NamespaceSelector;
        if (IsBound(nameof(AllowedUses))) spec.AllowedUses = AllowedUses?.Distinct().ToList();
        if (IsBound(nameof(AssignmentMode))) spec.AssignmentMode = AssignmentMode;
        if (IsBound(nameof(Labels))) pool.Metadata.Labels = LabelTable.ToLabels(Labels);
    }
}

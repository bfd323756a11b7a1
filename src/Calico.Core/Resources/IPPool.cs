using Calico.Net;

namespace Calico.Resources;

/// <summary>A projectcalico.org/v3 IPPool.</summary>
public sealed class IPPool : CalicoResource
{
    public const string KindName = "IPPool";
    public const string ListKindName = "IPPoolList";

    public override string Kind => KindName;
    public IPPoolSpec Spec { get; set; } = new();

    /// <summary>Kept as read, so a stored pool round-trips; Calico writes it, we never interpret it.</summary>
    public string? StatusJson { get; set; }

    // Flat views of the spec for tables, pipelines and Where-Object.
    public string Cidr => Spec.Cidr;
    public IPIPMode IPIPMode => Spec.IPIPMode ?? IPIPMode.Never;
    public VXLANMode VXLANMode => Spec.VXLANMode ?? VXLANMode.Never;
    public bool NatOutgoing => Spec.NatOutgoing;
    public bool Disabled => Spec.Disabled;
    public bool DisableBGPExport => Spec.DisableBGPExport;
    public string NodeSelector => string.IsNullOrEmpty(Spec.NodeSelector) ? "all()" : Spec.NodeSelector;
    public AssignmentMode AssignmentMode => Spec.AssignmentMode ?? AssignmentMode.Automatic;

    /// <summary>The parsed CIDR, or null when the text is not a CIDR.</summary>
    public IPPrefix? Prefix => IPPrefix.TryParse(Spec.Cidr, out var p) ? p : null;

    public IPPool Clone() => new() { Metadata = Metadata.Clone(), Spec = Spec.Clone(), StatusJson = StatusJson };
    public override CalicoResource CloneResource() => Clone();
}

public sealed class IPPoolSpec
{
    public string Cidr { get; set; } = "";
    public VXLANMode? VXLANMode { get; set; }
    public IPIPMode? IPIPMode { get; set; }
    public bool NatOutgoing { get; set; }
    public bool Disabled { get; set; }
    public bool DisableBGPExport { get; set; }
    /// <summary>0 means unset (the default for the family applies).</summary>
    public int BlockSize { get; set; }
    public string? NodeSelector { get; set; }
    public string? NamespaceSelector { get; set; }
    public List<IPPoolAllowedUse>? AllowedUses { get; set; }
    public AssignmentMode? AssignmentMode { get; set; }

    public IPPoolSpec Clone()
    {
        var c = (IPPoolSpec)MemberwiseClone();
        c.AllowedUses = AllowedUses is null ? null : new List<IPPoolAllowedUse>(AllowedUses);
        return c;
    }
}

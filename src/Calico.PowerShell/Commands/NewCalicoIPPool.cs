using System.Management.Automation;
using Calico.Client;
using Calico.Manifests;
using Calico.Net;
using Calico.Resources;

namespace Calico.PowerShell.Commands;

/// <summary>Creates an IP pool; fails when a pool of that name exists (Set-CalicoIPPool creates or changes).</summary>
[Cmdlet(VerbsCommon.New, "CalicoIPPool", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(IPPool))]
public sealed class NewCalicoIPPoolCommand : IPPoolParameters
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Cidr { get; set; } = "";

    /// <summary>The pool's name; by default the CIDR with '.', ':' and '/' turned into '-', as calicoctl convert names pools.</summary>
    [Parameter(Position = 1, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? Name { get; set; }

    /// <summary>Creates a CrossSubnet pool even though nodes it selects have no subnet.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        var name = Name ?? (IPPrefix.TryParse(Cidr, out var cidr) ? ResourceNames.FromCidr(cidr) : Cidr);
        var pool = new IPPool { Name = name, Spec = { Cidr = Cidr } };
        ApplyParameters(pool);
        try
        {
            var created = CreateWithConsent(c => c.IPPools, pool, new WriteOptions { AllowNodesWithoutSubnet = Force }, $"IPPool {name} ({Cidr})");
            if (PassThru && created is not null) WriteObject(created);
        }
        catch (Exception ex) when (IsReportable(ex))
        {
            WriteFailure(ex, pool);
        }
    }
}

using System.Management.Automation;
using Calico.Dataplane.Host;
using Calico.Dataplane.HostChecks;
using Calico.PowerShell.Infrastructure;

namespace Calico.PowerShell.Commands;

/// <summary>
/// Checks what `calicoctl node checksystem` misses: this kernel's ipip, vxlan and nftables support, the host MTU
/// against the tunnel MTU, forwarding, and the node's stored address and subnet against the host's real ones.
/// One finding per problem, each with its fix. -Quiet answers $true when nothing is wrong.
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "CalicoHost")]
[OutputType(typeof(HostFinding), typeof(bool))]
public sealed class TestCalicoHostCommand : CalicoCmdlet
{
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(Completion.NodeNameCompleter))]
    public string? Name { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? NetNamespace { get; set; }

    /// <summary>Writes only $true (no Error findings) or $false.</summary>
    [Parameter]
    public SwitchParameter Quiet { get; set; }

    protected override void ProcessRecord()
    {
        var name = Name ?? HostIdentity.DefaultNodeName(NetNamespace);
        try
        {
            var findings = Run(ct => new HostDataplane(Client, HostKernel.For(NetNamespace), name).CheckHostAsync(ct));
            if (Quiet) WriteObject(findings.All(f => f.Severity != HostFindingSeverity.Error));
            else foreach (var finding in findings) WriteObject(finding);
        }
        catch (Exception ex) when (IsReportable(ex))
        {
            if (Quiet) WriteObject(false);
            WriteFailure(ex, name);
        }
    }
}

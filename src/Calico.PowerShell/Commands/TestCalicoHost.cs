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
public sealed class TestCalicoHostCommand : HostCmdlet
{


    /// <summary>Writes only $true (no Error findings) or $false.</summary>
    [Parameter]
    public SwitchParameter Quiet { get; set; }

    protected override void ProcessRecord()
    {
        var name = NodeName;
        try
        {
            var findings = Run(ct => HostDataplane().CheckHostAsync(ct));
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

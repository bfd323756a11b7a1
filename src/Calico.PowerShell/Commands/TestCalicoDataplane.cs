using System.Management.Automation;
using Calico.Dataplane.Host;
using Calico.Dataplane.Reconcile;
using Calico.PowerShell.Infrastructure;

namespace Calico.PowerShell.Commands;

/// <summary>
/// Reports how this host's kernel differs from its Calico plan, without changing anything: each missing, extra or wrong
/// route, device, neighbour, forwarding entry or NAT table. -Quiet answers $true when the host is in sync.
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "CalicoDataplane")]
[OutputType(typeof(DataplaneChange), typeof(bool))]
public sealed class TestCalicoDataplaneCommand : HostCmdlet
{


    /// <summary>Writes only $true (in sync) or $false.</summary>
    [Parameter]
    public SwitchParameter Quiet { get; set; }

    protected override void ProcessRecord()
    {
        var name = NodeName;
        try
        {
            var drift = Run(ct => HostDataplane().DriftAsync(ct));
            if (Quiet)
            {
                WriteObject(drift.InSync);
                return;
            }
            // Each drift item is the change a sync would make: what is missing is added, what is extra deleted, what is wrong changed.
            foreach (var item in drift.Missing.Concat(drift.Wrong).Concat(drift.Extra)) WriteObject(item);
        }
        catch (Exception ex) when (IsReportable(ex))
        {
            if (Quiet) WriteObject(false);
            WriteFailure(ex, name);
        }
    }
}

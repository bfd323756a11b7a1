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
public sealed class TestCalicoDataplaneCommand : CalicoCmdlet
{
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(Completion.NodeNameCompleter))]
    public string? Name { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? NetNamespace { get; set; }

    /// <summary>Writes only $true (in sync) or $false.</summary>
    [Parameter]
    public SwitchParameter Quiet { get; set; }

    protected override void ProcessRecord()
    {
        var name = Name ?? HostIdentity.DefaultNodeName(NetNamespace);
        try
        {
            var drift = Run(ct => new HostDataplane(Client, HostKernel.For(NetNamespace), name).DriftAsync(ct));
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

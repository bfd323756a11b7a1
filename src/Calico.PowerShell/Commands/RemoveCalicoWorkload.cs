using System.Management.Automation;
using Calico.Dataplane.Host;
using Calico.PowerShell.Infrastructure;

namespace Calico.PowerShell.Commands;

/// <summary>Unplumbs a workload added with Add-CalicoWorkload (its veth and host route) and releases its address.</summary>
[Cmdlet(VerbsCommon.Remove, "CalicoWorkload", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(void))]
public sealed class RemoveCalicoWorkloadCommand : CalicoCmdlet
{
    /// <summary>The workload's name (by default Add-CalicoWorkload named it after its namespace).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("WorkloadId")]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = "";

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? Node { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? HostNetNamespace { get; set; }

    protected override void ProcessRecord()
    {
        var node = Node ?? HostIdentity.DefaultNodeName(HostNetNamespace);
        if (!ShouldProcess($"Remove workload {Name} from node {node}: its veth, its host route and its address", $"Remove workload {Name}?", "Remove workload"))
            return;
        try
        {
            var host = new HostDataplane(Client, HostKernel.For(HostNetNamespace), node);
            if (!Run(ct => host.RemoveWorkloadAsync(Name, ct)))
                WriteError(new ErrorRecord(new ItemNotFoundException($"Workload {Name} has neither an interface nor an address on node {node}."),
                    "WorkloadNotFound", ErrorCategory.ObjectNotFound, Name));
        }
        catch (Exception ex) when (IsReportable(ex))
        {
            WriteFailure(ex, Name);
        }
    }
}

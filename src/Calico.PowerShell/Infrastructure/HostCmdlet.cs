using System.Management.Automation;
using Calico.Dataplane.Host;

namespace Calico.PowerShell.Infrastructure;

/// <summary>
/// The cmdlets that act for one host (Register-, Sync-, Test-CalicoDataplane, Test-CalicoHost): which node, and which
/// kernel, this host's or that of a network namespace standing for a host.
/// </summary>
public abstract class HostCmdlet : CalicoCmdlet
{
    /// <summary>The node; by default the host name (or NODENAME, or the -NetNamespace name).</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(Completion.NodeNameCompleter))]
    public string? Name { get; set; }

    /// <summary>Acts for the host that a network namespace stands for (a lab host) instead of this one.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? NetNamespace { get; set; }

    protected string NodeName => Name ?? HostIdentity.DefaultNodeName(NetNamespace);

    protected HostDataplane HostDataplane() => new(Client, HostKernel.For(NetNamespace), NodeName);
}

using System.Management.Automation;
using Calico.Dataplane.Autodetection;
using Calico.Dataplane.Kernel;
using Calico.PowerShell.Infrastructure;

namespace Calico.PowerShell.Commands;

/// <summary>
/// Finds this host's address and subnet as calico-node's IP_AUTODETECTION_METHOD does, and shows every candidate
/// address with why it was picked or skipped.
/// </summary>
[Cmdlet(VerbsCommon.Get, "CalicoHostAddress")]
[OutputType(typeof(HostAddressCandidate))]
public sealed class GetCalicoHostAddressCommand : PSCmdlet
{
    /// <summary>first-found (the default), interface=REGEX,..., skip-interface=REGEX,..., can-reach=IP-or-name, cidr=CIDR,...</summary>
    [Parameter(Position = 0)]
    [ArgumentCompleter(typeof(Completion.AutodetectionMethodCompleter))]
    public string Method { get; set; } = "first-found";

    [Parameter]
    [ValidateSet("4", "6")]
    public string IPVersion { get; set; } = "4";

    /// <summary>Looks at a network namespace's interfaces instead of this host's.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? NetNamespace { get; set; }

    /// <summary>Writes only the selected address, not every candidate.</summary>
    [Parameter]
    public SwitchParameter Selected { get; set; }

    protected override void EndProcessing()
    {
        HostAddressDetection detection;
        try
        {
            var detector = new HostAddressDetector(HostKernel.For(NetNamespace));
            detection = detector.Detect(Method, IPVersion == "6" ? 6 : 4);
        }
        catch (AutodetectionException ex)
        {
            ThrowTerminatingError(new ErrorRecord(ex, "InvalidAutodetectionMethod", ErrorCategory.InvalidArgument, Method));
            return;
        }
        catch (KernelCommandException ex)
        {
            ThrowTerminatingError(new ErrorRecord(ex, "KernelCommandFailed", ErrorCategory.ReadError, NetNamespace));
            return;
        }
        if (detection.Warning is not null) WriteWarning(detection.Warning);
        foreach (var candidate in detection.Candidates)
            if (!Selected || candidate.Selected) WriteObject(candidate);
        if (detection.Error is not null)
        {
            WriteError(new ErrorRecord(new InvalidOperationException(detection.Error), "NoHostAddress", ErrorCategory.ObjectNotFound, Method));
        }
    }
}

using System.Management.Automation;
using Calico.Analysis;
using Calico.Datastore;
using Calico.PowerShell.Infrastructure;

namespace Calico.PowerShell.Commands;

/// <summary>
/// Checks the cluster's networking configuration as felix, calico-node and IPAM would act on it, and writes one finding
/// per problem with its fix; with -Quiet, only $true (no error-severity finding) or $false.
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "CalicoNetwork")]
[OutputType(typeof(NetworkFinding), typeof(bool))]
public sealed class TestCalicoNetworkCommand : CalicoCmdlet
{
    /// <summary>Only these checks; all when omitted.</summary>
    [Parameter(Position = 0)]
    [ValidateNotNullOrEmpty]
    public NetworkCheck[]? Check { get; set; }

    /// <summary>Writes $true when no finding has Error severity, else $false, instead of the findings.</summary>
    [Parameter]
    public SwitchParameter Quiet { get; set; }

    protected override void EndProcessing()
    {
        ClusterSnapshot snapshot;
        try
        {
            snapshot = Run(ct => ClusterSnapshot.ReadAsync(Client, ct));
        }
        catch (DatastoreException ex)
        {
            ThrowTerminatingError(ToErrorRecord(ex, Client.Location));
            return;
        }
        foreach (var error in snapshot.Errors) WriteFailure(error, error.Key);
        WriteVerbose($"Checked {snapshot}.");
        var findings = NetworkChecker.Run(snapshot, checks: Check);
        if (Quiet)
            WriteObject(findings.All(f => f.Severity != Severity.Error));
        else
            foreach (var finding in findings) WriteObject(finding);
    }
}

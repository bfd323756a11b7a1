using System.Management.Automation;
using Calico.PowerShell.Infrastructure;

namespace Calico.PowerShell.Commands;

/// <summary>Forgets the datastore chosen with Connect-CalicoDatastore; later commands use calicoctl's configuration again.</summary>
[Cmdlet(VerbsCommunications.Disconnect, "CalicoDatastore")]
[OutputType(typeof(void))]
public sealed class DisconnectCalicoDatastoreCommand : PSCmdlet
{
    protected override void EndProcessing()
    {
        if (!DatastoreSession.Disconnect()) WriteVerbose("No datastore was connected in this session.");
    }
}

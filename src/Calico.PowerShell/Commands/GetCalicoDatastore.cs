using System.Management.Automation;
using Calico.Configuration;
using Calico.Datastore;
using Calico.PowerShell.Infrastructure;

namespace Calico.PowerShell.Commands;

/// <summary>Shows the datastore in use and where each of its settings came from; secrets are never shown.</summary>
[Cmdlet(VerbsCommon.Get, "CalicoDatastore")]
[OutputType(typeof(DatastoreInfo))]
public sealed class GetCalicoDatastoreCommand : PSCmdlet
{
    protected override void EndProcessing()
    {
        try
        {
            var connection = DatastoreSession.Current();
            foreach (var note in connection.Config.Notes) WriteVerbose(note);
            WriteObject(new DatastoreInfo(connection.Config, connection.Client.Location, connection.Explicit));
        }
        catch (DatastoreException ex)
        {
            ThrowTerminatingError(CalicoCmdlet.ToErrorRecord(ex, null));
        }
    }
}

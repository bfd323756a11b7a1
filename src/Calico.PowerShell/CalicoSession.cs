using Calico.Client;
using Calico.PowerShell.Infrastructure;

namespace Calico.PowerShell;

/// <summary>
/// The Core API behind the cmdlets, for scripts that need more than the cmdlets offer (IPAM assignments, say):
/// <c>[Calico.PowerShell.CalicoSession]::Client</c> is the client the cmdlets use right now, for the datastore
/// Connect-CalicoDatastore chose or calicoctl's configuration names. It is shared: don't dispose it.
/// </summary>
public static class CalicoSession
{
    public static CalicoClient Client => DatastoreSession.Current().Client;
}

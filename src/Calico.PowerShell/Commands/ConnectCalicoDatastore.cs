using System.Management.Automation;
using System.Net;
using Calico.Configuration;
using Calico.Datastore;
using Calico.PowerShell.Infrastructure;

namespace Calico.PowerShell.Commands;

/// <summary>
/// Chooses the datastore for this session: a calicoctl config file, etcd endpoints, or an embedded file store.
/// Settings given here go on top of the config file (when it exists) or the environment, as calicoctl's flags do.
/// </summary>
[Cmdlet(VerbsCommunications.Connect, "CalicoDatastore", DefaultParameterSetName = SettingsSet)]
[OutputType(typeof(DatastoreInfo))]
public sealed class ConnectCalicoDatastoreCommand : PSCmdlet
{
    private const string SettingsSet = "Settings";
    private const string EtcdSet = "Etcd";
    private const string FileSet = "File";

    /// <summary>A calicoctl config file (CalicoAPIConfig v3, or the seed-era v1 calicoApiConfig).</summary>
    [Parameter(ParameterSetName = SettingsSet, Position = 0)]
    [Parameter(ParameterSetName = EtcdSet)]
    [ValidateNotNullOrEmpty]
    public string? ConfigFile { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = EtcdSet)]
    [ValidateNotNullOrEmpty]
    public string[] EtcdEndpoints { get; set; } = Array.Empty<string>();

    [Parameter(ParameterSetName = EtcdSet)]
    [Credential]
    public PSCredential? Credential { get; set; }

    [Parameter(ParameterSetName = EtcdSet)]
    [ValidateNotNullOrEmpty]
    public string? EtcdCACertFile { get; set; }

    [Parameter(ParameterSetName = EtcdSet)]
    [ValidateNotNullOrEmpty]
    public string? EtcdCertFile { get; set; }

    [Parameter(ParameterSetName = EtcdSet)]
    [ValidateNotNullOrEmpty]
    public string? EtcdKeyFile { get; set; }

    /// <summary>The directory of an embedded file datastore.</summary>
    [Parameter(Mandatory = true, ParameterSetName = FileSet)]
    [ValidateNotNullOrEmpty]
    public string? Path { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void EndProcessing()
    {
        var parameters = new Dictionary<string, string?>(StringComparer.Ordinal);
        string? configFile = ConfigFile is null ? null : SessionState.Path.GetUnresolvedProviderPathFromPSPath(ConfigFile);
        switch (ParameterSetName)
        {
            case EtcdSet:
                parameters["datastoreType"] = "etcdv3";
                parameters["etcdEndpoints"] = string.Join(",", EtcdEndpoints);
                if (Credential is not null)
                {
                    parameters["etcdUsername"] = Credential.UserName;
                    parameters["etcdPassword"] = new NetworkCredential(string.Empty, Credential.Password).Password;
                }
                if (EtcdCACertFile is not null) parameters["etcdCACertFile"] = Resolve(EtcdCACertFile);
                if (EtcdCertFile is not null) parameters["etcdCertFile"] = Resolve(EtcdCertFile);
                if (EtcdKeyFile is not null) parameters["etcdKeyFile"] = Resolve(EtcdKeyFile);
                break;
            case FileSet:
                parameters["datastoreType"] = "file";
                parameters["fileDatastorePath"] = Resolve(Path!);
                break;
        }

        DatastoreSession.Connection connection;
        try
        {
            var config = DatastoreConfigLoader.Load(configFile, parameters);
            foreach (var note in config.Notes) WriteVerbose(note);
            connection = DatastoreSession.Connect(config);
            // Reach the datastore now, so a wrong endpoint or an unusable directory fails here, not at the next command.
            connection.Client.Store.CheckAsync().GetAwaiter().GetResult();
        }
        catch (DatastoreException ex)
        {
            DatastoreSession.Disconnect();
            object target = ParameterSetName switch
            {
                EtcdSet => string.Join(",", EtcdEndpoints),
                FileSet => Path!,
                _ => ConfigFile ?? DatastoreConfigLoader.DefaultConfigPath,
            };
            ThrowTerminatingError(CalicoCmdlet.ToErrorRecord(ex, target));
            return;
        }
        WriteVerbose($"Connected to the {connection.Config}.");
        if (PassThru) WriteObject(new DatastoreInfo(connection.Config, connection.Client.Location, connected: true));
    }

    private string Resolve(string path) => SessionState.Path.GetUnresolvedProviderPathFromPSPath(path);
}

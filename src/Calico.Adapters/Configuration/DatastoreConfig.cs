using Calico.Datastore;

namespace Calico.Configuration;

/// <summary>
/// The datastore settings after choosing their source (calicoctl's rules, see <see cref="DatastoreConfigLoader"/>):
/// the values, where each came from (<see cref="Settings"/>), and notes a cmdlet can show as verbose messages.
/// ToString never shows the password or an inline key.
/// </summary>
public sealed class DatastoreConfig
{
    internal DatastoreConfig(DatastoreType datastoreType, string? configFile, IReadOnlyDictionary<string, string> values,
        IReadOnlyList<DatastoreSetting> settings, IReadOnlyList<string> notes, string fileDatastorePath, TimeSpan? dialTimeout, TimeSpan? requestTimeout)
    {
        DatastoreType = datastoreType;
        ConfigFile = configFile;
        _values = values;
        Settings = settings;
        Notes = notes;
        FileDatastorePath = fileDatastorePath;
        EtcdDialTimeout = dialTimeout;
        EtcdRequestTimeout = requestTimeout;
    }

    private readonly IReadOnlyDictionary<string, string> _values;

    public DatastoreType DatastoreType { get; }

    /// <summary>The config file the settings came from, or null when they came from the environment.</summary>
    public string? ConfigFile { get; }

    /// <summary>Every setting that has a value, with its source; secrets show as "(hidden)".</summary>
    public IReadOnlyList<DatastoreSetting> Settings { get; }

    /// <summary>What the loader decided and why, for verbose output (e.g. that a v1 config file was read).</summary>
    public IReadOnlyList<string> Notes { get; }

    public string FileDatastorePath { get; }

    public IReadOnlyList<string> EtcdEndpoints =>
        Get("etcdEndpoints")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? Array.Empty<string>();

    public string? EtcdDiscoverySrv => Get("etcdDiscoverySrv");
    public string? EtcdUsername => Get("etcdUsername");
    public string? EtcdPassword => Get("etcdPassword");
    public string? EtcdKeyFile => Get("etcdKeyFile");
    public string? EtcdCertFile => Get("etcdCertFile");
    public string? EtcdCACertFile => Get("etcdCACertFile");
    public string? EtcdKey => Get("etcdKey");
    public string? EtcdCert => Get("etcdCert");
    public string? EtcdCACert => Get("etcdCACert");
    public TimeSpan? EtcdDialTimeout { get; }
    public TimeSpan? EtcdRequestTimeout { get; }

    /// <summary>Where the configuration came from, for messages: the config file, the environment, or the defaults.</summary>
    public string Origin => ConfigFile is not null ? "config file " + ConfigFile
        : Settings.Any(s => s.Source == SettingSource.Environment) ? "environment"
        : Settings.Any(s => s.Source == SettingSource.Parameter) ? "parameters"
        : "defaults";

    public override string ToString() => DatastoreType switch
    {
        DatastoreType.File => $"file datastore {FileDatastorePath} (from {Origin})",
        DatastoreType.EtcdV3 => $"etcdv3 datastore {(EtcdEndpoints.Count > 0 ? string.Join(",", EtcdEndpoints) : "SRV " + EtcdDiscoverySrv)} (from {Origin})",
        _ => $"kubernetes datastore (from {Origin})",
    };

    /// <summary>The etcd client settings; username and password only when both are set, as libcalico-go does.</summary>
    public EtcdOptions ToEtcdOptions()
    {
        var both = !string.IsNullOrEmpty(EtcdUsername) && !string.IsNullOrEmpty(EtcdPassword);
        var defaults = new EtcdOptions();
        return new EtcdOptions
        {
            Endpoints = EtcdEndpoints,
            CACertFile = EtcdCACertFile,
            CertFile = EtcdCertFile,
            KeyFile = EtcdKeyFile,
            CACert = EtcdCACert,
            Cert = EtcdCert,
            Key = EtcdKey,
            Username = both ? EtcdUsername : null,
            Password = both ? EtcdPassword : null,
            DialTimeout = EtcdDialTimeout ?? defaults.DialTimeout,
            RequestTimeout = EtcdRequestTimeout ?? defaults.RequestTimeout,
        };
    }

    private string? Get(string name) => _values.TryGetValue(name, out var v) && !string.IsNullOrEmpty(v) ? v : null;
}

namespace Calico.Configuration;

/// <summary>
/// The datastore in use, as Get-CalicoDatastore shows it: its type and location, where the settings came from,
/// and each setting with its source. Secrets show as "(hidden)".
/// </summary>
public sealed class DatastoreInfo
{
    public DatastoreInfo(DatastoreConfig config, string location, bool connected)
    {
        Type = config.DatastoreType;
        Location = location;
        Origin = config.Origin;
        ConfigFile = config.ConfigFile;
        Connected = connected;
        Settings = config.Settings;
        Notes = config.Notes;
    }

    public DatastoreType Type { get; }
    /// <summary>The file store's directory, or the etcd endpoints.</summary>
    public string Location { get; }
    /// <summary>"config file …", "environment", "parameters" or "defaults".</summary>
    public string Origin { get; }
    public string? ConfigFile { get; }
    /// <summary>True when Connect-CalicoDatastore chose this datastore for the session.</summary>
    public bool Connected { get; }
    public IReadOnlyList<DatastoreSetting> Settings { get; }
    public IReadOnlyList<string> Notes { get; }

    public override string ToString() => $"{Type} {Location} (from {Origin})";
}

namespace Calico.Configuration;

public enum DatastoreType
{
    /// <summary>The embedded file datastore (our extension; the default when nothing is configured).</summary>
    File,
    EtcdV3,
    /// <summary>Calico's CRDs through the Kubernetes API: recognised, not supported yet.</summary>
    Kubernetes,
}

public enum SettingSource
{
    Default,
    ConfigFile,
    Environment,
    Parameter,
}

/// <summary>
/// One resolved setting and where it came from, for Get-CalicoDatastore. <see cref="Origin"/> names the file, the
/// environment variable or "parameter"; secrets show as "(hidden)" in <see cref="Value"/> and never appear elsewhere.
/// </summary>
public sealed record DatastoreSetting(string Name, string? Value, SettingSource Source, string Origin)
{
    public override string ToString() => $"{Name} = {Value} ({Origin})";
}

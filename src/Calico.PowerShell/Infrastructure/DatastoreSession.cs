using System.Collections.Concurrent;
using System.Management.Automation.Runspaces;
using Calico.Client;
using Calico.Configuration;

namespace Calico.PowerShell.Infrastructure;

/// <summary>
/// Which datastore a cmdlet talks to. Connect-CalicoDatastore pins one for the runspace; otherwise every call
/// resolves calicoctl's configuration afresh (config file, else environment, else the embedded store) and reuses
/// an open client for the same settings, so a changed environment takes effect at the next command.
/// </summary>
internal static class DatastoreSession
{
    private static readonly ConcurrentDictionary<Guid, Connection> Pinned = new();
    private static readonly ConcurrentDictionary<string, CalicoClient> Open = new(StringComparer.Ordinal);

    internal sealed record Connection(DatastoreConfig Config, CalicoClient Client, bool Explicit);

    private static Guid RunspaceId => Runspace.DefaultRunspace?.InstanceId ?? Guid.Empty;

    public static Connection Current()
    {
        if (Pinned.TryGetValue(RunspaceId, out var pinned)) return pinned;
        var config = DatastoreConfigLoader.Load();
        var client = Open.GetOrAdd(Signature(config), _ => DatastoreFactory.OpenClient(config));
        return new Connection(config, client, Explicit: false);
    }

    public static Connection Connect(DatastoreConfig config)
    {
        var client = DatastoreFactory.OpenClient(config);
        var connection = new Connection(config, client, Explicit: true);
        if (Pinned.TryRemove(RunspaceId, out var previous)) previous.Client.Dispose();
        Pinned[RunspaceId] = connection;
        return connection;
    }

    public static bool Disconnect()
    {
        if (!Pinned.TryRemove(RunspaceId, out var previous)) return false;
        previous.Client.Dispose();
        return true;
    }

    // Everything that decides where data goes and how it is reached; secrets included, never shown.
    private static string Signature(DatastoreConfig config) =>
        string.Join("\n", config.Settings.Select(s => $"{s.Name}={s.Value}")) + "\n" + config.EtcdPassword + "\n" + config.EtcdKey;
}

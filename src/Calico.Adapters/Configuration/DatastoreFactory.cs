using Calico.Datastore;

namespace Calico.Configuration;

/// <summary>Turns resolved settings into the datastore they describe.</summary>
public static class DatastoreFactory
{
    /// <summary>A client with Calico's rules over the datastore the settings describe.</summary>
    public static Client.CalicoClient OpenClient(DatastoreConfig config) => new(Create(config));

    /// <exception cref="DatastoreConfigurationException">A datastore we cannot open yet (kubernetes, SRV discovery) or bad etcd settings.</exception>
    public static IKeyValueStore Create(DatastoreConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        switch (config.DatastoreType)
        {
            case DatastoreType.File:
                return new FileKeyValueStore(config.FileDatastorePath);
            case DatastoreType.EtcdV3:
                if (config.EtcdEndpoints.Count == 0 && config.EtcdDiscoverySrv is { } srv)
                    throw new DatastoreConfigurationException(
                        $"{config.Origin}: etcdDiscoverySrv ({srv}) is not supported yet; set etcdEndpoints instead", config.Origin, "etcdDiscoverySrv");
                return new EtcdKeyValueStore(config.ToEtcdOptions());
            default:
                throw new DatastoreConfigurationException(
                    $"{config.Origin}: datastoreType kubernetes (Calico's resources as Kubernetes custom resources) is not supported yet; use etcdv3, or file for the embedded datastore",
                    config.Origin, "datastoreType");
        }
    }
}

using System.Globalization;
using Calico.Datastore;
using Microsoft.Extensions.Configuration;

namespace Calico.Configuration;

/// <summary>
/// Chooses the datastore settings the way calicoctl does (libcalico-go apiconfig/load.go, calicoctl clientmgr):
/// the config file when it exists, and then only the file; otherwise the environment, where CALICO_X wins over X;
/// a missing config file that is not the default path is an error. Explicit parameters go on top of either.
/// Our extensions: datastoreType "file" with fileDatastorePath (FILE_DATASTORE_PATH / CALICO_FILE_DATASTORE_PATH),
/// the file datastore when nothing is configured at all (calicoctl would pick kubernetes), and the seed-era
/// v1 "calicoApiConfig" file, which calicoctl 3 refuses and we read, saying so in <see cref="DatastoreConfig.Notes"/>.
/// </summary>
public static class DatastoreConfigLoader
{
    public const string DefaultConfigPath = "/etc/calico/calicoctl.cfg";

    private sealed record Spec(string Name, string? Env, bool Secret = false, bool FromFile = true);

    // calicoctl's names (apiconfig.go EtcdConfig), then ours.
    private static readonly Spec[] Specs =
    {
        new("datastoreType", "DATASTORE_TYPE"),
        new("etcdEndpoints", "ETCD_ENDPOINTS"),
        new("etcdDiscoverySrv", "ETCD_DISCOVERY_SRV"),
        new("etcdUsername", "ETCD_USERNAME"),
        new("etcdPassword", "ETCD_PASSWORD", Secret: true),
        new("etcdKeyFile", "ETCD_KEY_FILE"),
        new("etcdCertFile", "ETCD_CERT_FILE"),
        new("etcdCACertFile", "ETCD_CA_CERT_FILE"),
        // Inline PEM has no environment variable, "to avoid accidental exposure" (apiconfig.go).
        new("etcdKey", null, Secret: true),
        new("etcdCert", null),
        new("etcdCACert", null),
        new("fileDatastorePath", "FILE_DATASTORE_PATH"),
        new("etcdDialTimeout", null, FromFile: false),
        new("etcdRequestTimeout", null, FromFile: false),
    };

    private static readonly string[] KubernetesV3Fields =
    {
        "kubeconfig", "k8sAPIEndpoint", "k8sKeyFile", "k8sCertFile", "k8sCAFile", "k8sAPIToken", "k8sInsecureSkipTLSVerify",
        "k8sDisableNodePoll", "usePodCIDR", "kubeconfigInline", "k8sClientQPS", "k8sClientBurst", "k8sCurrentContext", "calicoAPIGroup",
    };

    private static readonly string[] V1Fields =
    {
        "datastoreType", "etcdScheme", "etcdAuthority", "etcdEndpoints", "etcdUsername", "etcdPassword", "etcdKeyFile", "etcdCertFile", "etcdCACertFile",
        "kubeconfig", "k8sAPIEndpoint", "k8sKeyFile", "k8sCertFile", "k8sCAFile", "k8sAPIToken", "k8sInsecureSkipTLSVerify", "k8sDisableNodePoll",
    };

    private enum LayerKind { File, Environment, Parameter }

    private sealed record Layer(LayerKind Kind, string Origin);

    /// <summary>The names <paramref name="parameters"/> may use: calicoctl's config-file names plus ours.</summary>
    public static IReadOnlyList<string> ParameterNames { get; } = Specs.Select(s => s.Name).ToArray();

    /// <param name="configFile">A config file path; null or empty for calicoctl's default, /etc/calico/calicoctl.cfg.</param>
    /// <param name="parameters">Settings given explicitly (e.g. by a cmdlet), by config-file name; they win over every source.</param>
    /// <exception cref="DatastoreConfigurationException">A missing or unreadable file, bad syntax, an unknown field or value.</exception>
    public static DatastoreConfig Load(string? configFile = null, IReadOnlyDictionary<string, string?>? parameters = null) =>
        Load(configFile, parameters, DefaultConfigPath);

    /// <summary>As <see cref="Load(string?, IReadOnlyDictionary{string, string?}?)"/>, with another default path (for tests).</summary>
    internal static DatastoreConfig Load(string? configFile, IReadOnlyDictionary<string, string?>? parameters, string defaultConfigPath)
    {
        var path = string.IsNullOrEmpty(configFile) ? defaultConfigPath : configFile;
        var notes = new List<string>();
        var layers = new List<Layer>();
        var builder = new ConfigurationBuilder();
        string? usedFile = null;
        if (File.Exists(path) || Directory.Exists(path))
        {
            builder.Add(new CalicoctlConfigFileSource(path));
            layers.Add(new Layer(LayerKind.File, path));
            usedFile = path;
            notes.Add($"reading the datastore settings from {path} (the environment is not read when the config file exists)");
        }
        else if (path != defaultConfigPath)
        {
            throw new DatastoreConfigurationException($"the config file {path} does not exist", path, "configFile");
        }
        else
        {
            notes.Add($"{path} does not exist: reading the datastore settings from the environment");
            builder.AddEnvironmentVariables();
            layers.Add(new Layer(LayerKind.Environment, ""));
            builder.AddEnvironmentVariables("CALICO_");
            layers.Add(new Layer(LayerKind.Environment, "CALICO_"));
        }
        if (parameters is { Count: > 0 })
        {
            foreach (var name in parameters.Keys)
                if (!Specs.Any(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase)))
                    throw new DatastoreConfigurationException($"unknown datastore parameter {name}; known: {string.Join(", ", ParameterNames)}", "parameters", name);
            builder.AddInMemoryCollection(parameters);
            layers.Add(new Layer(LayerKind.Parameter, "parameter"));
        }
        var providers = builder.Build().Providers.ToArray();

        var v1 = usedFile is not null && CheckFileHeader(providers[0], usedFile, notes);
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var settings = new List<DatastoreSetting>();
        foreach (var spec in Specs)
        {
            for (var i = layers.Count - 1; i >= 0; i--)
            {
                var key = layers[i].Kind switch
                {
                    LayerKind.File when spec.FromFile => "spec:" + spec.Name,
                    LayerKind.Environment when spec.Env is not null => spec.Env,
                    LayerKind.Parameter => spec.Name,
                    _ => null,
                };
                if (key is null || !providers[i].TryGet(key, out var value) || value is null) continue;
                values[spec.Name] = value;
                var origin = layers[i].Kind == LayerKind.Environment ? layers[i].Origin + spec.Env : layers[i].Origin;
                var source = layers[i].Kind switch { LayerKind.File => SettingSource.ConfigFile, LayerKind.Environment => SettingSource.Environment, _ => SettingSource.Parameter };
                settings.Add(new DatastoreSetting(spec.Name, Display(spec, value), source, origin));
                break;
            }
        }
        if (v1) ApplyV1(providers[0], usedFile!, values, settings, notes);

        var type = ResolveType(values, settings, notes, usedFile ?? "environment", providers, layers);
        var filePath = ResolveFilePath(values, settings, usedFile);
        var dial = ParseTimeout(values, "etcdDialTimeout");
        var request = ParseTimeout(values, "etcdRequestTimeout");
        if (type == DatastoreType.EtcdV3) CheckEtcd(values, notes, usedFile ?? "environment");
        return new DatastoreConfig(type, usedFile, values, settings, notes, filePath, dial, request);
    }

    /// <summary>Checks apiVersion, kind and field names as calicoctl's strict parsing does; true for the v1 form.</summary>
    private static bool CheckFileHeader(IConfigurationProvider file, string path, List<string> notes)
    {
        file.TryGet("apiVersion", out var apiVersion);
        file.TryGet("kind", out var kind);
        bool v1;
        if (apiVersion == "projectcalico.org/v3")
        {
            if (kind != "CalicoAPIConfig")
                throw new DatastoreConfigurationException($"invalid config file {path}: expected kind 'CalicoAPIConfig', got '{kind}'", path, "kind");
            v1 = false;
        }
        else if (apiVersion == "v1")
        {
            if (kind != "calicoApiConfig")
                throw new DatastoreConfigurationException($"invalid config file {path}: expected kind 'calicoApiConfig', got '{kind}'", path, "kind");
            v1 = true;
            notes.Add($"{path} is in the v1 calicoApiConfig form, which calicoctl 3 refuses; read it anyway: its etcd settings are used to reach etcd through the v3 API with Calico's v3 keys");
        }
        else
        {
            throw new DatastoreConfigurationException($"invalid config file {path}: unknown apiVersion '{apiVersion}' (expected projectcalico.org/v3, or v1 for the old calicoApiConfig form)", path, "apiVersion");
        }
        foreach (var top in file.GetChildKeys(Enumerable.Empty<string>(), null).Distinct(StringComparer.OrdinalIgnoreCase))
            if (!new[] { "apiVersion", "kind", "metadata", "spec" }.Contains(top, StringComparer.OrdinalIgnoreCase))
                throw new DatastoreConfigurationException($"invalid config file {path}: unknown field \"{top}\"", path, top);
        var known = v1 ? V1Fields : Specs.Where(s => s.FromFile).Select(s => s.Name).Concat(KubernetesV3Fields).ToArray();
        foreach (var field in file.GetChildKeys(Enumerable.Empty<string>(), "spec").Distinct(StringComparer.OrdinalIgnoreCase))
            if (!known.Contains(field, StringComparer.OrdinalIgnoreCase))
                throw new DatastoreConfigurationException($"invalid config file {path}: unknown field \"spec.{field}\"", path, field);
        foreach (var field in KubernetesV3Fields.Concat(V1Fields.Where(f => f.StartsWith("k8s", StringComparison.Ordinal))))
            if (file.TryGet("spec:" + field, out var v) && !string.IsNullOrEmpty(v))
            {
                notes.Add($"{path} sets {field}, which only the kubernetes datastore uses");
                break;
            }
        return v1;
    }

    /// <summary>v1: datastoreType etcdv2 (its default) means etcd; endpoints come from etcdEndpoints or etcdScheme://etcdAuthority.</summary>
    private static void ApplyV1(IConfigurationProvider file, string path, Dictionary<string, string> values, List<DatastoreSetting> settings, List<string> notes)
    {
        var type = values.GetValueOrDefault("datastoreType");
        if (string.IsNullOrEmpty(type) || type == "etcdv2")
        {
            values["datastoreType"] = "etcdv3";
            settings.RemoveAll(s => s.Name == "datastoreType");
            settings.Insert(0, new DatastoreSetting("datastoreType", "etcdv3", string.IsNullOrEmpty(type) ? SettingSource.Default : SettingSource.ConfigFile,
                path + (string.IsNullOrEmpty(type) ? " (v1 default etcdv2)" : " (v1 etcdv2)")));
            notes.Add("v1 datastoreType etcdv2 is read as etcdv3: the same etcd, through its v3 API");
        }
        if (string.IsNullOrEmpty(values.GetValueOrDefault("etcdEndpoints")))
        {
            var scheme = file.TryGet("spec:etcdScheme", out var s) && !string.IsNullOrEmpty(s) ? s : "http";
            var authority = file.TryGet("spec:etcdAuthority", out var a) && !string.IsNullOrEmpty(a) ? a : "127.0.0.1:2379";
            values["etcdEndpoints"] = $"{scheme}://{authority}";
            settings.Add(new DatastoreSetting("etcdEndpoints", values["etcdEndpoints"], s is null && a is null ? SettingSource.Default : SettingSource.ConfigFile,
                path + " (v1 etcdScheme://etcdAuthority)"));
        }
    }

    private static DatastoreType ResolveType(Dictionary<string, string> values, List<DatastoreSetting> settings, List<string> notes, string location,
        IConfigurationProvider[] providers, List<Layer> layers)
    {
        var text = values.GetValueOrDefault("datastoreType");
        if (string.IsNullOrEmpty(text))
        {
            if (!string.IsNullOrEmpty(values.GetValueOrDefault("etcdEndpoints")) || !string.IsNullOrEmpty(values.GetValueOrDefault("etcdDiscoverySrv")))
            {
                settings.Insert(0, new DatastoreSetting("datastoreType", "etcdv3", SettingSource.Default, "default (etcd endpoints are set)"));
                return DatastoreType.EtcdV3;
            }
            settings.Insert(0, new DatastoreSetting("datastoreType", "file", SettingSource.Default, "default (no datastore configured)"));
            if (layers.Any(l => l.Kind == LayerKind.Environment)
                && providers.Any(p => p.TryGet("KUBECONFIG", out var k) && !string.IsNullOrEmpty(k) || p.TryGet("K8S_API_ENDPOINT", out var e) && !string.IsNullOrEmpty(e)))
                notes.Add("KUBECONFIG or K8S_API_ENDPOINT is set but DATASTORE_TYPE is not: calicoctl would use the kubernetes datastore; we use the file datastore until kubernetes is supported");
            notes.Add("no datastore type configured: using the embedded file datastore");
            return DatastoreType.File;
        }
        return text switch
        {
            "etcdv3" => DatastoreType.EtcdV3,
            "kubernetes" => DatastoreType.Kubernetes,
            "file" => DatastoreType.File,
            _ => throw new DatastoreConfigurationException(
                $"{location}: datastoreType \"{text}\" is not one of etcdv3, kubernetes, file", location, "datastoreType"),
        };
    }

    // A relative path in a config file is relative to that file (as a kubeconfig's paths are); elsewhere, to the process.
    private static string ResolveFilePath(Dictionary<string, string> values, List<DatastoreSetting> settings, string? configFile)
    {
        var text = values.GetValueOrDefault("fileDatastorePath");
        if (string.IsNullOrEmpty(text))
        {
            var path = FileKeyValueStore.DefaultPath;
            settings.Add(new DatastoreSetting("fileDatastorePath", path, SettingSource.Default, "default"));
            return path;
        }
        if (text == "~" || text.StartsWith("~/", StringComparison.Ordinal))
            text = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), text.Length > 2 ? text[2..] : "");
        var fromFile = settings.Any(s => s.Name == "fileDatastorePath" && s.Source == SettingSource.ConfigFile);
        return fromFile && configFile is not null && Path.GetDirectoryName(Path.GetFullPath(configFile)) is { } dir
            ? Path.GetFullPath(text, dir)
            : Path.GetFullPath(text);
    }

    private static void CheckEtcd(Dictionary<string, string> values, List<string> notes, string location)
    {
        string? V(string n) => values.TryGetValue(n, out var v) && !string.IsNullOrEmpty(v) ? v : null;
        if (V("etcdEndpoints") is not null && V("etcdDiscoverySrv") is not null)
            throw new DatastoreConfigurationException(
                $"{location}: multiple discovery or bootstrap options specified, use either \"etcdEndpoints\" or \"etcdDiscoverySrv\"", location, "etcdDiscoverySrv");
        if ((V("etcdUsername") is null) != (V("etcdPassword") is null))
            notes.Add("only one of etcdUsername and etcdPassword is set: neither is used (libcalico-go uses them only together)");
    }

    private static TimeSpan? ParseTimeout(Dictionary<string, string> values, string name)
    {
        if (!values.TryGetValue(name, out var text) || string.IsNullOrWhiteSpace(text)) return null;
        var t = text.Trim();
        var scale = 1.0;
        if (t.EndsWith("ms", StringComparison.Ordinal)) { scale = 0.001; t = t[..^2]; }
        else if (t.EndsWith('s')) t = t[..^1];
        if (!double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) || n <= 0 || double.IsInfinity(n))
            throw new DatastoreConfigurationException($"{name} \"{text}\" is not a duration such as 5, 5s or 500ms", "parameters", name);
        return TimeSpan.FromSeconds(n * scale);
    }

    private static string Display(Spec spec, string value) =>
        spec.Secret ? "(hidden)" : spec.Name is "etcdCert" or "etcdCACert" ? $"(inline PEM, {value.Length} characters)" : value;
}

using Calico.Configuration;
using Calico.Datastore;
using Calico.Tests.Datastore;

namespace Calico.Tests.Configuration;

[CollectionDefinition("Environment", DisableParallelization = true)]
public sealed class EnvironmentCollection;

/// <summary>
/// calicoctl's choice of source: the config file when it exists (and only it), else the environment with CALICO_
/// names winning; parameters on top; the file datastore when nothing is configured. These tests change the process
/// environment, so they run alone.
/// </summary>
[Collection("Environment")]
public sealed class DatastoreConfigTests : IDisposable
{
    private static readonly string[] Names =
    {
        "DATASTORE_TYPE", "ETCD_ENDPOINTS", "ETCD_DISCOVERY_SRV", "ETCD_USERNAME", "ETCD_PASSWORD", "ETCD_KEY_FILE", "ETCD_CERT_FILE",
        "ETCD_CA_CERT_FILE", "FILE_DATASTORE_PATH", "KUBECONFIG", "K8S_API_ENDPOINT",
    };

    private readonly Dictionary<string, string?> _saved = new();
    private readonly TempDirectory _dir = new();

    public DatastoreConfigTests()
    {
        foreach (var name in Names.Concat(Names.Select(n => "CALICO_" + n)).Append("XDG_DATA_HOME"))
        {
            _saved[name] = Environment.GetEnvironmentVariable(name);
            Environment.SetEnvironmentVariable(name, null);
        }
    }

    public void Dispose()
    {
        foreach (var (name, value) in _saved) Environment.SetEnvironmentVariable(name, value);
        _dir.Dispose();
    }

    /// <summary>The default config path for a test: absent unless the test writes it.</summary>
    private string DefaultPath => Path.Combine(_dir.Path, "calicoctl.cfg");

    private DatastoreConfig Load(string? file = null, Dictionary<string, string?>? parameters = null) =>
        DatastoreConfigLoader.Load(file, parameters, DefaultPath);

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir.Path, name);
        File.WriteAllText(path, text);
        return path;
    }

    private const string V3Header = "apiVersion: projectcalico.org/v3\nkind: CalicoAPIConfig\nmetadata: {}\nspec:\n";

    private static DatastoreSetting Setting(DatastoreConfig c, string name) => c.Settings.Single(s => s.Name == name);

    [Fact]
    public void A_relative_file_datastore_path_in_a_config_file_is_relative_to_that_file()
    {
        Directory.CreateDirectory(Path.Combine(_dir.Path, "etc"));
        var file = Write("etc/calicoctl.cfg", V3Header + "  datastoreType: file\n  fileDatastorePath: ./calico-data\n");
        Assert.Equal(Path.Combine(_dir.Path, "etc", "calico-data"), Load(file).FileDatastorePath);
    }

    [Fact]
    public void With_no_file_and_no_environment_the_embedded_file_datastore_is_used_at_its_default_path()
    {
        Environment.SetEnvironmentVariable("XDG_DATA_HOME", "/xdg/data");
        var config = Load();
        Assert.Equal(DatastoreType.File, config.DatastoreType);
        Assert.Equal("/xdg/data/calico/datastore", config.FileDatastorePath);
        Assert.Equal(SettingSource.Default, Setting(config, "datastoreType").Source);
        Assert.Equal(SettingSource.Default, Setting(config, "fileDatastorePath").Source);
        Assert.Null(config.ConfigFile);
        Assert.Contains(config.Notes, n => n.Contains("embedded file datastore", StringComparison.Ordinal));
        using var store = DatastoreFactory.Create(config);
        Assert.Equal("/xdg/data/calico/datastore", Assert.IsType<FileKeyValueStore>(store).Path);
    }

    [Fact]
    public void Without_XDG_DATA_HOME_the_file_datastore_lives_under_the_home_directory()
    {
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        Assert.Equal(Path.Combine(home, ".local", "share", "calico", "datastore"), Load().FileDatastorePath);
    }

    // One row per rule: what is in the config file, in the environment and in the parameters, and what wins.
    [Theory]
    [InlineData("environment only", null, "ETCD_ENDPOINTS=http://env:2379", null, "etcdv3", "http://env:2379", "ETCD_ENDPOINTS")]
    [InlineData("CALICO_ wins over the plain name", null, "ETCD_ENDPOINTS=http://plain:2379;CALICO_ETCD_ENDPOINTS=http://prefixed:2379", null, "etcdv3", "http://prefixed:2379", "CALICO_ETCD_ENDPOINTS")]
    [InlineData("the file wins and the environment is not read", "etcdEndpoints: http://file:2379", "ETCD_ENDPOINTS=http://env:2379;DATASTORE_TYPE=file", null, "etcdv3", "http://file:2379", "FILE")]
    [InlineData("parameters win over the file", "etcdEndpoints: http://file:2379", null, "etcdEndpoints=http://param:2379", "etcdv3", "http://param:2379", "parameter")]
    [InlineData("parameters win over the environment", null, "ETCD_ENDPOINTS=http://env:2379", "etcdEndpoints=http://param:2379", "etcdv3", "http://param:2379", "parameter")]
    [InlineData("an explicit type in the environment", null, "DATASTORE_TYPE=etcdv3;ETCD_ENDPOINTS=http://env:2379", null, "etcdv3", "http://env:2379", "ETCD_ENDPOINTS")]
    [InlineData("a parameter can switch to the file store", "etcdEndpoints: http://file:2379", null, "datastoreType=file", "file", "http://file:2379", "FILE")]
    public void Precedence(string rule, string? fileSpec, string? environment, string? parameter, string expectedType, string expectedEndpoints, string expectedEndpointOrigin)
    {
        Assert.NotNull(rule);
        if (fileSpec is not null) Write("calicoctl.cfg", V3Header + "  " + fileSpec + "\n");
        foreach (var pair in (environment ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries))
            Environment.SetEnvironmentVariable(pair.Split('=')[0], pair.Split('=', 2)[1]);
        var parameters = parameter is null ? null : new Dictionary<string, string?> { [parameter.Split('=')[0]] = parameter.Split('=', 2)[1] };
        var config = Load(parameters: parameters);
        Assert.Equal(expectedType, config.DatastoreType == DatastoreType.EtcdV3 ? "etcdv3" : config.DatastoreType.ToString().ToLowerInvariant());
        Assert.Equal(expectedEndpoints, string.Join(",", config.EtcdEndpoints));
        Assert.Equal(expectedEndpointOrigin == "FILE" ? DefaultPath : expectedEndpointOrigin, Setting(config, "etcdEndpoints").Origin);
    }

    [Fact]
    public void When_the_file_exists_settings_it_lacks_are_not_taken_from_the_environment()
    {
        Write("calicoctl.cfg", V3Header + "  etcdEndpoints: http://file:2379\n");
        Environment.SetEnvironmentVariable("ETCD_USERNAME", "envuser");
        Environment.SetEnvironmentVariable("ETCD_PASSWORD", "envpass");
        var config = Load();
        Assert.Null(config.EtcdUsername);
        Assert.Equal(DefaultPath, config.ConfigFile);
        Assert.Contains(config.Notes, n => n.Contains("environment is not read", StringComparison.Ordinal));
    }

    [Fact]
    public void A_given_config_file_that_does_not_exist_is_an_error()
    {
        var missing = Path.Combine(_dir.Path, "nope.cfg");
        Environment.SetEnvironmentVariable("ETCD_ENDPOINTS", "http://env:2379");
        var ex = Assert.Throws<DatastoreConfigurationException>(() => Load(missing));
        Assert.Contains(missing, ex.Message);
        Assert.Contains("does not exist", ex.Message);
    }

    [Fact]
    public void A_config_file_that_cannot_be_read_is_an_error_naming_it()
    {
        var path = Path.Combine(_dir.Path, "a-directory.cfg");
        Directory.CreateDirectory(path);
        var ex = Assert.Throws<DatastoreConfigurationException>(() => Load(path));
        Assert.Contains("cannot read the config file " + path, ex.Message);
    }

    [Theory]
    [InlineData("apiVersion: projectcalico.org/v3\nkind: Nope\nspec: {}\n", "expected kind 'CalicoAPIConfig', got 'Nope'")]
    [InlineData("apiVersion: v2\nkind: CalicoAPIConfig\n", "unknown apiVersion 'v2'")]
    [InlineData(V3Header + "  etcdEndpoint: http://typo:2379\n", "unknown field \"spec.etcdEndpoint\"")]
    [InlineData(V3Header + "  datastoreType: etcdv2\n", "datastoreType \"etcdv2\" is not one of etcdv3, kubernetes, file")]
    [InlineData("apiVersion: projectcalico.org/v3\nkind: CalicoAPIConfig\nextra: 1\n", "unknown field \"extra\"")]
    [InlineData("apiVersion: [unclosed\n", "syntax error in the config file")]
    [InlineData(V3Header + "  etcdEndpoints: http://a:2379\n  etcdDiscoverySrv: example.com\n", "use either \"etcdEndpoints\" or \"etcdDiscoverySrv\"")]
    public void A_bad_config_file_is_an_error_naming_the_file_and_the_problem(string text, string expected)
    {
        var path = Write("bad.cfg", text);
        var ex = Assert.Throws<DatastoreConfigurationException>(() => Load(path));
        Assert.Contains(expected, ex.Message);
        Assert.Contains(path, ex.Message);
    }

    [Fact]
    public void The_full_v3_file_is_read_with_its_TLS_files_and_credentials()
    {
        var path = Write("full.cfg", V3Header + """
              datastoreType: etcdv3
              etcdEndpoints: https://10.0.0.1:2379, https://10.0.0.2:2379
              etcdUsername: calico
              etcdPassword: hunter2-secret
              etcdCACertFile: /etc/calico/ca.pem
              etcdCertFile: /etc/calico/cert.pem
              etcdKeyFile: /etc/calico/key.pem
              kubeconfig: /root/.kube/config
            """);
        var config = Load(path);
        Assert.Equal(DatastoreType.EtcdV3, config.DatastoreType);
        Assert.Equal(new[] { "https://10.0.0.1:2379", "https://10.0.0.2:2379" }, config.EtcdEndpoints);
        var options = config.ToEtcdOptions();
        Assert.Equal(("calico", "hunter2-secret", "/etc/calico/ca.pem", "/etc/calico/cert.pem", "/etc/calico/key.pem"),
            (options.Username, options.Password, options.CACertFile, options.CertFile, options.KeyFile));
        Assert.All(config.Settings, s => Assert.Equal(SettingSource.ConfigFile, s.Name is "fileDatastorePath" ? SettingSource.ConfigFile : s.Source));
        Assert.Contains(config.Notes, n => n.Contains("kubeconfig", StringComparison.Ordinal));
    }

    [Fact]
    public void Secrets_never_appear_in_ToString_settings_or_notes()
    {
        var path = Write("secret.cfg", V3Header + "  etcdEndpoints: http://a:2379\n  etcdUsername: u\n  etcdPassword: hunter2-secret\n  etcdKey: \"-----BEGIN PRIVATE KEY-----\\nsecret-key-body\"\n");
        var config = Load(path);
        var shown = string.Join("\n", new[] { config.ToString(), config.ToEtcdOptions().ToString() }.Concat(config.Settings.Select(s => s.ToString())).Concat(config.Notes));
        Assert.DoesNotContain("hunter2-secret", shown);
        Assert.DoesNotContain("secret-key-body", shown);
        Assert.Equal("(hidden)", Setting(config, "etcdPassword").Value);
        Assert.Equal("(hidden)", Setting(config, "etcdKey").Value);
    }

    [Fact]
    public void The_seed_era_v1_file_is_read_and_the_reader_is_told()
    {
        var path = Write("v1.cfg", "apiVersion: v1\nkind: calicoApiConfig\nmetadata:\nspec:\n  etcdAuthority: 10.0.0.5:2379\n  etcdScheme: https\n  etcdCACertFile: /etc/calico/ca.pem\n");
        var config = Load(path);
        Assert.Equal(DatastoreType.EtcdV3, config.DatastoreType);
        Assert.Equal(new[] { "https://10.0.0.5:2379" }, config.EtcdEndpoints);
        Assert.Equal("/etc/calico/ca.pem", config.EtcdCACertFile);
        Assert.Contains(config.Notes, n => n.Contains("v1 calicoApiConfig", StringComparison.Ordinal) && n.Contains(path, StringComparison.Ordinal));

        var withEndpoints = Load(Write("v1b.cfg", "apiVersion: v1\nkind: calicoApiConfig\nspec:\n  datastoreType: etcdv2\n  etcdEndpoints: http://a:2379,http://b:2379\n"));
        Assert.Equal(new[] { "http://a:2379", "http://b:2379" }, withEndpoints.EtcdEndpoints);

        var defaults = Load(Write("v1c.cfg", "apiVersion: v1\nkind: calicoApiConfig\n"));
        Assert.Equal(new[] { "http://127.0.0.1:2379" }, defaults.EtcdEndpoints);
        Assert.Equal(SettingSource.Default, Setting(defaults, "etcdEndpoints").Source);

        var ex = Assert.Throws<DatastoreConfigurationException>(() => Load(Write("v1d.cfg", "apiVersion: v1\nkind: calicoApiConfig\nspec:\n  etcdDiscoverySrv: x\n")));
        Assert.Contains("unknown field \"spec.etcdDiscoverySrv\"", ex.Message);
    }

    [Fact]
    public void Kubernetes_is_recognised_and_opening_it_says_it_is_not_supported_yet()
    {
        Environment.SetEnvironmentVariable("DATASTORE_TYPE", "kubernetes");
        var config = Load();
        Assert.Equal(DatastoreType.Kubernetes, config.DatastoreType);
        var ex = Assert.Throws<DatastoreConfigurationException>(() => DatastoreFactory.Create(config));
        Assert.Contains("not supported yet", ex.Message);
        Assert.Equal("datastoreType", ex.Setting);
    }

    [Fact]
    public void A_KUBECONFIG_alone_does_not_select_kubernetes_but_the_reader_is_told()
    {
        Environment.SetEnvironmentVariable("KUBECONFIG", "/root/.kube/config");
        var config = Load();
        Assert.Equal(DatastoreType.File, config.DatastoreType);
        Assert.Contains(config.Notes, n => n.Contains("KUBECONFIG", StringComparison.Ordinal));
    }

    [Fact]
    public void The_file_datastore_path_comes_from_FILE_DATASTORE_PATH_with_CALICO_winning()
    {
        Environment.SetEnvironmentVariable("DATASTORE_TYPE", "file");
        Environment.SetEnvironmentVariable("FILE_DATASTORE_PATH", "/plain/store");
        Environment.SetEnvironmentVariable("CALICO_FILE_DATASTORE_PATH", "/prefixed/store");
        var config = Load();
        Assert.Equal("/prefixed/store", config.FileDatastorePath);
        Assert.Equal((SettingSource.Environment, "CALICO_FILE_DATASTORE_PATH"), (Setting(config, "fileDatastorePath").Source, Setting(config, "fileDatastorePath").Origin));
        Assert.Equal("file datastore /prefixed/store (from environment)", config.ToString());
    }

    [Fact]
    public void A_username_without_a_password_is_not_used_and_the_reader_is_told()
    {
        Environment.SetEnvironmentVariable("ETCD_ENDPOINTS", "http://a:2379");
        Environment.SetEnvironmentVariable("ETCD_USERNAME", "calico");
        var config = Load();
        Assert.Null(config.ToEtcdOptions().Username);
        Assert.Contains(config.Notes, n => n.Contains("only one of etcdUsername and etcdPassword", StringComparison.Ordinal));
    }

    [Fact]
    public void Parameters_are_checked_by_name_and_timeouts_parsed()
    {
        var ex = Assert.Throws<DatastoreConfigurationException>(() => Load(parameters: new() { ["etcdEndpoint"] = "http://a:2379" }));
        Assert.Contains("unknown datastore parameter etcdEndpoint", ex.Message);
        var config = Load(parameters: new() { ["etcdEndpoints"] = "http://a:2379", ["etcdDialTimeout"] = "500ms", ["etcdRequestTimeout"] = "3" });
        Assert.Equal((TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(3)), (config.ToEtcdOptions().DialTimeout, config.ToEtcdOptions().RequestTimeout));
        Assert.Throws<DatastoreConfigurationException>(() => Load(parameters: new() { ["etcdDialTimeout"] = "soon" }));
    }

    [Fact]
    public void The_factory_opens_an_etcd_store_with_the_configured_endpoints()
    {
        var config = Load(parameters: new() { ["etcdEndpoints"] = "http://127.0.0.1:2379,http://127.0.0.2:2379" });
        using var store = DatastoreFactory.Create(config);
        Assert.Equal(new[] { "http://127.0.0.1:2379", "http://127.0.0.2:2379" }, Assert.IsType<EtcdKeyValueStore>(store).Endpoints);
        var srv = Load(parameters: new() { ["datastoreType"] = "etcdv3", ["etcdDiscoverySrv"] = "example.com" });
        Assert.Contains("not supported yet", Assert.Throws<DatastoreConfigurationException>(() => DatastoreFactory.Create(srv)).Message);
    }
}

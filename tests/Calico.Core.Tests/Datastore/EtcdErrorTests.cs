using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Calico.Datastore;
using Calico.Resources;

namespace Calico.Tests.Datastore;

/// <summary>Every way of not reaching etcd ends in a clear error naming the endpoints, within seconds, losing nothing.</summary>
public sealed class EtcdErrorTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(5);

    /// <summary>Runs a test against an etcd of its own, which it may stop and start.</summary>
    private static async Task WithOwnEtcdAsync(Func<EtcdServer, Task> test)
    {
        var etcd = new EtcdServer();
        await etcd.InitializeAsync();
        try { await test(etcd); }
        finally { await etcd.DisposeAsync(); }
    }

    private static async Task<DatastoreUnavailableException> UnavailableWithinLimitAsync(Func<Task> action)
    {
        var watch = Stopwatch.StartNew();
        var ex = await Assert.ThrowsAsync<DatastoreUnavailableException>(action);
        Assert.True(watch.Elapsed < Limit, $"took {watch.Elapsed}");
        return ex;
    }

    [Fact]
    public async Task Nothing_listening_on_the_port_fails_fast_naming_the_endpoint()
    {
        var endpoint = $"http://127.0.0.1:{EtcdServer.FreePort()}";
        using var store = new EtcdKeyValueStore(new EtcdOptions { Endpoints = new[] { endpoint } });
        var ex = await UnavailableWithinLimitAsync(() => store.ListAsync("/calico/"));
        Assert.Contains(endpoint, ex.Message);
        Assert.Contains("cannot reach etcd", ex.Message);
        Assert.Equal(new[] { endpoint }, ex.Endpoints);
    }

    [Fact]
    public async Task A_server_that_accepts_but_never_answers_fails_within_the_request_timeout()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var accepted = new List<TcpClient>();
        var accepting = Task.Run(async () =>
        {
            try { while (true) accepted.Add(await listener.AcceptTcpClientAsync()); }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException) { }
        });
        var endpoint = $"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}";
        using var store = new EtcdKeyValueStore(new EtcdOptions { Endpoints = new[] { endpoint } });
        var ex = await UnavailableWithinLimitAsync(() => new ResourceStore(store).ListAsync<IPPool>());
        Assert.Contains(endpoint, ex.Message);
        listener.Stop();
        foreach (var c in accepted) c.Dispose();
    }

    [Fact]
    public Task Etcd_stopped_mid_run_gives_a_clear_error_and_after_a_restart_nothing_is_lost() => WithOwnEtcdAsync(async etcd =>
    {
        using var store = etcd.OpenStore();
        var resources = new ResourceStore(store);
        for (var i = 0; i < 5; i++) await resources.CreateAsync(new IPPool { Name = $"p{i}", Spec = { Cidr = $"10.{i}.0.0/16" } });
        etcd.Stop();

        var ex = await UnavailableWithinLimitAsync(() => resources.CreateAsync(new IPPool { Name = "late", Spec = { Cidr = "10.9.0.0/16" } }));
        Assert.Contains(etcd.Endpoint, ex.Message);
        await UnavailableWithinLimitAsync(() => resources.ListAsync<IPPool>());

        await etcd.StartAsync();
        var list = await resources.ListAsync<IPPool>();
        Assert.Equal(new[] { "p0", "p1", "p2", "p3", "p4" }, list.Items.Select(p => p.Name));
        // The create that failed was not half-applied.
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => resources.GetAsync<IPPool>("late"));
    });

    [Fact]
    public Task A_watch_ends_with_a_clear_error_when_etcd_stops() => WithOwnEtcdAsync(async etcd =>
    {
        using var store = etcd.OpenStore();
        var created = await store.CreateAsync("/w/a", Encoding.UTF8.GetBytes("a"));
        var ex = await Assert.ThrowsAsync<DatastoreUnavailableException>(async () =>
        {
            await foreach (var e in store.WatchAsync("/w/", created.ModRevision - 1))
            {
                Assert.Equal("/w/a", e.Key);
                etcd.Stop();
            }
        });
        Assert.Contains(etcd.Endpoint, ex.Message);
    });

    [Fact]
    public Task Username_and_password_are_used_together_and_refused_credentials_are_reported_without_the_password() => WithOwnEtcdAsync(async etcd =>
    {
        await etcd.EtcdctlAsync("user", "add", "root", "--new-user-password=right-pw");
        await etcd.EtcdctlAsync("auth", "enable");
        using (var store = new EtcdKeyValueStore(new EtcdOptions { Endpoints = new[] { etcd.Endpoint }, Username = "root", Password = "right-pw" }))
        {
            var created = await store.CreateAsync("/auth/a", Encoding.UTF8.GetBytes("a"));
            Assert.Equal(created.ModRevision, (await store.GetAsync("/auth/a"))!.ModRevision);
        }
        using (var wrong = new EtcdKeyValueStore(new EtcdOptions { Endpoints = new[] { etcd.Endpoint }, Username = "root", Password = "wrong-pw" }))
        {
            var ex = await Assert.ThrowsAsync<DatastoreException>(() => wrong.GetAsync("/auth/a"));
            Assert.True(ex.Message.Contains("refused the credentials of user root", StringComparison.Ordinal), ex.Message);
            Assert.DoesNotContain("wrong-pw", ex.Message);
        }
        // A username without a password is not used at all, so etcd sees an anonymous client.
        using var anonymous = new EtcdKeyValueStore(new EtcdOptions { Endpoints = new[] { etcd.Endpoint }, Username = "root" });
        var refused = await Assert.ThrowsAsync<DatastoreException>(() => anonymous.GetAsync("/auth/a"));
        Assert.True(refused.Message.Contains("etcd refused", StringComparison.Ordinal), refused.Message);
    });

    [Fact]
    public void Missing_or_unusable_TLS_files_are_reported_before_connecting_naming_the_setting_and_file()
    {
        using var dir = new TempDirectory();
        var missing = Path.Combine(dir.Path, "missing-ca.pem");
        var ex = Assert.Throws<DatastoreConfigurationException>(() => new EtcdKeyValueStore(new EtcdOptions { Endpoints = new[] { "https://127.0.0.1:2379" }, CACertFile = missing }));
        Assert.Equal("etcdCACertFile", ex.Setting);
        Assert.Contains(missing, ex.Message);

        var garbage = Path.Combine(dir.Path, "garbage.pem");
        File.WriteAllText(garbage, "this is not a certificate");
        ex = Assert.Throws<DatastoreConfigurationException>(() => new EtcdKeyValueStore(new EtcdOptions { Endpoints = new[] { "https://127.0.0.1:2379" }, CACertFile = garbage }));
        Assert.Contains(garbage, ex.Message);
        Assert.Contains("no PEM certificate", ex.Message);

        ex = Assert.Throws<DatastoreConfigurationException>(() => new EtcdKeyValueStore(new EtcdOptions { Endpoints = new[] { "https://127.0.0.1:2379" }, CertFile = garbage, KeyFile = garbage }));
        Assert.Equal("etcdCertFile", ex.Setting);

        ex = Assert.Throws<DatastoreConfigurationException>(() => new EtcdKeyValueStore(new EtcdOptions { Endpoints = new[] { "https://127.0.0.1:2379" }, CACertFile = garbage, CACert = "-----BEGIN CERTIFICATE-----" }));
        Assert.Contains("cannot be mixed", ex.Message);
    }

    [Fact]
    public void Endpoints_must_be_http_or_https_urls()
    {
        var ex = Assert.Throws<DatastoreConfigurationException>(() => new EtcdKeyValueStore(new EtcdOptions { Endpoints = new[] { "unix:///run/etcd.sock" } }));
        Assert.Equal("etcdEndpoints", ex.Setting);
        Assert.Contains("unix:///run/etcd.sock", ex.Message);
        Assert.Throws<DatastoreConfigurationException>(() => new EtcdKeyValueStore(new EtcdOptions()));
    }

    [Fact]
    public void Options_never_show_the_password_or_an_inline_key()
    {
        var options = new EtcdOptions { Endpoints = new[] { "http://a:2379" }, Username = "root", Password = "s3cret-pw", Key = "-----BEGIN PRIVATE KEY-----secretkey" };
        Assert.DoesNotContain("s3cret-pw", options.ToString());
        Assert.DoesNotContain("secretkey", options.ToString());
        Assert.Contains("user root", options.ToString());
    }
}

/// <summary>TLS with a client certificate, against an etcd that demands one.</summary>
public sealed class EtcdTlsTests(TlsEtcdServer etcd) : IClassFixture<TlsEtcdServer>
{
    [Fact]
    public async Task The_CA_file_and_client_certificate_and_key_files_get_a_working_connection()
    {
        using var store = etcd.OpenStore();
        var created = await new ResourceStore(store).CreateAsync(new Node { Name = "tls-node" });
        Assert.Equal(created.ResourceVersion, (await new ResourceStore(store).GetAsync<Node>("tls-node")).ResourceVersion);
        Assert.StartsWith("https://", store.Endpoints.Single());
    }

    [Fact]
    public async Task A_server_certificate_from_another_CA_is_refused_with_an_error_naming_the_endpoint()
    {
        using var store = new EtcdKeyValueStore(new EtcdOptions
        {
            Endpoints = new[] { etcd.Endpoint }, CACertFile = etcd.OtherCAFile, CertFile = etcd.ClientCertFile, KeyFile = etcd.ClientKeyFile,
        });
        var ex = await Assert.ThrowsAsync<DatastoreUnavailableException>(() => store.ListAsync("/"));
        Assert.Contains(etcd.Endpoint, ex.Message);
        Assert.Contains("SSL", ex.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Without_a_client_certificate_the_server_refuses_and_the_error_says_so()
    {
        using var store = new EtcdKeyValueStore(new EtcdOptions { Endpoints = new[] { etcd.Endpoint }, CACertFile = etcd.CAFile });
        var ex = await Assert.ThrowsAsync<DatastoreUnavailableException>(() => store.ListAsync("/"));
        Assert.Contains(etcd.Endpoint, ex.Message);
    }
}

using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Calico.Datastore;

namespace Calico.Tests.Datastore;

/// <summary>
/// A real etcd (Debian's etcd-server) on 127.0.0.1 with free ports and a temporary data directory, killed on dispose.
/// Extra command-line arguments (TLS) can be given by a subclass.
/// </summary>
public class EtcdServer : IAsyncLifetime
{
    private const string InstallHint = "install Debian's etcd-server and etcd-client packages (apt-get install etcd-server etcd-client); CI installs them";
    private Process? _process;
    private readonly StringBuilder _log = new();

    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "calico-etcd-" + Guid.NewGuid().ToString("N"));
    public int ClientPort { get; private set; }
    public int PeerPort { get; private set; }
    protected virtual string Scheme => "http";
    public string Endpoint => $"{Scheme}://127.0.0.1:{ClientPort}";
    public bool IsRunning => _process is { HasExited: false };

    public static string EtcdPath => Which("etcd") ?? throw new InvalidOperationException("etcd is not installed: " + InstallHint);
    public static string EtcdctlPath => Which("etcdctl") ?? throw new InvalidOperationException("etcdctl is not installed: " + InstallHint);

    public virtual async Task InitializeAsync()
    {
        ClientPort = FreePort();
        PeerPort = FreePort();
        await StartAsync();
    }

    public virtual Task DisposeAsync()
    {
        Stop();
        try { Directory.Delete(DataDirectory, recursive: true); } catch (IOException) { }
        return Task.CompletedTask;
    }

    protected virtual IEnumerable<string> ExtraArguments() => Array.Empty<string>();

    /// <summary>Starts (or restarts, keeping the data) etcd and waits until it answers.</summary>
    public async Task StartAsync()
    {
        var peer = $"http://127.0.0.1:{PeerPort}";
        var start = new ProcessStartInfo(EtcdPath)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[]
        {
            "--name", "calico-test", "--data-dir", DataDirectory,
            "--listen-client-urls", Endpoint, "--advertise-client-urls", Endpoint,
            "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
            "--initial-cluster", "calico-test=" + peer, "--log-level", "error", "--logger", "zap",
        }.Concat(ExtraArguments())) start.ArgumentList.Add(a);
        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, e) => { lock (_log) _log.AppendLine(e.Data); };
        _process.ErrorDataReceived += (_, e) => { lock (_log) _log.AppendLine(e.Data); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited) throw new InvalidOperationException($"etcd exited with {_process.ExitCode}: {Log}");
            if (await AnswersAsync()) return;
            await Task.Delay(50);
        }
        Stop();
        throw new InvalidOperationException("etcd did not answer within 20 s: " + Log);
    }

    public void Stop()
    {
        if (_process is null) return;
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
        catch (InvalidOperationException) { }
        _process.Dispose();
        _process = null;
    }

    public string Log { get { lock (_log) return _log.ToString(); } }

    /// <summary>A store for this server; each call gives a separate client.</summary>
    public virtual EtcdKeyValueStore OpenStore(int pageSize = 500) =>
        new(new EtcdOptions { Endpoints = new[] { Endpoint }, ListPageSize = pageSize });

    public async Task<string> EtcdctlAsync(params string[] args)
    {
        var start = new ProcessStartInfo(EtcdctlPath)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["ETCDCTL_API"] = "3";
        start.ArgumentList.Add("--endpoints=" + Endpoint);
        foreach (var a in EtcdctlTlsArguments()) start.ArgumentList.Add(a);
        foreach (var a in args) start.ArgumentList.Add(a);
        using var p = Process.Start(start)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        if (p.ExitCode != 0) throw new InvalidOperationException($"etcdctl {string.Join(' ', args)} failed: {await stderr}");
        return await stdout;
    }

    protected virtual IEnumerable<string> EtcdctlTlsArguments() => Array.Empty<string>();

    /// <summary>Deletes every key, so a test starts from an empty keyspace (revisions keep counting, as etcd's do).</summary>
    public Task WipeAsync() => EtcdctlAsync("del", "", "--from-key");

    /// <summary>Drops all history up to and including <paramref name="revision"/>.</summary>
    public Task CompactAsync(long revision) => EtcdctlAsync("compact", revision.ToString(System.Globalization.CultureInfo.InvariantCulture));

    private async Task<bool> AnswersAsync()
    {
        try
        {
            await EtcdctlAsync("--command-timeout=1s", "get", "/calico-test-probe");
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    public static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private static string? Which(string name)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin").Split(':').Append("/usr/bin").Append("/usr/sbin"))
        {
            var path = Path.Combine(dir, name);
            if (File.Exists(path)) return path;
        }
        return null;
    }
}

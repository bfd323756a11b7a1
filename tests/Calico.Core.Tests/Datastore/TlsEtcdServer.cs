using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Calico.Datastore;

namespace Calico.Tests.Datastore;

/// <summary>An etcd that speaks only TLS and demands a client certificate, with a CA made for the test.</summary>
public sealed class TlsEtcdServer : EtcdServer
{
    public string CertDirectory { get; } = Path.Combine(Path.GetTempPath(), "calico-etcd-tls-" + Guid.NewGuid().ToString("N"));
    public string CAFile => Path.Combine(CertDirectory, "ca.pem");
    public string ServerCertFile => Path.Combine(CertDirectory, "server.pem");
    public string ServerKeyFile => Path.Combine(CertDirectory, "server-key.pem");
    public string ClientCertFile => Path.Combine(CertDirectory, "client.pem");
    public string ClientKeyFile => Path.Combine(CertDirectory, "client-key.pem");
    /// <summary>A CA that signed nothing here: trusting it instead of the real one must fail.</summary>
    public string OtherCAFile => Path.Combine(CertDirectory, "other-ca.pem");

    protected override string Scheme => "https";

    public override async Task InitializeAsync()
    {
        Directory.CreateDirectory(CertDirectory);
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var ca = MakeCA("calico-test-ca", caKey);
        File.WriteAllText(CAFile, ca.ExportCertificatePem());
        using var otherKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var other = MakeCA("calico-other-ca", otherKey);
        File.WriteAllText(OtherCAFile, other.ExportCertificatePem());
        Issue(ca, caKey, "etcd-server", server: true, ServerCertFile, ServerKeyFile);
        Issue(ca, caKey, "calico-client", server: false, ClientCertFile, ClientKeyFile);
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        try { Directory.Delete(CertDirectory, recursive: true); } catch (IOException) { }
    }

    protected override IEnumerable<string> ExtraArguments() => new[]
    {
        "--cert-file", ServerCertFile, "--key-file", ServerKeyFile, "--client-cert-auth", "--trusted-ca-file", CAFile,
    };

    protected override IEnumerable<string> EtcdctlTlsArguments() => new[]
    {
        "--cacert=" + CAFile, "--cert=" + ClientCertFile, "--key=" + ClientKeyFile,
    };

    public override EtcdKeyValueStore OpenStore(int pageSize = 500) => new(new EtcdOptions
    {
        Endpoints = new[] { Endpoint }, CACertFile = CAFile, CertFile = ClientCertFile, KeyFile = ClientKeyFile, ListPageSize = pageSize,
    });

    private static X509Certificate2 MakeCA(string name, ECDsa key)
    {
        var request = new CertificateRequest("CN=" + name, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
    }

    private static void Issue(X509Certificate2 ca, ECDsa caKey, string name, bool server, string certFile, string keyFile)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=" + name, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(new OidCollection
        {
            new Oid(server ? "1.3.6.1.5.5.7.3.1" : "1.3.6.1.5.5.7.3.2"),
            new Oid(server ? "1.3.6.1.5.5.7.3.2" : "1.3.6.1.5.5.7.3.1"),
        }, false));
        if (server)
        {
            var san = new SubjectAlternativeNameBuilder();
            san.AddIpAddress(IPAddress.Loopback);
            san.AddDnsName("localhost");
            request.CertificateExtensions.Add(san.Build());
        }
        var serial = new byte[8];
        RandomNumberGenerator.Fill(serial);
        serial[0] &= 0x7F;
        using var cert = request.Create(ca.SubjectName, X509SignatureGenerator.CreateForECDsa(caKey), DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1), serial);
        File.WriteAllText(certFile, cert.ExportCertificatePem());
        File.WriteAllText(keyFile, key.ExportPkcs8PrivateKeyPem());
    }
}

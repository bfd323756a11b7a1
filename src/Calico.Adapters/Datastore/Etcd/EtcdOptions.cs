namespace Calico.Datastore;

/// <summary>
/// How to reach an etcd v3 cluster: libcalico-go's EtcdConfig plus the timeouts. Username and password are used only
/// when both are set, as libcalico-go does. ToString never shows the password or an inline key.
/// </summary>
public sealed class EtcdOptions
{
    /// <summary>Client URLs such as https://10.0.0.1:2379. Without a scheme, https is assumed when TLS is configured, else http.</summary>
    public IReadOnlyList<string> Endpoints { get; init; } = Array.Empty<string>();

    public string? CACertFile { get; init; }
    public string? CertFile { get; init; }
    public string? KeyFile { get; init; }

    /// <summary>PEM text given inline in the config file; cannot be mixed with the *File settings.</summary>
    public string? CACert { get; init; }
    public string? Cert { get; init; }
    public string? Key { get; init; }

    public string? Username { get; init; }
    public string? Password { get; init; }

    /// <summary>How long to wait for a TCP (and TLS) connection to one endpoint.</summary>
    public TimeSpan DialTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How long one request may take, across every endpoint tried.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(4);

    /// <summary>How many keys one list request asks for; larger lists are read in pages at one revision.</summary>
    public int ListPageSize { get; init; } = 500;

    public bool UsesAuthentication => !string.IsNullOrEmpty(Username) && !string.IsNullOrEmpty(Password);

    public override string ToString()
    {
        var parts = new List<string> { "endpoints " + string.Join(",", Endpoints) };
        if (!string.IsNullOrEmpty(CACertFile)) parts.Add("CA file " + CACertFile);
        if (!string.IsNullOrEmpty(CertFile)) parts.Add("cert file " + CertFile);
        if (!string.IsNullOrEmpty(KeyFile)) parts.Add("key file " + KeyFile);
        if (!string.IsNullOrEmpty(CACert) || !string.IsNullOrEmpty(Cert) || !string.IsNullOrEmpty(Key)) parts.Add("inline certificates");
        if (UsesAuthentication) parts.Add("user " + Username);
        return string.Join(", ", parts);
    }
}

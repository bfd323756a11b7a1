using System.Net.Http;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Etcdserverpb;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;

namespace Calico.Datastore;

/// <summary>
/// gRPC channels to every endpoint, with TLS, the auth token and failover: a call goes to the endpoint that last
/// answered and moves on to the next when one cannot be reached, all within one request deadline, so an unreachable
/// cluster is an error naming the endpoints in seconds, never a hang.
/// </summary>
internal sealed class EtcdConnection : IDisposable
{
    private readonly EtcdOptions _options;
    private readonly GrpcChannel[] _channels;
    private readonly CallInvoker[] _invokers;
    private readonly string _location;
    private volatile string? _token;
    private int _current;

    public EtcdConnection(EtcdOptions options, string location)
    {
        _options = options;
        _location = location;
        Endpoints = NormalizeEndpoints(options, location);
        _tls = BuildTls(options, location);
        _channels = new GrpcChannel[Endpoints.Count];
        _invokers = new CallInvoker[Endpoints.Count];
        for (var i = 0; i < Endpoints.Count; i++) OpenChannel(i);
    }

    private readonly SslClientAuthenticationOptions? _tls;

    private void OpenChannel(int i)
    {
        _channels[i] = GrpcChannel.ForAddress(Endpoints[i], new GrpcChannelOptions
        {
            HttpHandler = CreateHandler(_options, _tls),
            DisposeHttpClient = true,
            MaxReceiveMessageSize = 64 << 20,
            ThrowOperationCanceledOnCancellation = true,
        });
        _invokers[i] = _channels[i].Intercept(AddToken);
    }

    /// <summary>
    /// A channel that failed to connect keeps failing, without trying, until its reconnect backoff ends (up to
    /// minutes); a fresh channel tries at once, so a member that is back is used at once and one still down fails fast.
    /// </summary>
    private void ReopenChannel(int i)
    {
        lock (_channels)
        {
            var old = _channels[i];
            OpenChannel(i);
            old.Dispose();
        }
    }

    public IReadOnlyList<string> Endpoints { get; }

    public void Dispose()
    {
        foreach (var c in _channels) c.Dispose();
    }

    /// <summary>
    /// Runs one request. <paramref name="idempotent"/> requests move to another endpoint on any transport failure;
    /// writes only when the connection could not even be made, so a write is never applied twice.
    /// </summary>
    public async Task<T> CallAsync<T>(string what, bool idempotent, Func<CallInvoker, CallOptions, Task<T>> call, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + _options.RequestTimeout;
        var failures = new List<string>();
        var start = _current;
        for (var attempt = 0; attempt < _invokers.Length; attempt++)
        {
            var i = (start + attempt) % _invokers.Length;
            var reauthenticated = false;
            var reopened = false;
            while (true)
            {
                try
                {
                    if (_options.UsesAuthentication && _token is null) await AuthenticateAsync(i, what, deadline, cancellationToken).ConfigureAwait(false);
                    var result = await call(_invokers[i], new CallOptions(deadline: deadline, cancellationToken: cancellationToken)).ConfigureAwait(false);
                    _current = i;
                    return result;
                }
                catch (RpcException ex) when (ex.StatusCode == StatusCode.Unauthenticated && _options.UsesAuthentication && !reauthenticated)
                {
                    // The token expired or the member restarted: get a new one and try once more.
                    _token = null;
                    reauthenticated = true;
                }
                catch (RpcException ex) when (IsConnectFailure(ex) && !reopened)
                {
                    reopened = true;
                    ReopenChannel(i);
                }
                catch (RpcException ex) when ((ex.StatusCode == StatusCode.Unavailable && idempotent) || IsConnectFailure(ex))
                {
                    // Refused, unreachable, or a TLS handshake that failed: this endpoint is no use, try the next.
                    failures.Add($"{Endpoints[i]}: {Describe(ex)}");
                    break;
                }
                catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
                {
                    // The deadline passed (gRPC reports it as a cancellation).
                    failures.Add($"{Endpoints[i]}: no answer within {_options.RequestTimeout.TotalSeconds:0.#} s");
                    throw Unavailable(what, failures, ex);
                }
                catch (RpcException ex) when (ex.StatusCode is StatusCode.DeadlineExceeded or StatusCode.Unavailable)
                {
                    failures.Add($"{Endpoints[i]}: {Describe(ex)}");
                    throw Unavailable(what, failures, ex);
                }
                catch (RpcException ex) when (ex.StatusCode is StatusCode.Unauthenticated or StatusCode.PermissionDenied
                    || (ex.StatusCode == StatusCode.InvalidArgument && ex.Status.Detail.Contains("user name is empty", StringComparison.Ordinal)))
                {
                    // etcd with auth enabled answers a client without credentials with "user name is empty".
                    throw new DatastoreException($"{_location}: {what}: etcd refused the credentials{(_options.UsesAuthentication ? $" of user {_options.Username}" : "")}: {ex.Status.Detail}", _location, null, ex);
                }
                catch (RpcException ex)
                {
                    throw new DatastoreException($"{_location}: {what} failed: {ex.Status.StatusCode}: {ex.Status.Detail}", _location, null, ex);
                }
            }
            if (DateTime.UtcNow >= deadline) break;
        }
        throw Unavailable(what, failures, null);
    }

    /// <summary>Opens a watch stream on the first endpoint that takes it.</summary>
    public async Task<AsyncDuplexStreamingCall<WatchRequest, WatchResponse>> OpenWatchAsync(WatchRequest request, CancellationToken cancellationToken)
    {
        return await CallAsync("watch", idempotent: true, async (invoker, options) =>
        {
            var call = new Watch.WatchClient(invoker).Watch(new CallOptions(cancellationToken: cancellationToken));
            try
            {
                await call.RequestStream.WriteAsync(request).ConfigureAwait(false);
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(options.Deadline!.Value - DateTime.UtcNow);
                // Wait for etcd to confirm the watch, so a dead endpoint fails here and the next is tried.
                if (!await call.ResponseStream.MoveNext(timeout.Token).ConfigureAwait(false))
                    throw new RpcException(new Status(StatusCode.Unavailable, "the watch stream closed before etcd confirmed it"));
                return call;
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                call.Dispose();
                throw new RpcException(new Status(StatusCode.DeadlineExceeded, "etcd did not confirm the watch in time"));
            }
            catch
            {
                call.Dispose();
                throw;
            }
        }, cancellationToken).ConfigureAwait(false);
    }

    public DatastoreUnavailableException Unavailable(string what, IReadOnlyList<string> failures, Exception? inner) =>
        new($"{_location}: {what}: cannot reach etcd ({(failures.Count == 0 ? "no answer within " + _options.RequestTimeout.TotalSeconds + " s" : string.Join("; ", failures))})",
            _location, Endpoints, inner);

    public static string Describe(RpcException ex)
    {
        var detail = ex.Status.Detail;
        for (var e = ex.Status.DebugException ?? ex.InnerException; e is not null; e = e.InnerException)
            if (!detail.Contains(e.Message, StringComparison.Ordinal)) detail += ": " + e.Message;
        return ex.StatusCode == StatusCode.DeadlineExceeded ? $"no answer within {detail}" : detail;
    }

    private Metadata AddToken(Metadata metadata)
    {
        if (_token is { } token) metadata.Add("token", token);
        return metadata;
    }

    private async Task AuthenticateAsync(int endpoint, string what, DateTime deadline, CancellationToken cancellationToken)
    {
        var auth = new Auth.AuthClient(_channels[endpoint]);
        try
        {
            var response = await auth.AuthenticateAsync(new AuthenticateRequest { Name = _options.Username, Password = _options.Password },
                new CallOptions(deadline: deadline, cancellationToken: cancellationToken)).ConfigureAwait(false);
            _token = response.Token;
        }
        catch (RpcException ex) when (ex.StatusCode is StatusCode.InvalidArgument or StatusCode.Unauthenticated or StatusCode.PermissionDenied or StatusCode.FailedPrecondition)
        {
            throw new DatastoreException($"{_location}: {what}: etcd refused the credentials of user {_options.Username}: {ex.Status.Detail}", _location, null, ex);
        }
    }

    private static bool IsConnectFailure(RpcException ex)
    {
        for (Exception? e = ex.Status.DebugException ?? ex.InnerException; e is not null; e = e.InnerException)
        {
            if (e is SocketException or AuthenticationException) return true;
            if (e is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.SecureConnectionError or HttpRequestError.NameResolutionError }) return true;
        }
        return false;
    }

    private static SocketsHttpHandler CreateHandler(EtcdOptions options, SslClientAuthenticationOptions? tls)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = options.DialTimeout,
            KeepAlivePingDelay = TimeSpan.FromSeconds(30),
            KeepAlivePingTimeout = TimeSpan.FromSeconds(10),
            KeepAlivePingPolicy = HttpKeepAlivePingPolicy.WithActiveRequests,
            EnableMultipleHttp2Connections = true,
        };
        if (tls is not null) handler.SslOptions = tls;
        return handler;
    }

    private static IReadOnlyList<string> NormalizeEndpoints(EtcdOptions options, string location)
    {
        var usesTls = HasTlsSettings(options);
        var result = new List<string>();
        foreach (var raw in options.Endpoints)
        {
            var text = raw.Trim();
            if (text.Length == 0) continue;
            if (!text.Contains("://", StringComparison.Ordinal)) text = (usesTls ? "https://" : "http://") + text;
            if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != "http" && uri.Scheme != "https") || string.IsNullOrEmpty(uri.Host))
                throw new DatastoreConfigurationException($"{location}: etcd endpoint {Calico.Serialization.FieldError.Quote(raw)} is not an http:// or https:// URL", location, "etcdEndpoints");
            result.Add(uri.GetLeftPart(UriPartial.Authority));
        }
        if (result.Count == 0)
            throw new DatastoreConfigurationException($"{location}: no etcd endpoints are set (etcdEndpoints / ETCD_ENDPOINTS)", location, "etcdEndpoints");
        return result;
    }

    private static bool HasTlsSettings(EtcdOptions o) =>
        !string.IsNullOrEmpty(o.CACertFile) || !string.IsNullOrEmpty(o.CertFile) || !string.IsNullOrEmpty(o.KeyFile)
        || !string.IsNullOrEmpty(o.CACert) || !string.IsNullOrEmpty(o.Cert) || !string.IsNullOrEmpty(o.Key);

    /// <summary>The TLS settings, read now so a bad file is reported before any connection is tried; null without TLS settings.</summary>
    private static SslClientAuthenticationOptions? BuildTls(EtcdOptions o, string location)
    {
        var haveInline = !string.IsNullOrEmpty(o.CACert) || !string.IsNullOrEmpty(o.Cert) || !string.IsNullOrEmpty(o.Key);
        var haveFiles = !string.IsNullOrEmpty(o.CACertFile) || !string.IsNullOrEmpty(o.CertFile) || !string.IsNullOrEmpty(o.KeyFile);
        if (haveInline && haveFiles)
            throw new DatastoreConfigurationException($"{location}: inline certificates (etcdCACert, etcdCert, etcdKey) and certificate files (etcdCACertFile, etcdCertFile, etcdKeyFile) cannot be mixed", location, "etcdCert");
        if (!haveInline && !haveFiles) return null;

        var tls = new SslClientAuthenticationOptions();
        var caPem = haveInline ? o.CACert : ReadPem(o.CACertFile, "etcdCACertFile", location);
        if (!string.IsNullOrEmpty(caPem))
        {
            var roots = new X509Certificate2Collection();
            try { roots.ImportFromPem(caPem); }
            catch (Exception ex) when (ex is System.Security.Cryptography.CryptographicException or ArgumentException)
            {
                throw BadTls(location, haveInline ? "etcdCACert" : "etcdCACertFile", haveInline ? null : o.CACertFile, "is not a PEM certificate: " + ex.Message, ex);
            }
            if (roots.Count == 0) throw BadTls(location, haveInline ? "etcdCACert" : "etcdCACertFile", haveInline ? null : o.CACertFile, "holds no PEM certificate", null);
            tls.RemoteCertificateValidationCallback = (_, certificate, _, errors) => TrustedBy(roots, certificate, errors);
        }

        var certPem = haveInline ? o.Cert : ReadPem(o.CertFile, "etcdCertFile", location);
        var keyPem = haveInline ? o.Key : ReadPem(o.KeyFile, "etcdKeyFile", location);
        if (string.IsNullOrEmpty(certPem) != string.IsNullOrEmpty(keyPem))
            throw BadTls(location, string.IsNullOrEmpty(certPem) ? "etcdCertFile" : "etcdKeyFile", null, "must be set together with " + (string.IsNullOrEmpty(certPem) ? "etcdKeyFile" : "etcdCertFile"), null);
        if (!string.IsNullOrEmpty(certPem))
        {
            try
            {
                var client = X509Certificate2.CreateFromPem(certPem, keyPem);
                // SChannel cannot use a key that only lives in memory.
                if (OperatingSystem.IsWindows()) client = new X509Certificate2(client.Export(X509ContentType.Pkcs12));
                tls.ClientCertificates = new X509CertificateCollection { client };
            }
            catch (Exception ex) when (ex is System.Security.Cryptography.CryptographicException or ArgumentException)
            {
                throw BadTls(location, haveInline ? "etcdCert" : "etcdCertFile", haveInline ? null : o.CertFile + " with " + o.KeyFile,
                    "is not a PEM certificate with its private key: " + ex.Message, ex);
            }
        }
        return tls;
    }

    private static bool TrustedBy(X509Certificate2Collection roots, X509Certificate? certificate, SslPolicyErrors errors)
    {
        if (certificate is null || (errors & (SslPolicyErrors.RemoteCertificateNotAvailable | SslPolicyErrors.RemoteCertificateNameMismatch)) != 0) return false;
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(roots);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var leaf = new X509Certificate2(certificate);
        return chain.Build(leaf);
    }

    private static string? ReadPem(string? path, string setting, string location)
    {
        if (string.IsNullOrEmpty(path)) return null;
        try
        {
            return System.IO.File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw BadTls(location, setting, path, "cannot be read: " + ex.Message, ex);
        }
    }

    private static DatastoreConfigurationException BadTls(string location, string setting, string? file, string reason, Exception? inner) =>
        new($"{location}: {setting}{(file is null ? "" : " " + file)} {reason}", location, setting, inner);
}

using System.Runtime.CompilerServices;
using Etcdserverpb;
using Google.Protobuf;
using Grpc.Core;

namespace Calico.Datastore;

/// <summary>
/// An etcd v3 cluster, used exactly as libcalico-go's etcdv3 backend uses it (transactions on Version and
/// ModRevision, prefix reads, watches with previous values), so this module, calicoctl and calico-node share one cluster.
/// </summary>
public sealed class EtcdKeyValueStore : ITransactionalKeyValueStore
{
    private readonly EtcdConnection _connection;
    private readonly int _pageSize;

    /// <exception cref="DatastoreConfigurationException">No endpoints, a bad endpoint URL, or a TLS file that cannot be used.</exception>
    public EtcdKeyValueStore(EtcdOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Location = "etcdv3 datastore " + string.Join(",", options.Endpoints.Select(e => e.Trim()).Where(e => e.Length > 0));
        _connection = new EtcdConnection(options, Location);
        Location = "etcdv3 datastore " + string.Join(",", _connection.Endpoints);
        _pageSize = Math.Max(1, options.ListPageSize);
    }

    public string Location { get; }

    public IReadOnlyList<string> Endpoints => _connection.Endpoints;

    public string DescribeKey(string key) => $"key {key} in {Location}";

    public void Dispose() => _connection.Dispose();

    public Task CheckAsync(CancellationToken cancellationToken = default) =>
        GetAsync("/calico/resources/v3/projectcalico.org/clusterinformations/default", cancellationToken);

    public async Task<KeyValue?> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        var response = await _connection.CallAsync($"get {key}", idempotent: true,
            (invoker, options) => new KV.KVClient(invoker).RangeAsync(new RangeRequest { Key = Bytes(key) }, options).ResponseAsync,
            cancellationToken).ConfigureAwait(false);
        return response.Kvs.Count == 0 ? null : ToKeyValue(response.Kvs[0]);
    }

    public async Task<KeyValueList> ListAsync(string prefix, CancellationToken cancellationToken = default)
    {
        // Pages are read at the first page's revision, so the whole list is one consistent view, as one Range would be.
        var items = new List<KeyValue>();
        var start = prefix.Length == 0 ? ByteString.CopyFrom(0) : Bytes(prefix);
        var end = RangeEnd(prefix);
        long revision = 0;
        while (true)
        {
            var request = new RangeRequest { Key = start, RangeEnd = end, Limit = _pageSize, Revision = revision };
            var response = await _connection.CallAsync($"list {prefix}", idempotent: true,
                (invoker, options) => new KV.KVClient(invoker).RangeAsync(request, options).ResponseAsync, cancellationToken).ConfigureAwait(false);
            if (revision == 0) revision = response.Header.Revision;
            foreach (var kv in response.Kvs) items.Add(ToKeyValue(kv));
            if (!response.More || response.Kvs.Count == 0) break;
            start = ByteString.CopyFrom(response.Kvs[^1].Key.Concat(new byte[] { 0 }).ToArray());
        }
        return new KeyValueList(items, revision, Array.Empty<DatastoreCorruptException>());
    }

    public async Task<KeyValue> CreateAsync(string key, byte[] value, CancellationToken cancellationToken = default)
    {
        var txn = new TxnRequest();
        txn.Compare.Add(Condition(key, modRevision: null));
        txn.Success.Add(new RequestOp { RequestPut = new PutRequest { Key = Bytes(key), Value = ByteString.CopyFrom(value) } });
        txn.Failure.Add(new RequestOp { RequestRange = new RangeRequest { Key = Bytes(key) } });
        var response = await TransactAsync($"create {key}", txn, cancellationToken).ConfigureAwait(false);
        if (!response.Succeeded)
        {
            var current = response.Responses[0].ResponseRange.Kvs.Select(ToKeyValue).FirstOrDefault();
            throw new ResourceAlreadyExistsException($"{DescribeKey(key)} already exists", Location, key, current);
        }
        var revision = response.Header.Revision;
        return new KeyValue(key, value, revision, revision, 1);
    }

    public async Task<KeyValue> UpdateAsync(string key, byte[] value, long modRevision, CancellationToken cancellationToken = default)
    {
        var txn = new TxnRequest();
        txn.Compare.Add(Condition(key, modRevision));
        txn.Success.Add(new RequestOp { RequestPut = new PutRequest { Key = Bytes(key), Value = ByteString.CopyFrom(value), PrevKv = true } });
        txn.Failure.Add(new RequestOp { RequestRange = new RangeRequest { Key = Bytes(key) } });
        var response = await TransactAsync($"update {key}", txn, cancellationToken).ConfigureAwait(false);
        if (!response.Succeeded) throw NotFoundOrConflict(key, modRevision, response);
        var previous = response.Responses[0].ResponsePut.PrevKv;
        return new KeyValue(key, value, response.Header.Revision, previous?.CreateRevision ?? response.Header.Revision, (previous?.Version ?? 0) + 1);
    }

    /// <summary>etcd's default --max-txn-ops; a cluster configured lower refuses larger transactions.</summary>
    public int MaxWritesPerTransaction => 128;

    public async Task<IReadOnlyList<KeyValue>?> TryCommitAsync(IReadOnlyList<KeyWrite> writes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(writes);
        if (writes.Count == 0) return Array.Empty<KeyValue>();
        var txn = new TxnRequest();
        foreach (var write in writes)
        {
            txn.Compare.Add(Condition(write.Key, write.ModRevision));
            txn.Success.Add(new RequestOp { RequestPut = new PutRequest { Key = Bytes(write.Key), Value = ByteString.CopyFrom(write.Value), PrevKv = write.ModRevision is not null } });
        }
        var response = await TransactAsync($"commit {writes.Count} keys from {writes[0].Key}", txn, cancellationToken).ConfigureAwait(false);
        if (!response.Succeeded) return null;
        var revision = response.Header.Revision;
        var stored = new KeyValue[writes.Count];
        for (var i = 0; i < writes.Count; i++)
        {
            var previous = response.Responses[i].ResponsePut.PrevKv;
            stored[i] = new KeyValue(writes[i].Key, writes[i].Value, revision, previous?.CreateRevision ?? revision, (previous?.Version ?? 0) + 1);
        }
        return stored;
    }

    public async Task<KeyValue> DeleteAsync(string key, long? modRevision = null, CancellationToken cancellationToken = default)
    {
        var txn = new TxnRequest();
        if (modRevision is not null) txn.Compare.Add(Condition(key, modRevision));
        txn.Success.Add(new RequestOp { RequestDeleteRange = new DeleteRangeRequest { Key = Bytes(key), PrevKv = true } });
        txn.Failure.Add(new RequestOp { RequestRange = new RangeRequest { Key = Bytes(key) } });
        var response = await TransactAsync($"delete {key}", txn, cancellationToken).ConfigureAwait(false);
        if (!response.Succeeded) throw NotFoundOrConflict(key, modRevision, response);
        var deleted = response.Responses[0].ResponseDeleteRange;
        if (deleted.Deleted == 0 || deleted.PrevKvs.Count == 0) throw NotFound(key);
        return ToKeyValue(deleted.PrevKvs[0]);
    }

    public async IAsyncEnumerable<WatchEvent> WatchAsync(string prefix, long afterRevision, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var request = new WatchRequest
        {
            CreateRequest = new WatchCreateRequest
            {
                Key = prefix.Length == 0 ? ByteString.CopyFrom(0) : Bytes(prefix),
                RangeEnd = RangeEnd(prefix),
                StartRevision = afterRevision + 1,
                PrevKv = true,
            },
        };
        using var call = await _connection.OpenWatchAsync(request, cancellationToken).ConfigureAwait(false);
        var seen = afterRevision;
        var response = call.ResponseStream.Current;
        while (true)
        {
            if (response.CompactRevision != 0)
                throw new RevisionCompactedException(
                    $"{Location}: cannot watch {prefix} from revision {seen}: etcd compacted its history up to revision {response.CompactRevision}; list again and watch from the list's revision",
                    Location, seen, response.CompactRevision - 1);
            if (response.Canceled)
                throw new DatastoreException($"{Location}: etcd cancelled the watch on {prefix}: {response.CancelReason}", Location, prefix);
            foreach (var e in response.Events)
            {
                var ev = ToEvent(e);
                seen = ev.Revision;
                yield return ev;
            }
            if (!await NextAsync(call, prefix, cancellationToken).ConfigureAwait(false))
                throw _connection.Unavailable($"watch {prefix}", new[] { "etcd closed the watch stream" }, null);
            response = call.ResponseStream.Current;
        }
    }

    private async Task<bool> NextAsync(AsyncDuplexStreamingCall<WatchRequest, WatchResponse> call, string prefix, CancellationToken cancellationToken)
    {
        try
        {
            return await call.ResponseStream.MoveNext(cancellationToken).ConfigureAwait(false);
        }
        catch (RpcException ex) when (ex.StatusCode != StatusCode.Cancelled || !cancellationToken.IsCancellationRequested)
        {
            throw _connection.Unavailable($"watch {prefix}", new[] { EtcdConnection.Describe(ex) }, ex);
        }
    }

    private Task<TxnResponse> TransactAsync(string what, TxnRequest txn, CancellationToken cancellationToken) =>
        _connection.CallAsync(what, idempotent: false, (invoker, options) => new KV.KVClient(invoker).TxnAsync(txn, options).ResponseAsync, cancellationToken);

    private ResourceNotFoundException NotFound(string key) => new($"{DescribeKey(key)} does not exist", Location, key);

    /// <summary>A failed ModRevision compare: the txn's else-branch read tells a missing key from a changed one.</summary>
    private DatastoreException NotFoundOrConflict(string key, long? modRevision, TxnResponse response)
    {
        var current = response.Responses[0].ResponseRange.Kvs.Select(ToKeyValue).FirstOrDefault();
        if (current is null) return NotFound(key);
        return new ResourceConflictException(
            $"{DescribeKey(key)} was changed since revision {modRevision} (it is now at revision {current.ModRevision})", Location, key, current);
    }

    private static WatchEvent ToEvent(Mvccpb.Event e)
    {
        var previous = e.PrevKv is null ? null : ToKeyValue(e.PrevKv);
        if (e.Type == Mvccpb.Event.Types.EventType.Delete)
            return new WatchEvent(WatchEventType.Deleted, e.Kv.Key.ToStringUtf8(), e.Kv.ModRevision, null, previous);
        var current = ToKeyValue(e.Kv);
        return current.CreateRevision == current.ModRevision
            ? new WatchEvent(WatchEventType.Added, current.Key, current.ModRevision, current, null)
            : new WatchEvent(WatchEventType.Modified, current.Key, current.ModRevision, current, previous);
    }

    private static KeyValue ToKeyValue(Mvccpb.KeyValue kv) =>
        new(kv.Key.ToStringUtf8(), kv.Value.ToByteArray(), kv.ModRevision, kv.CreateRevision, kv.Version);

    private static ByteString Bytes(string text) => ByteString.CopyFromUtf8(text);

    /// <summary>The key is still at <paramref name="modRevision"/>; with none, it does not exist (etcd: Version == 0).</summary>
    private static Compare Condition(string key, long? modRevision) => modRevision is { } rev
        ? new Compare { Key = Bytes(key), Target = Compare.Types.CompareTarget.Mod, Result = Compare.Types.CompareResult.Equal, ModRevision = rev }
        : new Compare { Key = Bytes(key), Target = Compare.Types.CompareTarget.Version, Result = Compare.Types.CompareResult.Equal, Version = 0 };

    /// <summary>etcd's prefix range end: the prefix with its last byte below 0xff incremented ("\0" = to the end).</summary>
    private static ByteString RangeEnd(string prefix)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(prefix);
        for (var i = bytes.Length - 1; i >= 0; i--)
        {
            if (bytes[i] < 0xff)
            {
                bytes[i]++;
                return ByteString.CopyFrom(bytes, 0, i + 1);
            }
        }
        return ByteString.CopyFrom(0);
    }
}

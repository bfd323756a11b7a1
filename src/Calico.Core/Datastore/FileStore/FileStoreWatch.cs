using System.Runtime.CompilerServices;

namespace Calico.Datastore;

/// <summary>
/// Watching a file datastore: follows the journal, which every process appends to, so changes made by other
/// processes arrive too. Needs no lock: records are only ever appended, and a record is used only once it is whole.
/// </summary>
internal static class FileStoreWatch
{
    public static async IAsyncEnumerable<WatchEvent> Run(FileStoreLayout layout, string location, string prefix, long afterRevision,
        TimeSpan pollInterval, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var segment = await FindStartSegmentAsync(layout, location, afterRevision, pollInterval, cancellationToken).ConfigureAwait(false);
        var seen = afterRevision;
        long offset = 0;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var path = layout.SegmentFile(segment);
            var handle = JournalSegment.TryOpenRead(path);
            if (handle is null)
            {
                var segments = layout.ListSegments();
                if (segments.Count > 0 && segments[0] > segment) throw Compacted(location, seen, segments[0]);
                // A compaction announced this segment and has not created it yet.
                await Task.Delay(pollInterval, cancellationToken).ConfigureAwait(false);
                continue;
            }
            using (handle)
            {
                var next = 0L;
                while (next == 0)
                {
                    var data = JournalSegment.ReadFrom(handle, offset);
                    var pos = 0;
                    if (offset == 0)
                    {
                        if (data.Length < JournalSegment.HeaderLength) data = Array.Empty<byte>();
                        else if (!JournalSegment.HasMagic(data))
                            throw new DatastoreCorruptException($"{location}: journal segment {path} does not start with the journal header", location, null, "bad journal header");
                        else pos = JournalSegment.HeaderLength;
                    }
                    var events = new List<WatchEvent>();
                    while (pos < data.Length)
                    {
                        if (JournalSegment.Parse(data.AsSpan(pos), out var record, out var size) != JournalSegment.Status.Record) break;
                        pos += size;
                        if (record.Type == JournalRecordType.Seal) { next = record.NextSegment; break; }
                        if (record.Revision <= seen) continue;
                        seen = record.Revision;
                        if (record.Key.StartsWith(prefix, StringComparison.Ordinal)) events.Add(ToEvent(record));
                    }
                    offset += pos;
                    foreach (var e in events) yield return e;
                    if (next == 0) await Task.Delay(pollInterval, cancellationToken).ConfigureAwait(false);
                }
                segment = next;
                offset = 0;
            }
        }
    }

    private static async Task<long> FindStartSegmentAsync(FileStoreLayout layout, string location, long afterRevision, TimeSpan pollInterval, CancellationToken cancellationToken)
    {
        while (true)
        {
            var segments = layout.ListSegments();
            if (segments.Count > 0)
            {
                if (afterRevision + 1 < segments[0]) throw Compacted(location, afterRevision, segments[0]);
                return segments.Last(b => b <= afterRevision + 1);
            }
            // Nothing was ever written: the first segment appears with the first write.
            await Task.Delay(pollInterval, cancellationToken).ConfigureAwait(false);
        }
    }

    private static RevisionCompactedException Compacted(string location, long afterRevision, long oldestSegment) =>
        new($"{location}: cannot watch from revision {afterRevision}: the journal was compacted and now starts after revision {oldestSegment - 1}; list again and watch from the list's revision",
            location, afterRevision, oldestSegment - 1);

    internal static WatchEvent ToEvent(JournalRecord r)
    {
        if (r.Type == JournalRecordType.Delete)
        {
            var previous = new KeyValue(r.Key, r.PrevValue ?? Array.Empty<byte>(), r.PrevModRevision, r.PrevCreateRevision, r.PrevVersion);
            return new WatchEvent(WatchEventType.Deleted, r.Key, r.Revision, null, previous);
        }
        var current = new KeyValue(r.Key, r.Value!, r.Revision, r.CreateRevision, r.Version);
        if (r.Version == 1) return new WatchEvent(WatchEventType.Added, r.Key, r.Revision, current, null);
        var prior = r.PrevValue is null ? null : new KeyValue(r.Key, r.PrevValue, r.PrevModRevision, r.CreateRevision, r.Version - 1);
        return new WatchEvent(WatchEventType.Modified, r.Key, r.Revision, current, prior);
    }
}

using System.Globalization;
using System.Text;
using Calico.Datastore;
using Calico.Resources;
using Calico.Serialization;

namespace Calico.Tests.Datastore;

/// <summary>What only the file store has: its layout on disk, its journal, several processes, and crashes.</summary>
public sealed class FileStoreTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private string StorePath => Path.Combine(_dir.Path, "store");

    public void Dispose() => _dir.Dispose();

    private FileKeyValueStore Open(FileStoreOptions? options = null) => new(StorePath, options);

    private static byte[] B(string s) => Encoding.UTF8.GetBytes(s);

    [Fact]
    public async Task The_value_file_at_the_key_path_holds_exactly_what_Calico_stores_in_etcd()
    {
        using var store = Open();
        var created = await new ResourceStore(store).CreateAsync(new IPPool
        {
            Name = "p1",
            Metadata = { Name = "p1", Uid = "0d4c6c4e-3c7a-4b7e-9d52-2a1e5b0c9f11", CreationTimestamp = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero) },
            Spec =
            {
                Cidr = "192.168.0.0/16", VXLANMode = VXLANMode.Never, IPIPMode = IPIPMode.CrossSubnet, NatOutgoing = true, BlockSize = 26,
                NodeSelector = "all()", AllowedUses = new() { IPPoolAllowedUse.Workload, IPPoolAllowedUse.Tunnel }, AssignmentMode = AssignmentMode.Automatic,
            },
        });
        var file = Path.Combine(StorePath, "calico", "resources", "v3", "projectcalico.org", "ippools", "p1");
        Assert.Equal(
            "{\"kind\":\"IPPool\",\"apiVersion\":\"projectcalico.org/v3\",\"metadata\":{\"name\":\"p1\",\"uid\":\"0d4c6c4e-3c7a-4b7e-9d52-2a1e5b0c9f11\",\"creationTimestamp\":\"2026-01-01T00:00:00Z\"},"
            + "\"spec\":{\"cidr\":\"192.168.0.0/16\",\"vxlanMode\":\"Never\",\"ipipMode\":\"CrossSubnet\",\"natOutgoing\":true,\"blockSize\":26,\"nodeSelector\":\"all()\",\"allowedUses\":[\"Workload\",\"Tunnel\"],\"assignmentMode\":\"Automatic\"}}",
            File.ReadAllText(file));
        Assert.Equal("2", created.ResourceVersion);
        // Nothing but the store's own directory and Calico's keys sits in the root.
        Assert.Equal(new[] { ".store", "calico" }, Directory.GetFileSystemEntries(StorePath).Select(Path.GetFileName).OrderBy(n => n, StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_store_that_was_never_written_reads_as_empty_and_is_not_created_by_reading()
    {
        using var store = Open();
        Assert.Null(await store.GetAsync("/calico/x"));
        var list = await store.ListAsync("/");
        Assert.Empty(list.Items);
        Assert.Equal(1, list.Revision);
        Assert.False(Directory.Exists(StorePath));
    }

    [Fact]
    public async Task A_new_instance_sees_the_same_keys_and_revisions_before_and_after_compaction()
    {
        using (var writer = Open(new FileStoreOptions { SegmentBytes = 2048 }))
        {
            for (var i = 0; i < 60; i++) await writer.CreateAsync($"/t/k{i:D2}", B(new string('x', 100) + i));
            var k5 = await writer.GetAsync("/t/k05");
            await writer.UpdateAsync("/t/k05", B("five"), k5!.ModRevision);
            await writer.DeleteAsync("/t/k06");
        }
        Assert.True(Directory.GetFiles(Path.Combine(StorePath, ".store", "journal")).Length <= 2, "old segments are dropped");
        using var reader = Open();
        var list = await reader.ListAsync("/t/");
        Assert.Equal(59, list.Items.Count);
        Assert.Equal(63, list.Revision);
        var five = list.Items.Single(i => i.Key == "/t/k05");
        Assert.Equal(("five", 62L, 7L, 2L), (five.ValueText, five.ModRevision, five.CreateRevision, five.Version));
        Assert.DoesNotContain(list.Items, i => i.Key == "/t/k06");
    }

    [Fact]
    public async Task Compaction_keeps_the_last_segment_for_watchers_and_reports_older_revisions_as_compacted()
    {
        using var store = Open(new FileStoreOptions { SegmentBytes = 1024, WatchPollInterval = TimeSpan.FromMilliseconds(10) });
        for (var i = 0; i < 40; i++) await store.CreateAsync($"/t/k{i:D2}", B(new string('y', 200)));
        var oldest = Directory.GetFiles(Path.Combine(StorePath, ".store", "journal")).Select(f => long.Parse(Path.GetFileName(f), CultureInfo.InvariantCulture)).Min();
        var ex = await Assert.ThrowsAsync<RevisionCompactedException>(async () =>
        {
            await foreach (var _ in store.WatchAsync("/t/", 2)) break;
        });
        Assert.Equal(oldest - 1, ex.OldestRevision);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await foreach (var e in store.WatchAsync("/t/", oldest - 1, cts.Token))
        {
            Assert.Equal(oldest, e.Revision);
            break;
        }
    }

    [Fact]
    public async Task A_record_torn_by_a_killed_writer_is_ignored_by_readers_and_cut_by_the_next_writer()
    {
        using (var store = Open()) await store.CreateAsync("/t/a", B("a"));
        var segment = Directory.GetFiles(Path.Combine(StorePath, ".store", "journal")).Single();
        var whole = File.ReadAllBytes(segment);
        // Half of a record: its header promises more bytes than follow.
        using (var s = new FileStream(segment, FileMode.Append)) s.Write(whole.AsSpan(8, 20));

        using var reader = Open();
        Assert.Equal("a", (await reader.GetAsync("/t/a"))!.ValueText);
        using var writer = Open();
        var b = await writer.CreateAsync("/t/b", B("b"));
        Assert.Equal(3, b.ModRevision);
        using var fresh = Open();
        Assert.Equal(new[] { "a", "b" }, (await fresh.ListAsync("/t/")).Items.Select(i => i.ValueText));
    }

    [Fact]
    public async Task A_damaged_journal_record_is_reported_with_its_file_and_offset()
    {
        using (var store = Open())
        {
            await store.CreateAsync("/t/a", B("aaaa"));
            await store.CreateAsync("/t/b", B("bbbb"));
        }
        var segment = Directory.GetFiles(Path.Combine(StorePath, ".store", "journal")).Single();
        var bytes = File.ReadAllBytes(segment);
        bytes[30] ^= 0x55; // inside the first record
        File.WriteAllBytes(segment, bytes);
        using var reader = Open();
        var ex = await Assert.ThrowsAsync<DatastoreCorruptException>(() => reader.ListAsync("/t/"));
        Assert.Contains(segment, ex.Message);
        Assert.Contains("byte 8", ex.Message);
        // A writer must not cut good records off after a damaged one.
        await Assert.ThrowsAsync<DatastoreCorruptException>(() => reader.CreateAsync("/t/c", B("c")));
        Assert.Equal(bytes.Length, new FileInfo(segment).Length);
    }

    [Fact]
    public async Task A_write_committed_by_a_writer_killed_before_replacing_the_value_file_is_read_from_the_journal_and_finished_by_the_next_writer()
    {
        var file = Path.Combine(StorePath, "t", "a");
        using (var store = Open())
        {
            var a = await store.CreateAsync("/t/a", B("old"));
            await store.UpdateAsync("/t/a", B("new"), a.ModRevision);
        }
        File.WriteAllText(file, "old"); // as if the writer died between its journal record and the rename
        using var reader = Open();
        var seen = await reader.GetAsync("/t/a");
        Assert.Equal(("new", 3L), (seen!.ValueText, seen.ModRevision));
        using var writer = Open();
        await writer.CreateAsync("/t/b", B("b"));
        Assert.Equal("new", File.ReadAllText(file));
    }

    [Fact]
    public async Task After_a_reboot_the_first_process_rewrites_value_files_the_crash_lost()
    {
        var file = Path.Combine(StorePath, "t", "a");
        using (var store = Open())
        {
            var a = await store.CreateAsync("/t/a", B("one"));
            await store.UpdateAsync("/t/a", B("two"), a.ModRevision);
            await store.CreateAsync("/t/b", B("b"));
            await store.CreateAsync("/t/gone", B("g"));
            await store.DeleteAsync("/t/gone");
        }
        // A machine crash can lose renames that were never flushed: the files go back to older states.
        File.WriteAllText(file, "one");
        File.WriteAllText(Path.Combine(StorePath, "t", "gone"), "g");
        File.WriteAllText(Path.Combine(StorePath, ".store", "boot"), "an-earlier-boot");
        using var reader = Open();
        Assert.Equal(new[] { "two", "b" }, (await reader.ListAsync("/t/")).Items.Select(i => i.ValueText));
        Assert.Equal("two", File.ReadAllText(file));
        Assert.False(File.Exists(Path.Combine(StorePath, "t", "gone")));
        Assert.NotEqual("an-earlier-boot", File.ReadAllText(Path.Combine(StorePath, ".store", "boot")));
    }

    [Fact]
    public async Task A_damaged_or_missing_value_file_is_reported_by_name_and_the_others_stay_readable()
    {
        using var store = Open();
        var resources = new ResourceStore(store);
        for (var i = 0; i < 4; i++) await resources.CreateAsync(new Node { Name = $"n{i}" });
        var nodes = Path.Combine(StorePath, "calico", "resources", "v3", "projectcalico.org", "nodes");
        File.WriteAllText(Path.Combine(nodes, "n1"), "{\"kind\":\"Node\",\"apiVersion\":\"projectcalico.org/v3\",\"metadata\":{\"name\":\"n1\"},\"spec\":{\"bgp\":{\"asNumber\":\"x\"}}");
        File.Delete(Path.Combine(nodes, "n2"));

        using var reader = Open();
        var list = await new ResourceStore(reader).ListAsync<Node>();
        Assert.Equal(new[] { "n0", "n3" }, list.Items.Select(n => n.Name));
        Assert.Equal(2, list.Errors.Count);
        Assert.Contains(list.Errors, e => e.Message.Contains(Path.Combine(nodes, "n2"), StringComparison.Ordinal) && e.Message.Contains("missing", StringComparison.Ordinal));
        Assert.Contains(list.Errors, e => e.Message.Contains(Path.Combine(nodes, "n1"), StringComparison.Ordinal) && e.Message.Contains("not valid JSON", StringComparison.Ordinal) || e.Message.Contains("Node n1 cannot be read", StringComparison.Ordinal));
        var ex = await Assert.ThrowsAsync<DatastoreCorruptException>(() => new ResourceStore(reader).GetAsync<Node>("n2"));
        Assert.Contains("value file is missing", ex.Message);
        // The damaged keys can still be deleted, which is how a user repairs them.
        await new ResourceStore(reader).DeleteAsync<Node>("n2");
        Assert.Single((await new ResourceStore(reader).ListAsync<Node>()).Errors);
    }

    [Fact]
    public async Task Key_segments_that_are_not_plain_file_names_are_escaped_and_read_back()
    {
        using var store = Open();
        await store.CreateAsync("/t/.hidden/50%", B("v"));
        Assert.True(File.Exists(Path.Combine(StorePath, "t", "%2Ehidden", "50%25")));
        Assert.Equal("/t/.hidden/50%", (await store.ListAsync("/t/")).Items.Single().Key);
        await Assert.ThrowsAsync<ArgumentException>(() => store.CreateAsync("/t//x", B("v")));
        await Assert.ThrowsAsync<ArgumentException>(() => store.CreateAsync("relative", B("v")));
    }

    [Fact]
    public async Task A_key_under_another_keys_value_file_is_refused_clearly()
    {
        using var store = Open();
        await store.CreateAsync("/t/a", B("a"));
        var ex = await Assert.ThrowsAsync<DatastoreException>(() => store.CreateAsync("/t/a/b", B("b")));
        Assert.Contains("cannot hold key /t/a/b", ex.Message);
        await store.CreateAsync("/t/c/d", B("d"));
        await Assert.ThrowsAsync<DatastoreException>(() => store.CreateAsync("/t/c", B("c")));
        Assert.Equal(new[] { "/t/a", "/t/c/d" }, (await store.ListAsync("/t/")).Items.Select(i => i.Key));
    }

    [Fact]
    public async Task A_writer_waits_for_the_lock_and_gives_up_with_an_error_naming_the_lock_file()
    {
        using (var store = Open()) await store.CreateAsync("/t/a", B("a"));
        var lockFile = Path.Combine(StorePath, ".store", "lock");
        using (new FileStream(lockFile, FileMode.Open, FileAccess.ReadWrite, FileShare.None))
        {
            using var store = Open(new FileStoreOptions { LockTimeout = TimeSpan.FromMilliseconds(300) });
            var ex = await Assert.ThrowsAsync<DatastoreUnavailableException>(() => store.CreateAsync("/t/b", B("b")));
            Assert.Contains(lockFile, ex.Message);
            Assert.Contains("locked by another process", ex.Message);
        }
        using var after = Open();
        await after.CreateAsync("/t/b", B("b"));
    }

    [Fact]
    public async Task Eight_writer_processes_doing_read_modify_write_lose_no_update()
    {
        const int processes = 8, increments = 20;
        using (var store = Open()) await new ResourceStore(store).CreateAsync(new IPPool { Name = "counter", Spec = { Cidr = "10.0.0.0/8" } });
        var tools = Enumerable.Range(0, processes).Select(_ => TestTool.Start("rmw", StorePath, "counter", increments.ToString(CultureInfo.InvariantCulture))).ToList();
        try
        {
            foreach (var t in tools) Assert.True(await t.WaitAsync(TimeSpan.FromSeconds(60)) == 0, t.Errors);
        }
        finally
        {
            foreach (var t in tools) t.Dispose();
        }
        using var reader = Open();
        var pool = await new ResourceStore(reader).GetAsync<IPPool>("counter");
        Assert.Equal((processes * increments).ToString(CultureInfo.InvariantCulture), pool.Metadata.Labels!["count"]);
    }

    [Fact]
    public async Task A_watch_sees_writes_made_by_another_process()
    {
        using var store = Open(new FileStoreOptions { WatchPollInterval = TimeSpan.FromMilliseconds(10) });
        await store.CreateAsync("/t/first", B("1"));
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var watch = Task.Run(async () =>
        {
            await foreach (var e in store.WatchAsync("/t/", 2, cts.Token)) return e;
            return null;
        });
        using var tool = TestTool.Start("put", StorePath, "/t/remote", "from another process");
        Assert.Equal(0, await tool.WaitAsync(TimeSpan.FromSeconds(30)));
        var seen = await watch;
        Assert.Equal((WatchEventType.Added, "/t/remote", "from another process"), (seen!.Type, seen.Key, seen.Current!.ValueText));
    }

    [Fact]
    public async Task A_writer_killed_200_times_at_random_points_leaves_every_key_old_or_new_and_nothing_acknowledged_lost()
    {
        var random = new Random(20260101);
        var acked = new Dictionary<string, (string Op, long Revision)>(StringComparer.Ordinal);
        var caughtBetweenCommitAndFile = 0;
        for (var round = 0; round < 200; round++)
        {
            using (var tool = TestTool.Start("crash-writer", StorePath, round.ToString(CultureInfo.InvariantCulture)))
            {
                await tool.WaitReadyAsync(TimeSpan.FromSeconds(20));
                await Task.Delay(random.Next(0, 25));
                tool.Kill();
                foreach (var line in tool.Lines)
                {
                    var parts = line.Split(' ');
                    if (parts[0] == "ack") acked[parts[2]] = (parts[1], long.Parse(parts[3], CultureInfo.InvariantCulture));
                }
            }
            if (await CheckCrashStoreAsync(acked, round)) caughtBetweenCommitAndFile++;
        }
        // The kills must really land inside writes, or this test proves nothing about recovery.
        Assert.True(caughtBetweenCommitAndFile > 0, "no kill landed between a journal commit and its value file");
    }

    /// <returns>Whether the killed writer had committed a write without replacing its value file.</returns>
    private async Task<bool> CheckCrashStoreAsync(Dictionary<string, (string Op, long Revision)> acked, int round)
    {
        using var store = Open();
        var list = await store.ListAsync("/crash/");
        Assert.True(list.Errors.Count == 0, $"round {round}: {string.Join("; ", list.Errors.Select(e => e.Message))}");
        var byKey = list.Items.ToDictionary(i => i.Key, StringComparer.Ordinal);
        foreach (var item in list.Items)
            Assert.True(Calico.TestTools.Commands.IsWholeCrashValue(item.Key, item.Value), $"round {round}: torn value for {item.Key}");
        foreach (var (key, (op, revision)) in acked)
        {
            byKey.TryGetValue(key, out var current);
            if (op == "put")
                Assert.True(current is not null ? current.ModRevision >= revision : list.Revision > revision, $"round {round}: acknowledged write of {key} at {revision} lost");
            else
                Assert.True(current is null || current.CreateRevision > revision, $"round {round}: acknowledged delete of {key} lost");
        }
        string FileOf(string key) => Path.Combine(StorePath, "crash", key["/crash/".Length..]);
        var files = Directory.Exists(Path.Combine(StorePath, "crash")) ? Directory.GetFiles(Path.Combine(StorePath, "crash")) : Array.Empty<string>();
        var unapplied = list.Items.Any(i => !File.Exists(FileOf(i.Key)) || !File.ReadAllBytes(FileOf(i.Key)).AsSpan().SequenceEqual(i.Value))
            || files.Length != list.Items.Count;

        // A writer finishes whatever the killed one committed; then every value file matches the store.
        await store.CreateAsync($"/crash-check/{round}", B("x"));
        var after = await store.ListAsync("/crash/");
        foreach (var item in after.Items) Assert.Equal(item.Value, File.ReadAllBytes(FileOf(item.Key)));
        Assert.Equal(after.Items.Count, Directory.GetFiles(Path.Combine(StorePath, "crash")).Length);
        return unapplied;
    }
}

using System.Globalization;
using System.Text;
using Calico.Datastore;
using Calico.Resources;

namespace Calico.TestTools;

public static class Commands
{
    /// <summary>The label the concurrency tests count in.</summary>
    public const string CounterLabel = "count";

    public static async Task<int> ReadModifyWriteAsync(string storePath, string pool, int increments)
    {
        using var store = new FileKeyValueStore(storePath);
        var resources = new ResourceStore(store);
        var conflicts = 0;
        for (var i = 0; i < increments; i++)
        {
            while (true)
            {
                var current = await resources.GetAsync<IPPool>(pool);
                current.Metadata.Labels ??= new Dictionary<string, string>();
                var n = current.Metadata.Labels.TryGetValue(CounterLabel, out var text) ? int.Parse(text, CultureInfo.InvariantCulture) : 0;
                current.Metadata.Labels[CounterLabel] = (n + 1).ToString(CultureInfo.InvariantCulture);
                try
                {
                    await resources.UpdateAsync(current);
                    break;
                }
                catch (ResourceConflictException)
                {
                    conflicts++;
                }
            }
        }
        Console.WriteLine($"done {conflicts}");
        return 0;
    }

    /// <summary>
    /// Writes forever with a tiny journal segment limit, so kills also land inside compactions. Each value names its
    /// key and carries a checksum, so a torn value is recognisable; "ack" lines report writes that returned.
    /// </summary>
    public static async Task<int> CrashWriterAsync(string storePath, int seed)
    {
        var random = new Random(seed);
        using var store = new FileKeyValueStore(storePath, new FileStoreOptions { SegmentBytes = 16 << 10 });
        var stdout = Console.Out;
        for (long n = 0; ; n++)
        {
            var key = "/crash/k" + random.Next(12).ToString(CultureInfo.InvariantCulture);
            var existing = await store.GetAsync(key);
            var value = CrashValue(key, seed, n, random.Next(50, 3000));
            if (existing is null)
            {
                var kv = await store.CreateAsync(key, value);
                stdout.WriteLine($"ack put {key} {kv.ModRevision}");
            }
            else if (random.Next(4) == 0)
            {
                await store.DeleteAsync(key, existing.ModRevision);
                stdout.WriteLine($"ack delete {key} {existing.ModRevision}");
            }
            else
            {
                var kv = await store.UpdateAsync(key, value, existing.ModRevision);
                stdout.WriteLine($"ack put {key} {kv.ModRevision}");
            }
            // Ready once the code paths are compiled, so the kill lands among writes rather than in start-up.
            if (n == 3) stdout.WriteLine("ready");
            stdout.Flush();
        }
    }

    /// <summary>A value that proves itself whole: "key|writer|n|padding|checksum".</summary>
    public static byte[] CrashValue(string key, int seed, long n, int padding)
    {
        var body = $"{key}|{seed}|{n}|{new string((char)('a' + (int)(n % 26)), padding)}";
        return Encoding.UTF8.GetBytes($"{body}|{Checksum(body)}");
    }

    public static bool IsWholeCrashValue(string key, byte[] value)
    {
        var text = Encoding.UTF8.GetString(value);
        var cut = text.LastIndexOf('|');
        if (cut < 0) return false;
        var body = text[..cut];
        return body.StartsWith(key + "|", StringComparison.Ordinal) && text[(cut + 1)..] == Checksum(body);
    }

    private static string Checksum(string body)
    {
        var hash = System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(body));
        return Convert.ToHexString(hash, 0, 8);
    }

    public static async Task<int> PutAsync(string storePath, string key, string value)
    {
        using var store = new FileKeyValueStore(storePath);
        var bytes = Encoding.UTF8.GetBytes(value);
        var existing = await store.GetAsync(key);
        var kv = existing is null ? await store.CreateAsync(key, bytes) : await store.UpdateAsync(key, bytes, existing.ModRevision);
        Console.WriteLine(kv.ModRevision.ToString(CultureInfo.InvariantCulture));
        return 0;
    }
}

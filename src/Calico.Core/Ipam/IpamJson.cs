using System.Globalization;
using System.Text.Json;
using Calico.Net;
using Calico.Serialization;

namespace Calico.Ipam;

/// <summary>
/// IPAM values in Calico's exact JSON: blocks, affinities and handles. Reading accepts both the HEAD form
/// (empty handle_id/secondary omitted) and the ≤ v3.30 form (always written, possibly null).
/// </summary>
public static class IpamJson
{
    public static string Serialize(AllocationBlock b)
    {
        var w = new GoJsonWriter(capacity: 256 + (b.Allocations?.Count ?? 0) * 8);
        w.StartObject().Name("cidr").String(b.Cidr.ToString()).Name("affinity");
        if (b.Affinity is null) w.Null(); else w.String(b.Affinity);
        if (b.AffinityClaimTime is not null) w.Name("affinity_claim_time").Time(b.AffinityClaimTime);
        w.Name("allocations");
        if (b.Allocations is null) w.Null();
        else
        {
            w.StartArray();
            foreach (var a in b.Allocations) { if (a is { } i) w.Number(i); else w.Null(); }
            w.EndArray();
        }
        w.Name("unallocated");
        if (b.Unallocated is null) w.Null();
        else
        {
            w.StartArray();
            foreach (var u in b.Unallocated) w.Number(u);
            w.EndArray();
        }
        w.Name("attributes");
        if (b.Attributes is null) w.Null();
        else
        {
            w.StartArray();
            foreach (var a in b.Attributes) WriteAttribute(w, a);
            w.EndArray();
        }
        w.Name("sequenceNumber").RawUnsigned(b.SequenceNumber);
        w.Name("sequenceNumberForAllocation");
        if (b.SequenceNumberForAllocation is null) w.Null();
        else
        {
            w.StartObject();
            foreach (var key in b.SequenceNumberForAllocation.Keys.OrderBy(k => k, StringComparer.Ordinal))
                w.Name(key).RawUnsigned(b.SequenceNumberForAllocation[key]);
            w.EndObject();
        }
        w.Name("deleted").Bool(b.Deleted);
        w.OptString("hostAffinity", b.HostAffinity);
        return w.EndObject().ToString();
    }

    private static void WriteAttribute(GoJsonWriter w, AllocationAttribute a)
    {
        w.StartObject().OptString("handle_id", a.HandleId)
            .OptStringMap("secondary", a.Secondary)
            .OptStringMap("alternateOwnerAttrs", a.AlternateOwnerAttrs);
        if (a.ReleasedAt is not null) w.Name("releasedAt").Time(a.ReleasedAt);
        w.EndObject();
    }

    /// <exception cref="FormatException">When the value is not a block as Calico writes it; the message says why.</exception>
    public static AllocationBlock DeserializeBlock(string json)
    {
        try
        {
            return ReadBlock(json);
        }
        catch (InvalidOperationException ex)
        {
            // A field of the wrong JSON type (a string where Calico writes a number, say).
            throw new FormatException("a field has the wrong type: " + ex.Message, ex);
        }
    }

    private static AllocationBlock ReadBlock(string json)
    {
        using var doc = Parse(json);
        var root = doc.RootElement;
        var b = new AllocationBlock();
        var cidr = RequiredString(root, "cidr");
        b.Cidr = IPPrefix.TryParse(cidr, out var p) ? p : throw new FormatException($"block cidr '{cidr}' is not a CIDR");
        b.Affinity = OptionalString(root, "affinity");
        b.AffinityClaimTime = OptionalTime(root, "affinity_claim_time");
        if (root.TryGetProperty("allocations", out var allocs) && allocs.ValueKind == JsonValueKind.Array)
            b.Allocations = allocs.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.Null ? (int?)null : e.GetInt32()).ToList();
        if (root.TryGetProperty("unallocated", out var un) && un.ValueKind == JsonValueKind.Array)
            b.Unallocated = un.EnumerateArray().Select(e => e.GetInt32()).ToList();
        if (root.TryGetProperty("attributes", out var attrs) && attrs.ValueKind == JsonValueKind.Array)
            b.Attributes = attrs.EnumerateArray().Select(ReadAttribute).ToList();
        if (root.TryGetProperty("sequenceNumber", out var seq) && seq.ValueKind == JsonValueKind.Number)
            b.SequenceNumber = seq.GetUInt64();
        if (root.TryGetProperty("sequenceNumberForAllocation", out var sfa) && sfa.ValueKind == JsonValueKind.Object)
            b.SequenceNumberForAllocation = sfa.EnumerateObject().ToDictionary(e => e.Name, e => e.Value.GetUInt64(), StringComparer.Ordinal);
        b.Deleted = root.TryGetProperty("deleted", out var del) && del.ValueKind == JsonValueKind.True;
        b.HostAffinity = OptionalString(root, "hostAffinity");
        if (b.Allocations is not null && b.Allocations.Count != b.Size)
            throw new FormatException($"block {b.Cidr} has {b.Allocations.Count} allocation slots, expected {b.Size}");
        return b;
    }

    private static AllocationAttribute ReadAttribute(JsonElement e) => new()
    {
        HandleId = OptionalString(e, "handle_id"),
        Secondary = OptionalMap(e, "secondary"),
        AlternateOwnerAttrs = OptionalMap(e, "alternateOwnerAttrs"),
        ReleasedAt = OptionalTime(e, "releasedAt"),
    };

    public static string Serialize(BlockAffinity a) =>
        new GoJsonWriter().StartObject().Name("state").String(a.State).Name("deleted").Bool(a.Deleted).EndObject().ToString();

    public static BlockAffinity DeserializeAffinity(string json)
    {
        // Calico once stored affinities with no value; it reads an empty value as {}.
        if (string.IsNullOrWhiteSpace(json)) return new BlockAffinity("", false);
        using var doc = Parse(json);
        return new BlockAffinity(OptionalString(doc.RootElement, "state") ?? "",
            doc.RootElement.TryGetProperty("deleted", out var d) && d.ValueKind == JsonValueKind.True);
    }

    public static string Serialize(IPAMHandle h)
    {
        var w = new GoJsonWriter().StartObject().Name("block").StartObject();
        foreach (var key in h.Block.Keys.OrderBy(k => k, StringComparer.Ordinal)) w.Name(key).Number(h.Block[key]);
        return w.EndObject().Name("deleted").Bool(h.Deleted).EndObject().ToString();
    }

    public static IPAMHandle DeserializeHandle(string json)
    {
        using var doc = Parse(json);
        var h = new IPAMHandle();
        if (doc.RootElement.TryGetProperty("block", out var blocks) && blocks.ValueKind == JsonValueKind.Object)
            foreach (var e in blocks.EnumerateObject()) h.Block[e.Name] = e.Value.GetInt32();
        h.Deleted = doc.RootElement.TryGetProperty("deleted", out var d) && d.ValueKind == JsonValueKind.True;
        return h;
    }

    /// <summary>The IPAM config as Calico writes it: every field omitted when empty (model/ipam_config.go).</summary>
    public static string Serialize(IpamConfig c)
    {
        var w = new GoJsonWriter().StartObject().OptBool("strict_affinity", c.StrictAffinity)
            .OptBool("auto_allocate_blocks", c.AutoAllocateBlocks).OptNumber("maxBlocksPerHost", c.MaxBlocksPerHost)
            .OptString("kubeVirtVMAddressPersistence", c.KubeVirtVMAddressPersistence).OptNumber("ipCooldownSeconds", c.IPCooldownSeconds);
        return w.EndObject().ToString();
    }

    /// <summary>A stored config; absent fields are false or 0, as Go's decoder leaves them.</summary>
    public static IpamConfig DeserializeConfig(string json)
    {
        try
        {
            using var doc = Parse(json);
            var root = doc.RootElement;
            return new IpamConfig
            {
                StrictAffinity = root.TryGetProperty("strict_affinity", out var s) && s.GetBoolean(),
                AutoAllocateBlocks = root.TryGetProperty("auto_allocate_blocks", out var a) && a.GetBoolean(),
                MaxBlocksPerHost = root.TryGetProperty("maxBlocksPerHost", out var m) ? m.GetInt32() : 0,
                KubeVirtVMAddressPersistence = OptionalString(root, "kubeVirtVMAddressPersistence"),
                IPCooldownSeconds = root.TryGetProperty("ipCooldownSeconds", out var c) ? c.GetInt32() : 0,
                IsStored = true,
            };
        }
        catch (InvalidOperationException ex)
        {
            throw new FormatException("a field has the wrong type: " + ex.Message, ex);
        }
    }

    private static JsonDocument Parse(string json)
    {
        try
        {
            var doc = JsonDocument.Parse(json);
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                doc.Dispose();
                throw new FormatException("expected a JSON object");
            }
            return doc;
        }
        catch (JsonException ex)
        {
            throw new FormatException("not valid JSON: " + ex.Message, ex);
        }
    }

    private static string RequiredString(JsonElement e, string name) =>
        OptionalString(e, name) ?? throw new FormatException($"'{name}' is missing");

    private static string? OptionalString(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static DateTimeOffset? OptionalTime(JsonElement e, string name) =>
        OptionalString(e, name) is { } s
            ? DateTimeOffset.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal)
            : null;

    private static Dictionary<string, string>? OptionalMap(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Object
            ? v.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? "", StringComparer.Ordinal)
            : null;
}

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
    public static AllocationBlock DeserializeBlock(string json) => DeserializeBlock(System.Text.Encoding.UTF8.GetBytes(json));

    /// <summary>
    /// Reads a stored block straight from its bytes in one pass: every sync and analysis reads all blocks, so this is
    /// the hot path of a large cluster (no document tree, no UTF-16 copy of the value).
    /// </summary>
    /// <exception cref="FormatException">When the value is not a block as Calico writes it; the message says why.</exception>
    public static AllocationBlock DeserializeBlock(ReadOnlySpan<byte> json)
    {
        try
        {
            return ReadBlock(json);
        }
        catch (JsonException ex)
        {
            throw new FormatException("not valid JSON: " + ex.Message, ex);
        }
        catch (InvalidOperationException ex)
        {
            // A field of the wrong JSON type (a string where Calico writes a number, say).
            throw new FormatException("a field has the wrong type: " + ex.Message, ex);
        }
    }

    private static AllocationBlock ReadBlock(ReadOnlySpan<byte> json)
    {
        var r = new Utf8JsonReader(json);
        if (!r.Read() || r.TokenType != JsonTokenType.StartObject) throw new FormatException("expected a JSON object");
        var b = new AllocationBlock();
        string? cidr = null;
        while (NextProperty(ref r))
        {
            if (r.ValueTextEquals("cidr"u8)) cidr = ReadString(ref r);
            else if (r.ValueTextEquals("affinity"u8)) b.Affinity = ReadString(ref r);
            else if (r.ValueTextEquals("affinity_claim_time"u8)) b.AffinityClaimTime = ReadTime(ref r);
            else if (r.ValueTextEquals("allocations"u8)) b.Allocations = ReadAllocations(ref r);
            else if (r.ValueTextEquals("unallocated"u8)) b.Unallocated = ReadOrdinals(ref r);
            else if (r.ValueTextEquals("attributes"u8)) b.Attributes = ReadAttributes(ref r);
            else if (r.ValueTextEquals("sequenceNumber"u8)) { r.Read(); if (r.TokenType == JsonTokenType.Number) b.SequenceNumber = r.GetUInt64(); else r.Skip(); }
            else if (r.ValueTextEquals("sequenceNumberForAllocation"u8)) b.SequenceNumberForAllocation = ReadSequenceNumbers(ref r);
            else if (r.ValueTextEquals("deleted"u8)) { r.Read(); b.Deleted = r.TokenType == JsonTokenType.True; r.Skip(); }
            else if (r.ValueTextEquals("hostAffinity"u8)) b.HostAffinity = ReadString(ref r);
            else { r.Read(); r.Skip(); }
        }
        // Anything after the object is an error, as for any JSON document.
        if (r.Read()) throw new FormatException("not valid JSON: more than one value");
        if (cidr is null) throw new FormatException("'cidr' is missing");
        b.Cidr = IPPrefix.TryParse(cidr, out var p) ? p : throw new FormatException($"block cidr '{cidr}' is not a CIDR");
        if (b.Allocations is not null && b.Allocations.Count != b.Size)
            throw new FormatException($"block {b.Cidr} has {b.Allocations.Count} allocation slots, expected {b.Size}");
        return b;
    }

    /// <summary>Moves to the next property name of the current object; false at its end.</summary>
    private static bool NextProperty(ref Utf8JsonReader r)
    {
        r.Read();
        return r.TokenType == JsonTokenType.PropertyName;
    }

    /// <summary>The property's value when it is a string; null (and the value skipped) when it is anything else.</summary>
    private static string? ReadString(ref Utf8JsonReader r)
    {
        r.Read();
        if (r.TokenType == JsonTokenType.String) return r.GetString();
        r.Skip();
        return null;
    }

    private static DateTimeOffset? ReadTime(ref Utf8JsonReader r) =>
        ReadString(ref r) is { } s
            ? DateTimeOffset.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal)
            : null;

    private static InvalidOperationException WrongType(ref Utf8JsonReader r, string field, string expected) =>
        new($"{field} holds a {r.TokenType}, expected {expected}");

    /// <summary>An array of attribute indexes or nulls; null when the value is not an array.</summary>
    private static List<int?>? ReadAllocations(ref Utf8JsonReader r)
    {
        r.Read();
        if (r.TokenType != JsonTokenType.StartArray) { r.Skip(); return null; }
        var list = new List<int?>(64);
        while (r.Read() && r.TokenType != JsonTokenType.EndArray)
        {
            if (r.TokenType == JsonTokenType.Null) list.Add(null);
            else if (r.TokenType == JsonTokenType.Number) list.Add(r.GetInt32());
            else throw WrongType(ref r, "allocations", "a number or null");
        }
        return list;
    }

    private static List<int>? ReadOrdinals(ref Utf8JsonReader r)
    {
        r.Read();
        if (r.TokenType != JsonTokenType.StartArray) { r.Skip(); return null; }
        var list = new List<int>(64);
        while (r.Read() && r.TokenType != JsonTokenType.EndArray)
            list.Add(r.TokenType == JsonTokenType.Number ? r.GetInt32() : throw WrongType(ref r, "unallocated", "a number"));
        return list;
    }

    private static List<AllocationAttribute>? ReadAttributes(ref Utf8JsonReader r)
    {
        r.Read();
        if (r.TokenType != JsonTokenType.StartArray) { r.Skip(); return null; }
        var list = new List<AllocationAttribute>();
        while (r.Read() && r.TokenType != JsonTokenType.EndArray)
        {
            if (r.TokenType != JsonTokenType.StartObject) throw WrongType(ref r, "attributes", "an object");
            var a = new AllocationAttribute();
            while (NextProperty(ref r))
            {
                if (r.ValueTextEquals("handle_id"u8)) a.HandleId = ReadString(ref r);
                else if (r.ValueTextEquals("secondary"u8)) a.Secondary = ReadMap(ref r, "secondary");
                else if (r.ValueTextEquals("alternateOwnerAttrs"u8)) a.AlternateOwnerAttrs = ReadMap(ref r, "alternateOwnerAttrs");
                else if (r.ValueTextEquals("releasedAt"u8)) a.ReleasedAt = ReadTime(ref r);
                else { r.Read(); r.Skip(); }
            }
            list.Add(a);
        }
        return list;
    }

    /// <summary>A string map (a JSON null value reads as ""); null when the value is not an object.</summary>
    private static Dictionary<string, string>? ReadMap(ref Utf8JsonReader r, string field)
    {
        r.Read();
        if (r.TokenType != JsonTokenType.StartObject) { r.Skip(); return null; }
        var map = new Dictionary<string, string>(2, StringComparer.Ordinal);
        while (NextProperty(ref r))
        {
            var key = AttributeKey(ref r);
            r.Read();
            map[key] = r.TokenType switch
            {
                JsonTokenType.String => r.GetString()!,
                JsonTokenType.Null => "",
                _ => throw WrongType(ref r, field, "a string"),
            };
        }
        return map;
    }

    // The keys Calico writes into every attribute, shared rather than copied once per allocation.
    private static string AttributeKey(ref Utf8JsonReader r) =>
        r.ValueTextEquals("node"u8) ? AllocationAttribute.NodeKey
        : r.ValueTextEquals("type"u8) ? AllocationAttribute.TypeKey
        : r.ValueTextEquals("namespace"u8) ? "namespace"
        : r.ValueTextEquals("pod"u8) ? "pod"
        : r.ValueTextEquals("timestamp"u8) ? "timestamp"
        : r.GetString()!;

    private static Dictionary<string, ulong>? ReadSequenceNumbers(ref Utf8JsonReader r)
    {
        r.Read();
        if (r.TokenType != JsonTokenType.StartObject) { r.Skip(); return null; }
        var map = new Dictionary<string, ulong>(StringComparer.Ordinal);
        while (NextProperty(ref r))
        {
            var key = r.GetString()!;
            r.Read();
            map[key] = r.TokenType == JsonTokenType.Number ? r.GetUInt64() : throw WrongType(ref r, "sequenceNumberForAllocation", "a number");
        }
        return map;
    }

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

    private static string? OptionalString(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}

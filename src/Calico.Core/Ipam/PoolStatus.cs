using System.Text.Json;

namespace Calico.Ipam;

/// <summary>Reads the one thing IPAM needs from a pool's stored status: the Allocatable condition kube-controllers sets.</summary>
internal static class PoolStatus
{
    public static bool IsNotAllocatable(string? statusJson)
    {
        if (string.IsNullOrEmpty(statusJson)) return false;
        try
        {
            using var doc = JsonDocument.Parse(statusJson);
            if (doc.RootElement.ValueKind != JsonValueKind.Object
                || !doc.RootElement.TryGetProperty("conditions", out var conditions)
                || conditions.ValueKind != JsonValueKind.Array) return false;
            foreach (var condition in conditions.EnumerateArray())
            {
                if (condition.ValueKind != JsonValueKind.Object) continue;
                if (condition.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String && type.GetString() == "Allocatable"
                    && condition.TryGetProperty("status", out var status) && status.ValueKind == JsonValueKind.String && status.GetString() == "False")
                    return true;
            }
            return false;
        }
        catch (JsonException)
        {
            // A status we cannot read never blocks allocation; Calico would not have stored it.
            return false;
        }
    }
}

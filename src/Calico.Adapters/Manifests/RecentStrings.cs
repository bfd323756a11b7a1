namespace Calico.Manifests;

/// <summary>
/// Hands out one string for short text seen before on this thread — keys such as apiVersion and values such as
/// IPPool recur in every document of a manifest — so reading many small documents does not copy the same words
/// again and again. A small direct-mapped table: a newer text simply replaces an older one in its slot.
/// </summary>
internal sealed class RecentStrings
{
    private const int Slots = 512;
    private const int MaxLength = 40;

    [ThreadStatic]
    private static RecentStrings? t_forThread;

    private readonly string?[] _slots = new string?[Slots];

    public static RecentStrings ForThisThread => t_forThread ??= new RecentStrings();

    /// <summary>The text of <paramref name="text"/>[<paramref name="start"/>..+<paramref name="length"/>].</summary>
    public string Get(string text, int start, int length)
    {
        if (length > MaxLength) return text.Substring(start, length);
        var span = text.AsSpan(start, length);
        // FNV-1a: cheap for short text, and only spreads entries over slots.
        var hash = 2166136261u;
        foreach (var c in span) hash = (hash ^ c) * 16777619u;
        ref var slot = ref _slots[hash % Slots];
        if (slot is not null && span.SequenceEqual(slot)) return slot;
        return slot = span.ToString();
    }
}

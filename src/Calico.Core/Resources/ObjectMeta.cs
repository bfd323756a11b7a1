namespace Calico.Resources;

/// <summary>
/// Kubernetes object metadata as Calico stores it. Field order follows metav1.ObjectMeta,
/// because the JSON written to the datastore must match Calico's byte for byte.
/// </summary>
public sealed class ObjectMeta
{
    public string Name { get; set; } = "";
    public string? GenerateName { get; set; }
    public string? Namespace { get; set; }
    public string? SelfLink { get; set; }
    public string? Uid { get; set; }
    /// <summary>The datastore revision; never stored, filled in on every read.</summary>
    public string? ResourceVersion { get; set; }
    public long Generation { get; set; }
    public DateTimeOffset? CreationTimestamp { get; set; }
    public DateTimeOffset? DeletionTimestamp { get; set; }
    public long? DeletionGracePeriodSeconds { get; set; }
    public Dictionary<string, string>? Labels { get; set; }
    public Dictionary<string, string>? Annotations { get; set; }
    public List<string>? Finalizers { get; set; }

    public ObjectMeta Clone() => new()
    {
        Name = Name,
        GenerateName = GenerateName,
        Namespace = Namespace,
        SelfLink = SelfLink,
        Uid = Uid,
        ResourceVersion = ResourceVersion,
        Generation = Generation,
        CreationTimestamp = CreationTimestamp,
        DeletionTimestamp = DeletionTimestamp,
        DeletionGracePeriodSeconds = DeletionGracePeriodSeconds,
        Labels = Labels is null ? null : new Dictionary<string, string>(Labels, StringComparer.Ordinal),
        Annotations = Annotations is null ? null : new Dictionary<string, string>(Annotations, StringComparer.Ordinal),
        Finalizers = Finalizers is null ? null : new List<string>(Finalizers),
    };
}

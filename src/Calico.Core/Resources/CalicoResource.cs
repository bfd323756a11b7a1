namespace Calico.Resources;

/// <summary>What every projectcalico.org/v3 resource has: a kind and metadata.</summary>
public abstract class CalicoResource
{
    public const string ApiVersionV3 = "projectcalico.org/v3";

    public abstract string Kind { get; }
    public string ApiVersion => ApiVersionV3;
    public ObjectMeta Metadata { get; set; } = new();

    /// <summary>The resource name, also bound from the pipeline by property name.</summary>
    public string Name
    {
        get => Metadata.Name;
        set => Metadata.Name = value;
    }

    public string? ResourceVersion => Metadata.ResourceVersion;

    public abstract CalicoResource CloneResource();

    public override string ToString() => $"{Kind}/{Name}";
}

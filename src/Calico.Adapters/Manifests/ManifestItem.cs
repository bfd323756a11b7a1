using Calico.Resources;
using Calico.Serialization;

namespace Calico.Manifests;

/// <summary>
/// One resource found in a manifest, or one document that could not be read. Exactly one of
/// <see cref="Resource"/> (projectcalico.org/v3) and <see cref="V1"/> (apiVersion v1) is set when
/// <see cref="Errors"/> is empty; neither is set when it is not.
/// </summary>
public sealed class ManifestItem
{
    /// <summary>Where the manifest came from (a path, or "-"), as given to the reader.</summary>
    public string? Source { get; init; }

    /// <summary>1-based number of the document in the source, counting only documents that hold something.</summary>
    public int Document { get; init; }

    /// <summary>Position in the document's list (items of a List, IPPoolList or NodeList, or a top-level YAML list); null when the document is the resource itself.</summary>
    public int? Index { get; init; }

    /// <summary>1-based line where the resource starts; 0 when unknown.</summary>
    public int Line { get; init; }

    public string? ApiVersion { get; init; }
    public string? Kind { get; init; }

    public CalicoResource? Resource { get; init; }
    public V1Resource? V1 { get; init; }

    public IReadOnlyList<FieldError> Errors { get; init; } = [];

    /// <summary>True for an apiVersion v1 resource, which <see cref="V1Converter"/> turns into v3.</summary>
    public bool IsV1 => ApiVersion == V1Resource.ApiVersionV1;

    public bool HasErrors => Errors.Count > 0;

    /// <summary>The resource as projectcalico.org/v3 (a v1 one converted as calicoctl convert does); null when the document had errors.</summary>
    public CalicoResource? ToV3() => Resource ?? (V1 is null ? null : V1Converter.Convert(V1));

    public override string ToString() =>
        HasErrors ? $"{Source}#{Document}: {Errors.Count} error(s)" : $"{Source}#{Document}: {ApiVersion} {Kind}";
}

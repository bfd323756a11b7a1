using Calico.Resources;

namespace Calico.Client;

/// <summary>One resource of a manifest applied to the datastore (Import-CalicoResource, calicoctl apply -f).</summary>
public sealed class ResourceImportResult
{
    public ResourceImportResult(string? source, int document, CalicoResource resource, ApplyAction action, IReadOnlyList<FieldChange> changes)
    {
        Source = source;
        Document = document;
        Resource = resource;
        Action = action;
        Changes = changes;
    }

    public string Kind => Resource.Kind;
    public string Name => Resource.Name;
    public ApplyAction Action { get; }
    /// <summary>The file it came from, or null for piped text.</summary>
    public string? Source { get; }
    public int Document { get; }
    /// <summary>What the write changed, old → new (empty when nothing changed).</summary>
    public IReadOnlyList<FieldChange> Changes { get; }
    /// <summary>The resource as stored, with its new resourceVersion.</summary>
    public CalicoResource Resource { get; }

    public override string ToString() => $"{Kind}/{Name}: {Action}";
}

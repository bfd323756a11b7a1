using Calico.Resources;

namespace Calico.Client;

/// <summary>What an apply did to the stored resource.</summary>
public enum ApplyAction
{
    Created,
    Updated,
    /// <summary>The stored resource already said the same: nothing was written.</summary>
    Unchanged,
}

/// <summary>The stored resource after a create-or-update, and what was done.</summary>
public sealed record ApplyResult<T>(T Resource, ApplyAction Action, IReadOnlyList<FieldChange> Changes) where T : CalicoResource;

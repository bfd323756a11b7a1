namespace Calico.Dataplane.Reconcile;

/// <summary>
/// How the kernel differs from the plan (Test-CalicoDataplane): what is missing, what is there but should not be,
/// and what is there but wrong. Changes that only follow from another (entries re-added with a recreated device)
/// are not counted.
/// </summary>
public sealed class DataplaneDrift
{
    internal DataplaneDrift(DataplaneDiff diff)
    {
        var own = diff.Changes.Where(c => c.CausedBy is null).ToList();
        Missing = own.Where(c => c.Kind == ChangeKind.Add).ToList();
        Extra = own.Where(c => c.Kind == ChangeKind.Delete).ToList();
        Wrong = own.Where(c => c.Kind == ChangeKind.Change).ToList();
        Warnings = diff.Warnings;
    }

    /// <summary>Wanted by the plan, absent from the kernel.</summary>
    public IReadOnlyList<DataplaneChange> Missing { get; }

    /// <summary>Calico's, present in the kernel, not in the plan.</summary>
    public IReadOnlyList<DataplaneChange> Extra { get; }

    /// <summary>Present, but not as the plan wants it (OldValue is the kernel's, NewValue the plan's).</summary>
    public IReadOnlyList<DataplaneChange> Wrong { get; }

    public IReadOnlyList<string> Warnings { get; }

    public bool InSync => Missing.Count == 0 && Extra.Count == 0 && Wrong.Count == 0;

    public override string ToString() =>
        InSync ? "in sync" : $"{Missing.Count} missing, {Extra.Count} extra, {Wrong.Count} wrong";
}

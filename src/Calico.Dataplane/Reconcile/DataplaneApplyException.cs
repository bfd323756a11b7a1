using Calico.Dataplane.Kernel;

namespace Calico.Dataplane.Reconcile;

/// <summary>
/// Applying a diff failed part-way. <see cref="Applied"/> are the changes that took effect before the failure,
/// <see cref="Failed"/> the one the kernel refused (when the tool said which line); the rest were not applied.
/// </summary>
public sealed class DataplaneApplyException : Exception
{
    internal DataplaneApplyException(KernelCommandException inner, IReadOnlyList<DataplaneChange> applied, DataplaneChange? failed)
        : base(failed is null ? inner.Message : $"{failed.Description}: {inner.Message}", inner)
    {
        Applied = applied;
        Failed = failed;
    }

    public IReadOnlyList<DataplaneChange> Applied { get; }
    public DataplaneChange? Failed { get; }
}

namespace Calico.Routing;

public enum FindingSeverity { Information, Warning }

/// <summary>Something the plan noticed about a node or the cluster that the routes alone do not show.</summary>
public sealed record PlanFinding(string? Node, FindingSeverity Severity, string Message)
{
    public override string ToString() => Node is null ? $"{Severity}: {Message}" : $"{Severity}: {Node}: {Message}";
}

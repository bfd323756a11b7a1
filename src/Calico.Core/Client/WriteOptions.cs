namespace Calico.Client;

/// <summary>How a write may proceed where Calico itself would go ahead but this module is more careful.</summary>
public sealed record WriteOptions
{
    public static WriteOptions Default { get; } = new();

    /// <summary>Lets a pool become CrossSubnet although nodes it selects have no subnet (the seed's pre-v2.1 problem).</summary>
    public bool AllowNodesWithoutSubnet { get; init; }

    /// <summary>How often an apply retries an update that lost a race (calicoctl: 5 tries, 1 s apart).</summary>
    public int ConflictRetries { get; init; } = 5;

    public TimeSpan ConflictRetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Makes every check a real write would make, and writes nothing: what -WhatIf reports.</summary>
    public bool DryRun { get; init; }
}

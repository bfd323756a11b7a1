using System.Management.Automation;
using System.Reflection;
using Calico.Analysis;
using Calico.Datastore;
using Calico.Resources;

namespace Calico.PowerShell.Infrastructure;

public abstract partial class CalicoCmdlet
{
    private ClusterSnapshot? _routeBaseline;

    /// <summary>
    /// Set by cmdlets whose writes can move routes (pools, nodes): <see cref="ApplyWithConsent{T}"/> then adds to its
    /// ShouldProcess message what every node's routes would do. Only when that message is shown (-WhatIf, -Confirm),
    /// because it reads and plans the whole cluster.
    /// </summary>
    protected bool PreviewsRoutes { get; init; }

    /// <summary>A route preview for a ShouldProcess message, and the cluster it leads to (null when it could not be read).</summary>
    private protected sealed record RouteConsequence(string Text, ClusterSnapshot? After);

    /// <summary>
    /// What storing <paramref name="resource"/> would do to every node's routes, planned on the cluster as this command
    /// has left it so far (earlier items of the same command included); null when no preview is wanted.
    /// </summary>
    private protected RouteConsequence? PreviewRoutesOf(CalicoResource resource)
    {
        if (!PreviewsRoutes || resource is not (IPPool or Node) || !ConsentMessageShown()) return null;
        try
        {
            var before = _routeBaseline ??= Run(ct => ClusterSnapshot.ReadAsync(Client, ct));
            var after = before.With(resource);
            return new RouteConsequence(RoutePreview.Compare(before, after).Describe(), after);
        }
        catch (DatastoreException ex)
        {
            return new RouteConsequence($"The routes could not be previewed: {ex.Message}", null);
        }
    }

    /// <summary>The previewed change was made (or, under -WhatIf, would have been): later previews start from it.</summary>
    private protected void AcceptRoutes(RouteConsequence? routes)
    {
        if (routes?.After is not null) _routeBaseline = routes.After;
    }

    /// <summary>Whether ShouldProcess will show its message: -WhatIf, or a confirmation prompt.</summary>
    private protected bool ConsentMessageShown()
    {
        if (IsWhatIf) return true;
        var bound = MyInvocation.BoundParameters;
        if (bound.TryGetValue("Confirm", out var c)) return LanguagePrimitives.IsTrue(c);
        if (!LanguagePrimitives.TryConvertTo(GetVariableValue("ConfirmPreference"), out ConfirmImpact preference)) preference = ConfirmImpact.High;
        var impact = GetType().GetCustomAttribute<CmdletAttribute>()?.ConfirmImpact ?? ConfirmImpact.Medium;
        return preference != ConfirmImpact.None && impact >= preference;
    }
}

using System.Management.Automation;
using Calico.Client;
using Calico.Datastore;
using Calico.Manifests;
using Calico.Serialization;
using Calico.Validation;

namespace Calico.PowerShell.Infrastructure;

/// <summary>
/// What every datastore cmdlet shares: the client for the current datastore, cancellation on Ctrl+C, and one
/// mapping from the core's exceptions to error records with stable ErrorIds and the right categories.
/// </summary>
public abstract partial class CalicoCmdlet : PSCmdlet
{
    private readonly CancellationTokenSource _stopping = new();
    private CalicoClient? _client;

    protected CancellationToken CancellationToken => _stopping.Token;

    /// <summary>The client for this command, resolved once per command; a datastore that cannot be opened ends the command.</summary>
    protected CalicoClient Client => _client ??= OpenClient();

    private CalicoClient OpenClient()
    {
        try
        {
            var connection = DatastoreSession.Current();
            foreach (var note in connection.Config.Notes) WriteVerbose(note);
            WriteVerbose($"Datastore: {connection.Config}");
            return connection.Client;
        }
        catch (Exception ex) when (ex is DatastoreException or IOException or UnauthorizedAccessException)
        {
            ThrowTerminatingError(new ErrorRecord(ex, "DatastoreConfiguration", ErrorCategory.InvalidOperation, null));
            throw; // not reached
        }
    }

    protected override void StopProcessing() => _stopping.Cancel();

    /// <summary>Runs a core call; Ctrl+C cancels it.</summary>
    protected T Run<T>(Func<CancellationToken, Task<T>> call) => call(CancellationToken).GetAwaiter().GetResult();

    protected void Run(Func<CancellationToken, Task> call) => call(CancellationToken).GetAwaiter().GetResult();

    /// <summary>
    /// Reports a failed item: a non-terminating error for the item, or a terminating one when the datastore itself
    /// cannot be reached (no later item could succeed either).
    /// </summary>
    protected void WriteFailure(Exception ex, object? target)
    {
        var record = ToErrorRecord(ex, target);
        if (ex is DatastoreUnavailableException) ThrowTerminatingError(record);
        WriteError(record);
    }

    /// <summary>True for the exceptions <see cref="WriteFailure"/> knows how to report as a user error.</summary>
    protected static bool IsReportable(Exception ex) =>
        ex is DatastoreException or ResourceValidationException or ManifestException or CrossSubnetGuardException or ArgumentException
            or NodeAddressClashException or Calico.Ipam.IpamException
            or Calico.Dataplane.Host.HostNotRegisteredException or Calico.Dataplane.Reconcile.KernelFeatureMissingException
            or Calico.Dataplane.Reconcile.DataplaneApplyException or Calico.Dataplane.Kernel.KernelCommandException;

    internal static ErrorRecord ToErrorRecord(Exception ex, object? target) => ex switch
    {
        ResourceNotFoundException => new ErrorRecord(ex, "ResourceNotFound", ErrorCategory.ObjectNotFound, target),
        ResourceAlreadyExistsException => new ErrorRecord(ex, "ResourceAlreadyExists", ErrorCategory.ResourceExists, target),
        ResourceConflictException => new ErrorRecord(ex, "ResourceConflict", ErrorCategory.ResourceBusy, target),
        DatastoreUnavailableException => new ErrorRecord(ex, "DatastoreUnavailable", ErrorCategory.ConnectionError, target),
        DatastoreCorruptException => new ErrorRecord(ex, "DatastoreCorrupt", ErrorCategory.InvalidData, target),
        DatastoreConfigurationException => new ErrorRecord(ex, "DatastoreConfiguration", ErrorCategory.InvalidOperation, target),
        DatastoreException => new ErrorRecord(ex, "DatastoreError", ErrorCategory.WriteError, target),
        ResourceValidationException => new ErrorRecord(ex, Errors.InvalidResource, ErrorCategory.InvalidData, target),
        ManifestException => new ErrorRecord(ex, Errors.InvalidManifest, ErrorCategory.InvalidData, target),
        CrossSubnetGuardException => new ErrorRecord(ex, "NodesWithoutSubnet", ErrorCategory.InvalidOperation, target),
        NodeAddressClashException => new ErrorRecord(ex, "NodeAddressClash", ErrorCategory.ResourceExists, target),
        Calico.Ipam.IpamException => new ErrorRecord(ex, "IpamError", ErrorCategory.LimitsExceeded, target),
        Calico.Dataplane.Host.HostNotRegisteredException => new ErrorRecord(ex, "NodeNotRegistered", ErrorCategory.ObjectNotFound, target),
        Calico.Dataplane.Reconcile.KernelFeatureMissingException => new ErrorRecord(ex, "KernelFeatureMissing", ErrorCategory.NotInstalled, target),
        Calico.Dataplane.Reconcile.DataplaneApplyException => new ErrorRecord(ex, "DataplaneApplyFailed", ErrorCategory.WriteError, target),
        Calico.Dataplane.Kernel.KernelCommandException => new ErrorRecord(ex, "KernelCommandFailed", ErrorCategory.InvalidOperation, target),
        ArgumentException => new ErrorRecord(ex, "InvalidArgument", ErrorCategory.InvalidArgument, target),
        _ => new ErrorRecord(ex, "UnexpectedError", ErrorCategory.NotSpecified, target),
    };

    /// <summary>
    /// Every resource of the kind whose name matches <paramref name="names"/> (all when none), sorted by name. Unreadable
    /// stored resources and plain names that match nothing are reported as errors; null when the datastore failed.
    /// </summary>
    protected List<T>? ListNamed<T>(ResourceClient<T> resources, string[]? names, bool reportMissing = true) where T : Calico.Resources.CalicoResource
    {
        ResourceList<T> list;
        try
        {
            list = Run(ct => resources.ListAsync(ct));
        }
        catch (DatastoreException ex)
        {
            WriteFailure(ex, names);
            return null;
        }
        foreach (var error in list.Errors) WriteFailure(error, error.Key);
        var filter = new NameFilter(names);
        var matched = list.Items.Where(r => filter.Matches(r.Name)).OrderBy(r => r.Name, StringComparer.Ordinal).ToList();
        var kind = Calico.Datastore.ResourceKeys.KindOf<T>();
        foreach (var missing in reportMissing ? filter.Missing(matched) : Enumerable.Empty<string>())
            WriteError(new ErrorRecord(new ItemNotFoundException($"{kind} {missing} does not exist in the {Client.Location}."),
                "ResourceNotFound", ErrorCategory.ObjectNotFound, missing));
        return matched;
    }

    /// <summary>
    /// Deletes each resource whose name matches (plain names that match nothing are errors), asking ShouldProcess for
    /// each with <paramref name="what"/>'s description of what the delete does.
    /// </summary>
    protected void RemoveNamed<T>(ResourceClient<T> kind, string[] names, string? resourceVersion, bool passThru, Func<T, string> what)
        where T : Calico.Resources.CalicoResource
    {
        var matched = ListNamed(kind, names);
        if (matched is null) return;
        foreach (var resource in matched)
        {
            var description = what(resource);
            if (!ShouldProcess(description, $"{description}?", $"Remove {resource.Kind}")) continue;
            try
            {
                var removed = Run(ct => kind.DeleteAsync(resource.Name, resourceVersion, ct));
                if (passThru && removed is not null) WriteObject(removed);
            }
            catch (Exception ex) when (IsReportable(ex))
            {
                WriteFailure(ex, resource);
            }
        }
    }

    /// <summary>True under -WhatIf (given, or from $WhatIfPreference).</summary>
    protected bool IsWhatIf =>
        MyInvocation.BoundParameters.TryGetValue("WhatIf", out var given)
            ? LanguagePrimitives.IsTrue(given)
            : LanguagePrimitives.IsTrue(SessionState.PSVariable.GetValue("WhatIfPreference", false));

    private CalicoClient? _preview;

    /// <summary>
    /// The client -WhatIf runs against: the real datastore under an in-memory overlay, so a preview runs every real
    /// rule and each step sees the steps before it in this command (an import's node fix before its CrossSubnet pool),
    /// while nothing is written.
    /// </summary>
    protected CalicoClient PreviewClient => _preview ??= new CalicoClient(new OverlayKeyValueStore(Client.Store));

    /// <summary>
    /// Runs a read that sets unreadable stored items aside rather than failing on them: each is reported as an error,
    /// the readable rest returned. Null when the datastore itself failed (reported too).
    /// </summary>
    protected IReadOnlyList<T>? ReadReportingUnreadable<T>(
        Func<ICollection<DatastoreCorruptException>, CancellationToken, Task<IReadOnlyList<T>>> read, object? target)
    {
        var unreadable = new List<DatastoreCorruptException>();
        IReadOnlyList<T> items;
        try
        {
            items = Run(ct => read(unreadable, ct));
        }
        catch (DatastoreException ex)
        {
            WriteFailure(ex, target);
            return null;
        }
        foreach (var error in unreadable) WriteFailure(error, error.Key);
        return items;
    }

    /// <summary>
    /// Applies a resource after asking ShouldProcess with every field that would change, old → new. The question is
    /// asked only after the write has been tried in a preview with every check the real write makes, so -WhatIf never
    /// promises a write that would be refused. Returns null when the user declined (or -WhatIf).
    /// </summary>
    protected ApplyResult<T>? ApplyWithConsent<T>(Func<CalicoClient, ResourceClient<T>> kind, T proposed, WriteOptions options, string target)
        where T : Calico.Resources.CalicoResource
    {
        var preview = IsWhatIf
            ? Run(ct => kind(PreviewClient).ApplyAsync(proposed, options, ct))
            : Run(ct => kind(Client).ApplyAsync(proposed, options with { DryRun = true }, ct));
        if (preview.Action == ApplyAction.Unchanged)
        {
            WriteVerbose($"{target} already has these settings; nothing to write.");
            return IsWhatIf ? null : preview;
        }
        var verb = preview.Action == ApplyAction.Created ? "Create" : "Update";
        var routes = PreviewRoutesOf(preview.Resource);
        var message = $"{verb} {target}: {DescribeChanges(preview.Changes)}" + (routes is null ? "" : Environment.NewLine + routes.Text);
        if (!ShouldProcess(message, $"{verb} {target}?", $"{verb} {proposed.Kind}", out var reason))
        {
            // Under -WhatIf the change counts as made, so the next item's preview builds on it.
            if (reason == ShouldProcessReason.WhatIf) AcceptRoutes(routes);
            return null;
        }
        var result = Run(ct => kind(Client).ApplyAsync(proposed, options, ct));
        AcceptRoutes(routes);
        return result;
    }

    /// <summary>Creates a resource after asking ShouldProcess, previewed the same way; null when declined.</summary>
    protected T? CreateWithConsent<T>(Func<CalicoClient, ResourceClient<T>> kind, T proposed, WriteOptions options, string target)
        where T : Calico.Resources.CalicoResource
    {
        var preview = IsWhatIf
            ? Run(ct => kind(PreviewClient).CreateAsync(proposed, options, ct))
            : Run(ct => kind(Client).CreateAsync(proposed, options with { DryRun = true }, ct));
        if (!ShouldProcess($"Create {target}: {DescribeChanges(Calico.Resources.ResourceDiff.Compare(null, preview))}", $"Create {target}?", $"Create {proposed.Kind}"))
            return null;
        return Run(ct => kind(Client).CreateAsync(proposed, options, ct));
    }

    /// <summary>Text for ShouldProcess: every field that would change, old → new.</summary>
    protected static string DescribeChanges(IReadOnlyList<Calico.Resources.FieldChange> changes) =>
        changes.Count == 0 ? "no change" : string.Join("; ", changes.Select(c => c.ToString()));
}

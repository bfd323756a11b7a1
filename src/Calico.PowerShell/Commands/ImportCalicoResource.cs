using System.Management.Automation;
using Calico.Client;
using Calico.Datastore;
using Calico.Manifests;
using Calico.PowerShell.Infrastructure;
using Calico.Resources;

namespace Calico.PowerShell.Commands;

/// <summary>
/// calicoctl apply -f: reads v1 or v3 manifests from files, directories or the pipeline and creates or updates each
/// resource in the datastore. One result, or one error, per resource; each resource is written whole or not at all.
/// </summary>
// Path is the default set, so `Import-CalicoResource ./pool.yaml` reads the file as `calicoctl apply -f` does; piped
// strings are manifest text.
[Cmdlet(VerbsData.Import, "CalicoResource", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = PathSet)]
[OutputType(typeof(ResourceImportResult))]
public sealed class ImportCalicoResourceCommand : ManifestCmdlet
{
    private const string TextSet = "Text";
    private readonly ManifestInput _input = new();
    private readonly List<ManifestItem> _items = new();

    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = TextSet)]
    [AllowEmptyString]
    public string[] Manifest { get; set; } = Array.Empty<string>();

    /// <summary>-WhatIf and -Confirm also show what each pool or node would do to every node's routes.</summary>
    public ImportCalicoResourceCommand() => PreviewsRoutes = true;

    /// <summary>Applies a CrossSubnet pool even though nodes it selects have no subnet.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override void ProcessRecord()
    {
        if (ParameterSetName == TextSet)
        {
            _input.AddText(Manifest);
            return;
        }
        _items.AddRange(ReadFiles(expandDirectories: true));
    }

    protected override void EndProcessing()
    {
        _items.AddRange(_input.ReadText());
        var options = new WriteOptions { AllowNodesWithoutSubnet = Force };
        // A preview or a prompt shows each resource's consequences before the next is decided, so those go one by one;
        // otherwise the whole input is planned on one read of the datastore and written together.
        if (ConsentMessageShown()) ApplyOneByOne(options);
        else ApplyTogether(options);
    }

    private void ApplyOneByOne(WriteOptions options)
    {
        using var progress = new Progress(this, _items.Count);
        foreach (var item in _items)
        {
            progress.Next(item);
            Apply(item, options);
        }
    }

    private void ApplyTogether(WriteOptions options)
    {
        var batch = new ApplyBatch(Client, options);
        // Per input item, what to report: its error, or (after the commit) what was stored.
        var outcomes = new object?[_items.Count];
        using (var progress = new Progress(this, _items.Count))
        {
            for (var i = 0; i < _items.Count; i++)
            {
                progress.Next(_items[i]);
                outcomes[i] = Plan(batch, _items[i], i);
            }
        }
        IReadOnlyList<ApplyBatch.Accepted> written;
        try
        {
            written = Run(ct => batch.CommitAsync(ct));
        }
        catch (Exception ex) when (IsReportable(ex))
        {
            // What was written is unknown; the items refused before the commit are still reported below.
            WriteFailure(ex, null);
            written = Array.Empty<ApplyBatch.Accepted>();
        }
        foreach (var accepted in written) outcomes[(int)accepted.Tag!] = accepted;
        for (var i = 0; i < _items.Count; i++)
        {
            var item = _items[i];
            switch (outcomes[i])
            {
                case ErrorRecord error: WriteError(error); break;
                case Exception ex: WriteFailure(ex, item); break;
                case ApplyBatch.Accepted { Error: { } ex }: WriteFailure(ex, item); break;
                case ApplyBatch.Accepted { Result: { } result }: WriteObject(Result(item, result)); break;
            }
        }
    }

    /// <summary>The item's error, or null once it is accepted into the batch (or declined).</summary>
    private object? Plan(ApplyBatch batch, ManifestItem item, int index)
    {
        if (item.HasErrors) return Errors.ForManifestItem(item);
        var resource = item.ToV3()!;
        try
        {
            var plan = Run(ct => batch.PlanAsync(resource, ct));
            var target = Target(resource, item);
            if (plan.Action == ApplyAction.Unchanged)
            {
                WriteVerbose($"{target} already has these settings; nothing to write.");
                batch.Accept(resource, plan, index);
                return null;
            }
            var verb = plan.Action == ApplyAction.Created ? "Create" : "Update";
            if (!ShouldProcess($"{verb} {target}: {DescribeChanges(plan.Changes)}", $"{verb} {target}?", $"{verb} {resource.Kind}")) return null;
            batch.Accept(resource, plan, index);
            return null;
        }
        catch (Exception ex) when (IsReportable(ex))
        {
            // No later document could be planned either: stop now rather than wait out each one's timeout.
            if (ex is DatastoreUnavailableException) WriteFailure(ex, item);
            return ex;
        }
    }

    private static ResourceImportResult Result(ManifestItem item, ApplyResult<CalicoResource> result) =>
        new(item.Source, item.Document, result.Resource, result.Action, result.Changes);

    private static string Target(CalicoResource resource, ManifestItem item) =>
        $"{resource.Kind} {resource.Name}" + (item.Source is null ? "" : $" ({item.Source}, document {item.Document})");

    /// <summary>"3 of 40: IPPool in pools.yaml, document 3", for inputs of more than one resource.</summary>
    private sealed class Progress : IDisposable
    {
        private readonly PSCmdlet _cmdlet;
        private readonly int _count;
        private readonly ProgressRecord _record = new(1, "Import-CalicoResource", "Applying resources");
        private int _index;

        public Progress(PSCmdlet cmdlet, int count)
        {
            _cmdlet = cmdlet;
            _count = count;
        }

        public void Next(ManifestItem item)
        {
            _index++;
            if (_count < 2) return;
            _record.PercentComplete = (_index - 1) * 100 / _count;
            _record.StatusDescription = $"{_index} of {_count}: {item.Kind} in {item.Source ?? "input"}, document {item.Document}";
            _cmdlet.WriteProgress(_record);
        }

        public void Dispose()
        {
            if (_count < 2) return;
            _record.RecordType = ProgressRecordType.Completed;
            _cmdlet.WriteProgress(_record);
        }
    }

    private void Apply(ManifestItem item, WriteOptions options)
    {
        if (item.HasErrors)
        {
            WriteError(Errors.ForManifestItem(item));
            return;
        }
        var resource = item.ToV3()!;
        try
        {
            var result = resource switch
            {
                IPPool pool => Apply(c => c.IPPools, pool, item, options),
                Node node => Apply(c => c.Nodes, node, item, options),
                _ => null,
            };
            if (result is not null) WriteObject(result);
        }
        catch (Exception ex) when (IsReportable(ex))
        {
            WriteFailure(ex, item);
        }
    }

    private ResourceImportResult? Apply<T>(Func<CalicoClient, ResourceClient<T>> kind, T resource, ManifestItem item, WriteOptions options) where T : CalicoResource
    {
        var result = ApplyWithConsent(kind, resource, options, Target(resource, item));
        return result is null ? null : new ResourceImportResult(item.Source, item.Document, result.Resource, result.Action, result.Changes);
    }
}

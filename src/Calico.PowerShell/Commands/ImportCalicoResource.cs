using System.Management.Automation;
using Calico.Client;
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
        var progress = new ProgressRecord(1, "Import-CalicoResource", "Applying resources");
        for (var i = 0; i < _items.Count; i++)
        {
            var item = _items[i];
            if (_items.Count > 1)
            {
                progress.PercentComplete = i * 100 / _items.Count;
                progress.StatusDescription = $"{i + 1} of {_items.Count}: {item.Kind} in {item.Source ?? "input"}, document {item.Document}";
                WriteProgress(progress);
            }
            Apply(item, options);
        }
        if (_items.Count > 1)
        {
            progress.RecordType = ProgressRecordType.Completed;
            WriteProgress(progress);
        }
    }

    private void Apply(ManifestItem item, WriteOptions options)
    {
        if (item.HasErrors)
        {
            WriteError(Errors.ForManifestItem(item));
            return;
        }
        var resource = item.V1 is not null ? V1Converter.Convert(item.V1) : item.Resource!;
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
        var target = $"{resource.Kind} {resource.Name}" + (item.Source is null ? "" : $" ({item.Source}, document {item.Document})");
        var result = ApplyWithConsent(kind, resource, options, target);
        return result is null ? null : new ResourceImportResult(item.Source, item.Document, result.Resource, result.Action, result.Changes);
    }
}

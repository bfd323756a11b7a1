using System.Management.Automation;
using System.Text;
using Calico.Manifests;
using Calico.PowerShell.Infrastructure;
using Calico.Resources;

namespace Calico.PowerShell.Commands;

/// <summary>The kinds Export-CalicoResource can write.</summary>
public enum CalicoResourceKind { IPPool, Node }

/// <summary>
/// Writes what is stored as a projectcalico.org/v3 manifest that Import-CalicoResource and calicoctl apply take back:
/// an IPPoolList and/or NodeList. resourceVersion is left out (it belongs to one datastore); uid and
/// creationTimestamp are kept, so a resource moved to another datastore keeps its identity.
/// </summary>
[Cmdlet(VerbsData.Export, "CalicoResource", SupportsShouldProcess = true, DefaultParameterSetName = "Output")]
[OutputType(typeof(string), ParameterSetName = new[] { "Output" })]
[OutputType(typeof(FileInfo), ParameterSetName = new[] { "File" })]
public sealed class ExportCalicoResourceCommand : CalicoCmdlet
{
    [Parameter(Position = 0)]
    public CalicoResourceKind[] Kind { get; set; } = { CalicoResourceKind.IPPool, CalicoResourceKind.Node };

    [Parameter]
    [SupportsWildcards]
    public string[]? Name { get; set; }

    [Parameter]
    public ManifestFormat Format { get; set; } = ManifestFormat.Yaml;

    /// <summary>A file to write the manifest to, instead of writing it to the pipeline.</summary>
    [Parameter(Mandatory = true, ParameterSetName = "File")]
    [ValidateNotNullOrEmpty]
    public string? Path { get; set; }

    /// <summary>Refuses to overwrite an existing file.</summary>
    [Parameter(ParameterSetName = "File")]
    public SwitchParameter NoClobber { get; set; }

    [Parameter(ParameterSetName = "File")]
    public SwitchParameter PassThru { get; set; }

    protected override void EndProcessing()
    {
        var groups = new List<IReadOnlyList<CalicoResource>>();
        foreach (var kind in Kind.Distinct())
        {
            // A plain -Name is missing only when no kind has it, so names are checked once, after every kind.
            var items = kind == CalicoResourceKind.IPPool
                ? ListNamed(Client.IPPools, Name, reportMissing: false)?.Cast<CalicoResource>().ToList()
                : ListNamed(Client.Nodes, Name, reportMissing: false)?.Cast<CalicoResource>().ToList();
            if (items is null) return;
            if (items.Count > 0) groups.Add(items.Select(Portable).ToList());
        }
        foreach (var missing in new NameFilter(Name).Missing(groups.SelectMany(g => g)))
            WriteError(new ErrorRecord(new ItemNotFoundException($"No {string.Join(" or ", Kind.Distinct())} named {missing} exists in the {Client.Location}."),
                "ResourceNotFound", ErrorCategory.ObjectNotFound, missing));
        if (groups.Count == 0)
        {
            WriteVerbose("Nothing to export.");
            return;
        }
        var text = Write(groups);
        if (Path is null)
        {
            WriteObject(text);
            return;
        }
        var file = SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path);
        if (NoClobber && File.Exists(file))
        {
            WriteError(new ErrorRecord(new IOException($"'{file}' exists and -NoClobber was given."), "FileExists", ErrorCategory.ResourceExists, file));
            return;
        }
        if (!ShouldProcess(file, $"Write {groups.Sum(g => g.Count)} resource(s)")) return;
        try
        {
            File.WriteAllText(file, text, new UTF8Encoding(false));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            WriteError(new ErrorRecord(ex, "FileWriteError", ErrorCategory.WriteError, file));
            return;
        }
        // Through the provider, so the file prints as Get-Item prints it.
        if (PassThru) WriteObject(InvokeProvider.Item.Get(file), enumerateCollection: true);
    }

    // One kind: its list kind, as calicoctl get prints it. Both: a List holding every resource.
    private string Write(List<IReadOnlyList<CalicoResource>> groups)
    {
        if (groups.Count == 1)
        {
            return Format == ManifestFormat.Json
                ? ManifestWriter.ToJson(groups[0], ManifestShape.KindList)
                : ManifestWriter.ToYaml(groups[0], ManifestShape.KindList);
        }
        var all = groups.SelectMany(g => g).ToList();
        return Format == ManifestFormat.Json ? ManifestWriter.ToJson(all, ManifestShape.List) : ManifestWriter.ToYaml(all, ManifestShape.List);
    }

    private static CalicoResource Portable(CalicoResource resource)
    {
        var copy = resource.CloneResource();
        copy.Metadata.ResourceVersion = null;
        return copy;
    }
}

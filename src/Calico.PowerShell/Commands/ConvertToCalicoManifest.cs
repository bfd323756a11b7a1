using System.Management.Automation;
using Calico.Manifests;
using Calico.Resources;

namespace Calico.PowerShell.Commands;

/// <summary>The format of a written manifest.</summary>
public enum ManifestFormat { Yaml, Json }

/// <summary>Writes IPPool and Node objects as a projectcalico.org/v3 manifest, as calicoctl prints them.</summary>
[Cmdlet(VerbsData.ConvertTo, "CalicoManifest")]
[OutputType(typeof(string))]
public sealed class ConvertToCalicoManifestCommand : PSCmdlet
{
    private readonly List<CalicoResource> _resources = new();

    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
    public CalicoResource[] InputObject { get; set; } = Array.Empty<CalicoResource>();

    [Parameter]
    public ManifestFormat Format { get; set; } = ManifestFormat.Yaml;

    protected override void ProcessRecord() => _resources.AddRange(InputObject.Where(r => r is not null));

    protected override void EndProcessing()
    {
        if (_resources.Count == 0) return;
        WriteObject(Format == ManifestFormat.Json ? ManifestWriter.ToJson(_resources) : ManifestWriter.ToYaml(_resources));
    }
}

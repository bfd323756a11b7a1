using System.Management.Automation;
using Calico.Manifests;
using Calico.PowerShell.Infrastructure;
using Calico.Resources;
using Calico.Validation;

namespace Calico.PowerShell.Commands;

/// <summary>
/// Converts v1 manifests (the seed's `kind: ipPool`) to projectcalico.org/v3 text, as `calicoctl convert` did before
/// calicoctl 3.32 dropped it: converted, validated (unless -SkipValidation), one object, or a List for several.
/// </summary>
[Cmdlet(VerbsData.Convert, "CalicoManifest", DefaultParameterSetName = TextSet)]
[OutputType(typeof(string))]
public sealed class ConvertCalicoManifestCommand : ManifestCmdlet
{
    private const string TextSet = "Text";
    private readonly ManifestInput _input = new();
    private readonly List<CalicoResource> _converted = new();

    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = TextSet)]
    [AllowEmptyString]
    public string[] Manifest { get; set; } = Array.Empty<string>();



    [Parameter]
    public ManifestFormat Format { get; set; } = ManifestFormat.Yaml;

    /// <summary>Converts without checking the result, as calicoctl convert --ignore-validation.</summary>
    [Parameter]
    public SwitchParameter SkipValidation { get; set; }

    protected override void ProcessRecord()
    {
        if (ParameterSetName == TextSet)
        {
            _input.AddText(Manifest);
            return;
        }
        Collect(ReadFiles());
    }

    protected override void EndProcessing()
    {
        Collect(_input.ReadText());
        if (_converted.Count == 0) return;
        WriteObject(Format == ManifestFormat.Json ? ManifestWriter.ToJson(_converted) : ManifestWriter.ToYaml(_converted));
    }

    private void Collect(IEnumerable<ManifestItem> items)
    {
        foreach (var item in items)
        {
            if (item.HasErrors)
            {
                WriteError(Errors.ForManifestItem(item));
                continue;
            }
            var resource = item.ToV3();
            if (resource is null) continue;
            if (!SkipValidation)
            {
                var check = ManifestChecker.Check(item);
                if (!check.IsValid)
                {
                    WriteError(Errors.ForInvalidResource(check, item));
                    continue;
                }
            }
            _converted.Add(resource);
        }
    }
}

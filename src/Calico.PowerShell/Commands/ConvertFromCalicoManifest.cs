using System.Management.Automation;
using Calico.Manifests;
using Calico.PowerShell.Infrastructure;
using Calico.Resources;

namespace Calico.PowerShell.Commands;

/// <summary>Reads v1 or v3 manifests (YAML or JSON) into typed IPPool and Node objects; v1 is converted to v3.</summary>
[Cmdlet(VerbsData.ConvertFrom, "CalicoManifest", DefaultParameterSetName = TextSet)]
[OutputType(typeof(IPPool), typeof(Node))]
public sealed class ConvertFromCalicoManifestCommand : ManifestCmdlet
{
    private const string TextSet = "Text";
    private readonly ManifestInput _input = new();

    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = TextSet)]
    [AllowEmptyString]
    public string[] Manifest { get; set; } = Array.Empty<string>();



    protected override void ProcessRecord()
    {
        if (ParameterSetName == TextSet)
        {
            _input.AddText(Manifest);
            return;
        }
        Emit(ReadFiles());
    }

    protected override void EndProcessing() => Emit(_input.ReadText());

    private void Emit(IEnumerable<ManifestItem> items)
    {
        foreach (var item in items)
        {
            if (item.HasErrors)
            {
                WriteError(Errors.ForManifestItem(item));
                continue;
            }
            if (item.V1 is not null)
            {
                WriteVerbose($"{Describe(item)}: {item.V1.Kind} (v1) converted to projectcalico.org/v3 as calicoctl convert did.");
                WriteObject(V1Converter.Convert(item.V1));
            }
            else if (item.Resource is not null)
            {
                WriteObject(item.Resource);
            }
        }
    }

    private static string Describe(ManifestItem item) => $"{item.Source ?? "input"}, document {item.Document}";
}

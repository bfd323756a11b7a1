using System.Management.Automation;
using Calico.Manifests;
using Calico.PowerShell.Infrastructure;
using Calico.Resources;
using Calico.Validation;

namespace Calico.PowerShell.Commands;

/// <summary>
/// Checks resources as Calico would before storing them (v1 converted, defaults applied, every rule), reporting every
/// problem with its field and value: one result per resource, or with -Quiet one bool per resource.
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "CalicoResource", DefaultParameterSetName = ObjectSet)]
[OutputType(typeof(ResourceValidationResult), typeof(bool))]
public sealed class TestCalicoResourceCommand : ManifestCmdlet
{
    private const string ObjectSet = "Object";
    private const string TextSet = "Text";
    private readonly ManifestInput _input = new();

    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = ObjectSet)]
    public PSObject[] InputObject { get; set; } = Array.Empty<PSObject>();

    [Parameter(Mandatory = true, ParameterSetName = TextSet)]
    [AllowEmptyString]
    public string[] Manifest { get; set; } = Array.Empty<string>();



    /// <summary>Writes only $true or $false for each resource.</summary>
    [Parameter]
    public SwitchParameter Quiet { get; set; }

    protected override void ProcessRecord()
    {
        switch (ParameterSetName)
        {
            case TextSet:
                _input.AddText(Manifest);
                break;
            case PathSet or LiteralPathSet:
                foreach (var item in ReadFiles()) Emit(ManifestChecker.Check(item));
                break;
            default:
                foreach (var input in InputObject)
                {
                    // Strings piped in are manifests; resources are checked as they are.
                    switch (input?.BaseObject)
                    {
                        case CalicoResource resource: Emit(ResourceChecker.Check(resource)); break;
                        case string text: _input.AddText(new[] { text }); break;
                        case null: break;
                        default:
                            WriteError(new ErrorRecord(
                                new PSArgumentException($"Cannot check a {input.BaseObject.GetType().Name}: pipe IPPool or Node objects, or manifest text."),
                                "UnsupportedInput", ErrorCategory.InvalidType, input.BaseObject));
                            break;
                    }
                }
                break;
        }
    }

    protected override void EndProcessing()
    {
        foreach (var item in _input.ReadText()) Emit(ManifestChecker.Check(item));
    }

    private void Emit(ResourceValidationResult result)
    {
        if (Quiet) WriteObject(result.IsValid);
        else WriteObject(result);
    }
}

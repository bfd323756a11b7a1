using System.Management.Automation;
using Calico.Manifests;

namespace Calico.PowerShell.Infrastructure;

/// <summary>
/// The cmdlets that read manifests from files as well as from the pipeline: -Path (wildcards) and -LiteralPath
/// (Get-ChildItem output binds here), each its own parameter set.
/// </summary>
public abstract class ManifestCmdlet : CalicoCmdlet
{
    protected const string PathSet = "Path";
    protected const string LiteralPathSet = "LiteralPath";

    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = PathSet)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = Array.Empty<string>();

    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = LiteralPathSet)]
    [Alias("PSPath", "LP")]
    [ValidateNotNullOrEmpty]
    public string[] LiteralPath { get; set; } = Array.Empty<string>();

    /// <summary>True when this invocation reads files (-Path or -LiteralPath).</summary>
    protected bool ReadsFiles => ParameterSetName is PathSet or LiteralPathSet;

    /// <summary>The manifest items of the files given by -Path or -LiteralPath; unreadable paths are reported and skipped.</summary>
    protected IEnumerable<ManifestItem> ReadFiles(bool expandDirectories = false)
    {
        var literal = ParameterSetName == LiteralPathSet;
        return ManifestInput.ReadFiles(this, literal ? LiteralPath : Path, literal, expandDirectories);
    }
}

using System.Management.Automation;
using Calico.Manifests;

namespace Calico.PowerShell.Infrastructure;

/// <summary>
/// The manifest sources a cmdlet was given: files from -Path/-LiteralPath, or text from the pipeline.
/// Piped strings that are single lines (Get-Content without -Raw) are joined into one manifest; strings that hold
/// line breaks are each a manifest of their own, so `$a, $b | ...` reads two manifests.
/// </summary>
internal sealed class ManifestInput
{
    private readonly List<string> _texts = new();

    public void AddText(string[]? texts)
    {
        if (texts is null) return;
        foreach (var t in texts)
            if (t is not null) _texts.Add(t);
    }

    /// <summary>Every manifest item of the piped text, with no source path.</summary>
    public IEnumerable<ManifestItem> ReadText()
    {
        if (_texts.Count == 0) yield break;
        var manifests = _texts.Any(t => t.Contains('\n')) ? _texts : new List<string> { string.Join("\n", _texts) };
        foreach (var text in manifests)
            foreach (var item in ManifestReader.Read(text))
                yield return item;
    }

    /// <summary>Every manifest item of the given files; unreadable paths are reported as errors and skipped.</summary>
    public static IEnumerable<ManifestItem> ReadFiles(PSCmdlet cmdlet, string[]? paths, bool literal, bool expandDirectories)
    {
        foreach (var file in InputFiles.Resolve(cmdlet, paths, literal, expandDirectories))
        {
            var text = InputFiles.ReadText(cmdlet, file);
            if (text is null) continue;
            foreach (var item in ManifestReader.Read(text, file))
                yield return item;
        }
    }
}

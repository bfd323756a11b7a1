#Requires -Version 7.4
<#
.SYNOPSIS
    Builds the module's cmdlet help (MAML, read by Get-Help) from the markdown sources beside the code.
.DESCRIPTION
    Reads one <Verb-Noun>.md per cmdlet from -SourceDirectory (README.md there describes the layout), reads the
    compiled cmdlets' own metadata by importing -ModuleManifest in a child pwsh, checks that every exported cmdlet
    is fully documented, and writes <Assembly>.dll-Help.xml into -OutputDirectory (the module's en-US folder).
    Syntax, types, mandatory, positions, pipeline input, aliases and defaults come from the code; the markdown
    gives only prose and examples. Fails, listing every problem as "file:line: Cmdlet: what is wrong", when the
    help is incomplete or describes something the code does not have.
.EXAMPLE
    ./build-help.ps1 -SourceDirectory src/Calico.PowerShell/help -OutputDirectory out/Calico/0.1.0/en-US
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $SourceDirectory,
    [Parameter(Mandatory)] [string] $OutputDirectory,
    # The built module's manifest; by default the one .psd1 in the folder above -OutputDirectory.
    [string] $ModuleManifest
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

Import-Module (Join-Path $PSScriptRoot 'HelpMarkdown.psm1') -Force
Import-Module (Join-Path $PSScriptRoot 'MamlHelp.psm1') -Force
Import-Module (Join-Path $PSScriptRoot 'ChildPwsh.psm1') -Force

$MinimumExamples = 2
# -WhatIf and -Confirm, which the engine adds to ShouldProcess cmdlets: MamlHelp.psm1 has standard descriptions for them.
$EngineParameters = [System.Management.Automation.PSCmdlet]::OptionalCommonParameters
# Importing the module and reading its cmdlets takes a few seconds; a child that takes this long is stuck.
$MetadataTimeout = [TimeSpan]::FromMinutes(2)

function Resolve-ModuleManifest {
    if ($ModuleManifest) { return (Resolve-Path $ModuleManifest).Path }
    $moduleDirectory = Split-Path ([System.IO.Path]::GetFullPath($OutputDirectory)) -Parent
    $found = @(Get-ChildItem $moduleDirectory -Filter *.psd1 -File)
    if ($found.Count -ne 1) { throw "build-help.ps1: found $($found.Count) module manifests in $moduleDirectory; name one with -ModuleManifest" }
    return $found[0].FullName
}

# Starts a child pwsh reading the cmdlets' metadata; the sources are parsed meanwhile.
function Start-MetadataReader([string] $Manifest, [string] $OutputPath) {
    $start = New-PwshStartInfo -ArgumentList @('-File', (Join-Path $PSScriptRoot 'Read-CmdletMetadata.ps1'),
        '-ModuleManifest', $Manifest, '-OutputPath', $OutputPath)
    $process = [System.Diagnostics.Process]::Start($start)
    [pscustomobject]@{ Process = $process; Output = $process.StandardOutput.ReadToEndAsync(); Errors = $process.StandardError.ReadToEndAsync() }
}

function Receive-Metadata($Reader, [string] $Manifest, [string] $OutputPath) {
    if (-not $Reader.Process.WaitForExit($MetadataTimeout)) {
        $Reader.Process.Kill($true)
        throw "build-help.ps1: reading the cmdlets of $Manifest in a child pwsh did not finish within $MetadataTimeout"
    }
    $errors = $Reader.Errors.GetAwaiter().GetResult()
    $output = $Reader.Output.GetAwaiter().GetResult()
    if ($Reader.Process.ExitCode -ne 0 -or -not (Test-Path $OutputPath)) {
        throw "build-help.ps1: reading the cmdlets of $Manifest in a child pwsh failed (exit code $($Reader.Process.ExitCode)):`n$errors$output"
    }
    return @(Get-Content -Raw $OutputPath | ConvertFrom-Json)
}

function Get-ParseErrors([string] $Code) {
    $tokens = $null; $errors = $null
    $ast = [System.Management.Automation.Language.Parser]::ParseInput($Code, [ref] $tokens, [ref] $errors)
    [pscustomobject]@{ Ast = $ast; Errors = @($errors) }
}

# Problems in an example's code that the build can see without running it: syntax errors, the documented cmdlet
# never called, and parameters of this module's cmdlets that do not exist.
function Test-ExampleCode($Source, $Example, [hashtable] $ParameterNames) {
    $where = "$($Source.Name).md:$($Example.Line): $($Source.Name): Example $($Example.Number)"
    foreach ($part in @(@{ Label = 'setup code'; Code = $Example.Setup }, @{ Label = 'code'; Code = $Example.Code })) {
        if (-not $part.Code) { continue }
        $parsed = Get-ParseErrors $part.Code
        foreach ($e in $parsed.Errors) { "${where}: the $($part.Label) does not parse (line $($e.Extent.StartLineNumber) of it): $($e.Message)" }
        if ($parsed.Errors.Count -gt 0) { continue }
        $calls = $parsed.Ast.FindAll({ $args[0] -is [System.Management.Automation.Language.CommandAst] }, $true)
        if ($part.Label -eq 'code' -and $calls.Where({ $_.GetCommandName() -eq $Source.Name }).Count -eq 0) {
            "${where}: the code never calls $($Source.Name)"
        }
        foreach ($call in $calls) {
            $commandName = $call.GetCommandName()
            if (-not $commandName -or -not $ParameterNames.ContainsKey($commandName)) { continue }
            foreach ($element in $call.CommandElements) {
                if ($element -is [System.Management.Automation.Language.CommandParameterAst] -and
                    -not $ParameterNames[$commandName].Contains($element.ParameterName)) {
                    "${where}: the $($part.Label) passes -$($element.ParameterName) to $commandName, which has no such parameter (write parameter names in full)"
                }
            }
        }
    }
}

# Every rule the help must meet; returns one message per problem.
function Test-HelpSource($Cmdlets, [hashtable] $Sources) {
    $common = [System.Management.Automation.PSCmdlet]::CommonParameters
    $parameterNames = @{}
    foreach ($cmdlet in $Cmdlets) {
        $names = [System.Collections.Generic.HashSet[string]]::new([StringComparer]::OrdinalIgnoreCase)
        foreach ($p in $cmdlet.Parameters) { [void] $names.Add($p.Name); foreach ($a in $p.Aliases) { [void] $names.Add($a) } }
        foreach ($c in $common) { [void] $names.Add($c) }
        $parameterNames[$cmdlet.Name] = $names
    }

    foreach ($source in $Sources.Values) {
        $source.Problems
        if (-not $parameterNames.ContainsKey($source.Name)) {
            "$($source.Name).md:1: $($source.Name): the module exports no cmdlet of this name; rename or remove the file"
        }
    }

    foreach ($cmdlet in $Cmdlets) {
        $name = $cmdlet.Name
        if (-not $Sources.ContainsKey($name)) {
            "${name}.md: ${name}: no help source; write $(Join-Path $SourceDirectory "$name.md") (README.md there describes the layout)"
            continue
        }
        $source = $Sources[$name]
        if (-not $source.Synopsis) { "${name}.md: ${name}: no SYNOPSIS" }
        if (-not ($source.Description -join '').Trim()) { "${name}.md: ${name}: no DESCRIPTION" }

        $byName = @{}
        foreach ($p in $cmdlet.Parameters) { $byName[$p.Name] = $p }
        foreach ($p in $cmdlet.Parameters) {
            $described = if ($source.Parameters.Contains($p.Name)) { $source.Parameters[$p.Name] } else { $null }
            if ($EngineParameters.Contains($p.Name) -and -not $described) { continue }
            if (-not $described) { "${name}.md: ${name}: parameter -$($p.Name) is not described; add '### -$($p.Name)' under ## PARAMETERS" }
            elseif (-not ($described.Description -join '').Trim()) { "${name}.md:$($described.Line): ${name}: parameter -$($p.Name) has no description" }
            elseif ($described.DefaultValue -and $null -ne $p.Default) {
                "${name}.md:$($described.Line): ${name}: parameter -$($p.Name) says 'Default value: $($described.DefaultValue)' but the code's default is '$($p.Default)'; remove the line"
            }
        }
        foreach ($described in $source.Parameters.Values) {
            if (-not $byName.ContainsKey($described.Name)) {
                "${name}.md:$($described.Line): ${name}: describes parameter -$($described.Name), which the cmdlet does not have"
            }
            elseif ($described.Name -cne $byName[$described.Name].Name) {
                "${name}.md:$($described.Line): ${name}: write the parameter as -$($byName[$described.Name].Name), as the code spells it"
            }
        }

        if ($source.Examples.Count -lt $MinimumExamples) {
            "${name}.md: ${name}: $($source.Examples.Count) example(s); every cmdlet needs at least $MinimumExamples"
        }
        foreach ($example in $source.Examples) {
            if ($example.Code) { Test-ExampleCode $source $example $parameterNames }
        }

        $documentedOutputs = @(foreach ($output in $source.Outputs) { $output.Type })
        foreach ($type in $cmdlet.OutputTypes) {
            if ($type -notin $documentedOutputs -and $type.Split('.')[-1] -notin $documentedOutputs) {
                "${name}.md: ${name}: the cmdlet declares [OutputType($type)] but ## OUTPUTS does not describe it; add '### $type'"
            }
        }
        foreach ($link in $source.Links) {
            if ($link.Uri -notmatch '^[a-z][a-z0-9+.-]*:' -and -not (Test-Path (Join-Path $SourceDirectory $link.Uri))) {
                "${name}.md:$($link.Line): ${name}: related link '$($link.Uri)' names no help source in $SourceDirectory"
            }
        }
    }
}

$stopwatch = [System.Diagnostics.Stopwatch]::StartNew()
$manifest = Resolve-ModuleManifest
$metadataPath = Join-Path ([System.IO.Path]::GetTempPath()) "calico-help-metadata-$PID-$([guid]::NewGuid().ToString('n')).json"
$reader = Start-MetadataReader $manifest $metadataPath
try {
    # Files named Verb-Noun.md are help sources; README.md and the scripts beside them are not.
    $sources = @{}
    foreach ($file in Get-ChildItem $SourceDirectory -Filter '*-*.md' -File) {
        $sources[$file.BaseName] = Read-HelpMarkdown -Path $file.FullName
    }
    Write-Verbose "$($stopwatch.ElapsedMilliseconds) ms: read $($sources.Count) help sources"
    $cmdlets = @(Receive-Metadata $reader $manifest $metadataPath)
    Write-Verbose "$($stopwatch.ElapsedMilliseconds) ms: read the metadata of $($cmdlets.Count) cmdlets"
}
finally {
    if (-not $reader.Process.HasExited) { $reader.Process.Kill() }
    Remove-Item $metadataPath -ErrorAction Ignore
}

# Grouped by file, each file's problems in the order found.
$problems = @(Test-HelpSource $cmdlets $sources | Sort-Object -Stable { $_.Split(':')[0] })
Write-Verbose "$($stopwatch.ElapsedMilliseconds) ms: checked the help sources"
if ($problems.Count -gt 0) {
    $message = "The help sources in $SourceDirectory have $($problems.Count) problem(s) (README.md there describes the format):`n  $($problems -join "`n  ")"
    $PSCmdlet.ThrowTerminatingError([System.Management.Automation.ErrorRecord]::new(
            [System.InvalidOperationException]::new($message), 'HelpSourceIncomplete', 'InvalidData', $SourceDirectory))
}

if ($cmdlets.Count -eq 0) { Write-Host "    $manifest exports no cmdlets: no help to build" }
foreach ($group in $cmdlets | Group-Object HelpFile) {
    New-Item -ItemType Directory -Force $OutputDirectory | Out-Null
    $path = Join-Path $OutputDirectory $group.Name
    Write-MamlHelp -Path $path -Command @($group.Group | ForEach-Object { [pscustomobject]@{ Metadata = $_; Source = $sources[$_.Name] } })
    $examples = ($group.Group | ForEach-Object { $sources[$_.Name].Examples.Count } | Measure-Object -Sum).Sum
    Write-Host "    $path ($($group.Count) cmdlets, $examples examples, $($stopwatch.ElapsedMilliseconds) ms)"
}

<#
.SYNOPSIS
    Imports a built module and writes, as JSON to -OutputPath, what its exported cmdlets declare: parameter sets
    with their syntax order, each parameter's type, mandatory, position, pipeline input, aliases, wildcards,
    accepted values and default, and the output types.
.DESCRIPTION
    build-help.ps1 runs this in a child pwsh, so the module's assemblies are never loaded into the build's own
    session, and so the help's syntax always comes from the compiled code rather than from the help source.
#>
param(
    [Parameter(Mandatory)] [string] $ModuleManifest,
    # A file, not standard output: whatever the module prints while it loads cannot mix with the JSON.
    [Parameter(Mandatory)] [string] $OutputPath
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

$module = Import-Module $ModuleManifest -PassThru -Force
$common = [System.Management.Automation.PSCmdlet]::CommonParameters
$MemberFlags = [System.Reflection.BindingFlags] 'Public, Instance, IgnoreCase'

# The default a parameter has when the user leaves it out: the property's value on a fresh cmdlet object.
function Get-DefaultText($Instance, [string] $Name) {
    $type = $Instance.GetType()
    # -WhatIf and -Confirm belong to the engine, not to the cmdlet's class.
    $member = $type.GetProperty($Name, $MemberFlags) ?? $type.GetField($Name, $MemberFlags)
    if ($null -eq $member) { return $null }
    $value = $member.GetValue($Instance)
    if ($null -eq $value) { return $null }
    if ($value -is [System.Management.Automation.SwitchParameter]) { return $value.IsPresent.ToString() }
    if ($value -is [string]) { return $(if ($value.Length -eq 0) { $null } else { $value }) }
    if ($value -is [System.Collections.IEnumerable]) {
        $items = @(foreach ($item in $value) { [System.Convert]::ToString($item, [cultureinfo]::InvariantCulture) })
        return $(if ($items.Count -eq 0) { $null } else { $items -join ', ' })
    }
    return [System.Convert]::ToString($value, [cultureinfo]::InvariantCulture)
}

function Get-AcceptedValue([System.Management.Automation.ParameterMetadata] $Parameter) {
    foreach ($attribute in $Parameter.Attributes) {
        if ($attribute -is [System.Management.Automation.ValidateSetAttribute]) { return [string[]] $attribute.ValidValues }
    }
    $type = $Parameter.ParameterType
    if ($type.IsArray) { $type = $type.GetElementType() }
    $type = [Nullable]::GetUnderlyingType($type) ?? $type
    if ($type.IsEnum -and -not $type.IsDefined([System.FlagsAttribute], $false)) { return [string[]] [enum]::GetNames($type) }
    return [string[]] @()
}

# A parameter set's syntax as Get-Command -Syntax shows it ("[-Name] <string[]> [-Shout] [<CommonParameters>]"):
# its order (positional, then mandatory, then the rest) and its type names are PowerShell's own.
function Read-SetSyntax([System.Management.Automation.CommandParameterSetInfo] $Set) {
    foreach ($match in [regex]::Matches($Set.ToString(), '(?:^|[\s\[])-(\w+)\]?(?: <([^>]+)>)?')) {
        if ($common.Contains($match.Groups[1].Value)) { continue }
        [pscustomobject]@{ Name = $match.Groups[1].Value; TypeDisplay = $match.Groups[2].Value }
    }
}

$cmdlets = foreach ($command in $module.ExportedCmdlets.Values | Sort-Object Name) {
    $instance = [System.Activator]::CreateInstance($command.ImplementingType)
    $syntax = @{}
    foreach ($set in $command.ParameterSets) { $syntax[$set.Name] = @(Read-SetSyntax $set) }
    $typeDisplay = @{}
    foreach ($entries in $syntax.Values) { foreach ($entry in $entries) { $typeDisplay[$entry.Name] = $entry.TypeDisplay } }
    $parameters = foreach ($parameter in $command.Parameters.Values) {
        if ($common.Contains($parameter.Name)) { continue }
        [ordered]@{
            Name           = $parameter.Name
            Type           = $parameter.ParameterType.FullName
            TypeDisplay    = $typeDisplay[$parameter.Name]
            IsSwitch       = $parameter.SwitchParameter
            IsArray        = $parameter.ParameterType.IsArray
            Aliases        = [string[]] $parameter.Aliases
            Globbing       = $parameter.Attributes.Where({ $_ -is [System.Management.Automation.SupportsWildcardsAttribute] }).Count -gt 0
            AcceptedValues = Get-AcceptedValue $parameter
            Default        = Get-DefaultText $instance $parameter.Name
            Sets           = @(foreach ($set in $parameter.ParameterSets.GetEnumerator()) {
                    [ordered]@{
                        Name           = $set.Key
                        Mandatory      = $set.Value.IsMandatory
                        Position       = $set.Value.Position
                        ByValue        = $set.Value.ValueFromPipeline
                        ByPropertyName = $set.Value.ValueFromPipelineByPropertyName
                    }
                })
        }
    }
    [ordered]@{
        Name          = $command.Name
        Verb          = $command.Verb
        Noun          = $command.Noun
        HelpFile      = [System.IO.Path]::GetFileName($command.HelpFile)
        OutputTypes   = [string[]] @($command.OutputType.Name)
        Parameters    = @($parameters)
        ParameterSets = @(foreach ($set in $command.ParameterSets) {
                [ordered]@{ Name = $set.Name; IsDefault = $set.IsDefault; Order = [string[]] @($syntax[$set.Name] | ForEach-Object Name) }
            })
    }
}

ConvertTo-Json -InputObject @($cmdlets) -Depth 8 -Compress | Set-Content -LiteralPath $OutputPath -Encoding utf8NoBOM

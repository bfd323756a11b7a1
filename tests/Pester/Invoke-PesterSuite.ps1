<#
.SYNOPSIS
    Runs the Pester suites against the built module and writes a pass/fail/skip summary as JSON.
    Called by build.ps1 in a fresh pwsh so the module under test is imported cleanly.
#>
param(
    [Parameter(Mandatory)] [string] $ModuleManifest,
    [Parameter(Mandatory)] [string] $PackagesDirectory,
    [Parameter(Mandatory)] [string] $ResultsDirectory,
    [string] $Filter = ($env:CALICO_PESTER_FILTER ? $env:CALICO_PESTER_FILTER : '*')
)
$ErrorActionPreference = 'Stop'

Import-Module (Join-Path $PackagesDirectory 'pester/6.2.0/tools/Pester.psd1') -Force

# The suites find the module and the conflict-test assemblies through these.
$env:CALICO_TEST_MODULE = $ModuleManifest
$env:CALICO_TEST_PACKAGES = $PackagesDirectory

$config = New-PesterConfiguration
$config.Run.Path = @(Get-ChildItem $PSScriptRoot -Filter "$Filter.Tests.ps1" | ForEach-Object FullName)
$config.Run.PassThru = $true
$config.Output.Verbosity = 'Normal'

$result = Invoke-Pester -Configuration $config

# A block or file that fails before its tests run must count as a failure, never vanish.
$failed = $result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount
[pscustomobject]@{
    Passed  = $result.PassedCount
    Failed  = $failed
    Skipped = $result.SkippedCount + $result.NotRunCount
} | ConvertTo-Json | Set-Content (Join-Path $ResultsDirectory 'pester-summary.json')

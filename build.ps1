#Requires -Version 7.4
<#
.SYNOPSIS
    Builds, tests, demonstrates and packages the Calico module.
.DESCRIPTION
    Run it with the pinned PowerShell: `dotnet tool restore && dotnet pwsh ./build.ps1 -Task <Task>`.
      Build    assembles out/Calico/<version>/ (manifest, module assemblies, dependencies/, views, help)
               and out/CalicoDsc/<version>/ (the DSC resources, src/Calico.Dsc).
      Test     builds, installs what the tests need (Debian packages when root, Pester from NuGet),
               runs the xunit suites and the Pester suites, and ends with "N passed, N failed, N skipped".
      Demo     builds and runs examples/quickstart.ps1 on a temporary embedded datastore.
      Package  builds and publishes Calico and CalicoDsc as .nupkg files into out/repository with PSResourceGet.
      Bench    builds, then runs the scale harness (tests/Calico.Benchmarks/scale/Invoke-ScaleBenchmark.ps1):
               whole-system timings beside their baselines, into out/bench/results.json and scaling.svg. Needs root,
               etcd and iproute2; see docs/PERFORMANCE.md (the in-process benchmarks run with `dotnet run`).
.EXAMPLE
    dotnet pwsh ./build.ps1 -Task Test
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Demo', 'Package', 'Bench', 'Clean')]
    [string] $Task = 'Build',

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',

    # Runs only the Pester files whose names match (for a quick local loop); CI never sets it.
    [string] $PesterFilter = '*'
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

$Root = $PSScriptRoot
$ModuleName = 'Calico'
$ModuleVersion = (Import-PowerShellDataFile (Join-Path $Root 'Calico.psd1')).ModuleVersion
$OutDir = Join-Path $Root 'out'
$ModuleDir = Join-Path $OutDir $ModuleName $ModuleVersion
$ResultsDir = Join-Path $OutDir 'test-results'

# The DSC resources (src/Calico.Dsc) ship as a second module, CalicoDsc, beside Calico: out/CalicoDsc/<version>/.
$DscSource = Join-Path $Root 'src/Calico.Dsc'
$DscModuleDir = Join-Path $OutDir 'CalicoDsc' (Import-PowerShellDataFile (Join-Path $DscSource 'CalicoDsc.psd1')).ModuleVersion

# Assemblies that are the module itself; everything else the publish step produces is a dependency.
$ModuleAssemblies = @('Calico.PowerShell.dll', 'Calico.Core.dll', 'Calico.Dataplane.dll')

# The command that starts a child pwsh like this one: `pwsh`, or `dotnet …/pwsh.dll` under the .NET tool.
function Get-PwshCommand {
    $exe = [Environment]::ProcessPath
    if ((Split-Path -Leaf $exe) -like 'pwsh*') { return , @($exe) }
    return , @($exe, (Join-Path $PSHOME 'pwsh.dll'))
}

# A plain function (no param block), so every argument, "-File" included, reaches the child untouched.
function Invoke-Pwsh {
    $pwsh = Get-PwshCommand
    & $pwsh[0] @($pwsh | Select-Object -Skip 1) @args
}

function Write-Step([string] $Message) {
    Write-Host "==> $Message" -ForegroundColor Cyan
}

function Invoke-Native {
    param([Parameter(Mandatory)] [string] $Command, [string[]] $Arguments = @())
    & $Command @Arguments
    if ($LASTEXITCODE -ne 0) {
        throw "'$Command $($Arguments -join ' ')' failed with exit code $LASTEXITCODE"
    }
}

function Invoke-Build {
    Write-Step "Building $ModuleName $ModuleVersion ($Configuration)"
    $publishDir = Join-Path $OutDir 'publish'
    Remove-Item $publishDir -Recurse -Force -ErrorAction Ignore
    Invoke-Native dotnet @('publish', (Join-Path $Root 'src/Calico.PowerShell/Calico.PowerShell.csproj'),
        '-c', $Configuration, '-o', $publishDir, '--nologo', '-v', 'quiet', '-p:GenerateDocumentationFile=false')

    Remove-Item $ModuleDir -Recurse -Force -ErrorAction Ignore
    $dependencies = New-Item -ItemType Directory -Force (Join-Path $ModuleDir 'dependencies')
    foreach ($name in $ModuleAssemblies) {
        $path = Join-Path $publishDir $name
        if (-not (Test-Path $path)) { throw "The build did not produce $name" }
        Copy-Item $path $ModuleDir
    }
    Get-ChildItem $publishDir -Filter *.dll |
        Where-Object Name -NotIn $ModuleAssemblies |
        Copy-Item -Destination $dependencies
    # Native runtime assets (if a dependency has any) keep their runtimes/ layout beside the managed ones.
    if (Test-Path (Join-Path $publishDir 'runtimes')) {
        Copy-Item (Join-Path $publishDir 'runtimes') $dependencies -Recurse
    }
    Copy-Item (Join-Path $Root 'Calico.psd1') $ModuleDir
    Copy-Item (Join-Path $Root 'src/Calico.PowerShell/Calico.format.ps1xml') $ModuleDir
    $help = Join-Path $Root 'src/Calico.PowerShell/help/build-help.ps1'
    if (Test-Path $help) {
        & $help -SourceDirectory (Join-Path $Root 'src/Calico.PowerShell/help') -OutputDirectory (Join-Path $ModuleDir 'en-US')
    }
    Write-Host "    $ModuleDir"
    Build-DscModule
}

# CalicoDsc is script only: its folder is the module (manifest, classes, Private/, the DSC v3 manifests and their script).
function Build-DscModule {
    Remove-Item $DscModuleDir -Recurse -Force -ErrorAction Ignore
    New-Item -ItemType Directory -Force $DscModuleDir | Out-Null
    Copy-Item (Join-Path $DscSource '*') $DscModuleDir -Recurse
    Write-Host "    $DscModuleDir"
}

function Install-Prerequisites {
    # What the tests need from Debian; installed only when missing, and only as root on a Debian-like system.
    $needed = [ordered]@{
        'etcd'    = 'etcd-server'
        'etcdctl' = 'etcd-client'
        'nft'     = 'nftables'
        'ip'      = 'iproute2'
        'ping'    = 'iputils-ping'
    }
    $missing = @($needed.Keys | Where-Object { -not (Get-Command $_ -CommandType Application -ErrorAction Ignore) } |
        ForEach-Object { $needed[$_] })
    if ($missing.Count -gt 0) {
        $isRoot = (& id -u) -eq '0'
        if (-not $isRoot -or -not (Get-Command apt-get -ErrorAction Ignore)) {
            Write-Warning "Missing packages ($($missing -join ', ')); install them as root, or tests that need them will fail."
        }
        else {
            Write-Step "Installing $($missing -join ', ')"
            $env:DEBIAN_FRONTEND = 'noninteractive'
            Invoke-Native apt-get @('update', '-qq')
            Invoke-Native apt-get (@('install', '-y', '-qq', '--no-install-recommends') + $missing)
        }
    }
    # The IP-in-IP lab runs in a small VM whose kernel has ipip (this host's kernel may not). Setting it up fetches
    # qemu and Debian's kernel package once; later runs reuse the cache. Where it cannot be set up, the VM tests
    # report themselves skipped with the reason, never passed.
    if ((& id -u) -eq '0') {
        Write-Step 'Preparing the IP-in-IP test VM (tests/IpipVm/setup.sh)'
        & bash (Join-Path $Root 'tests/IpipVm/setup.sh') | Out-Host
        if ($LASTEXITCODE -ne 0) { Write-Warning "tests/IpipVm/setup.sh failed (exit $LASTEXITCODE); the VM tests will report why they skip." }
    }
}

function Get-NuGetPackagesDirectory {
    $line = & dotnet nuget locals global-packages --list
    if ($LASTEXITCODE -ne 0) { throw 'dotnet nuget locals failed' }
    return ($line -replace '^global-packages:\s*', '').Trim()
}

function Restore-TestTools {
    Write-Step 'Restoring Pester and the conflict-test assemblies from NuGet'
    Invoke-Native dotnet @('restore', (Join-Path $Root 'tests/Pester/TestTools.proj'), '--nologo', '-v', 'quiet')
    $packages = Get-NuGetPackagesDirectory
    $pester = Join-Path $packages 'pester/6.2.0/tools/Pester.psd1'
    if (-not (Test-Path $pester)) { throw "Pester was restored but $pester is missing" }
    return $packages
}

function Read-TrxCounts([string] $Path) {
    [xml] $trx = Get-Content -Raw $Path
    $c = $trx.TestRun.ResultSummary.Counters
    [pscustomobject]@{
        Passed  = [int] $c.passed
        Failed  = [int] $c.failed + [int] $c.error + [int] $c.timeout + [int] $c.aborted
        # The TRX counters have no "skipped": a skipped test is one counted in total but never executed.
        Skipped = [int] $c.total - [int] $c.executed + [int] $c.inconclusive
    }
}

function Invoke-XunitSuites {
    $totals = [pscustomobject]@{ Passed = 0; Failed = 0; Skipped = 0 }
    foreach ($project in Get-ChildItem (Join-Path $Root 'tests') -Recurse -Filter '*.Tests.csproj') {
        Write-Step "xunit: $($project.BaseName)"
        $trx = "$($project.BaseName).trx"
        & dotnet test $project.FullName -c $Configuration --nologo --logger "trx;LogFileName=$trx" `
            --logger 'console;verbosity=minimal' --results-directory $ResultsDir | Out-Host
        $trxPath = Join-Path $ResultsDir $trx
        if (-not (Test-Path $trxPath)) {
            Write-Warning "$($project.BaseName) produced no results (build failure?); counting it as one failure."
            $totals.Failed++
            continue
        }
        $counts = Read-TrxCounts $trxPath
        $totals.Passed += $counts.Passed; $totals.Failed += $counts.Failed; $totals.Skipped += $counts.Skipped
    }
    return $totals
}

function Invoke-PesterSuites([string] $Packages) {
    Write-Step 'Pester (in a fresh pwsh, against the built module)'
    $summary = Join-Path $ResultsDir 'pester-summary.json'
    Remove-Item $summary -ErrorAction Ignore
    # The filter travels in the environment: pwsh on Unix would glob a '*' argument into file names.
    $env:CALICO_PESTER_FILTER = $PesterFilter
    # The Dsc*.Tests.ps1 suites find the built CalicoDsc here (it requires Calico, found beside it in out/).
    $env:CALICO_TEST_DSC_MODULE = Join-Path $DscModuleDir 'CalicoDsc.psd1'
    Invoke-Pwsh -NoProfile -NonInteractive -File (Join-Path $Root 'tests/Pester/Invoke-PesterSuite.ps1') `
        -ModuleManifest (Join-Path $ModuleDir 'Calico.psd1') -PackagesDirectory $Packages `
        -ResultsDirectory $ResultsDir | Out-Host
    if (-not (Test-Path $summary)) {
        Write-Warning 'Pester produced no summary (it crashed?); counting it as one failure.'
        return [pscustomobject]@{ Passed = 0; Failed = 1; Skipped = 0 }
    }
    $counts = Get-Content -Raw $summary | ConvertFrom-Json
    if ($counts.Passed -isnot [long] -or $counts.Failed -isnot [long] -or $counts.Skipped -isnot [long]) {
        Write-Warning "Pester's summary is not three counts ($summary); counting it as one failure."
        return [pscustomobject]@{ Passed = 0; Failed = 1; Skipped = 0 }
    }
    return $counts
}

function Invoke-Tests {
    Install-Prerequisites
    Invoke-Build
    $packages = Restore-TestTools
    Remove-Item $ResultsDir -Recurse -Force -ErrorAction Ignore
    New-Item -ItemType Directory -Force $ResultsDir | Out-Null

    # The package test installs the module from this repository, as a user would.
    $env:CALICO_TEST_REPOSITORY = Publish-ModulePackage

    $xunit = Invoke-XunitSuites
    $pester = Invoke-PesterSuites $packages

    $passed = $xunit.Passed + $pester.Passed
    $failed = $xunit.Failed + $pester.Failed
    $skipped = $xunit.Skipped + $pester.Skipped
    Write-Host ''
    Write-Host "xunit: $($xunit.Passed) passed, $($xunit.Failed) failed, $($xunit.Skipped) skipped; Pester: $($pester.Passed) passed, $($pester.Failed) failed, $($pester.Skipped) skipped"
    Write-Host "$passed passed, $failed failed, $skipped skipped"
    if ($failed -gt 0) { exit 1 }
}

function Invoke-Demo {
    Invoke-Build
    $store = Join-Path ([IO.Path]::GetTempPath()) "calico-demo-$([guid]::NewGuid().ToString('n').Substring(0, 8))"
    Write-Step "Running examples/quickstart.ps1 on a temporary embedded datastore ($store)"
    try {
        Invoke-Pwsh -NoProfile -NonInteractive -File (Join-Path $Root 'examples/quickstart.ps1') `
            -ModulePath (Join-Path $ModuleDir 'Calico.psd1') -DatastorePath $store | Out-Host
        if ($LASTEXITCODE -ne 0) { throw "quickstart.ps1 failed with exit code $LASTEXITCODE" }
    }
    finally {
        Remove-Item $store -Recurse -Force -ErrorAction Ignore
    }
}

function Invoke-Package {
    Invoke-Build
    Publish-ModulePackage | Out-Null
}

# Publishes the built module as a .nupkg into out/repository (a PSResourceGet file repository); returns the folder.
function Publish-ModulePackage {
    $repository = Join-Path $OutDir 'repository'
    Write-Step "Publishing $ModuleName $ModuleVersion to $repository"
    Remove-Item $repository -Recurse -Force -ErrorAction Ignore
    New-Item -ItemType Directory -Force $repository | Out-Null
    $name = "calico-build-$PID"
    Register-PSResourceRepository -Name $name -Uri $repository -Trusted
    try {
        Publish-PSResource -Path $ModuleDir -Repository $name -SkipDependenciesCheck
        # Publishing checks CalicoDsc's manifest, whose RequiredModules entry must find the Calico just built.
        $modulePath = $env:PSModulePath
        $env:PSModulePath = $OutDir + [IO.Path]::PathSeparator + $modulePath
        try { Publish-PSResource -Path $DscModuleDir -Repository $name -SkipDependenciesCheck }
        finally { $env:PSModulePath = $modulePath }
    }
    finally {
        Unregister-PSResourceRepository -Name $name
    }
    Get-ChildItem $repository -Filter *.nupkg | ForEach-Object { Write-Host "    $($_.FullName)" }
    return $repository
}

function Invoke-Bench {
    Invoke-Build
    Write-Step 'Building the benchmarks (tests/Calico.Benchmarks)'
    $project = Join-Path $Root 'tests/Calico.Benchmarks'
    Invoke-Native dotnet @('build', $project, '-c', 'Release', '--nologo', '-v', 'quiet')
    Invoke-Pwsh -NoProfile -NonInteractive -File (Join-Path $project 'scale/Invoke-ScaleBenchmark.ps1') `
        -ModuleManifest (Join-Path $ModuleDir 'Calico.psd1') -Tool (Join-Path $project 'bin/Release/net10.0/Calico.Benchmarks.dll') `
        -OutputDirectory (Join-Path $OutDir 'bench') | Out-Host
    if ($LASTEXITCODE -ne 0) { throw "the scale harness failed with exit code $LASTEXITCODE" }
}

switch ($Task) {
    'Build' { Invoke-Build }
    'Test' { Invoke-Tests }
    'Demo' { Invoke-Demo }
    'Package' { Invoke-Package }
    'Bench' { Invoke-Bench }
    'Clean' { Remove-Item $OutDir -Recurse -Force -ErrorAction Ignore }
}

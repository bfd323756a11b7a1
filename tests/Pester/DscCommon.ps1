# Dot-sourced by the Dsc*.Tests.ps1 suites: Common.ps1, the built CalicoDsc loaded with `using module` (as DSC and
# configuration scripts load it), and helpers for the DSC v3 script.
. $PSScriptRoot/Common.ps1

if (-not $env:CALICO_TEST_DSC_MODULE) {
    throw 'CALICO_TEST_DSC_MODULE is not set: run the suites with ./build.ps1 -Task Test'
}
$script:DscModuleDirectory = Split-Path $env:CALICO_TEST_DSC_MODULE
# out/, which holds Calico/<version> and CalicoDsc/<version> as an installed modules folder would.
$script:ModulesRoot = Split-Path (Split-Path $DscModuleDirectory)
if (($env:PSModulePath -split [IO.Path]::PathSeparator) -notcontains $ModulesRoot) {
    $env:PSModulePath = $ModulesRoot + [IO.Path]::PathSeparator + $env:PSModulePath
}
. ([scriptblock]::Create("using module '$env:CALICO_TEST_DSC_MODULE'"))

# A resource instance with these properties set, as DSC would set them.
function New-DscInstance {
    param([Parameter(Mandatory)] [string] $Type, [hashtable] $Property = @{})
    $instance = ($Type -as [type])::new()
    foreach ($name in $Property.Keys) { $instance.$name = $Property[$name] }
    $instance
}

# The store a test works on, named as the resources name it, and a way to act on it by hand ("behind DSC's back").
function New-TestStoreSettings {
    param([Parameter(Mandatory)] [ValidateSet('file', 'etcd')] [string] $Kind, $Etcd)
    if ($Kind -eq 'file') {
        return @{ DatastorePath = Join-Path ([IO.Path]::GetTempPath()) "calico-pester-dsc-$([guid]::NewGuid().ToString('n'))" }
    }
    & etcdctl --endpoints $Etcd.Endpoint del --prefix /calico *> $null
    return @{ EtcdEndpoints = $Etcd.Endpoint }
}

function Invoke-InStore {
    param([Parameter(Mandatory)] [hashtable] $Settings, [Parameter(Mandatory)] [scriptblock] $Action)
    if ($Settings.DatastorePath) { Connect-CalicoDatastore -Path $Settings.DatastorePath }
    else { Connect-CalicoDatastore -EtcdEndpoints $Settings.EtcdEndpoints }
    # A change made by hand that fails must fail the test, not leave the store as it was.
    $ErrorActionPreference = 'Stop'
    try { & $Action } finally { Disconnect-CalicoDatastore }
}

# Runs the DSC v3 script as DSC runs it (the resource's manifest folder as working directory, the instance on stdin)
# and returns its exit code, its stdout lines and its stderr lines parsed as DSC trace messages.
function Invoke-DscScript {
    param(
        [Parameter(Mandatory)] [ValidateSet('IPPool', 'Node')] [string] $Resource,
        [Parameter(Mandatory)] [string] $Operation,
        [AllowEmptyString()] [string] $InputJson = ''
    )
    $exe = [Environment]::ProcessPath
    $start = [System.Diagnostics.ProcessStartInfo]::new($exe)
    if ((Split-Path -Leaf $exe) -notlike 'pwsh*') { $start.ArgumentList.Add((Join-Path $PSHOME 'pwsh.dll')) }
    $manifest = Get-Content -Raw (Join-Path $DscModuleDirectory "Calico$Resource.dsc.resource.json") | ConvertFrom-Json
    $arguments = @($manifest.$Operation.args)
    if (-not $arguments) { $arguments = @($manifest.get.args -replace '^get$', $Operation) }
    foreach ($argument in $arguments) { $start.ArgumentList.Add($argument) }
    $start.WorkingDirectory = $DscModuleDirectory
    $start.RedirectStandardInput = $true
    $start.RedirectStandardOutput = $true
    $start.RedirectStandardError = $true
    $process = [System.Diagnostics.Process]::Start($start)
    $stdout = $process.StandardOutput.ReadToEndAsync()
    $stderr = $process.StandardError.ReadToEndAsync()
    $process.StandardInput.Write($InputJson)
    $process.StandardInput.Close()
    if (-not $process.WaitForExit(120000)) { $process.Kill($true); throw "calico-dsc.ps1 $Resource $Operation did not finish in 120 s" }
    $process.WaitForExit()
    $traces = @($stderr.Result -split "`r?`n" | Where-Object { $_.Trim() } | ForEach-Object {
            try { $_ | ConvertFrom-Json -AsHashtable } catch { @{ notJson = $_ } }
        })
    [pscustomobject]@{
        ExitCode = $process.ExitCode
        Stdout   = @($stdout.Result -split "`r?`n" | Where-Object { $_.Trim() })
        Traces   = $traces
        Errors   = @($traces | Where-Object { $_.Contains('error') } | ForEach-Object { $_.error })
    }
}

# The published DSC v3 manifest schema lives in the shared reference data beside the repository (CI has it there);
# the project does not copy it. $null when it is absent, so the suites can say why they skip.
function Get-PublishedManifestSchemaPath {
    $root = Split-Path (Split-Path $PSScriptRoot)
    $path = Join-Path (Split-Path $root) 'shared/reference/dsc/resource-manifest.schema.json'
    if (Test-Path $path) { return $path }
    return $null
}

# etcd's revision: it moves with every write to any key, so an unchanged revision means nothing at all was written.
function Get-EtcdRevision($Etcd) {
    $status = & etcdctl --endpoints $Etcd.Endpoint endpoint status -w json | ConvertFrom-Json
    return [long] @($status)[0].Status.header.revision
}

# A resource's embedded instance schema as DSC applies it: its canonical properties (_exist, _inDesiredState) are
# references to DSC's published schemas, resolved here to the published definitions, which the bundled manifest schema
# carries in its $defs. Needs the published schema (Get-PublishedManifestSchemaPath).
function Get-ResolvedInstanceSchema {
    param([Parameter(Mandatory)] [ValidateSet('IPPool', 'Node')] [string] $Resource)
    $published = (Get-Content -Raw (Get-PublishedManifestSchemaPath) | ConvertFrom-Json -AsHashtable).'$defs'
    $manifest = Get-Content -Raw (Join-Path $DscModuleDirectory "Calico$Resource.dsc.resource.json") | ConvertFrom-Json -AsHashtable
    $schema = $manifest.schema.embedded
    foreach ($name in @($schema.properties.Keys)) {
        $ref = $schema.properties[$name]['$ref']
        if (-not $ref) { continue }
        $file = ($ref -split '/')[-1]
        $definition = $published.Values | Where-Object { $_['$id'] -like "*/schemas/v3/resource/properties/$file" } | Select-Object -First 1
        if (-not $definition) { throw "The published schema has no definition for $ref" }
        $resolved = @{}
        foreach ($key in $definition.Keys | Where-Object { $_ -notin '$schema', '$id' }) { $resolved[$key] = $definition[$key] }
        $schema.properties[$name] = $resolved
    }
    return $schema | ConvertTo-Json -Depth 20
}

# Whether a JSON document is a valid instance of the resource; the reasons go to -ErrorVariable.
function Test-DscInstance {
    [CmdletBinding()]
    param([Parameter(Mandatory)] [string] $Resource, [Parameter(Mandatory)] [string] $Json)
    Test-Json -Json $Json -Schema (Get-ResolvedInstanceSchema $Resource)
}

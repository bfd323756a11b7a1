#Requires -Version 7.4
<#
.SYNOPSIS
    The command behind the Microsoft DSC v3 resources Calico/IPPool and Calico/Node (CalicoIPPool.dsc.resource.json,
    CalicoNode.dsc.resource.json beside it).
.DESCRIPTION
    Reads one resource instance as JSON on stdin, checks it against the instance schema embedded in the resource's
    manifest, and runs the operation through the class-based resources of this module (which call the Calico
    cmdlets). Writes JSON to stdout as DSC v3 expects it:
      get     the actual state
      test    the actual state with _inDesiredState, then the array of properties that differ
      set     the state after converging, then the array of properties it changed (nothing is written when none differ)
      export  one line per pool or node in the datastore (stdin may name the datastore, and nothing else)
    Messages go to stderr as DSC trace lines ({"info": "..."}). Exit codes: 0 success, 1 the operation failed
    (datastore, validation, the cross-subnet guard: the cmdlet's own message), 2 invalid input. On failure nothing is
    written to stdout.
.EXAMPLE
    '{"name":"192-168-0-0-16","cidr":"192.168.0.0/16","ipipMode":"CrossSubnet","natOutgoing":true}' |
        pwsh -NoProfile -File ./calico-dsc.ps1 -Resource IPPool -Operation set
#>
param(
    [string] $Resource,
    [string] $Operation
)

$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'

$ExitFailed = 1
$ExitInvalidInput = 2

function Write-DscTrace {
    param([ValidateSet('error', 'warn', 'info', 'debug', 'trace')] [string] $Level, [string] $Message)
    [Console]::Error.WriteLine((@{ $Level = $Message } | ConvertTo-Json -Compress))
}

function Exit-WithError([int] $Code, [string] $Message) {
    Write-DscTrace error $Message
    exit $Code
}

# The canonical properties are references to DSC's published schemas (exist.json, inDesiredState.json), which
# Test-Json cannot fetch; these are their published definitions.
$CanonicalProperties = @{
    'exist.json'          = @{ type = 'boolean' }
    'inDesiredState.json' = @{ type = @('boolean', 'null') }
}

# The instance schema of the resource's manifest, with the canonical references replaced by their definitions.
function Get-InstanceSchema([string] $ManifestPath) {
    $schema = (Get-Content -Raw $ManifestPath | ConvertFrom-Json -AsHashtable).schema.embedded
    foreach ($name in @($schema.properties.Keys)) {
        $ref = $schema.properties[$name]['$ref']
        if ($ref) { $schema.properties[$name] = $CanonicalProperties[($ref -split '/')[-1]] }
    }
    return $schema
}

# The instance from stdin as a hashtable, or an exit with code 2 saying what is wrong with it.
function Read-Instance([string] $Text, [hashtable] $Schema, [bool] $AllowEmpty) {
    if ([string]::IsNullOrWhiteSpace($Text)) {
        if ($AllowEmpty) { return @{} }
        Exit-WithError $ExitInvalidInput "$Operation needs a Calico/$Resource instance as JSON on stdin; got nothing."
    }
    try { $instance = $Text | ConvertFrom-Json -AsHashtable -ErrorAction Stop }
    catch { Exit-WithError $ExitInvalidInput "The input is not JSON: $($_.Exception.Message)" }
    if ($instance -isnot [System.Collections.IDictionary]) {
        Exit-WithError $ExitInvalidInput "The input must be a JSON object (one Calico/$Resource instance); got: $($Text.Trim())"
    }
    $unknown = @($instance.Keys | Where-Object { $_ -cnotin $Schema.properties.Keys })
    if ($unknown) {
        Exit-WithError $ExitInvalidInput ("The input has properties Calico/$Resource does not have: $($unknown -join ', ')" +
            " (it has $($Schema.properties.Keys -join ', ')).")
    }
    $problems = $null
    $valid = Test-Json -Json $Text -Schema ($Schema | ConvertTo-Json -Depth 10) -ErrorAction SilentlyContinue -ErrorVariable problems
    if (-not $valid) {
        $reasons = foreach ($problem in $problems) {
            $reason = $problem.Exception.Message -replace '^The JSON is not valid with the schema: ', ''
            # Test-Json names the property as a JSON pointer; add the value given and, for a choice, the choices.
            if ($reason -match "at '/([^/']+)'") {
                $property = $Schema.properties[$Matches[1]]
                $reason += " (got $(ConvertTo-Json -InputObject $instance[$Matches[1]] -Compress)"
                if ($property.enum) { $reason += "; expected one of $($property.enum -join ', ')" }
                $reason += ')'
            }
            $reason
        }
        Exit-WithError $ExitInvalidInput "The input is not a valid Calico/$Resource instance: $($reasons -join '; ')"
    }
    return $instance
}

# A class-based resource of this module with the input's properties (JSON names match the class's, ignoring case;
# null stands for "none" and becomes the empty string the class uses; _exist is Ensure).
function New-ResourceInstance([psmoduleinfo] $Module, [string] $Kind, [System.Collections.IDictionary] $Properties) {
    $instance = & $Module { param($Kind) if ($Kind -eq 'IPPool') { [CalicoIPPool]::new() } else { [CalicoNode]::new() } } $Kind
    foreach ($name in $Properties.Keys) {
        $value = $Properties[$name]
        try {
            switch ($name) {
                '_exist' { $instance.Ensure = $value ? 'Present' : 'Absent' }
                { $_ -in '_inDesiredState', 'resourceVersion' } { }
                default { $instance.$name = $null -eq $value ? '' : $value }
            }
        }
        catch { Exit-WithError $ExitInvalidInput "The input's $name ($value) is not valid: $($_.Exception.InnerException.Message ?? $_.Exception.Message)" }
    }
    return $instance
}

# The instance as DSC sees it: the schema's properties in the schema's order, an empty "none" as null.
function ConvertTo-DscJson($Instance, [System.Collections.IDictionary] $SchemaProperties, [object] $InDesiredState) {
    $out = [ordered]@{}
    foreach ($name in $SchemaProperties.Keys) {
        switch ($name) {
            '_exist' { $out[$name] = $Instance.Ensure -ne 'Absent'; continue }
            '_inDesiredState' { if ($null -ne $InDesiredState) { $out[$name] = $InDesiredState }; continue }
        }
        $value = $Instance.$name
        if ($null -eq $value) { continue }
        $types = @($SchemaProperties[$name].type)
        # The class keeps "not set" and "none" as an empty string: none is null where the schema has a null, else unset.
        if ($value -eq '') { if ($types -contains 'null') { $out[$name] = $null }; continue }
        elseif ($value -is [string] -and $types -contains 'integer') { $out[$name] = [uint64] $value }
        else { $out[$name] = $value }
    }
    return $out | ConvertTo-Json -Compress -Depth 5
}

# Property names of the class as JSON names.
function ConvertTo-DscPropertyNames([string[]] $Names, [System.Collections.IDictionary] $SchemaProperties) {
    $json = foreach ($name in $Names) {
        if ($name -eq 'Ensure') { '_exist' } else { @($SchemaProperties.Keys | Where-Object { $_ -eq $name })[0] }
    }
    return ConvertTo-Json -InputObject @($json) -Compress
}

# Runs a resource method, turning its warnings and verbose messages into DSC trace lines; returns its output.
function Invoke-Traced([scriptblock] $Action) {
    $saved = $global:VerbosePreference
    $global:VerbosePreference = 'Continue'
    try {
        & $Action 3>&1 4>&1 5>&1 6>&1 | ForEach-Object {
            switch ($_) {
                { $_ -is [System.Management.Automation.WarningRecord] } { Write-DscTrace warn $_.Message; continue }
                { $_ -is [System.Management.Automation.VerboseRecord] } { Write-DscTrace debug $_.Message; continue }
                { $_ -is [System.Management.Automation.DebugRecord] } { Write-DscTrace trace $_.Message; continue }
                { $_ -is [System.Management.Automation.InformationRecord] } { Write-DscTrace info "$($_.MessageData)"; continue }
                default { $_ }
            }
        }
    }
    finally { $global:VerbosePreference = $saved }
}

$kinds = 'IPPool', 'Node'
$operations = 'get', 'set', 'test', 'export'
if ($Resource -notin $kinds) { Exit-WithError $ExitInvalidInput "-Resource must be one of $($kinds -join ', '); got '$Resource'." }
if ($Operation -notin $operations) { Exit-WithError $ExitInvalidInput "-Operation must be one of $($operations -join ', '); got '$Operation'." }
$Resource = $kinds | Where-Object { $_ -eq $Resource }
$Operation = $Operation.ToLowerInvariant()

$schema = Get-InstanceSchema (Join-Path $PSScriptRoot "Calico$Resource.dsc.resource.json")
$stdin = [Console]::IsInputRedirected ? [Console]::In.ReadToEnd() : ''
$properties = Read-Instance $stdin $schema ($Operation -eq 'export')

if ($Operation -eq 'export') {
    $filters = @($properties.Keys | Where-Object { $_ -notin 'configFile', 'etcdEndpoints', 'datastorePath' })
    if ($filters) { Exit-WithError $ExitInvalidInput "export takes only the datastore (configFile, etcdEndpoints, datastorePath) on stdin; got $($filters -join ', ')." }
}
elseif (-not $properties['name']) {
    Exit-WithError $ExitInvalidInput "The input has no name: $Operation needs the name of the Calico/$Resource."
}

try { $module = Import-Module (Join-Path $PSScriptRoot 'CalicoDsc.psd1') -PassThru -ErrorAction Stop -Verbose:$false }
catch { Exit-WithError $ExitFailed "Cannot load the CalicoDsc module (it needs the Calico module on PSModulePath): $($_.Exception.Message)" }

$instance = New-ResourceInstance $module $Resource $properties
$lines = [System.Collections.Generic.List[string]]::new()
try {
    switch ($Operation) {
        'get' {
            $lines.Add((ConvertTo-DscJson (Invoke-Traced { $instance.Get() }) $schema.properties))
        }
        'test' {
            $actual = Invoke-Traced { $instance.Get() }
            $drift = @(Invoke-Traced { $instance.FindDrift() })
            $lines.Add((ConvertTo-DscJson $actual $schema.properties ($drift.Count -eq 0)))
            $lines.Add((ConvertTo-DscPropertyNames $drift $schema.properties))
        }
        'set' {
            $drift = @(Invoke-Traced { $instance.FindDrift() })
            if ($drift.Count -gt 0) {
                Write-DscTrace info "Calico/$Resource $($properties['name']): changing $($drift -join ', ')"
                Invoke-Traced { $instance.Set() } | Out-Null
            }
            else { Write-DscTrace info "Calico/$Resource $($properties['name']) is in the desired state; nothing written." }
            $lines.Add((ConvertTo-DscJson (Invoke-Traced { $instance.Get() }) $schema.properties))
            $lines.Add((ConvertTo-DscPropertyNames $drift $schema.properties))
        }
        'export' {
            $all = Invoke-Traced { $instance.GetType()::Export($instance) }
            foreach ($one in $all) { $lines.Add((ConvertTo-DscJson $one $schema.properties)) }
        }
    }
}
catch {
    # Settings that cannot go together (e.g. datastorePath with etcdEndpoints) are the input's fault, not the operation's.
    $code = $_.Exception -is [System.ArgumentException] ? $ExitInvalidInput : $ExitFailed
    Exit-WithError $code "Calico/$Resource $Operation failed: $($_.Exception.Message)"
}
# Written only once everything succeeded, so a failure leaves stdout empty.
foreach ($line in $lines) { [Console]::Out.WriteLine($line) }
exit 0

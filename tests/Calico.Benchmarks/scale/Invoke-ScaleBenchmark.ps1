#Requires -Version 7.4
<#
.SYNOPSIS
    The scale harness: whole-system paths of the built Calico module, each timed in one run beside its natural baseline.
.DESCRIPTION
    Run it through the build (`dotnet pwsh ./build.ps1 -Task Bench`), which builds the module and this project first.
    Needs root (network namespaces), etcd and etcdctl, iproute2 and nft. Measures, in this order:

      Import   Import-Module of the built module vs an empty binary module, in fresh pwsh processes after a warm-up
               import, and the first and second command after it.
      List     Get-CalicoNode | Measure-Object and CalicoClient.Nodes.ListAsync vs `etcdctl get --prefix` of the same
               keys, at 1,000 / 3,000 / 10,000 nodes in one etcd.
      Apply    Import-CalicoResource of one manifest (half IP pools, half nodes) vs etcdctl txn writes of the same keys
               and values (128 puts per txn, etcd's limit; and, once, one etcdctl put per key), at 100 / 300 / 1,000
               resources; then the largest import's steps through the Core API with every datastore call counted.
      FileStore the embedded file store through the cmdlets: Import-CalicoResource of 1,000 pools into an empty store
               (and, once, New-CalicoIPPool 1,000 times), and Get-CalicoNode | Measure-Object of 10,000 nodes.
      Sync     Sync-CalicoDataplane -NetNamespace of a synthetic VXLAN cluster in a file store (this kernel has no
               ipip) into a fresh namespace vs `ip -batch` + `bridge -batch` + `nft -f` + sysctl of the same lines into
               another, then no-op resyncs; 1,000 / 3,000 / 10,000 routes. Also captures the kernel fixtures the diff
               benchmarks replay (-CaptureFixtures copies them into tests/Calico.Benchmarks/Fixtures), and profiles
               a no-op resync step by step.
      Memory   live heap of the cluster objects, the route planner and a cluster snapshot at 1,000 / 10,000 / 50,000
               nodes (one block each) and the 10,000-node, 40,000-block reference cluster.
      Ipam     10,000 IPAM allocations by 8 writer processes on a file store and by 8 clients on etcd.

    Writes results.json (every figure, the machine, the load average before and after each measurement) and
    scaling.svg (time against size for each scaling path) to -OutputDirectory, and prints a summary.
.EXAMPLE
    dotnet pwsh ./build.ps1 -Task Bench
.EXAMPLE
    dotnet pwsh ./tests/Calico.Benchmarks/scale/Invoke-ScaleBenchmark.ps1 -ModuleManifest out/Calico/0.1.0/Calico.psd1 `
        -Tool tests/Calico.Benchmarks/bin/Release/net10.0/Calico.Benchmarks.dll -OutputDirectory out/bench -Only List,Sync
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $ModuleManifest,
    # Calico.Benchmarks.dll, whose `scale` commands load data, capture kernels and time the Core API.
    [Parameter(Mandatory)] [string] $Tool,
    [Parameter(Mandatory)] [string] $OutputDirectory,
    [ValidateSet('Import', 'List', 'Apply', 'FileStore', 'Sync', 'Memory', 'Ipam')]
    [string[]] $Only = @('Import', 'List', 'Apply', 'FileStore', 'Sync', 'Memory', 'Ipam'),
    # Timed runs per point (each after a warm-up run); Apply and Sync take at most 3.
    [ValidateRange(3, 50)] [int] $Runs = 7,
    [switch] $CaptureFixtures,
    # Measures nothing: redraws scaling.svg and the summary from the results.json already in -OutputDirectory.
    [switch] $Replot
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

if ($Replot) {
    . (Join-Path $PSScriptRoot 'ScalePlot.ps1')
    $saved = Get-Content (Join-Path $OutputDirectory 'results.json') -Raw | ConvertFrom-Json -AsHashtable -DateKind String
    $saved.growth = Get-Growth $saved
    $saved | ConvertTo-Json -Depth 8 | Set-Content (Join-Path $OutputDirectory 'results.json')
    Write-ScalingPlot $saved (Join-Path $OutputDirectory 'scaling.svg')
    Write-Summary $saved
    return
}

$ModuleManifest = (Resolve-Path $ModuleManifest).Path
$Tool = (Resolve-Path $Tool).Path
$OutputDirectory = (New-Item -ItemType Directory -Force $OutputDirectory).FullName
$Scratch = (New-Item -ItemType Directory -Force (Join-Path $OutputDirectory 'scratch')).FullName
$RepoRoot = (Resolve-Path (Join-Path $PSScriptRoot '../../..')).Path
$LabScript = Join-Path $RepoRoot 'tests/Lab/netns-lab.sh'

# Start-TestEtcd, Stop-TestEtcd and Use-TestDatastore come from the Pester suites' helpers, which import the module.
$env:CALICO_TEST_MODULE = $ModuleManifest
. (Join-Path $RepoRoot 'tests/Pester/Common.ps1')
. (Join-Path $PSScriptRoot 'ScalePlot.ps1')

$Results = [ordered]@{}

function Write-Step([string] $Message) { Write-Host "==> $Message" -ForegroundColor Cyan }

# The 1-minute load average: every figure is reported with the load it was measured under.
function Get-Load { [double] ((Get-Content /proc/loadavg -Raw).Split(' ')[0]) }

function Get-Median([double[]] $Values) {
    $sorted = @($Values | Sort-Object)
    $n = $sorted.Count
    if ($n % 2) { $sorted[($n - 1) / 2] } else { ($sorted[$n / 2 - 1] + $sorted[$n / 2]) / 2 }
}

function Round([double] $Value, [int] $Digits = 1) { [math]::Round($Value, $Digits) }

# Milliseconds a script block takes.
function Measure-Ms([scriptblock] $Script) {
    $clock = [Diagnostics.Stopwatch]::StartNew()
    & $Script | Out-Null
    $clock.Elapsed.TotalMilliseconds
}

# Runs a shell command line (output discarded inside the shell, so PowerShell never reads it) and returns its milliseconds.
function Measure-Shell([string] $CommandLine) {
    $clock = [Diagnostics.Stopwatch]::StartNew()
    & /bin/sh -c $CommandLine
    $elapsed = $clock.Elapsed.TotalMilliseconds
    if ($LASTEXITCODE -ne 0) { throw "'$CommandLine' failed with exit code $LASTEXITCODE" }
    $elapsed
}

# One harness command of Calico.Benchmarks; returns its JSON answer as an object.
function Invoke-Tool {
    $output = & dotnet $Tool scale @args
    if ($LASTEXITCODE -ne 0) { throw "Calico.Benchmarks scale $($args -join ' ') failed with exit code $LASTEXITCODE" }
    @($output)[-1] | ConvertFrom-Json
}

function Get-Machine {
    $cpu = (Select-String -Path /proc/cpuinfo -Pattern '^model name\s*:\s*(.*)$' | Select-Object -First 1).Matches[0].Groups[1].Value
    $memory = [long] ((Select-String -Path /proc/meminfo -Pattern '^MemTotal:\s*(\d+)').Matches[0].Groups[1].Value) * 1KB
    [ordered]@{
        cpu = $cpu; cores = [Environment]::ProcessorCount; memoryGb = Round ($memory / 1GB)
        kernel = (& uname -r); os = [Runtime.InteropServices.RuntimeInformation]::OSDescription
        dotnet = [Environment]::Version.ToString(); pwsh = $PSVersionTable.PSVersion.ToString()
        etcd = ((& etcd --version) -join ' ' -replace '^etcd Version: (\S+).*$', '$1')
        iproute2 = (& ip -V) -join ' '
        note = 'shared machine: several people build and test on these cores; see the load average of every figure'
    }
}

# ---------------------------------------------------------------------------------------------------------------------
# Import: fresh pwsh processes; in each, a warm-up import, then the empty module, then Calico, then two commands.
# ---------------------------------------------------------------------------------------------------------------------
function Measure-Import {
    Write-Step 'Import-Module: Calico vs an empty binary module'
    $emptyDir = New-Item -ItemType Directory -Force (Join-Path $Scratch 'empty-modules')
    foreach ($name in 'WarmUp', 'Empty') {
        $dll = Join-Path $emptyDir "$name.dll"
        if (-not (Test-Path $dll)) {
            Add-Type -OutputAssembly $dll -OutputType Library -TypeDefinition @"
using System.Management.Automation;
namespace Bench$name { [Cmdlet(VerbsCommon.Get, "$name")] public sealed class Get$name : PSCmdlet { } }
"@
        }
        Set-Content (Join-Path $emptyDir "$name.psd1") "@{ RootModule = '$name.dll'; ModuleVersion = '1.0.0'; CmdletsToExport = @('Get-$name') }"
    }
    $store = Join-Path $Scratch 'import-store'
    $script = @"
`$ErrorActionPreference = 'Stop'
`$env:CALICO_DATASTORE_TYPE = 'file'; `$env:CALICO_FILE_DATASTORE_PATH = '$store'
Import-Module '$emptyDir/WarmUp.psd1'; Get-WarmUp
`$c = [Diagnostics.Stopwatch]::StartNew(); Import-Module '$emptyDir/Empty.psd1'; `$empty = `$c.Elapsed.TotalMilliseconds
`$c.Restart(); Import-Module '$ModuleManifest'; `$calico = `$c.Elapsed.TotalMilliseconds
`$c.Restart(); `$null = Get-CalicoNode; `$first = `$c.Elapsed.TotalMilliseconds
`$c.Restart(); `$null = Get-CalicoNode; `$second = `$c.Elapsed.TotalMilliseconds
"`$empty `$calico `$first `$second"
"@
    $pwsh = [Environment]::ProcessPath
    $prefix = @(if ((Split-Path -Leaf $pwsh) -notlike 'pwsh*') { Join-Path $PSHOME 'pwsh.dll' })
    $loadBefore = Get-Load
    $samples = foreach ($i in 0..$Runs) {
        $line = & $pwsh @prefix -NoProfile -NonInteractive -Command $script
        if ($LASTEXITCODE -ne 0) { throw "the import run failed: $line" }
        if ($i -gt 0) { , ([double[]] (@($line)[-1] -split ' ')) }  # the first process only warms the disk cache
    }
    $median = { param($index) Round (Get-Median ($samples | ForEach-Object { $_[$index] })) }
    $Results.import = [ordered]@{
        runs = $Runs; emptyModuleMs = & $median 0; calicoMs = & $median 1; firstCommandMs = & $median 2; secondCommandMs = & $median 3
        firstCommand = 'Get-CalicoNode on an empty file datastore'
        calicoSamplesMs = @($samples | ForEach-Object { Round $_[1] }); loadBefore = $loadBefore; loadAfter = Get-Load
    }
    $Results.import.ratio = Round ($Results.import.calicoMs / $Results.import.emptyModuleMs) 2
}

# ---------------------------------------------------------------------------------------------------------------------
# List: N nodes in etcd; the cmdlet (this session, warm), the Core API (a process of its own) and etcdctl.
# ---------------------------------------------------------------------------------------------------------------------
function Measure-List($Etcd) {
    $points = foreach ($nodes in 1000, 3000, 10000) {
        Write-Step "List $nodes nodes: Get-CalicoNode, Core API, etcdctl get --prefix"
        Use-TestDatastore -Kind etcd -Etcd $Etcd | Out-Null
        $loaded = Invoke-Tool etcd-nodes --endpoint $Etcd.Endpoint --nodes $nodes
        $loadBefore = Get-Load
        $count = (Get-CalicoNode | Measure-Object).Count
        if ($count -ne $nodes) { throw "Get-CalicoNode listed $count nodes, not $nodes" }
        $cmdlet = foreach ($i in 1..$Runs) { Measure-Ms { Get-CalicoNode | Measure-Object } }
        $core = Invoke-Tool list-nodes --endpoint $Etcd.Endpoint --runs $Runs
        $prefix = '/calico/resources/v3/projectcalico.org/nodes/'
        $etcdctl = foreach ($i in 0..$Runs) { Measure-Shell "etcdctl --endpoints $($Etcd.Endpoint) get --prefix $prefix >/dev/null" }
        [ordered]@{
            size = $nodes; loadMs = Round $loaded.loadMs 0
            cmdletMs = Round (Get-Median $cmdlet); coreApiMs = Round $core.nodes.medianMs; coreKeysOnlyMs = Round $core.keysOnly.medianMs
            etcdctlMs = Round (Get-Median ($etcdctl | Select-Object -Skip 1))
            cmdletSamplesMs = @($cmdlet | ForEach-Object { Round $_ }); loadBefore = $loadBefore; loadAfter = Get-Load
        }
    }
    foreach ($p in $points) { $p.ratio = Round ($p.cmdletMs / $p.etcdctlMs) 2; $p.coreApiRatio = Round ($p.coreApiMs / $p.etcdctlMs) 2 }
    $Results.list = @($points)
}

# ---------------------------------------------------------------------------------------------------------------------
# Apply: one manifest of N resources (half IP pools, half nodes) into an empty etcd, vs etcdctl txn of the same keys.
# ---------------------------------------------------------------------------------------------------------------------
function New-ApplyManifest([int] $Count, [string] $Path) {
    $text = [Text.StringBuilder]::new()
    for ($i = 0; $i -lt $Count / 2; $i++) {
        $null = $text.Append(@"
apiVersion: projectcalico.org/v3
kind: IPPool
metadata:
  name: bench-pool-$($i.ToString('D5'))
spec:
  cidr: 10.$(1 + [math]::Floor($i / 256)).$($i % 256).0/24
  ipipMode: Always
  natOutgoing: true
---

"@)
        $null = $text.Append(@"
apiVersion: projectcalico.org/v3
kind: Node
metadata:
  name: bench-node-$($i.ToString('D5'))
  labels:
    rack: r$($i % 40)
spec:
  bgp:
    ipv4Address: 172.20.$([math]::Floor($i / 250)).$($i % 250 + 1)/24
---

"@)
    }
    Set-Content -Path $Path -Value $text.ToString() -NoNewline
}

function Measure-Apply($Etcd) {
    $runs = [math]::Min($Runs, 3)
    $endpoint = $Etcd.Endpoint
    # A warm-up import of other names, so the first timed import does not pay for loading the manifest code.
    Use-TestDatastore -Kind etcd -Etcd $Etcd | Out-Null
    New-ApplyManifest 10 (Join-Path $Scratch 'warm-up.yaml')
    Import-CalicoResource -Path (Join-Path $Scratch 'warm-up.yaml') -Confirm:$false | Out-Null
    $points = foreach ($count in 100, 300, 1000) {
        Write-Step "Apply $count resources: Import-CalicoResource vs etcdctl txn"
        $manifest = Join-Path $Scratch "apply-$count.yaml"
        New-ApplyManifest $count $manifest
        $loadBefore = Get-Load
        $import = foreach ($i in 1..$runs) {
            & etcdctl --endpoints $endpoint del --prefix /calico *> $null
            $ms = Measure-Ms { Import-CalicoResource -Path $manifest -Confirm:$false }
            $written = foreach ($kind in 'ippools', 'nodes') {
                @(& etcdctl --endpoints $endpoint get --prefix "/calico/resources/v3/projectcalico.org/$kind/" --keys-only | Where-Object { $_ }).Count
            }
            if (($written | Measure-Object -Sum).Sum -ne $count) { throw "Import-CalicoResource stored $($written -join ' + ') resources, not $count" }
            $ms
        }
        # The same keys with the same values (the resources and the ClusterInformation Calico's client creates first),
        # as etcdctl txn scripts; then into an empty etcd again.
        $txnDir = Join-Path $Scratch "txn-$count"
        Remove-Item $txnDir -Recurse -Force -ErrorAction Ignore
        $txn = Invoke-Tool txn-files --endpoint $endpoint --prefix /calico/ --out $txnDir
        $files = ($txn.files | ForEach-Object { "etcdctl --endpoints $endpoint txn <'$_' >/dev/null" }) -join ' && '
        $etcdctl = foreach ($i in 0..$runs) {
            & etcdctl --endpoints $endpoint del --prefix /calico *> $null
            Measure-Shell $files
        }
        $written = (& etcdctl --endpoints $endpoint get --prefix /calico/ --keys-only | Where-Object { $_ }).Count
        if ($written -ne $txn.keys) { throw "etcdctl txn stored $written keys, not $($txn.keys)" }
        # A second, weaker baseline: one etcdctl process per key, as a plain shell loop writes them (one run).
        & etcdctl --endpoints $endpoint del --prefix /calico *> $null
        $perKey = Measure-Shell "sh '$($txn.puts)'"
        [ordered]@{
            size = $count; keys = $txn.keys; txns = @($txn.files).Count
            cmdletMs = Round (Get-Median $import) 0; etcdctlMs = Round (Get-Median ($etcdctl | Select-Object -Skip 1)) 0
            etcdctlPutPerKeyMs = Round $perKey 0
            cmdletSamplesMs = @($import | ForEach-Object { Round $_ 0 }); loadBefore = $loadBefore; loadAfter = Get-Load
        }
    }
    foreach ($p in $points) { $p.ratio = Round ($p.cmdletMs / $p.etcdctlMs) 2; $p.putPerKeyRatio = Round ($p.cmdletMs / $p.etcdctlPutPerKeyMs) 2 }
    # Where the largest import's time goes: the cmdlet's steps through the Core API, every store call counted.
    & etcdctl --endpoints $endpoint del --prefix /calico *> $null
    $points[-1].profile = Invoke-Tool apply-profile --endpoint $endpoint --manifest $manifest
    $Results.apply = @($points)
}

# ---------------------------------------------------------------------------------------------------------------------
# FileStore: the default datastore through the cmdlets (no baseline: the file store is this module's own).
# ---------------------------------------------------------------------------------------------------------------------
function Measure-FileStore {
    $runs = [math]::Min($Runs, 3)
    Write-Step 'File store: Import-CalicoResource of 1,000 pools; New-CalicoIPPool 1,000 times; list 10,000 nodes'
    $pools = Join-Path $Scratch 'file-pools.yaml'
    Set-Content $pools ((0..999 | ForEach-Object {
        "apiVersion: projectcalico.org/v3`nkind: IPPool`nmetadata:`n  name: file-pool-$($_.ToString('D4'))`nspec:`n  cidr: 10.$([math]::Floor($_ / 256)).$($_ % 256).0/24"
    }) -join "`n---`n")
    $loadBefore = Get-Load
    $import = foreach ($i in 1..$runs) {
        Use-TestDatastore -Kind file -Directory (Join-Path $Scratch "file-import-$i") | Out-Null
        $ms = Measure-Ms { Import-CalicoResource -Path $pools -Confirm:$false }
        if (@(Get-CalicoIPPool).Count -ne 1000) { throw 'Import-CalicoResource did not store 1,000 pools' }
        $ms
    }
    Use-TestDatastore -Kind file -Directory (Join-Path $Scratch 'file-one-by-one') | Out-Null
    $oneByOne = Measure-Ms { foreach ($i in 0..999) { New-CalicoIPPool -Name "p$i" -Cidr "10.$([math]::Floor($i / 256)).$($i % 256).0/24" -Confirm:$false } }
    $nodes = Join-Path $Scratch 'file-nodes.yaml'
    Set-Content $nodes ((0..9999 | ForEach-Object {
        "apiVersion: projectcalico.org/v3`nkind: Node`nmetadata:`n  name: node-$($_.ToString('D5'))`nspec:`n  bgp:`n    ipv4Address: 172.16.$([math]::Floor($_ / 250)).$($_ % 250 + 1)/16"
    }) -join "`n---`n")
    Use-TestDatastore -Kind file -Directory (Join-Path $Scratch 'file-nodes') | Out-Null
    $loadMs = Measure-Ms { Import-CalicoResource -Path $nodes -Confirm:$false }
    if ((Get-CalicoNode | Measure-Object).Count -ne 10000) { throw 'Import-CalicoResource did not store 10,000 nodes' }
    $list = foreach ($i in 1..$Runs) { Measure-Ms { Get-CalicoNode | Measure-Object } }
    $Results.fileStore = [ordered]@{
        importPoolsMs = Round (Get-Median $import) 0; importPoolsSamplesMs = @($import | ForEach-Object { Round $_ 0 })
        newPoolOneByOneMs = Round $oneByOne 0; importNodesMs = Round $loadMs 0
        listNodesMs = Round (Get-Median $list); listNodesSamplesMs = @($list | ForEach-Object { Round $_ })
        loadBefore = $loadBefore; loadAfter = Get-Load
    }
}

# ---------------------------------------------------------------------------------------------------------------------
# Sync: a synthetic VXLAN cluster in a file store; node-00000's kernel is a fresh namespace with eth0 172.16.0.2/24.
# ---------------------------------------------------------------------------------------------------------------------
function New-HostNamespace([string] $Prefix, [string] $Name) {
    & ip netns del "$Prefix$Name" 2>$null
    & bash $LabScript ns $Prefix $Name
    & bash $LabScript veth $Prefix $Name eth0 $Name peer0
    & bash $LabScript addr $Prefix $Name eth0 172.16.0.2/24
    if ($LASTEXITCODE -ne 0) { throw "could not build namespace $Prefix$Name" }
}

function Measure-Sync {
    $runs = [math]::Min($Runs, 3)
    $prefix = (& bash $LabScript prefix $PID).Trim()
    try {
        $points = foreach ($routes in 1000, 3000, 10000) {
            Write-Step "Sync $routes routes: Sync-CalicoDataplane -NetNamespace vs ip -batch; no-op resync"
            $store = Join-Path $Scratch "sync-store-$routes"
            Remove-Item $store -Recurse -Force -ErrorAction Ignore
            $cluster = Invoke-Tool file-cluster --path $store --routes $routes
            New-HostNamespace $prefix cap
            $writes = Join-Path $Scratch "writes-$routes"
            $fixture = Join-Path $OutputDirectory "kernel-$routes-routes.json.gz"
            $capture = Invoke-Tool capture-kernel --routes $routes --namespace "${prefix}cap" --out $fixture --writes $writes
            & ip netns del "${prefix}cap"
            if ($CaptureFixtures) { Copy-Item $fixture (Join-Path $PSScriptRoot '../Fixtures') }

            Use-TestDatastore -Kind file -Directory $store | Out-Null
            $node = @{ Name = 'node-00000'; NetNamespace = "${prefix}sync" }
            $sync = $node + @{ Confirm = $false }
            New-HostNamespace $prefix sync
            $null = Test-CalicoDataplane @node  # warm-up: reads, plans and diffs, changes nothing
            $loadBefore = Get-Load
            $first = foreach ($i in 1..$runs) {
                New-HostNamespace $prefix sync
                $ms = Measure-Ms { $script:changes = (Sync-CalicoDataplane @sync | Measure-Object).Count }
                if ($script:changes -ne $capture.changes) { throw "Sync-CalicoDataplane made $($script:changes) changes, the capture $($capture.changes)" }
                $ms
            }
            $noop = foreach ($i in 0..$Runs) {
                $ms = Measure-Ms { $script:changes = (Sync-CalicoDataplane @sync | Measure-Object).Count }
                if ($script:changes -ne 0) { throw "a resync made $($script:changes) changes" }
                $ms
            }
            # Where a no-op resync's time goes, step by step, on the namespace just synced.
            $profile = Invoke-Tool sync-profile --path $store --namespace "${prefix}sync" --node node-00000 --runs $Runs
            $raw = foreach ($i in 1..$runs) {
                New-HostNamespace $prefix raw
                $ns = "${prefix}raw"
                $sysctls = (Get-Content (Join-Path $writes 'sysctls.txt')) -join ' '
                Measure-Shell ("ip -n $ns -batch '$writes/ip.batch' && bridge -n $ns -batch '$writes/bridge.batch' && " +
                    "ip netns exec $ns nft -f '$writes/nft.script' && ip netns exec $ns sysctl -qw $sysctls")
            }
            $kernelRoutes = (& ip -n "${prefix}raw" route show proto boot | Measure-Object).Count + (& ip -n "${prefix}raw" route show proto 80 | Measure-Object).Count
            if ($kernelRoutes -ne $routes) { throw "the ip -batch baseline made $kernelRoutes routes, not $routes" }
            [ordered]@{
                size = $routes; nodes = $cluster.nodes; blocks = $cluster.blocks; changes = $capture.changes
                cmdletMs = Round (Get-Median $first) 0; baselineMs = Round (Get-Median $raw) 0
                noopResyncMs = Round (Get-Median ($noop | Select-Object -Skip 1)); coreDiffMs = Round $capture.coreDiffMs 0; coreApplyMs = Round $capture.coreApplyMs 0
                baseline = 'ip -batch, bridge -batch, nft -f and sysctl -w of the lines the sync wrote, from files, into a fresh namespace'
                cmdletSamplesMs = @($first | ForEach-Object { Round $_ 0 }); noopSamplesMs = @($noop | Select-Object -Skip 1 | ForEach-Object { Round $_ })
                noopProfileMs = $profile; fixtureBytes = $capture.fixtureBytes; loadBefore = $loadBefore; loadAfter = Get-Load
            }
        }
        foreach ($p in $points) { $p.ratio = Round ($p.cmdletMs / $p.baselineMs) 2 }
        $Results.sync = @($points)
    }
    finally {
        & bash $LabScript down $prefix
    }
}

# ---------------------------------------------------------------------------------------------------------------------
function Measure-Memory {
    $points = foreach ($shape in @(@(1000, 1), @(10000, 1), @(50000, 1), @(10000, 4))) {
        Write-Step "Memory of a $($shape[0])-node, $($shape[0] * $shape[1])-block model"
        $loadBefore = Get-Load
        $m = Invoke-Tool model-memory --nodes $shape[0] --blocks-per-node $shape[1]
        $point = [ordered]@{ size = $shape[0]; blocksPerNode = $shape[1] }
        foreach ($property in $m.PSObject.Properties) { $point[$property.Name] = $property.Value }
        $point.loadBefore = $loadBefore
        $point
    }
    $Results.memory = @($points)
}

function Measure-Ipam($Etcd) {
    Write-Step 'IPAM: 10,000 allocations by 8 writer processes on a file store'
    $store = Join-Path $Scratch 'ipam-store'
    Remove-Item $store -Recurse -Force -ErrorAction Ignore
    $loadBefore = Get-Load
    $file = Invoke-Tool ipam-file --path $store --writers 8 --allocations 10000
    $file | Add-Member loadBefore $loadBefore
    Write-Step 'IPAM: 10,000 allocations by 8 clients on etcd'
    & etcdctl --endpoints $Etcd.Endpoint del --prefix /calico *> $null
    $loadBefore = Get-Load
    $etcd = Invoke-Tool ipam-etcd --endpoint $Etcd.Endpoint --writers 8 --allocations 10000
    $etcd | Add-Member loadBefore $loadBefore
    $Results.ipam = @($file, $etcd)
}

# ---------------------------------------------------------------------------------------------------------------------
$Results.machine = Get-Machine
$Results.started = (Get-Date).ToUniversalTime().ToString('o')
$Results.loadAtStart = Get-Load
$etcd = $null
try {
    if ($Only -contains 'Import') { Measure-Import }
    if ($Only | Where-Object { $_ -in 'List', 'Apply', 'Ipam' }) { $etcd = Start-TestEtcd }
    if ($Only -contains 'List') { Measure-List $etcd }
    if ($Only -contains 'Apply') { Measure-Apply $etcd }
    if ($Only -contains 'FileStore') { Measure-FileStore }
    if ($Only -contains 'Sync') { Measure-Sync }
    if ($Only -contains 'Memory') { Measure-Memory }
    if ($Only -contains 'Ipam') { Measure-Ipam $etcd }
}
finally {
    Disconnect-CalicoDatastore
    Stop-TestEtcd $etcd
    Remove-Item $Scratch -Recurse -Force -ErrorAction Ignore
}
$Results.finished = (Get-Date).ToUniversalTime().ToString('o')
$Results.growth = Get-Growth $Results

$json = Join-Path $OutputDirectory 'results.json'
$Results | ConvertTo-Json -Depth 8 | Set-Content $json
$svg = Join-Path $OutputDirectory 'scaling.svg'
Write-ScalingPlot $Results $svg
Write-Host ''
Write-Summary $Results
Write-Host "results: $json"
Write-Host "plot:    $svg"

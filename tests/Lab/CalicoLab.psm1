# The end-to-end lab's test side: build and tear down the fabric (calico-lab.sh), drive the lab hosts with the Calico
# module's own cmdlets, send real pings and read the counters that show which way the packets went. Used by the
# VXLAN lab (tests/Pester/Lab.Tests.ps1, on this kernel) and the IP-in-IP lab (tests/IpipVm/ipip-lab.ps1, in the VM).
# The Calico module must already be imported by the caller; nothing here talks to the datastore directly.
Set-StrictMode -Version Latest

$script:NetnsLab = Join-Path $PSScriptRoot 'netns-lab.sh'
$script:CalicoLab = Join-Path $PSScriptRoot 'calico-lab.sh'

# Each lab host's address on its LAN (as calico-lab.sh builds them).
$script:HostAddresses = [ordered]@{ host1 = '10.0.2.15'; host2 = '10.0.2.10'; host3 = '10.0.3.20' }

# Invoke-LabTool FILE ARG...: runs a tool, returns its output lines, throws when it fails. This function and the next
# two take their arguments from $args on purpose, so that they reach the tool untouched: a declared parameter would
# take `-d` for -Debug or `-f` for -File.
function Invoke-LabTool {
    $File, $Arguments = $args
    $Arguments = $null -eq $Arguments ? [string[]] @() : [string[]] @($Arguments)
    $output = & $File @Arguments 2>&1
    if ($LASTEXITCODE -ne 0) { throw "'$File $($Arguments -join ' ')' failed with exit code $($LASTEXITCODE): $($output -join "`n")" }
    $output | Where-Object { $_ -isnot [System.Management.Automation.ErrorRecord] } | ForEach-Object ToString
}

<#
.SYNOPSIS
    Builds the lab's namespaces (calico-lab.sh up) under a fresh prefix owned by this process; tears down what was
    built if that fails.
#>
function New-CalicoLab {
    param([int] $Mtu = 1500)
    # Labs left by runs that were killed (their owner process is gone) go first.
    Invoke-LabTool bash $script:NetnsLab sweep | Out-Null
    $prefix = (Invoke-LabTool bash $script:NetnsLab prefix $PID | Select-Object -First 1).Trim()
    $lab = [pscustomobject]@{
        PSTypeName = 'CalicoLab'
        Prefix     = $prefix
        Mtu        = $Mtu
        Hosts      = @($script:HostAddresses.Keys)
        # Workload name -> the Workload Add-CalicoWorkload returned.
        Workloads  = [ordered]@{}
        # Namespace name -> pid of a process inside it (Get-LabWatcher).
        Watchers   = @{}
        # Add-LabForeignState and Add-LabForeignTunnelRoute planted state that is not Calico's, checked after every sync.
        ForeignPlanted = $false
        TunnelRoute = $false
        ForeignChecks = [System.Collections.Generic.List[object]]::new()
    }
    try {
        Invoke-LabTool bash $script:CalicoLab up $prefix $Mtu | Out-Null
    }
    catch {
        Remove-CalicoLab $lab
        throw
    }
    $lab
}

function Remove-CalicoLab {
    param([Parameter(Mandatory)] $Lab)
    & bash $script:CalicoLab down $Lab.Prefix
}

function Get-LabNamespace {
    param([Parameter(Mandatory)] $Lab, [Parameter(Mandatory)] [string] $Name)
    $Lab.Prefix + $Name
}

function Get-LabHostAddress([string] $Name) { $script:HostAddresses[$Name] }

# Invoke-LabCommand LAB NAMESPACE COMMAND ARG...: runs a command inside one of the lab's namespaces and returns its
# output lines; throws when it fails.
function Invoke-LabCommand {
    $Lab, $Namespace, $Command = $args
    Invoke-LabTool ip netns exec (Get-LabNamespace $Lab $Namespace) @Command
}

# Get-LabIpJson LAB NAMESPACE IP-ARG...: `ip -j IP-ARG...` in a lab namespace, parsed.
function Get-LabIpJson {
    $Lab, $Namespace, $Arguments = $args
    $text = (Invoke-LabTool ip -n (Get-LabNamespace $Lab $Namespace) -j @Arguments) -join "`n"
    if ([string]::IsNullOrWhiteSpace($text)) { return @() }
    @(ConvertFrom-Json $text -NoEnumerate | ForEach-Object { $_ })
}

<# A device's forwarding entries (`bridge -j fdb show dev DEVICE`) in a lab namespace, parsed. #>
function Get-LabFdb {
    param([Parameter(Mandatory)] $Lab, [Parameter(Mandatory)] [string] $Namespace, [Parameter(Mandatory)] [string] $Device)
    $text = (Invoke-LabTool bridge -n (Get-LabNamespace $Lab $Namespace) -j fdb show dev $Device) -join "`n"
    if ([string]::IsNullOrWhiteSpace($text)) { return @() }
    @(ConvertFrom-Json $text -NoEnumerate | ForEach-Object { $_ })
}

<#
.SYNOPSIS
    Registers every lab host that is still a node (Register-CalicoNode, as calico-node does at start and whenever the
    pools change its tunnel addresses) and syncs each (Sync-CalicoDataplane); then checks that each host is in sync
    (Test-CalicoDataplane) and that the foreign state planted on the hosts is still there. Returns the syncs' changes.
#>
function Sync-CalicoLab {
    param([Parameter(Mandatory)] $Lab, [string[]] $HostName = $Lab.Hosts, [switch] $NoRegister)
    # Every host registers before any syncs, so that each plan sees every node's tunnel address.
    if (-not $NoRegister) {
        foreach ($name in $HostName) { Register-CalicoNode -Name $name -NetNamespace (Get-LabNamespace $Lab $name) -ErrorAction Stop }
    }
    # Every host is synced even when one fails, so a failure shows on every host it concerns.
    $changes = [System.Collections.Generic.List[object]]::new()
    $failures = [System.Collections.Generic.List[string]]::new()
    foreach ($name in $HostName) {
        try {
            $changes.AddRange(@(Sync-CalicoDataplane -Name $name -NetNamespace (Get-LabNamespace $Lab $name) -ErrorAction Stop -WarningAction SilentlyContinue))
        }
        catch {
            $failures.Add("${name}: $($_.Exception.Message)")
        }
    }
    if ($failures.Count -gt 0) { throw "Sync-CalicoDataplane failed on $($failures.Count) host(s): $($failures -join ' | ')" }
    foreach ($name in $HostName) {
        $inSync = Test-CalicoDataplane -Name $name -NetNamespace (Get-LabNamespace $Lab $name) -Quiet -ErrorAction Stop
        if (-not $inSync) {
            $drift = Test-CalicoDataplane -Name $name -NetNamespace (Get-LabNamespace $Lab $name) | Out-String
            throw "$name is not in sync right after Sync-CalicoDataplane: $drift"
        }
    }
    foreach ($check in Test-LabForeignState $Lab) { $Lab.ForeignChecks.Add($check) }
    $changes
}

<# Changes the lab's pool (named "lab") with Set-CalicoIPPool, then registers and syncs every host (Sync-CalicoLab). #>
function Set-CalicoLabPool {
    param([Parameter(Mandatory)] $Lab, [Parameter(Mandatory)] [hashtable] $Settings, [switch] $NoRegister)
    Set-CalicoIPPool -Name lab @Settings -ErrorAction Stop
    Sync-CalicoLab $Lab -NoRegister:$NoRegister | Out-Null
}

<# One workload per host, plumbed by Add-CalicoWorkload; records them in $Lab.Workloads. #>
function Add-CalicoLabWorkload {
    param([Parameter(Mandatory)] $Lab, [Parameter(Mandatory)] [string] $Name, [Parameter(Mandatory)] [string] $Node)
    $workload = Add-CalicoWorkload -NetNamespace (Get-LabNamespace $Lab $Name) -Name $Name -Node $Node `
        -HostNetNamespace (Get-LabNamespace $Lab $Node) -ErrorAction Stop
    $Lab.Workloads[$Name] = $workload
    $workload
}

function Get-LabWorkloadAddress($Lab, [string] $Name) { [string] $Lab.Workloads[$Name].Address }

<#
.SYNOPSIS
    The blocks each host has claimed, read from its kernel (Sync-CalicoDataplane blackholes a node's own blocks), and
    gives the router a route to each via its host: then only the router's drop rule can stop a plain pool packet.
#>
function Set-LabRouterRoute {
    param([Parameter(Mandatory)] $Lab)
    $pairs = foreach ($name in $Lab.Hosts) {
        $blocks = Get-LabIpJson $Lab $name route show type blackhole proto 80
        if (@($blocks).Count -eq 0) { throw "$name has no blackhole route for a block of its own: did it claim a block?" }
        foreach ($block in $blocks) { $block.dst; Get-LabHostAddress $name }
    }
    Invoke-LabTool bash $script:CalicoLab router-route $Lab.Prefix @pairs | Out-Null
    $pairs
}

<#
.SYNOPSIS
    Plants state that is not Calico's on host1 and host2: a route, a permanent neighbour entry and an nftables table.
    Test-LabForeignState checks it is all still there (Sync-CalicoLab does after every sync).
#>
function Add-LabForeignState {
    param([Parameter(Mandatory)] $Lab)
    foreach ($name in 'host1', 'host2') {
        Invoke-LabTool ip -n (Get-LabNamespace $Lab $name) route add 198.51.100.0/24 via 10.0.2.1 proto static | Out-Null
        Invoke-LabTool ip -n (Get-LabNamespace $Lab $name) neighbour add 10.0.2.99 lladdr 02:00:00:00:00:99 dev eth0 nud permanent | Out-Null
        "table ip foreign {`n counter seen {}`n chain input {`n  type filter hook input priority 10; policy accept;`n  counter name seen`n }`n}`n" |
            & ip netns exec (Get-LabNamespace $Lab $name) nft -f - 2>&1 | Out-Null
        if ($LASTEXITCODE -ne 0) { throw "planting a foreign nftables table on $name failed" }
    }
    $Lab.ForeignPlanted = $true
}

<#
.SYNOPSIS
    Plants a static-protocol route on tunl0 on host1 and host2 (tunl0 must be up: after the first IPIP sync). A route
    on tunl0 is Calico's only with Calico's protocol (or BIRD's), so this one must survive every sync.
#>
function Add-LabForeignTunnelRoute {
    param([Parameter(Mandatory)] $Lab)
    foreach ($name in 'host1', 'host2') {
        Invoke-LabTool ip -n (Get-LabNamespace $Lab $name) route add 198.51.100.128/25 via 10.0.3.20 dev tunl0 onlink proto static | Out-Null
    }
    $Lab.TunnelRoute = $true
}

<# Whether host1's and host2's foreign route, neighbour, table (and tunl0 route) are all there, one object per host. #>
function Test-LabForeignState {
    param([Parameter(Mandatory)] $Lab)
    if (-not $Lab.ForeignPlanted) { return }
    foreach ($name in 'host1', 'host2') {
        $routes = Get-LabIpJson $Lab $name -4 route show proto static
        $route = @($routes | Where-Object { $_.dst -eq '198.51.100.0/24' -and $_.dev -eq 'eth0' }).Count -eq 1
        $tunnel = -not $Lab.TunnelRoute -or @($routes | Where-Object { $_.dst -eq '198.51.100.128/25' -and $_.dev -eq 'tunl0' }).Count -eq 1
        $neighbour = @(Get-LabIpJson $Lab $name neighbour show dev eth0 nud permanent | Where-Object dst -eq '10.0.2.99').Count -eq 1
        & ip netns exec (Get-LabNamespace $Lab $name) nft list table ip foreign *> $null
        $table = $LASTEXITCODE -eq 0
        [pscustomobject]@{ Host = $name; Route = $route; Neighbour = $neighbour; Table = $table; TunnelRoute = $tunnel
            TunnelRouteChecked = [bool] $Lab.TunnelRoute; All = $route -and $neighbour -and $table -and $tunnel }
    }
}

<#
.SYNOPSIS
    Every counter that tells which way packets went, flat: the router's rules (router.pool_drop, router.vxlan,
    router.ipip), the lanA bridge's (lanA.pool_plain, lanA.vxlan, lanA.ipip), the lanA veths' packets
    (lanA.a-host1.tx ...) and each host's eth0, vxlan.calico and tunl0 packets (host1.tunl0.tx ...).
#>
function Get-LabCounters {
    param([Parameter(Mandatory)] $Lab)
    $counters = [ordered]@{}
    foreach ($ns in 'router', 'lanA') {
        $family = $ns -eq 'router' ? 'inet' : 'bridge'
        $json = (Invoke-LabCommand $Lab $ns nft -j list counters table $family lab) -join "`n" | ConvertFrom-Json
        foreach ($item in $json.nftables) {
            if ($item.PSObject.Properties['counter']) { $counters["$ns.$($item.counter.name)"] = [long] $item.counter.packets }
        }
    }
    # The device counters come from /proc/PID/net/dev of a process living in each namespace: a file read, where `ip -s`
    # would cost a process start (~0.3 s in the TCG VM) per namespace and snapshot.
    foreach ($ns in @('lanA') + $Lab.Hosts) {
        foreach ($line in [IO.File]::ReadAllLines("/proc/$(Get-LabWatcher $Lab $ns)/net/dev") | Select-Object -Skip 2) {
            $name, $fields = $line -split ':', 2
            $name = $name.Trim()
            if ($name -notin 'eth0', 'vxlan.calico', 'tunl0', 'a-host1', 'a-host2', 'a-router') { continue }
            $values = -split $fields
            $counters["$ns.$name.rx"] = [long] $values[1]
            $counters["$ns.$name.tx"] = [long] $values[9]
        }
    }
    $counters
}

# A process (sleep) inside a lab namespace, started on first use; netns-lab.sh down ends it with the lab.
function Get-LabWatcher($Lab, [string] $Namespace) {
    if ($Lab.Watchers.Contains($Namespace)) { return $Lab.Watchers[$Namespace] }
    $process = Start-Process ip -ArgumentList 'netns', 'exec', (Get-LabNamespace $Lab $Namespace), 'sleep', 'infinity' -PassThru
    # `ip netns exec` enters the namespace, then becomes sleep: until then /proc/PID/net is still this namespace's.
    $deadline = [DateTime]::UtcNow.AddSeconds(30)
    while ((Get-Content "/proc/$($process.Id)/comm" -ErrorAction Ignore) -ne 'sleep') {
        if ($process.HasExited -or [DateTime]::UtcNow -gt $deadline) { throw "could not start a process in $Namespace to read its counters" }
        Start-Sleep -Milliseconds 20
    }
    $Lab.Watchers[$Namespace] = $process.Id
    $process.Id
}

<#
.SYNOPSIS
    Pings from a lab namespace and reports the replies and how every lab counter moved meanwhile (counters that did
    not exist before, such as a device created since, count from 0).
#>
function Measure-LabPing {
    param([Parameter(Mandatory)] $Lab, [Parameter(Mandatory)] [string] $From, [Parameter(Mandatory)] [string] $To, [int] $Count = 3)
    $before = Get-LabCounters $Lab
    $output = & ip netns exec (Get-LabNamespace $Lab $From) ping -n -c $Count -i 0.2 -W 1 $To 2>&1
    $after = Get-LabCounters $Lab
    $replies = if ("$output" -match '(\d+) received') { [int] $Matches[1] } else { 0 }
    $delta = [ordered]@{}
    foreach ($key in $after.Keys) { $delta[$key] = $after[$key] - ($before.Contains($key) ? $before[$key] : 0) }
    [pscustomobject]@{ From = $From; To = $To; Sent = $Count; Replies = $replies; Delta = $delta }
}

<# The counters that moved, as one line: for test output and the reply. #>
function Format-LabDelta {
    param([Parameter(Mandatory)] $Measurement)
    $moved = foreach ($key in $Measurement.Delta.Keys) { if ($Measurement.Delta[$key] -ne 0) { "$key +$($Measurement.Delta[$key])" } }
    "$($Measurement.From) -> $($Measurement.To): $($Measurement.Replies)/$($Measurement.Sent) replies; moved: $(if ($moved) { $moved -join ', ' } else { 'nothing' })"
}

Export-ModuleMember -Function New-CalicoLab, Remove-CalicoLab, Get-LabNamespace, Get-LabHostAddress, Invoke-LabCommand,
    Get-LabIpJson, Get-LabFdb, Sync-CalicoLab, Set-CalicoLabPool, Add-CalicoLabWorkload, Get-LabWorkloadAddress, Set-LabRouterRoute, Add-LabForeignState, Add-LabForeignTunnelRoute,
    Test-LabForeignState, Get-LabCounters, Measure-LabPing, Format-LabDelta

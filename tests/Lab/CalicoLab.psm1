# The end-to-end lab's test side: build and tear down the fabric (calico-lab.sh), drive the lab hosts with the Calico
# module's own cmdlets, send real pings and read the counters that show which way the packets went. Used by the
# VXLAN lab (tests/Pester/Lab.Tests.ps1, on this kernel) and the IP-in-IP lab (tests/IpipVm/ipip-lab.ps1, in the VM).
# The Calico module must already be imported by the caller; nothing here talks to the datastore directly.
Set-StrictMode -Version Latest

$script:NetnsLab = Join-Path $PSScriptRoot 'netns-lab.sh'
$script:CalicoLab = Join-Path $PSScriptRoot 'calico-lab.sh'

# Each lab host's address on its LAN (as calico-lab.sh builds them).
$script:HostAddresses = [ordered]@{ host1 = '10.0.2.15'; host2 = '10.0.2.10'; host3 = '10.0.3.20' }

function Invoke-LabTool {
    param([Parameter(Mandatory)] [string] $File, [Parameter(ValueFromRemainingArguments)] [string[]] $Arguments)
    $output = & $File @Arguments 2>&1
    if ($LASTEXITCODE -ne 0) { throw "'$File $($Arguments -join ' ')' failed with exit code $($LASTEXITCODE): $($output -join "`n")" }
    $output | Where-Object { $_ -isnot [System.Management.Automation.ErrorRecord] } | ForEach-Object ToString
}

<#
.SYNOPSIS
    Builds the lab's namespaces under a fresh prefix owned by this process; tears down what was built if that fails.
#>
function New-CalicoLab {
    param([int] $Mtu = 1500)
    $prefix = (Invoke-LabTool bash $script:NetnsLab prefix $PID | Select-Object -First 1).Trim()
    $lab = [pscustomobject]@{
        PSTypeName = 'CalicoLab'
        Prefix     = $prefix
        Mtu        = $Mtu
        Hosts      = @($script:HostAddresses.Keys)
        # Workload name -> the Workload Add-CalicoWorkload returned.
        Workloads  = [ordered]@{}
        # Add-LabForeignState planted state that is not Calico's (and a tunl0 route), checked after every sync.
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

<# Runs a command inside one of the lab's namespaces and returns its output lines; throws when it fails. #>
function Invoke-LabCommand {
    param([Parameter(Mandatory)] $Lab, [Parameter(Mandatory)] [string] $Namespace, [Parameter(Mandatory, ValueFromRemainingArguments)] [string[]] $Command)
    Invoke-LabTool ip netns exec (Get-LabNamespace $Lab $Namespace) @Command
}

<# `ip -j ARGS` in a lab namespace, parsed. #>
function Get-LabIpJson {
    param([Parameter(Mandatory)] $Lab, [Parameter(Mandatory)] [string] $Namespace, [Parameter(Mandatory, ValueFromRemainingArguments)] [string[]] $Arguments)
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
    (Test-CalicoDataplane) and that the foreign state planted on the hosts is still there. Returns the sync's changes.
#>
function Sync-CalicoLab {
    param([Parameter(Mandatory)] $Lab, [string[]] $HostName = $Lab.Hosts, [switch] $NoRegister)
    # Every host registers before any syncs, so that each plan sees every node's tunnel address.
    if (-not $NoRegister) {
        foreach ($name in $HostName) { Register-CalicoNode -Name $name -NetNamespace (Get-LabNamespace $Lab $name) -ErrorAction Stop }
    }
    foreach ($name in $HostName) {
        Sync-CalicoDataplane -Name $name -NetNamespace (Get-LabNamespace $Lab $name) -ErrorAction Stop -WarningAction SilentlyContinue
    }
    foreach ($name in $HostName) {
        $inSync = Test-CalicoDataplane -Name $name -NetNamespace (Get-LabNamespace $Lab $name) -Quiet -ErrorAction Stop
        if (-not $inSync) {
            $drift = Test-CalicoDataplane -Name $name -NetNamespace (Get-LabNamespace $Lab $name) | Out-String
            throw "$name is not in sync right after Sync-CalicoDataplane: $drift"
        }
    }
    foreach ($check in Test-LabForeignState $Lab) { $Lab.ForeignChecks.Add($check) }
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
    Plants state that is not Calico's on host1 and host2: a route, a permanent neighbour entry and an nftables table
    (plus, with -TunnelRoute, a static-protocol route on tunl0). Test-LabForeignState checks it is all still there.
#>
function Add-LabForeignState {
    param([Parameter(Mandatory)] $Lab, [switch] $TunnelRoute)
    foreach ($name in 'host1', 'host2') {
        $batch = @(
            'route add 198.51.100.0/24 via 10.0.2.1 proto static'
            'neighbour add 10.0.2.99 lladdr 02:00:00:00:00:99 dev eth0 nud permanent'
            if ($TunnelRoute) { 'route add 198.51.100.128/25 via 10.0.3.20 dev tunl0 onlink proto static' }
        )
        $batch | & ip -n (Get-LabNamespace $Lab $name) -batch - 2>&1 | Out-Null
        if ($LASTEXITCODE -ne 0) { throw "planting foreign routes and neighbours on $name failed" }
        "table ip foreign {`n counter seen {}`n chain input {`n  type filter hook input priority 10; policy accept;`n  counter name seen`n }`n}`n" |
            & ip netns exec (Get-LabNamespace $Lab $name) nft -f - 2>&1 | Out-Null
        if ($LASTEXITCODE -ne 0) { throw "planting a foreign nftables table on $name failed" }
    }
    $Lab.ForeignPlanted = $true
    $Lab.TunnelRoute = [bool] $TunnelRoute
}

<# Whether host1's and host2's foreign route, neighbour, table (and tunl0 route) are all there, one object per host. #>
function Test-LabForeignState {
    param([Parameter(Mandatory)] $Lab)
    if (-not $Lab.ForeignPlanted) { return }
    foreach ($name in 'host1', 'host2') {
        $route = @(Get-LabIpJson $Lab $name route show 198.51.100.0/24 proto static).Count -eq 1
        $neighbour = @(Get-LabIpJson $Lab $name neighbour show 10.0.2.99 dev eth0 nud permanent).Count -eq 1
        & ip netns exec (Get-LabNamespace $Lab $name) nft list table ip foreign *> $null
        $table = $LASTEXITCODE -eq 0
        $tunnel = -not $Lab.TunnelRoute -or @(Get-LabIpJson $Lab $name route show 198.51.100.128/25 dev tunl0 proto static).Count -eq 1
        [pscustomobject]@{ Host = $name; Route = $route; Neighbour = $neighbour; Table = $table; TunnelRoute = $tunnel
            All = $route -and $neighbour -and $table -and $tunnel }
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
    foreach ($ns in @('lanA') + $Lab.Hosts) {
        foreach ($link in Get-LabIpJson $Lab $ns -s link show) {
            if ($link.ifname -notin 'eth0', 'vxlan.calico', 'tunl0', 'a-host1', 'a-host2', 'a-router') { continue }
            $counters["$ns.$($link.ifname).tx"] = [long] $link.stats64.tx.packets
            $counters["$ns.$($link.ifname).rx"] = [long] $link.stats64.rx.packets
        }
    }
    $counters
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
    Get-LabIpJson, Get-LabFdb, Sync-CalicoLab, Add-CalicoLabWorkload, Get-LabWorkloadAddress, Set-LabRouterRoute, Add-LabForeignState,
    Test-LabForeignState, Get-LabCounters, Measure-LabPing, Format-LabDelta

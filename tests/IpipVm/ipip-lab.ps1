<#
.SYNOPSIS
    The end-to-end lab with IP-in-IP (project issue "Real IP-in-IP"), run inside the VM (its kernel has ipip) by
    tests/Pester/LabIpip.Tests.ps1: one pwsh drives the three lab hosts through -NetNamespace with the module's own
    cmdlets, and every claim is checked with real pings and counters (tunl0, the router's IP-in-IP and drop rules).
.DESCRIPTION
    Writes -ResultPath (JSON) after every check, so a run cut short still reports what it did:
      { kernel, seconds, error, phases: [{ name, seconds }],
        checks: [{ id, passed, message, seconds, pings: [{ from, to, sent, replies, moved: { counter: delta }, line }] }] }
    The ids are the ones LabIpip.Tests.ps1 turns into tests. Exit code 0 when the result was written (whatever the
    checks said), 1 when the run stopped early (the result then carries the error).
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $ResultPath,
    # Every fabric link's MTU: not 1500, so tunl0's MTU (host MTU - 20) is plainly derived from the host's.
    [int] $Mtu = 1400
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
$clock = [Diagnostics.Stopwatch]::StartNew()

Import-Module $ModulePath
Import-Module (Join-Path $PSScriptRoot '..' 'Lab' 'CalicoLab.psm1')

$result = [ordered]@{
    kernel  = (& uname -r)
    seconds = 0
    error   = $null
    phases  = [System.Collections.Generic.List[object]]::new()
    checks  = [System.Collections.Generic.List[object]]::new()
}

function Save-Result {
    $result.seconds = [math]::Round($clock.Elapsed.TotalSeconds, 1)
    $result | ConvertTo-Json -Depth 8 | Set-Content -LiteralPath $ResultPath
}

# A setup step, timed.
function Step([string] $Name, [scriptblock] $Body) {
    $started = $clock.Elapsed
    & $Body | Out-Null
    $result.phases.Add([ordered]@{ name = $Name; seconds = [math]::Round(($clock.Elapsed - $started).TotalSeconds, 1) })
}

function Confirm([bool] $Condition, [string] $Message) { if (-not $Condition) { throw $Message } }

# One check: passes when its body throws nothing; records the pings it sent with the counters they moved.
function Invoke-Check([string] $Id, [scriptblock] $Body) {
    $script:Pings = [System.Collections.Generic.List[object]]::new()
    $started = $clock.Elapsed
    $check = [ordered]@{ id = $Id; passed = $false; message = $null; seconds = 0; pings = $null }
    try {
        & $Body | Out-Null
        $check.passed = $true
    }
    catch {
        $check.message = "$($_.Exception.Message) (at $($_.InvocationInfo.PositionMessage -replace '\s+', ' '))"
    }
    $check.seconds = [math]::Round(($clock.Elapsed - $started).TotalSeconds, 1)
    $check.pings = @($script:Pings)
    $result.checks.Add($check)
    Save-Result
}

function Ping-Lab([string] $From, [string] $To) {
    $m = Measure-LabPing $lab $From $To
    $moved = [ordered]@{}
    foreach ($key in $m.Delta.Keys) { if ($m.Delta[$key] -ne 0) { $moved[$key] = $m.Delta[$key] } }
    $script:Pings.Add([ordered]@{ from = $From; to = $To; sent = $m.Sent; replies = $m.Replies; moved = $moved; line = Format-LabDelta $m })
    $m
}

function Address([string] $Workload) { Get-LabWorkloadAddress $lab $Workload }

# Asserts a delta: "host1.tunl0.tx" = 3.
function Confirm-Moved($Measurement, [string] $Counter, [long] $Expected) {
    $actual = $Measurement.Delta.Contains($Counter) ? $Measurement.Delta[$Counter] : 0
    Confirm ($actual -eq $Expected) "$($Measurement.From) -> $($Measurement.To): $Counter moved by $actual, expected $Expected"
}

function Confirm-Replies($Measurement, [int] $Expected) {
    Confirm ($Measurement.Replies -eq $Expected) "$($Measurement.From) -> $($Measurement.To): $($Measurement.Replies) of $($Measurement.Sent) replies, expected $Expected"
}

# A pool change whose sync is itself a check (one that a known bug fails): if the sync fails, the failure is the check's
# result and the lab is synced again, so that the rest of the scenario still runs.
function Invoke-SyncCheck([string] $Id, [hashtable] $Settings) {
    Set-CalicoIPPool -Name lab @Settings -ErrorAction Stop
    Invoke-Check $Id { Sync-CalicoLab $lab | Out-Null }
    if (-not $result.checks[-1].passed) { Step "$Id (synced again after the failure)" { Sync-CalicoLab $lab } }
}

# tunl0 as the kernel shows it: kind (linkinfo), ifindex, MTU, flags, and its IPv4 addresses as "a.b.c.d/len".
function Get-Tunl0([string] $HostName) {
    $link = Get-LabIpJson $lab $HostName -details link show dev tunl0 | Select-Object -First 1
    if (-not $link) { return $null }
    $addresses = @(Get-LabIpJson $lab $HostName -4 address show dev tunl0 | ForEach-Object addr_info | ForEach-Object { "$($_.local)/$($_.prefixlen)" })
    [pscustomobject]@{ Kind = $link.linkinfo.info_kind; Index = $link.ifindex; Mtu = $link.mtu; Up = $link.flags -contains 'UP'; Addresses = $addresses }
}

# Calico's routes on tunl0 (the planted foreign one has protocol static and is not Calico's).
function Get-CalicoTunl0Routes([string] $HostName) {
    @(Get-LabIpJson $lab $HostName -4 route show dev tunl0 | Where-Object { $_.PSObject.Properties['protocol'] -and $_.protocol -ne 'static' })
}

function Get-VxlanLink([string] $HostName) { @(Get-LabIpJson $lab $HostName link show | Where-Object ifname -eq 'vxlan.calico') }

# The same-subnet pair unencapsulated on lanA; the cross-subnet pair in IP-in-IP through the router (or as $Tunnel says).
function Confirm-SameSubnetPlain {
    $m = Ping-Lab wl1 (Address wl2)
    Confirm-Replies $m 3
    Confirm-Moved $m 'lanA.pool_plain' 6
    Confirm-Moved $m 'lanA.ipip' 0
    foreach ($counter in 'host1.tunl0.tx', 'host1.tunl0.rx', 'host2.tunl0.tx', 'host2.tunl0.rx') { Confirm-Moved $m $counter 0 }
}

function Confirm-Encapsulated([string] $To, [ValidateSet('ipip', 'vxlan')] [string] $Tunnel = 'ipip') {
    $m = Ping-Lab wl1 (Address $To)
    $peer = $To -replace 'wl', 'host'
    $device = $Tunnel -eq 'ipip' ? 'tunl0' : 'vxlan.calico'
    Confirm-Replies $m 3
    foreach ($counter in "host1.$device.tx", "host1.$device.rx", "$peer.$device.tx", "$peer.$device.rx") { Confirm-Moved $m $counter 3 }
    Confirm-Moved $m 'lanA.pool_plain' 0
    Confirm-Moved $m 'router.pool_drop' 0
    if ($To -eq 'wl3') { Confirm-Moved $m "router.$Tunnel" 6 } else { Confirm-Moved $m "lanA.$Tunnel" 6 }
}

$lab = $null
$exitCode = 0
try {
    Step 'lab up' { $script:lab = New-CalicoLab -Mtu $Mtu }
    Step 'pool, foreign state' {
        $env:CALICO_DATASTORE_TYPE = 'file'
        $env:CALICO_FILE_DATASTORE_PATH = Join-Path ([IO.Path]::GetTempPath()) "calico-ipip-lab-$PID"
        New-CalicoIPPool -Name lab -Cidr 192.168.0.0/16 -IPIPMode CrossSubnet -NatOutgoing -ErrorAction Stop
        Add-LabForeignState $lab
    }
    # The kernel's fallback tunl0 as loading ipip made it, before Calico touches it.
    $fallback = @{}
    foreach ($name in $lab.Hosts) { $fallback[$name] = Get-Tunl0 $name }

    Step 'CrossSubnet: register and sync' { Sync-CalicoLab $lab }
    # tunl0 is up now; a route on it with another protocol than Calico's is not Calico's to delete.
    Step 'foreign route on tunl0' { Add-LabForeignTunnelRoute $lab }

    Invoke-Check 'tunl0-configured' {
        foreach ($name in $lab.Hosts) {
            $before = $fallback[$name]
            $tunl0 = Get-Tunl0 $name
            Confirm ($null -ne $before -and $before.Kind -eq 'ipip') "$name had no fallback ipip tunl0 before the sync"
            Confirm ($tunl0.Index -eq $before.Index) "$name's tunl0 was replaced (ifindex $($before.Index) -> $($tunl0.Index)), not configured"
            Confirm ($tunl0.Mtu -eq $Mtu - 20) "$name's tunl0 MTU is $($tunl0.Mtu), expected $($Mtu - 20) (host MTU $Mtu - 20)"
            Confirm $tunl0.Up "$name's tunl0 is not up"
            $tunnelAddress = (Get-CalicoNode $name).Spec.BGP.IPv4IPIPTunnelAddr
            Confirm (-not [string]::IsNullOrEmpty($tunnelAddress)) "Register-CalicoNode gave $name no IPIP tunnel address"
            Confirm (($tunl0.Addresses -join ',') -eq "$tunnelAddress/32") "$name's tunl0 has [$($tunl0.Addresses -join ', ')], expected $tunnelAddress/32"
            $block = @(Get-LabIpJson $lab $name route show type blackhole proto 80)[0].dst
            Confirm ($null -ne $block) "$name has no blackhole for a block of its own"
            $network, $length = $block -split '/'
            $toNumber = { param($a) $b = ([Net.IPAddress]::Parse($a)).GetAddressBytes(); [Array]::Reverse($b); [BitConverter]::ToUInt32($b, 0) }
            $mask = [uint32]::MaxValue -shl (32 - [int] $length)
            Confirm (((& $toNumber $tunnelAddress) -band $mask) -eq (& $toNumber $network)) "$name's tunnel address $tunnelAddress is not in its block $block"
        }
    }

    Invoke-Check 'test-calicohost-ipip-present' {
        $findings = @(Test-CalicoHost -Name host1 -NetNamespace (Get-LabNamespace $lab host1))
        $ipip = @($findings | Where-Object Check -eq 'ipip')
        Confirm ($ipip.Count -eq 0) "Test-CalicoHost reported ipip in the guest, whose kernel has it: $(($ipip | ForEach-Object { "$($_.Severity): $($_.Message)" }) -join ' | ')"
    }

    # No resync after the workloads: their blocks were claimed with the tunnel addresses, so the plans are unchanged
    # (the VXLAN lab proves that sync a no-op); each resync costs ~15 s in the VM.
    Step 'workloads, router routes' {
        foreach ($i in 1..3) { Add-CalicoLabWorkload $lab "wl$i" "host$i" }
        Set-LabRouterRoute $lab
    }

    Invoke-Check 'crosssubnet-same-subnet-plain' { Confirm-SameSubnetPlain }
    Invoke-Check 'crosssubnet-cross-subnet-ipip' { Confirm-Encapsulated wl3 }
    Invoke-Check 'crosssubnet-routes' {
        $routes = @(Get-CalicoTunl0Routes host1)
        Confirm ($routes.Count -eq 1) "host1 has $($routes.Count) Calico routes on tunl0, expected 1 (host3's block): $($routes | ConvertTo-Json -Compress)"
        Confirm ($routes[0].gateway -eq '10.0.3.20' -and $routes[0].protocol -eq '80' -and $routes[0].flags -contains 'onlink') `
            "host1's tunl0 route is not 'via 10.0.3.20 onlink proto 80': $($routes[0] | ConvertTo-Json -Compress)"
        $direct = @(Get-LabIpJson $lab host1 -4 route show dev eth0 proto 80)
        Confirm ($direct.Count -eq 1 -and $direct[0].gateway -eq '10.0.2.10') "host1's route to host2's block is not 'via 10.0.2.10 dev eth0 proto 80': $($direct | ConvertTo-Json -Compress)"
    }
    Invoke-Check 'nat-outgoing-on' {
        $m = Ping-Lab wl1 203.0.113.1
        Confirm-Replies $m 3
        Confirm-Moved $m 'router.pool_drop' 0
        Confirm-Moved $m 'host1.tunl0.tx' 0
    }
    Invoke-Check 'nat-outgoing-off' {
        Set-CalicoLabPool $lab @{ NatOutgoing = $false } -NoRegister
        $m = Ping-Lab wl1 203.0.113.1
        Confirm-Replies $m 0
        Confirm-Moved $m 'router.pool_drop' 3
    }

    Step 'Always, natOutgoing on' { Set-CalicoLabPool $lab @{ IPIPMode = 'Always'; NatOutgoing = $true } }
    Invoke-Check 'always-same-subnet-ipip' { Confirm-Encapsulated wl2 }
    Invoke-Check 'always-cross-subnet-ipip' { Confirm-Encapsulated wl3 }
    Invoke-Check 'always-nat-outgoing' {
        $m = Ping-Lab wl1 203.0.113.1
        Confirm-Replies $m 3
        Confirm-Moved $m 'router.pool_drop' 0
    }

    # From here on the foreign route on tunl0 is no longer checked: when tunl0 loses its last IPv4 address (IPIP off,
    # as felix removes it) the kernel itself flushes every route on the device, Calico's or not.
    Step 'stop watching the tunl0 route' { $lab.TunnelRoute = $false }

    # Drift a sync must repair: tunl0 re-addressed behind Calico's back (a stray address added, then Calico's removed,
    # so the kernel keeps the routes on it). The sync must end with Calico's address and every route still on tunl0.
    Invoke-Check 'tunl0-drift-repaired' {
        $ns = Get-LabNamespace $lab host1
        $right = @((Get-Tunl0 host1).Addresses)[0]
        $routes = @(Get-CalicoTunl0Routes host1).Count
        & ip -n $ns address add 10.99.0.1/32 dev tunl0
        & ip -n $ns address del $right dev tunl0
        Confirm (@(Get-CalicoTunl0Routes host1).Count -eq $routes -and $routes -eq 2) "setting up the drift lost host1's tunl0 routes (expected 2 in Always)"
        Sync-CalicoLab $lab -HostName host1 -NoRegister | Out-Null
        Confirm ((@((Get-Tunl0 host1).Addresses) -join ',') -eq $right) "host1's tunl0 has [$((Get-Tunl0 host1).Addresses -join ', ')] after the sync, expected $right"
        Confirm-Encapsulated wl3
    }
    if (-not $result.checks[-1].passed) { Step 'tunl0-drift-repaired (synced again after the failure)' { Sync-CalicoLab $lab -HostName host1 -NoRegister } }
    Invoke-SyncCheck 'ipip-to-vxlan-sync' @{ IPIPMode = 'Never'; VXLANMode = 'CrossSubnet' }
    Invoke-Check 'ipip-to-vxlan-clean' {
        foreach ($name in $lab.Hosts) {
            Confirm (@(Get-CalicoTunl0Routes $name).Count -eq 0) "$name kept Calico routes on tunl0 after the switch to VXLAN"
            Confirm (@((Get-Tunl0 $name).Addresses).Count -eq 0) "$name's tunl0 kept its address after the switch to VXLAN"
            Confirm (@(Get-VxlanLink $name).Count -eq 1) "$name has no vxlan.calico after the switch to VXLAN"
            $node = Get-CalicoNode $name
            Confirm ([string]::IsNullOrEmpty($node.Spec.BGP.IPv4IPIPTunnelAddr)) "$name kept its IPIP tunnel address"
            Confirm (-not [string]::IsNullOrEmpty($node.Spec.IPv4VXLANTunnelAddr)) "$name got no VXLAN tunnel address"
        }
        Confirm-SameSubnetPlain
        Confirm-Encapsulated wl3 -Tunnel vxlan
    }

    Step 'back to IPIP CrossSubnet' { Set-CalicoLabPool $lab @{ IPIPMode = 'CrossSubnet'; VXLANMode = 'Never' } }
    Invoke-Check 'vxlan-to-ipip-clean' {
        foreach ($name in $lab.Hosts) {
            Confirm (@(Get-VxlanLink $name).Count -eq 0) "$name kept vxlan.calico after the switch back to IPIP"
            $stale = @(Get-LabIpJson $lab $name -4 route show | Where-Object { $_.PSObject.Properties['dev'] -and $_.dev -eq 'vxlan.calico' })
            Confirm ($stale.Count -eq 0) "$name kept routes on vxlan.calico"
            $neighbours = @(Get-LabIpJson $lab $name neighbour show nud permanent | Where-Object { $_.dst -like '192.168.*' })
            Confirm ($neighbours.Count -eq 0) "$name kept VTEP neighbour entries: $($neighbours | ConvertTo-Json -Compress)"
            $node = Get-CalicoNode $name
            Confirm ([string]::IsNullOrEmpty($node.Spec.IPv4VXLANTunnelAddr)) "$name kept its VXLAN tunnel address"
            $address = $node.Spec.BGP.IPv4IPIPTunnelAddr
            Confirm (-not [string]::IsNullOrEmpty($address)) "$name got no IPIP tunnel address back"
            $tunl0 = Get-Tunl0 $name
            Confirm (($tunl0.Addresses -join ',') -eq "$address/32") "$name's tunl0 has [$($tunl0.Addresses -join ', ')], expected $address/32"
            Confirm ($tunl0.Index -eq $fallback[$name].Index -and $tunl0.Mtu -eq $Mtu - 20 -and $tunl0.Up) "$name's tunl0 is not the fallback device, up, MTU $($Mtu - 20)"
        }
        Confirm-SameSubnetPlain
        Confirm-Encapsulated wl3
    }

    Invoke-SyncCheck 'ipip-off-sync' @{ IPIPMode = 'Never' }
    Invoke-Check 'never-same-subnet-plain' { Confirm-SameSubnetPlain }
    Invoke-Check 'never-cross-subnet-dropped' {
        $m = Ping-Lab wl1 (Address wl3)
        Confirm-Replies $m 0
        Confirm-Moved $m 'router.pool_drop' 3
        Confirm-Moved $m 'router.ipip' 0
        Confirm-Moved $m 'host1.tunl0.tx' 0
    }
    Invoke-Check 'never-tunnel-released' {
        foreach ($name in $lab.Hosts) {
            Confirm (@((Get-Tunl0 $name).Addresses).Count -eq 0) "$name's tunl0 still has an address with no IPIP pool"
            Confirm (@(Get-CalicoTunl0Routes $name).Count -eq 0) "$name still has Calico routes on tunl0"
            Confirm ([string]::IsNullOrEmpty((Get-CalicoNode $name).Spec.BGP.IPv4IPIPTunnelAddr)) "$name still has an IPIP tunnel address"
        }
    }

    Invoke-Check 'foreign-state-survives' {
        $checks = $lab.ForeignChecks
        Confirm ($checks.Count -ge 12) "only $($checks.Count) foreign-state checks were made (host1 and host2 after each sync)"
        $failed = @($checks | Where-Object { -not $_.All })
        Confirm ($failed.Count -eq 0) "foreign state was lost: $($failed | ConvertTo-Json -Compress)"
        $withTunnelRoute = @($checks | Where-Object { $_.PSObject.Properties['TunnelRouteChecked'] -and $_.TunnelRouteChecked })
        Confirm ($withTunnelRoute.Count -ge 4) "the foreign route on tunl0 was checked after only $($withTunnelRoute.Count / 2) syncs"
    }
}
catch {
    $result.error = "$($_.Exception.Message) (at $($_.InvocationInfo.PositionMessage -replace '\s+', ' '))"
    $exitCode = 1
}
finally {
    if ($lab) { Remove-CalicoLab $lab }
    Save-Result
}
exit $exitCode

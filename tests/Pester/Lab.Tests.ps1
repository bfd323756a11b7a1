# The end-to-end lab on this machine's kernel, with VXLAN (project issue "Host side, part 2"): three lab hosts on two
# subnets behind a router that drops every pool-addressed packet, one workload each, everything Calico does done by the
# module's own cmdlets, and every claim checked with real pings and the counters of the devices and the router's rules.
# The lab (tests/Lab/calico-lab.sh, tests/Lab/CalicoLab.psm1) is built in network namespaces and torn down even when
# a test fails. It runs once per datastore kind: the embedded file store and a real etcd.
BeforeAll {
    . $PSScriptRoot/Common.ps1
    Import-Module (Join-Path $PSScriptRoot '..' 'Lab' 'CalicoLab.psm1') -Force

    # Why the lab cannot run on this machine, or $null.
    function Get-LabMissingRequirement {
        if ((& id -u) -ne '0') { return 'the lab builds network namespaces, which needs root' }
        foreach ($tool in 'ip', 'nft', 'ping') {
            if (-not (Get-Command $tool -CommandType Application -ErrorAction Ignore)) { return "the lab needs '$tool' (build.ps1 -Task Test installs it as root)" }
        }
        $null
    }

    # Pings and prints the counters that moved, so a run's log shows the packets' paths.
    function Ping-Lab([string] $From, [string] $To) {
        $m = Measure-LabPing $script:Lab $From $To
        Write-Host "      $(Format-LabDelta $m)"
        $m
    }

    function Address([string] $Workload) { Get-LabWorkloadAddress $script:Lab $Workload }

    # How far a counter moved during a ping; 0 for a device that does not exist (vxlan.calico with no VXLAN pool).
    function Moved($Measurement, [string] $Counter) { $Measurement.Delta[$Counter] ?? 0 }

    # wl1 -> wl2 unencapsulated: the workload addresses cross lanA, no vxlan.calico moves, the router sees nothing.
    function Assert-SameSubnetPlain {
        $m = Ping-Lab wl1 (Address wl2)
        $m.Replies | Should -Be 3
        Moved $m 'lanA.pool_plain' | Should -Be 6 -Because 'three requests and three replies cross the bridge with their workload addresses'
        Moved $m 'lanA.vxlan' | Should -Be 0
        foreach ($counter in 'host1.vxlan.calico.tx', 'host1.vxlan.calico.rx', 'host2.vxlan.calico.tx', 'host2.vxlan.calico.rx') {
            Moved $m $counter | Should -Be 0 -Because "$counter must not move for an unencapsulated ping"
        }
        Moved $m 'router.pool_drop' | Should -Be 0
    }

    # wl1 -> wl2 or wl3 in VXLAN: both ends' vxlan.calico carry the three requests and replies; only UDP 4789 crosses
    # the fabric (lanA for wl2, the router for wl3).
    function Assert-Vxlan([string] $To) {
        $m = Ping-Lab wl1 (Address $To)
        $peer = $To -replace 'wl', 'host'
        $m.Replies | Should -Be 3
        foreach ($counter in 'host1.vxlan.calico.tx', 'host1.vxlan.calico.rx', "$peer.vxlan.calico.tx", "$peer.vxlan.calico.rx") {
            Moved $m $counter | Should -Be 3 -Because "$counter carries the ping"
        }
        Moved $m ($To -eq 'wl3' ? 'router.vxlan' : 'lanA.vxlan') | Should -Be 6
        Moved $m 'lanA.pool_plain' | Should -Be 0
        Moved $m 'router.pool_drop' | Should -Be 0
    }

    # wl1 -> an address leaves host1 unencapsulated, and the router's rule drops it.
    function Assert-DroppedByRouter([string] $To) {
        $m = Ping-Lab wl1 $To
        $m.Replies | Should -Be 0
        Moved $m 'router.pool_drop' | Should -Be 3
        Moved $m 'router.vxlan' | Should -Be 0
        Moved $m 'host1.vxlan.calico.tx' | Should -Be 0
    }

    # wl1 reaches ext with host1's address (masqueraded): the router drops nothing.
    function Assert-Masqueraded {
        $m = Ping-Lab wl1 203.0.113.1
        $m.Replies | Should -Be 3
        Moved $m 'router.pool_drop' | Should -Be 0
        Moved $m 'lanA.pool_plain' | Should -Be 0
    }


    # Calico's routes and entries on a lab host, as text, for readable failures.
    function Get-HostRoutes([string] $HostName) { (ip -n (Get-LabNamespace $script:Lab $HostName) -4 route show) -join "`n" }
}

Describe 'The VXLAN lab on this kernel (<Kind> datastore)' -ForEach @(@{ Kind = 'file' }, @{ Kind = 'etcd' }) {
    BeforeAll {
        $script:Skip = Get-LabMissingRequirement
        if ($script:Skip) { return }
        $script:Stopwatch = [Diagnostics.Stopwatch]::StartNew()
        $script:Etcd = if ($Kind -eq 'etcd') { Start-TestEtcd }
        $script:Store = Use-TestDatastore -Kind $Kind -Etcd $script:Etcd
        $script:Lab = New-CalicoLab -Mtu 1400

        New-CalicoIPPool -Name lab -Cidr 192.168.0.0/16 -VXLANMode CrossSubnet -NatOutgoing -ErrorAction Stop
        Add-LabForeignState $script:Lab
        Sync-CalicoLab $script:Lab | Out-Null
        foreach ($i in 1..3) { Add-CalicoLabWorkload $script:Lab "wl$i" "host$i" | Out-Null }
        $script:ChangesAfterWorkloads = @(Sync-CalicoLab $script:Lab)
        # Only now have the hosts claimed their blocks; the router gets a route to each via its host.
        Set-LabRouterRoute $script:Lab | Out-Null
        Write-Host "      lab $($script:Lab.Prefix) ($Kind store) ready in $([int] $script:Stopwatch.Elapsed.TotalMilliseconds) ms;" `
            "wl1 $(Address wl1), wl2 $(Address wl2), wl3 $(Address wl3)"
    }

    AfterAll {
        if ($script:Lab) { Remove-CalicoLab $script:Lab; $script:Lab = $null }
        Disconnect-CalicoDatastore
        if ($Kind -eq 'file' -and $script:Store) { Remove-Item $script:Store -Recurse -Force -ErrorAction Ignore }
        Stop-TestEtcd $script:Etcd
        if ($script:Stopwatch) { Write-Host "      $Kind lab: $([int] $script:Stopwatch.Elapsed.TotalSeconds) s" }
    }

    BeforeEach {
        if ($script:Skip) { Set-ItResult -Skipped -Because $script:Skip }
    }

    Context 'CrossSubnet' {
        It 'leaves the plans unchanged when workloads are added: the resync after them changes nothing' {
            $script:ChangesAfterWorkloads | Format-Table | Out-String -Width 200 | Should -BeNullOrEmpty
        }

        It 'sends wl1 -> wl2 (same subnet) unencapsulated: the workload addresses cross lanA, vxlan.calico stays still' {
            Assert-SameSubnetPlain
        }

        It 'sends wl1 -> wl3 (across subnets) in VXLAN through the router, which drops nothing' {
            Assert-Vxlan wl3
        }

        It "routes host1's peers as felix does: host2's block directly on eth0, host3's through host3's VTEP" {
            $routes = Get-LabIpJson $script:Lab host1 -4 route show
            $block2 = $routes | Where-Object { $_.gateway -eq '10.0.2.10' -and $_.dst -like '192.168.*' }
            $block2.dev | Should -Be 'eth0'
            $block2.protocol | Should -Be '80'
            $block3 = $routes | Where-Object { $_.dev -eq 'vxlan.calico' -and $_.dst -like '192.168.*/26' }
            @($block3).Count | Should -Be 1 -Because (Get-HostRoutes host1)
            $vxlan = Get-LabIpJson $script:Lab host1 -details link show vxlan.calico
            $vxlan.mtu | Should -Be 1350 -Because 'the VXLAN MTU is the host MTU (1400 in the lab) - 50'
        }

        It 'masquerades wl1 -> ext (natOutgoing): the router sees only host1''s address' {
            Assert-Masqueraded
        }
    }

    Context 'natOutgoing off, then on again' {
        It 'lets wl1 -> ext leave with its pool address when natOutgoing is off, and the router drops it' {
            Set-CalicoLabPool $script:Lab @{ NatOutgoing = $false }
            Assert-DroppedByRouter 203.0.113.1
        }

        It 'masquerades wl1 -> ext again once natOutgoing is back on' {
            Set-CalicoLabPool $script:Lab @{ NatOutgoing = $true }
            Assert-Masqueraded
        }
    }

    Context 'Always' {
        BeforeAll { if (-not $script:Skip) { Set-CalicoLabPool $script:Lab @{ VXLANMode = 'Always' } } }

        It 'encapsulates wl1 -> wl2 too: only VXLAN crosses lanA' {
            Assert-Vxlan wl2
        }

        It 'encapsulates wl1 -> wl3 through the router' {
            Assert-Vxlan wl3
        }
    }

    Context 'Never' {
        BeforeAll { if (-not $script:Skip) { Set-CalicoLabPool $script:Lab @{ VXLANMode = 'Never' } } }

        It 'routes wl1 -> wl2 directly on lanA' {
            Assert-SameSubnetPlain
        }

        It 'sends wl1 -> wl3 plain to the router, which drops it' {
            Assert-DroppedByRouter (Address wl3)
        }

        It 'deletes vxlan.calico on every host and releases the VXLAN tunnel addresses' {
            foreach ($name in $script:Lab.Hosts) {
                @(Get-LabIpJson $script:Lab $name link show | Where-Object ifname -eq 'vxlan.calico').Count | Should -Be 0 -Because "$name has no VXLAN pool"
                (Get-CalicoNode $name).Spec.IPv4VXLANTunnelAddr | Should -BeNullOrEmpty
            }
        }
    }

    Context 'CrossSubnet again' {
        BeforeAll { if (-not $script:Skip) { Set-CalicoLabPool $script:Lab @{ VXLANMode = 'CrossSubnet' } } }

        It 'sends wl1 -> wl2 unencapsulated again' {
            Assert-SameSubnetPlain
        }

        It 'sends wl1 -> wl3 in VXLAN again' {
            Assert-Vxlan wl3
        }
    }

    Context 'Remove-CalicoNode host3' {
        BeforeAll {
            if ($script:Skip) { return }
            $script:Vtep3 = (Get-CalicoNode host3).Spec.VXLANTunnelMACAddr
            Remove-CalicoNode host3 -Confirm:$false -ErrorAction Stop
            Sync-CalicoLab $script:Lab -HostName host1, host2 | Out-Null
        }

        It 'leaves host1 and host2 no route, neighbour or forwarding entry for host3' {
            foreach ($name in 'host1', 'host2') {
                @(Get-LabIpJson $script:Lab $name -4 route show dev vxlan.calico).Count | Should -Be 0 -Because (Get-HostRoutes $name)
                @(Get-LabIpJson $script:Lab $name neighbour show dev vxlan.calico | Where-Object lladdr -eq $script:Vtep3).Count | Should -Be 0
                $fdb = Get-LabFdb $script:Lab $name vxlan.calico
                @($fdb | Where-Object dst -eq '10.0.3.20').Count | Should -Be 0
                @($fdb | Where-Object dst -eq (Get-LabHostAddress ($name -eq 'host1' ? 'host2' : 'host1'))).Count |
                    Should -Be 1 -Because 'the remaining peer keeps its forwarding entry'
            }
        }

        It 'sends wl1 -> wl3 out of the default route, where the router drops it' {
            Assert-DroppedByRouter (Address wl3)
        }

        It 'keeps wl1 -> wl2 working, unencapsulated' {
            Assert-SameSubnetPlain
        }
    }

    Context 'What is not Calico''s' {
        It 'keeps a route, a neighbour entry and an nftables table added by someone else through every sync' {
            $checks = $script:Lab.ForeignChecks
            $checks.Count | Should -BeGreaterOrEqual 16 -Because 'host1 and host2 were checked after each of the 8 syncs'
            $failed = @($checks | Where-Object { -not $_.All })
            $failed | Format-Table | Out-String | Should -BeNullOrEmpty
        }
    }
}

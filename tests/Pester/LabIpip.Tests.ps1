# The end-to-end lab with IP-in-IP (project issue "Real IP-in-IP"). This machine's kernel has no ipip, so the lab runs
# in the throwaway VM of tests/IpipVm, booted once: one pwsh in the guest (tests/IpipVm/ipip-lab.ps1) drives the three
# lab hosts with the module's own cmdlets and writes every check, with the counters its pings moved, to a shared
# folder; here each check becomes one test. Where the VM cannot run at all (vmrun.sh exit 3) every test is skipped
# with vmrun's reason. The last block checks this machine's side: a kernel without ipip is reported as such.
BeforeDiscovery {
    # Every check the guest makes, in its order; the guest writes them under these ids.
    $script:Checks = @(
        @{ Id = 'tunl0-configured'; Name = 'Sync-CalicoDataplane configures the kernel''s own fallback tunl0: up, MTU host - 20, the node''s IPIP tunnel address from Register-CalicoNode, in its own block' }
        @{ Id = 'test-calicohost-ipip-present'; Name = 'Test-CalicoHost finds ipip present in the guest' }
        @{ Id = 'crosssubnet-same-subnet-plain'; Name = 'CrossSubnet: wl1 -> wl2 (same subnet) crosses lanA unencapsulated, tunl0 stays still' }
        @{ Id = 'crosssubnet-cross-subnet-ipip'; Name = 'CrossSubnet: wl1 -> wl3 (across subnets) goes in IP-in-IP through the router, which drops nothing' }
        @{ Id = 'crosssubnet-routes'; Name = 'CrossSubnet: host1 routes host3''s block via 10.0.3.20 onlink on tunl0 and host2''s directly on eth0, protocol 80' }
        @{ Id = 'nat-outgoing-on'; Name = 'natOutgoing: wl1 reaches ext, masqueraded' }
        @{ Id = 'nat-outgoing-off'; Name = 'natOutgoing off: wl1''s packets to ext keep their pool address and the router drops them' }
        @{ Id = 'always-same-subnet-ipip'; Name = 'Always: wl1 -> wl2 goes in IP-in-IP across lanA' }
        @{ Id = 'always-cross-subnet-ipip'; Name = 'Always: wl1 -> wl3 goes in IP-in-IP through the router' }
        @{ Id = 'always-nat-outgoing'; Name = 'Always: natOutgoing on again, wl1 reaches ext' }
        @{ Id = 'tunl0-drift-repaired'; Name = 'a sync repairs tunl0 re-addressed behind Calico''s back: its address back, every route still on tunl0, wl1 -> wl3 in IP-in-IP' }
        @{ Id = 'ipip-to-vxlan-sync'; Name = 'switching the pool from IPIP to VXLAN syncs every host without an error' }
        @{ Id = 'ipip-to-vxlan-clean'; Name = 'after the switch to VXLAN: no Calico route or address on tunl0, no IPIP tunnel address, vxlan.calico carries wl1 -> wl3' }
        @{ Id = 'vxlan-to-ipip-clean'; Name = 'after the switch back to IPIP: no vxlan.calico, route or VTEP entry left, tunl0 readdressed, wl1 -> wl3 in IP-in-IP again' }
        @{ Id = 'ipip-off-sync'; Name = 'turning IPIP off (Never) syncs every host without an error' }
        @{ Id = 'never-same-subnet-plain'; Name = 'Never: wl1 -> wl2 crosses lanA unencapsulated' }
        @{ Id = 'never-cross-subnet-dropped'; Name = 'Never: wl1 -> wl3 leaves unencapsulated and the router drops it' }
        @{ Id = 'never-tunnel-released'; Name = 'Never: tunl0 keeps no address and no Calico route; the IPIP tunnel addresses are released' }
        @{ Id = 'foreign-state-survives'; Name = 'a route, a neighbour entry, an nftables table and a static route on tunl0 added by someone else survive the syncs' }
    )
}

BeforeAll {
    . $PSScriptRoot/Common.ps1
    $root = (Resolve-Path (Join-Path $PSScriptRoot '..' '..')).Path

    $script:Share = (New-Item -ItemType Directory (Join-Path ([IO.Path]::GetTempPath()) "calico-ipip-lab-$([guid]::NewGuid().ToString('n'))")).FullName
    $resultPath = Join-Path $script:Share 'result.json'
    # The guest runs this machine's own pwsh: `dotnet pwsh.dll` under the .NET tool, as Invoke-FreshPwsh starts one.
    $exe = [Environment]::ProcessPath
    $pwsh = @(if ((Split-Path -Leaf $exe) -notlike 'pwsh*') { Join-Path $PSHOME 'pwsh.dll' })
    $clock = [Diagnostics.Stopwatch]::StartNew()
    Push-Location $root
    try {
        # DOTNET_TieredPGO=0: no instrumented tier, which under TCG cost a third of the guest's time (measured 116 s -> 79 s).
        $output = & bash (Join-Path $root 'tests/IpipVm/vmrun.sh') -t 900 --rw $script:Share -e DOTNET_TieredPGO=0 -- $exe @pwsh -NoProfile -NonInteractive `
            -File (Join-Path $root 'tests/IpipVm/ipip-lab.ps1') -ModulePath $env:CALICO_TEST_MODULE -ResultPath $resultPath 2>&1
        $script:VmExit = $LASTEXITCODE
    }
    finally {
        Pop-Location
    }
    $script:VmOutput = @($output | ForEach-Object ToString)
    $script:VmSkip = if ($script:VmExit -eq 3) {
        ($script:VmOutput | Where-Object { $_ -like 'vmrun: cannot run the VM:*' } | Select-Object -First 1) ?? ($script:VmOutput -join ' ')
    }
    $script:Result = if (Test-Path $resultPath) { Get-Content -Raw $resultPath | ConvertFrom-Json }
    if (-not $script:VmSkip) {
        Write-Host "      VM run: $([int] $clock.Elapsed.TotalSeconds) s wall (vmrun exit $script:VmExit); guest script $($script:Result.seconds) s on kernel $($script:Result.kernel)"
        foreach ($phase in $script:Result.phases) { Write-Host "        $($phase.name): $($phase.seconds) s" }
    }

    # What a missing check is reported with: the guest's error, or the end of the VM's output.
    function Get-GuestFailure {
        if ($script:Result -and $script:Result.error) { return "the guest run stopped: $($script:Result.error)" }
        "the guest wrote no result for it (vmrun exit $script:VmExit): $(($script:VmOutput | Select-Object -Last 30) -join "`n")"
    }
}

AfterAll {
    if ($script:Share) { Remove-Item $script:Share -Recurse -Force -ErrorAction Ignore }
}

Describe 'The IP-in-IP lab in the VM' {
    It '<Name>' -ForEach $Checks {
        if ($script:VmSkip) { Set-ItResult -Skipped -Because $script:VmSkip }
        $check = $script:Result.checks | Where-Object id -eq $Id | Select-Object -First 1
        if (-not $check) { throw (Get-GuestFailure) }
        Write-Host "      (guest: $($check.seconds) s)"
        foreach ($ping in $check.pings) { Write-Host "      $($ping.line)" }
        $check.passed | Should -BeTrue -Because $check.message
    }

    It 'ran to the end and made exactly the checks asked for' -ForEach @(@{ Expected = @($Checks | ForEach-Object { $_.Id }) }) {
        if ($script:VmSkip) { Set-ItResult -Skipped -Because $script:VmSkip }
        if (-not $script:Result) { throw (Get-GuestFailure) }
        $script:Result.error | Should -BeNullOrEmpty
        @($script:Result.checks.id) | Should -Be $Expected
        $script:VmExit | Should -Be 0
    }
}

Describe 'IP-in-IP on this machine''s kernel' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot '..' 'Lab' 'CalicoLab.psm1') -Force
        $script:HostSkip = if ((& id -u) -ne '0') { 'needs root (network namespaces)' }
        if ($script:HostSkip) { return }
        $script:Store = Use-TestDatastore -Kind file
        $script:Lab = New-CalicoLab -Mtu 1400
        $script:Host1 = Get-LabNamespace $script:Lab host1
        # A kernel with ipip makes the fallback tunl0 in every namespace.
        if (@(Get-LabIpJson $script:Lab host1 link show | Where-Object ifname -eq 'tunl0').Count -gt 0) {
            $script:HostSkip = 'this kernel has ipip; the VM lab above covers it'
            return
        }
        New-CalicoIPPool -Name lab -Cidr 192.168.0.0/16 -IPIPMode Always -ErrorAction Stop
        Register-CalicoNode -Name host1 -NetNamespace $script:Host1 -ErrorAction Stop
    }

    AfterAll {
        if ($script:Lab) { Remove-CalicoLab $script:Lab; $script:Lab = $null }
        Disconnect-CalicoDatastore
        if ($script:Store) { Remove-Item $script:Store -Recurse -Force -ErrorAction Ignore }
    }

    BeforeEach {
        if ($script:HostSkip) { Set-ItResult -Skipped -Because $script:HostSkip }
    }

    It 'Test-CalicoHost reports ipip missing as an error, since the IPIP pool needs it' {
        $findings = @(Test-CalicoHost -Name host1 -NetNamespace $script:Host1 | Where-Object Check -eq 'ipip')
        $findings.Count | Should -Be 1
        $findings[0].Severity | Should -Be 'Error'
        $findings[0].Fix | Should -Match 'modprobe ipip'
        Test-CalicoHost -Name host1 -NetNamespace $script:Host1 -Quiet | Should -BeFalse
    }

    It 'Sync-CalicoDataplane refuses with KernelFeatureMissing naming ipip, and changes nothing' {
        $before = (ip -n $script:Host1 -4 route show) -join "`n"
        Sync-CalicoDataplane -Name host1 -NetNamespace $script:Host1 -ErrorVariable failures -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'KernelFeatureMissing*'
        $failures[0].Exception.Message | Should -Match 'ipip'
        (ip -n $script:Host1 -4 route show) -join "`n" | Should -Be $before
    }
}

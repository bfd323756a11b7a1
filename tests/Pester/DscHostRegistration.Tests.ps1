BeforeAll {
    . $PSScriptRoot/DscCommon.ps1
    # CalicoHostRegistration stands on Register-CalicoNode and Sync-CalicoDataplane, written in parallel with it.
    $script:MissingCmdlets = @('Register-CalicoNode', 'Sync-CalicoDataplane' | Where-Object { -not (Get-Command $_ -Module Calico -ErrorAction Ignore) })
    $script:SkipReason = if ($MissingCmdlets) {
        "$($MissingCmdlets -join ' and ') $($MissingCmdlets.Count -gt 1 ? 'are' : 'is') not in the built Calico module (written in parallel; CalicoHostRegistration is written against their agreed signatures)"
    }
    elseif ((& id -u) -ne '0' -or -not (Get-Command ip -CommandType Application -ErrorAction Ignore)) {
        'needs root and iproute2 to make a network namespace that stands for the host'
    }

    # A network namespace standing for this host: eth0 with 10.0.2.15/24 (a veth pair: not every kernel has dummy).
    if (-not $SkipReason) {
        $script:Namespace = "calico-dsc-$([guid]::NewGuid().ToString('n').Substring(0, 8))"
        & ip netns add $Namespace
        & ip -n $Namespace link add eth0 type veth peer name peer0
        & ip -n $Namespace addr add 10.0.2.15/24 dev eth0
        foreach ($link in 'eth0', 'peer0', 'lo') { & ip -n $Namespace link set $link up }
    }
}

AfterAll {
    if ($script:Namespace) { & ip netns delete $Namespace }
}

Describe 'CalicoHostRegistration' {
    BeforeEach {
        if ($SkipReason) { return }
        $script:Store = New-TestStoreSettings -Kind file
        $script:Host1 = @{ Name = 'host1'; NetNamespace = $Namespace } + $Store
    }

    It 'registers the host with the autodetected address and its subnet; a second Set writes nothing' {
        if ($SkipReason) { Set-ItResult -Skipped -Because $SkipReason; return }
        $registration = New-DscInstance CalicoHostRegistration $Host1
        $registration.Test() | Should -BeFalse
        $registration.Get().ResourceVersion | Should -BeNullOrEmpty
        $registration.Set()
        $stored = Invoke-InStore $Store { Get-CalicoNode host1 }
        $stored.IPv4Address | Should -Be '10.0.2.15/24'
        $registration.Test() | Should -BeTrue
        $registration.Get().IPv4Address | Should -Be '10.0.2.15/24'
        $registration.Set()
        (Invoke-InStore $Store { Get-CalicoNode host1 }).ResourceVersion | Should -Be $stored.ResourceVersion
    }

    It 'registers the address it is given (calico-node''s IP=) instead of the detected one' {
        if ($SkipReason) { Set-ItResult -Skipped -Because $SkipReason; return }
        $registration = New-DscInstance CalicoHostRegistration ($Host1 + @{ IPv4Address = '10.0.9.9/24' })
        $registration.Set()
        (Invoke-InStore $Store { Get-CalicoNode host1 }).IPv4Address | Should -Be '10.0.9.9/24'
        $registration.Test() | Should -BeTrue
    }

    It 'notices that the host''s address changed and registers the new one' {
        if ($SkipReason) { Set-ItResult -Skipped -Because $SkipReason; return }
        $registration = New-DscInstance CalicoHostRegistration $Host1
        $registration.Set()
        & ip -n $Namespace addr del 10.0.2.15/24 dev eth0
        & ip -n $Namespace addr add 10.0.3.15/24 dev eth0
        try {
            $registration.Test() | Should -BeFalse
            $registration.Set()
            (Invoke-InStore $Store { Get-CalicoNode host1 }).IPv4Address | Should -Be '10.0.3.15/24'
        }
        finally {
            & ip -n $Namespace addr del 10.0.3.15/24 dev eth0
            & ip -n $Namespace addr add 10.0.2.15/24 dev eth0
        }
    }

    It 'with SyncDataplane, Test counts what Sync-CalicoDataplane would change and Set leaves nothing to change' {
        if ($SkipReason) { Set-ItResult -Skipped -Because $SkipReason; return }
        Invoke-InStore $Store { New-CalicoIPPool -Name pool -Cidr 192.168.0.0/16 -NatOutgoing }
        $registration = New-DscInstance CalicoHostRegistration ($Host1 + @{ SyncDataplane = $true })
        $registration.Set()
        $registration.Get().PendingDataplaneChanges | Should -Be 0
        $registration.Test() | Should -BeTrue
    }
}

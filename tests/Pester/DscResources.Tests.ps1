BeforeAll {
    . $PSScriptRoot/DscCommon.ps1
}

Describe 'The class-based DSC resources on the <Kind> datastore' -ForEach @(@{ Kind = 'file' }, @{ Kind = 'etcd' }) {
    BeforeAll {
        $script:Etcd = if ($Kind -eq 'etcd') { Start-TestEtcd }
    }
    AfterAll {
        Stop-TestEtcd $script:Etcd
    }
    BeforeEach {
        $script:Store = New-TestStoreSettings -Kind $Kind -Etcd $script:Etcd
        # The seed's pool as a configuration declares it.
        $script:SeedPool = @{ Name = 'seed-pool'; Cidr = '192.168.0.0/16'; IPIPMode = 'CrossSubnet'; NatOutgoing = $true } + $script:Store
    }

    Context 'CalicoIPPool' {
        It 'Get reports a missing pool as Absent with its key and datastore, and Test is false' {
            $pool = New-DscInstance CalicoIPPool $SeedPool
            $actual = $pool.Get()
            $actual.Ensure | Should -Be 'Absent'
            $actual.Name | Should -Be 'seed-pool'
            $actual.Cidr | Should -BeNullOrEmpty
            $actual.ResourceVersion | Should -BeNullOrEmpty
            $actual.DatastorePath | Should -Be $Store.DatastorePath
            $actual.EtcdEndpoints | Should -Be $Store.EtcdEndpoints
            $pool.Test() | Should -BeFalse
            $pool.FindDrift() | Should -Be @('Ensure')
        }

        It 'Set creates the pool with every property given, and Get then returns the stored state' {
            $pool = New-DscInstance CalicoIPPool ($SeedPool + @{ BlockSize = 24; NodeSelector = 'zone == "a"' })
            $pool.Set()
            $stored = Invoke-InStore $Store { Get-CalicoIPPool seed-pool }
            $stored.Cidr | Should -Be '192.168.0.0/16'
            $stored.IPIPMode | Should -Be 'CrossSubnet'
            $stored.NatOutgoing | Should -BeTrue
            $stored.Spec.BlockSize | Should -Be 24
            $stored.NodeSelector | Should -Be 'zone == "a"'
            $actual = $pool.Get()
            $actual.Ensure | Should -Be 'Present'
            $actual.VXLANMode | Should -Be 'Never'
            $actual.Disabled | Should -BeFalse
            $actual.ResourceVersion | Should -Be $stored.ResourceVersion
            $pool.Test() | Should -BeTrue
        }

        It 'a second Set writes nothing: the resourceVersion is unchanged' {
            $pool = New-DscInstance CalicoIPPool $SeedPool
            $pool.Set()
            $first = (Invoke-InStore $Store { Get-CalicoIPPool seed-pool }).ResourceVersion
            $revision = if ($Kind -eq 'etcd') { Get-EtcdRevision $Etcd }
            $pool.Set()
            (Invoke-InStore $Store { Get-CalicoIPPool seed-pool }).ResourceVersion | Should -Be $first
            $pool.Get().ResourceVersion | Should -Be $first
            # On etcd, not one key was written (no pool, no IPAM, no cluster information).
            if ($Kind -eq 'etcd') { Get-EtcdRevision $Etcd | Should -Be $revision }
        }

        It 'Test checks only the properties a configuration sets' {
            Invoke-InStore $Store { New-CalicoIPPool -Name seed-pool -Cidr 192.168.0.0/16 -IPIPMode Always -Disabled }
            (New-DscInstance CalicoIPPool (@{ Name = 'seed-pool'; IPIPMode = 'Always' } + $Store)).Test() | Should -BeTrue
            (New-DscInstance CalicoIPPool (@{ Name = 'seed-pool'; Disabled = $false } + $Store)).Test() | Should -BeFalse
            # Values are compared as Calico reads them: mode names ignore case, an empty selector is all().
            (New-DscInstance CalicoIPPool (@{ Name = 'seed-pool'; IPIPMode = 'always'; NodeSelector = '' } + $Store)).Test() | Should -BeTrue
        }

        It 'detects a pool changed behind its back and repairs only what drifted' {
            $pool = New-DscInstance CalicoIPPool $SeedPool
            $pool.Set()
            Invoke-InStore $Store { Set-CalicoIPPool -Name seed-pool -IPIPMode Always -NatOutgoing:$false -Disabled }
            $pool.Test() | Should -BeFalse
            $pool.FindDrift() | Should -Be @('IPIPMode', 'NatOutgoing')
            $pool.Set()
            $pool.Test() | Should -BeTrue
            $stored = Invoke-InStore $Store { Get-CalicoIPPool seed-pool }
            $stored.IPIPMode | Should -Be 'CrossSubnet'
            $stored.NatOutgoing | Should -BeTrue
            # Disabled is not in the configuration, so the change made by hand stays.
            $stored.Disabled | Should -BeTrue
        }

        It 'Ensure Absent removes the pool; a second Set finds nothing to do' {
            Invoke-InStore $Store { New-CalicoIPPool -Name seed-pool -Cidr 192.168.0.0/16 }
            $absent = New-DscInstance CalicoIPPool (@{ Name = 'seed-pool'; Ensure = 'Absent' } + $Store)
            $absent.Test() | Should -BeFalse
            $absent.Set()
            Invoke-InStore $Store { Get-CalicoIPPool } | Should -BeNullOrEmpty
            $absent.Test() | Should -BeTrue
            { $absent.Set() } | Should -Not -Throw
            $absent.Get().Ensure | Should -Be 'Absent'
        }

        It 'Set fails with the cross-subnet guard''s error while a node has no subnet, and changes nothing' {
            Invoke-InStore $Store {
                New-CalicoNode node1 -IPv4Address 10.0.2.15/24
                New-CalicoNode node2 -IPv4Address 10.0.2.10/32
                New-CalicoIPPool -Name seed-pool -Cidr 192.168.0.0/16 -IPIPMode Always
            }
            $pool = New-DscInstance CalicoIPPool $SeedPool
            $failure = { $pool.Set() } | Should -Throw -PassThru
            $failure.FullyQualifiedErrorId | Should -BeLike 'NodesWithoutSubnet,*SetCalicoIPPoolCommand'
            $failure.Exception.Message | Should -Match 'cannot become CrossSubnet'
            $failure.Exception.Message | Should -Match 'node2: stored as 10.0.2.10/32'
            (Invoke-InStore $Store { Get-CalicoIPPool seed-pool }).IPIPMode | Should -Be 'Always'

            # The seed's fix, declared: give node2 its subnet, then the pool converges.
            (New-DscInstance CalicoNode (@{ Name = 'node2'; IPv4Address = '10.0.2.10/24' } + $Store)).Set()
            $pool.Set()
            $pool.Test() | Should -BeTrue
        }

        It 'Set fails with the cmdlet''s error when a missing pool has no Cidr to be created with' {
            $pool = New-DscInstance CalicoIPPool (@{ Name = 'no-cidr'; IPIPMode = 'Always' } + $Store)
            { $pool.Set() } | Should -Throw '*no-cidr does not exist*-Cidr*'
        }

        It 'Export returns every pool of the datastore as instances carrying the datastore' {
            Invoke-InStore $Store {
                New-CalicoIPPool -Name pool-a -Cidr 10.10.0.0/16 -IPIPMode Always
                New-CalicoIPPool -Name pool-b -Cidr 10.20.0.0/16 -VXLANMode CrossSubnet
            }
            $all = [CalicoIPPool]::Export((New-DscInstance CalicoIPPool $Store))
            $all.Name | Should -Be @('pool-a', 'pool-b')
            $all[1].VXLANMode | Should -Be 'CrossSubnet'
            $all.Ensure | Should -Be @('Present', 'Present')
            $all[0].DatastorePath | Should -Be $Store.DatastorePath
            $all[0].EtcdEndpoints | Should -Be $Store.EtcdEndpoints
        }
    }

    Context 'CalicoNode' {
        It 'creates a node with its address and subnet; Test is then true and a second Set writes nothing' {
            $node = New-DscInstance CalicoNode (@{ Name = 'node1'; IPv4Address = '10.0.2.15/24'; ASNumber = '64513' } + $Store)
            $node.Test() | Should -BeFalse
            $node.Set()
            $stored = Invoke-InStore $Store { Get-CalicoNode node1 }
            $stored.IPv4Address | Should -Be '10.0.2.15/24'
            "$($stored.IPv4Subnet)" | Should -Be '10.0.2.0/24'
            "$($stored.ASNumber)" | Should -Be '64513'
            $node.Test() | Should -BeTrue
            $node.Set()
            (Invoke-InStore $Store { Get-CalicoNode node1 }).ResourceVersion | Should -Be $stored.ResourceVersion
        }

        It 'repairs a node stored without its subnet behind its back' {
            $node = New-DscInstance CalicoNode (@{ Name = 'node2'; IPv4Address = '10.0.2.10/24' } + $Store)
            $node.Set()
            Invoke-InStore $Store { Set-CalicoNode -Name node2 -IPv4Address 10.0.2.10/32 -ASNumber 64600 }
            $node.FindDrift() | Should -Be @('IPv4Address')
            $node.Set()
            $stored = Invoke-InStore $Store { Get-CalicoNode node2 }
            $stored.IPv4Address | Should -Be '10.0.2.10/24'
            # The AS number is not in the configuration: it stays as set by hand.
            "$($stored.ASNumber)" | Should -Be '64600'
        }

        It 'an empty string removes the IPv6 address and makes the AS number inherited' {
            Invoke-InStore $Store { New-CalicoNode node3 -IPv4Address 10.0.3.20/24 -IPv6Address fd00::20/64 -ASNumber 64513 }
            $node = New-DscInstance CalicoNode (@{ Name = 'node3'; IPv6Address = ''; ASNumber = '' } + $Store)
            $node.FindDrift() | Should -Be @('IPv6Address', 'ASNumber')
            $node.Set()
            $stored = Invoke-InStore $Store { Get-CalicoNode node3 }
            $stored.IPv6Address | Should -BeNullOrEmpty
            $stored.ASNumber | Should -BeNullOrEmpty
            $stored.IPv4Address | Should -Be '10.0.3.20/24'
            $node.Test() | Should -BeTrue
        }

        It 'compares addresses and AS numbers by value, not by spelling' {
            Invoke-InStore $Store { New-CalicoNode node4 -IPv4Address 10.0.4.1/24 -IPv6Address fd00::1/64 -ASNumber 65546 }
            (New-DscInstance CalicoNode (@{ Name = 'node4'; IPv6Address = 'FD00:0::1/64'; ASNumber = '1.10' } + $Store)).Test() | Should -BeTrue
            (New-DscInstance CalicoNode (@{ Name = 'node4'; IPv6Address = 'fd00::1/96' } + $Store)).Test() | Should -BeFalse
        }

        It 'Ensure Absent removes the node' {
            Invoke-InStore $Store { New-CalicoNode node5 -IPv4Address 10.0.5.1/24 }
            $absent = New-DscInstance CalicoNode (@{ Name = 'node5'; Ensure = 'Absent' } + $Store)
            $absent.Set()
            Invoke-InStore $Store { Get-CalicoNode } | Should -BeNullOrEmpty
            $absent.Test() | Should -BeTrue
        }
    }
}

Describe 'Which datastore a resource instance uses' {
    BeforeAll {
        $script:Etcd = Start-TestEtcd
    }
    AfterAll {
        Stop-TestEtcd $script:Etcd
    }

    It 'one configuration converges the same pool in two datastores, each from its own settings' {
        $file = New-TestStoreSettings -Kind file
        $etcd = New-TestStoreSettings -Kind etcd -Etcd $Etcd
        $inFile = New-DscInstance CalicoIPPool (@{ Name = 'pool'; Cidr = '10.10.0.0/16'; IPIPMode = 'Always' } + $file)
        $inEtcd = New-DscInstance CalicoIPPool (@{ Name = 'pool'; Cidr = '10.10.0.0/16'; IPIPMode = 'CrossSubnet' } + $etcd)
        $inFile.Set()
        $inEtcd.Set()
        (Invoke-InStore $file { Get-CalicoIPPool pool }).IPIPMode | Should -Be 'Always'
        (Invoke-InStore $etcd { Get-CalicoIPPool pool }).IPIPMode | Should -Be 'CrossSubnet'
        $inFile.Test() | Should -BeTrue
        $inEtcd.Test() | Should -BeTrue
        # Each operation disconnects afterwards: the session is back on the normal configuration.
        (Get-CalicoDatastore).Connected | Should -BeFalse
    }

    It 'an instance without datastore settings uses the module''s normal configuration' {
        $path = Use-TestDatastore -Kind file
        try {
            (New-DscInstance CalicoIPPool @{ Name = 'pool'; Cidr = '10.30.0.0/16' }).Set()
            (Get-CalicoIPPool pool).Cidr | Should -Be '10.30.0.0/16'
            (Get-CalicoDatastore).Location | Should -BeLike "*$path*"
        }
        finally { Remove-Item env:CALICO_DATASTORE_TYPE, env:CALICO_FILE_DATASTORE_PATH -ErrorAction Ignore }
    }

    It 'refuses DatastorePath together with EtcdEndpoints, naming both' {
        $pool = New-DscInstance CalicoIPPool @{ Name = 'pool'; DatastorePath = '/tmp/x'; EtcdEndpoints = $Etcd.Endpoint }
        { $pool.Get() } | Should -Throw '*DatastorePath*EtcdEndpoints*'
    }

    It 'fails rather than report Absent when the datastore cannot be reached' {
        $pool = New-DscInstance CalicoIPPool @{ Name = 'pool'; EtcdEndpoints = "http://127.0.0.1:$(Get-FreeTcpPort)" }
        { $pool.Get() } | Should -Throw
        { $pool.Test() } | Should -Throw
    }
}

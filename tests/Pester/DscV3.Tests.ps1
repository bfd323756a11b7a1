BeforeAll {
    . $PSScriptRoot/DscCommon.ps1

    # What DSC v3 requires of every run: stderr holds only trace lines, one JSON object with one level each.
    function Assert-TraceLines($Run) {
        foreach ($trace in $Run.Traces) {
            $trace.Keys.Count | Should -Be 1 -Because "every stderr line is one DSC trace message: $($trace | ConvertTo-Json -Compress)"
            @($trace.Keys)[0] | Should -BeIn @('error', 'warn', 'info', 'debug', 'trace')
        }
    }

    # A run that succeeded: exit 0, no error trace; its stdout lines parsed.
    function Invoke-Ok([string] $Resource, [string] $Operation, [hashtable] $Instance) {
        $json = $Instance ? ($Instance | ConvertTo-Json -Compress) : ''
        $run = Invoke-DscScript -Resource $Resource -Operation $Operation -InputJson $json
        Assert-TraceLines $run
        $run.Errors | Should -BeNullOrEmpty
        $run.ExitCode | Should -Be 0
        # DSC checks what a resource returns against its instance schema; so do we (the array of names is no instance).
        if (Get-PublishedManifestSchemaPath) {
            foreach ($line in $run.Stdout | Where-Object { $_.StartsWith('{') }) {
                Test-DscInstance $Resource $line -ErrorAction SilentlyContinue -ErrorVariable problems |
                    Should -BeTrue -Because "$line is what $Operation returned: $problems"
            }
        }
        , @($run.Stdout | ForEach-Object { ConvertFrom-Json $_ -AsHashtable -NoEnumerate })
    }

    # A run that must fail: the exit code, nothing on stdout, and one error trace, which is returned.
    function Invoke-Failing([string] $Resource, [string] $Operation, [string] $Json, [int] $ExitCode) {
        $run = Invoke-DscScript -Resource $Resource -Operation $Operation -InputJson $Json
        Assert-TraceLines $run
        $run.ExitCode | Should -Be $ExitCode
        $run.Stdout | Should -BeNullOrEmpty
        $run.Errors.Count | Should -Be 1
        $run.Errors[0]
    }
}

Describe 'The DSC v3 resources (calico-dsc.ps1) on the <Kind> datastore' -ForEach @(@{ Kind = 'file' }, @{ Kind = 'etcd' }) {
    BeforeAll {
        $script:Etcd = if ($Kind -eq 'etcd') { Start-TestEtcd }
    }
    AfterAll {
        Stop-TestEtcd $script:Etcd
    }
    BeforeEach {
        $script:Store = New-TestStoreSettings -Kind $Kind -Etcd $script:Etcd
        # The same store in the JSON names of the instance schema.
        $script:JsonStore = if ($Store.DatastorePath) { @{ datastorePath = $Store.DatastorePath } } else { @{ etcdEndpoints = $Store.EtcdEndpoints } }
        $script:Seed = @{ name = 'seed-pool'; cidr = '192.168.0.0/16'; ipipMode = 'CrossSubnet'; natOutgoing = $true } + $JsonStore
    }

    It 'get, test, set, set again: absent, out of the desired state, created, nothing written' {
        $get = Invoke-Ok IPPool get $Seed
        $get.Count | Should -Be 1
        $get[0]._exist | Should -BeFalse
        $get[0].name | Should -Be 'seed-pool'
        $get[0].Keys | Should -Not -Contain 'cidr'

        $test = Invoke-Ok IPPool test $Seed
        $test.Count | Should -Be 2
        $test[0]._inDesiredState | Should -BeFalse
        $test[1] | Should -Be @('_exist')

        $set = Invoke-Ok IPPool set $Seed
        $set[0]._exist | Should -BeTrue
        $set[0].ipipMode | Should -Be 'CrossSubnet'
        $set[0].blockSize | Should -Be 26
        $set[1] | Should -Be @('_exist')
        $stored = Invoke-InStore $Store { Get-CalicoIPPool seed-pool }
        $stored.IPIPMode | Should -Be 'CrossSubnet'
        $stored.NatOutgoing | Should -BeTrue
        $set[0].resourceVersion | Should -Be $stored.ResourceVersion

        $again = Invoke-Ok IPPool set $Seed
        $again.Count | Should -Be 2
        $again[1].Count | Should -Be 0
        $again[0].resourceVersion | Should -Be $stored.ResourceVersion
        (Invoke-InStore $Store { Get-CalicoIPPool seed-pool }).ResourceVersion | Should -Be $stored.ResourceVersion

        $test = Invoke-Ok IPPool test $Seed
        $test[0]._inDesiredState | Should -BeTrue
        $test.Count | Should -Be 2
        $test[1].Count | Should -Be 0
    }

    It 'export writes one line per pool and per node, each a valid instance' {
        Invoke-InStore $Store {
            New-CalicoIPPool -Name pool-a -Cidr 10.10.0.0/16 -IPIPMode Always
            New-CalicoIPPool -Name pool-b -Cidr 10.20.0.0/16 -NatOutgoing
            New-CalicoNode node1 -IPv4Address 10.0.2.15/24
        }
        $pools = Invoke-Ok IPPool export $JsonStore
        $pools.name | Should -Be @('pool-a', 'pool-b')
        $pools[1].natOutgoing | Should -BeTrue
        $pools._exist | Should -Be @($true, $true)
        $nodes = Invoke-Ok Node export $JsonStore
        $nodes.name | Should -Be @('node1')
        $nodes[0].ipv4Address | Should -Be '10.0.2.15/24'
    }

}

# Each run starts a pwsh, so the rest runs on the file store only; the resources' behaviour on etcd is covered by
# DscResources.Tests.ps1, and the cycle above shows the script reaching etcd.
Describe 'The DSC v3 resources (calico-dsc.ps1): drift, removal, nodes, the cross-subnet guard' {
    BeforeEach {
        $script:Store = New-TestStoreSettings -Kind file
        $script:JsonStore = @{ datastorePath = $Store.DatastorePath }
        $script:Seed = @{ name = 'seed-pool'; cidr = '192.168.0.0/16'; ipipMode = 'CrossSubnet'; natOutgoing = $true } + $JsonStore
    }

    It 'test names what drifted behind its back, and set repairs just that' {
        Invoke-Ok IPPool set $Seed | Out-Null
        Invoke-InStore $Store { Set-CalicoIPPool -Name seed-pool -IPIPMode Always -Disabled }
        $test = Invoke-Ok IPPool test $Seed
        $test[0]._inDesiredState | Should -BeFalse
        $test[0].ipipMode | Should -Be 'Always'
        $test[1] | Should -Be @('ipipMode')
        $set = Invoke-Ok IPPool set $Seed
        $set[1] | Should -Be @('ipipMode')
        $stored = Invoke-InStore $Store { Get-CalicoIPPool seed-pool }
        $stored.IPIPMode | Should -Be 'CrossSubnet'
        $stored.Disabled | Should -BeTrue
    }

    It 'set with _exist false removes the pool; get then reports it absent' {
        Invoke-Ok IPPool set $Seed | Out-Null
        $set = Invoke-Ok IPPool set (@{ name = 'seed-pool'; _exist = $false } + $JsonStore)
        $set[0]._exist | Should -BeFalse
        $set[1] | Should -Be @('_exist')
        Invoke-InStore $Store { Get-CalicoIPPool } | Should -BeNullOrEmpty
        (Invoke-Ok IPPool test (@{ name = 'seed-pool'; _exist = $false } + $JsonStore))[0]._inDesiredState | Should -BeTrue
    }

    It 'a node: set with its subnet, null removes the IPv6 address and the own AS number' {
        $set = Invoke-Ok Node set (@{ name = 'node1'; ipv4Address = '10.0.2.15/24'; ipv6Address = 'fd00::15/64'; asNumber = 64513 } + $JsonStore)
        $set[0].ipv4Address | Should -Be '10.0.2.15/24'
        $set[0].asNumber | Should -Be 64513
        $set = Invoke-Ok Node set (@{ name = 'node1'; ipv6Address = $null; asNumber = $null } + $JsonStore)
        $set[1] | Should -Be @('ipv6Address', 'asNumber')
        $set[0].Keys | Should -Contain 'asNumber'
        $set[0].asNumber | Should -BeNullOrEmpty
        $set[0].ipv6Address | Should -BeNullOrEmpty
        $stored = Invoke-InStore $Store { Get-CalicoNode node1 }
        $stored.IPv6Address | Should -BeNullOrEmpty
        $stored.ASNumber | Should -BeNullOrEmpty
        $stored.IPv4Address | Should -Be '10.0.2.15/24'
    }

    It 'set fails with the cross-subnet guard''s message, exit code 1, nothing on stdout, the pool unchanged' {
        Invoke-InStore $Store {
            New-CalicoNode node2 -IPv4Address 10.0.2.10/32
            New-CalicoIPPool -Name seed-pool -Cidr 192.168.0.0/16 -IPIPMode Always
        }
        $before = (Invoke-InStore $Store { Get-CalicoIPPool seed-pool }).ResourceVersion
        $message = Invoke-Failing IPPool set ($Seed | ConvertTo-Json -Compress) 1
        $message | Should -Match 'cannot become CrossSubnet'
        $message | Should -Match 'node2: stored as 10.0.2.10/32'
        (Invoke-InStore $Store { Get-CalicoIPPool seed-pool }).ResourceVersion | Should -Be $before
    }
}

Describe 'calico-dsc.ps1 refuses invalid input: exit code 2, a clear error, nothing written' {
    BeforeAll {
        # A store directory that must never come into being: nothing is written for invalid input.
        $script:Untouched = Join-Path ([IO.Path]::GetTempPath()) "calico-pester-dsc-untouched-$([guid]::NewGuid().ToString('n'))"
        $script:At = ',"datastorePath":"' + $Untouched + '"'
    }
    AfterEach {
        $Untouched | Should -Not -Exist
    }

    It 'input that is not JSON' {
        Invoke-Failing IPPool get 'name: seed-pool' 2 | Should -Match 'not JSON'
    }

    It 'JSON that is not an object' {
        Invoke-Failing IPPool set '["seed-pool"]' 2 | Should -Match 'must be a JSON object'
    }

    It 'no input for get, test and set' {
        Invoke-Failing IPPool test '' 2 | Should -Match 'needs a Calico/IPPool instance as JSON on stdin'
    }

    It 'no name' {
        Invoke-Failing Node set ('{"ipv4Address":"10.0.2.15/24"' + $At + '}') 2 | Should -Match 'no name'
    }

    It 'a property the resource does not have, naming it and the ones it has' {
        $message = Invoke-Failing IPPool set ('{"name":"p","cidr":"10.0.0.0/16","ipip":"Always"' + $At + '}') 2
        $message | Should -Match 'does not have: ipip'
        $message | Should -Match 'ipipMode'
    }

    It 'a value outside the choices, naming the property, the value and the choices' {
        $message = Invoke-Failing IPPool set ('{"name":"p","cidr":"10.0.0.0/16","ipipMode":"Sometimes"' + $At + '}') 2
        $message | Should -Match "/ipipMode"
        $message | Should -Match '"Sometimes"'
        $message | Should -Match 'Always, CrossSubnet, Never'
    }

    It 'a value of the wrong type' {
        $message = Invoke-Failing Node set ('{"name":"n","asNumber":"many"' + $At + '}') 2
        $message | Should -Match '/asNumber'
    }

    It 'an _exist that is not a boolean (the canonical property''s published definition)' {
        Invoke-Failing Node set ('{"name":"n","_exist":"yes"' + $At + '}') 2 | Should -Match '/_exist'
    }

    It 'export with anything but the datastore' {
        Invoke-Failing IPPool export ('{"name":"p"' + $At + '}') 2 | Should -Match 'export takes only the datastore'
    }

    It 'datastorePath together with etcdEndpoints' {
        Invoke-Failing IPPool set ('{"name":"p","cidr":"10.0.0.0/16","etcdEndpoints":"http://127.0.0.1:1"' + $At + '}') 2 |
            Should -Match 'DatastorePath.*EtcdEndpoints'
    }

    It 'an operation the resources do not have' {
        Invoke-Failing IPPool delete ('{"name":"p"' + $At + '}') 2 | Should -Match '-Operation must be one of get, set, test, export'
    }
}

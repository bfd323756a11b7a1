# The analysis cmdlets on the seed's lab: Get-CalicoRoute, Get-CalicoIPAMBlock, Get-CalicoIPAMAddress,
# Test-CalicoNetwork, and the route preview that -WhatIf adds to Set-CalicoIPPool and Import-CalicoResource.

BeforeAll {
    . $PSScriptRoot/Common.ps1

    # The module's own client (shared by the cmdlets: never disposed here), for what no cmdlet writes (IPAM
    # assignments, unreadable values).
    function Get-CoreClient { [Calico.PowerShell.CalicoSession]::Client }

    # The seed's lab: node1 10.0.2.15 and node2 10.0.2.10 on lanA, node3 10.0.3.20 on lanB, pool 192.168.0.0/16,
    # each node's IPIP tunnel address first in its block; pods web-0 on node1 and web-1 on node3, and web-2 on node3
    # borrowed from node1's block.
    function New-SeedLab([string] $Mode = 'CrossSubnet', [string] $Node2 = '10.0.2.10/24') {
        $addresses = [ordered]@{ node1 = '10.0.2.15/24'; node2 = $Node2; node3 = '10.0.3.20/24' }
        $i = 0
        foreach ($node in $addresses.Keys) {
            $i++
            New-NodeManifest $node $addresses[$node] "192.168.$i.0" | Import-CalicoResource -Force | Out-Null
        }
        Set-CalicoIPPool -Cidr 192.168.0.0/16 -IPIPMode $Mode -NatOutgoing -Force
        $client = Get-CoreClient
        foreach ($n in 1..3) { Add-Address $client "192.168.$n.0" "node$n" "ipip-tunnel-addr-node$n" @{ type = 'ipipTunnelAddress' } }
        Add-Address $client 192.168.1.1 node1 k8s-pod-network.web-0 @{ pod = 'web-0'; namespace = 'default' }
        Add-Address $client 192.168.3.1 node3 k8s-pod-network.web-1 @{ pod = 'web-1'; namespace = 'default' }
        Add-Address $client 192.168.1.5 node3 k8s-pod-network.web-2 @{ pod = 'web-2'; namespace = 'default' }
    }

    function New-NodeManifest([string] $Name, [string] $Address, [string] $Tunnel) {
        "apiVersion: projectcalico.org/v3`nkind: Node`nmetadata: {name: $Name}`nspec: {bgp: {ipv4Address: $Address, ipv4IPIPTunnelAddr: $Tunnel}}"
    }

    function Add-Address($Client, $Address, $Node, $Handle, [hashtable] $More) {
        $attributes = [System.Collections.Generic.Dictionary[string, string]]::new()
        $attributes['node'] = $Node
        foreach ($key in $More.Keys) { $attributes[$key] = $More[$key] }
        $arguments = [Calico.Ipam.AssignIPArgs]@{ Address = $Address; Host = $Node; HandleId = $Handle; Attributes = $attributes }
        $Client.Ipam.AssignIPAsync($arguments).GetAwaiter().GetResult() | Out-Null
    }

    # Stores bytes that are no readable value, as a broken writer might.
    function Set-Garbage([string] $Key) {
        (Get-CoreClient).Store.CreateAsync($Key, [Text.Encoding]::UTF8.GetBytes('{not json')).GetAwaiter().GetResult() | Out-Null
    }

    function Get-TableHeader([Parameter(ValueFromPipeline)] $InputObject) {
        begin { $all = @() }
        process { $all += $InputObject }
        end { @((($all | Format-Table | Out-String -Width 300) -split "`r?`n" | Where-Object { $_.Trim() })[0].Trim() -split '\s+') }
    }

    # -WhatIf text goes to the host, not to a stream: run the command in a child pwsh on the same datastore.
    function Get-WhatIfText([string] $Command) {
        $result = Invoke-FreshPwsh "Import-Module '$env:CALICO_TEST_MODULE'; $Command"
        $result.Output -join "`n"
    }
}

Describe 'the analysis cmdlets in the <Kind> datastore' -ForEach @(@{ Kind = 'file' }, @{ Kind = 'etcd' }) {
    BeforeAll {
        $script:Etcd = if ($Kind -eq 'etcd') { Start-TestEtcd }
    }
    AfterAll {
        Stop-TestEtcd $script:Etcd
    }
    BeforeEach {
        $null = Use-TestDatastore -Kind $Kind -Etcd $script:Etcd
        New-SeedLab
    }

    Context 'Get-CalicoRoute' {
        It 'plans every node, by node then destination, with the reason for each route' {
            $routes = Get-CalicoRoute
            $routes | Should -HaveCount 11
            ($routes | ForEach-Object { "$($_.Node) $($_.Route)" }) | Should -Be @(
                'node1 blackhole 192.168.1.0/26 proto 80'
                'node1 192.168.1.5/32 via 10.0.3.20 dev tunl0 onlink proto 80 mtu 1440'
                'node1 192.168.2.0/26 via 10.0.2.10 dev <host-interface> onlink proto 80'
                'node1 192.168.3.0/26 via 10.0.3.20 dev tunl0 onlink proto 80 mtu 1440'
                'node2 192.168.1.0/26 via 10.0.2.15 dev <host-interface> onlink proto 80'
                'node2 192.168.1.5/32 via 10.0.3.20 dev tunl0 onlink proto 80 mtu 1440'
                'node2 blackhole 192.168.2.0/26 proto 80'
                'node2 192.168.3.0/26 via 10.0.3.20 dev tunl0 onlink proto 80 mtu 1440'
                'node3 192.168.1.0/26 via 10.0.2.15 dev tunl0 onlink proto 80 mtu 1440'
                'node3 192.168.2.0/26 via 10.0.2.10 dev tunl0 onlink proto 80 mtu 1440'
                'node3 blackhole 192.168.3.0/26 proto 80')
            $toNode3 = $routes | Where-Object { $_.Node -eq 'node1' -and $_.Destination -eq '192.168.3.0/26' }
            $toNode3.Encapsulated | Should -BeTrue
            $toNode3.Type | Should -Be 'IPIP'
            $toNode3.RemoteNode | Should -Be 'node3'
            $toNode3.Reason | Should -Be "IPIP CrossSubnet: node3 (10.0.3.20) is outside this node's subnet 10.0.2.0/24, so tunnelled"
        }

        It 'plans the nodes named, with wildcards, and those piped in' {
            (Get-CalicoRoute -Node 'node[12]').Node | Select-Object -Unique | Should -Be @('node1', 'node2')
            (Get-CalicoNode node3 | Get-CalicoRoute).Node | Select-Object -Unique | Should -Be 'node3'
        }

        It 'reports a plain name that is no node and plans the others' {
            $routes = Get-CalicoRoute -Node node1, nope -ErrorVariable err -ErrorAction SilentlyContinue
            ($routes.Node | Select-Object -Unique) | Should -Be 'node1'
            $err | Should -HaveCount 1
            $err[0].FullyQualifiedErrorId | Should -Be 'ResourceNotFound,Calico.PowerShell.Commands.GetCalicoRouteCommand'
            $err[0].TargetObject | Should -Be 'nope'
        }

        It 'gives, for an address, the one route each node would use' {
            $routes = Get-CalicoRoute -Destination 192.168.1.5
            ($routes | ForEach-Object { "$($_.Node) $($_.Destination) $($_.Type)" }) | Should -Be @(
                'node1 192.168.1.5/32 IPIP', 'node2 192.168.1.5/32 IPIP', 'node3 192.168.1.0/26 IPIP')
        }

        It 'gives, for a CIDR, every route overlapping it' {
            (Get-CalicoRoute -Node node1 -Destination 192.168.1.0/24).Destination.ForEach({ "$_" }) | Should -Be @('192.168.1.0/26', '192.168.1.5/32')
        }

        It 'stops on a destination that is no address' {
            { Get-CalicoRoute -Destination nowhere -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidDestination,Calico.PowerShell.Commands.GetCalicoRouteCommand'
        }

        It 'warns once about a node stored without its subnet and the asymmetric pair it makes' {
            Set-CalicoNode -Name node2 -IPv4Address 10.0.2.10/32
            $routes = Get-CalicoRoute -WarningVariable warnings -WarningAction SilentlyContinue
            ($routes | Where-Object { $_.Node -eq 'node2' -and $_.Destination -eq '192.168.1.0/26' }).Type | Should -Be 'IPIP'
            ($routes | Where-Object { $_.Node -eq 'node1' -and $_.Destination -eq '192.168.2.0/26' }).Type | Should -Be 'Direct'
            $texts = $warnings | ForEach-Object Message
            $texts | Should -Contain "node2: this node's ipv4Address is stored as 10.0.2.10/32, with no subnet: CrossSubnet cannot tell same-subnet peers, so it tunnels to every peer (the pre-v2.1 problem); store the address with its prefix"
            @($texts | Where-Object { $_ -like 'node1: asymmetric under CrossSubnet*' }) | Should -HaveCount 1
            $texts | Select-Object -Unique | Should -HaveCount $texts.Count
        }

        It 'reports an unreadable block and still plans from the rest' {
            Set-Garbage '/calico/ipam/v2/assignment/ipv4/block/192.168.9.0-26'
            $routes = Get-CalicoRoute -Node node1 -ErrorVariable err -ErrorAction SilentlyContinue
            $routes | Should -HaveCount 4
            $err | Should -HaveCount 1
            $err[0].FullyQualifiedErrorId | Should -Be 'DatastoreCorrupt,Calico.PowerShell.Commands.GetCalicoRouteCommand'
            $err[0].TargetObject | Should -Be '/calico/ipam/v2/assignment/ipv4/block/192.168.9.0-26'
        }

        It 'shows a table of node, destination, gateway, device, encapsulation and reason' {
            Get-CalicoRoute -Node node1 | Get-TableHeader | Should -Be @('Node', 'Destination', 'Gateway', 'Device', 'Encapsulated', 'Reason')
        }
    }

    Context 'Get-CalicoIPAMBlock' {
        It 'lists every block with its host, pool, use and borrowers' {
            $blocks = Get-CalicoIPAMBlock
            ($blocks | ForEach-Object { "$($_.Cidr) $($_.Host) $($_.Pool) $($_.Size) $($_.InUse) $($_.Free) $($_.BorrowedBy -join ',')" }) | Should -Be @(
                '192.168.1.0/26 node1 192-168-0-0-16 64 3 61 node3'
                '192.168.2.0/26 node2 192-168-0-0-16 64 1 63 '
                '192.168.3.0/26 node3 192-168-0-0-16 64 2 62 ')
            $blocks[0].BorrowedAddresses[0].Address | Should -Be '192.168.1.5'
        }

        It 'filters by node, pool, address and CIDR, and takes pools from the pipeline' {
            (Get-CalicoIPAMBlock -Node node2).Cidr.ToString() | Should -Be '192.168.2.0/26'
            (Get-CalicoIPAMBlock -Node 'node[13]').Host | Should -Be @('node1', 'node3')
            Get-CalicoIPAMBlock -Pool other | Should -BeNullOrEmpty
            @(Get-CalicoIPAMBlock -Pool '192-*') | Should -HaveCount 3
            (Get-CalicoIPAMBlock -Cidr 192.168.3.7).Host | Should -Be 'node3'
            (Get-CalicoIPAMBlock -Cidr 192.168.2.0/23).Host | Should -Be @('node2', 'node3')
            @(Get-CalicoIPPool | Get-CalicoIPAMBlock) | Should -HaveCount 3
        }

        It 'reports an address that is no address' {
            Get-CalicoIPAMBlock -Cidr 192.168.1 -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
            $err[0].FullyQualifiedErrorId | Should -Be 'InvalidAddress,Calico.PowerShell.Commands.GetCalicoIPAMBlockCommand'
        }

        It 'reports an unreadable block and still lists the others' {
            Set-Garbage '/calico/ipam/v2/assignment/ipv4/block/192.168.9.0-26'
            $blocks = Get-CalicoIPAMBlock -ErrorVariable err -ErrorAction SilentlyContinue
            $blocks | Should -HaveCount 3
            $err | Should -HaveCount 1
            $err[0].FullyQualifiedErrorId | Should -Be 'DatastoreCorrupt,Calico.PowerShell.Commands.GetCalicoIPAMBlockCommand'
            $err[0].CategoryInfo.Category | Should -Be 'InvalidData'
        }

        It 'shows a table of CIDR, host, pool, size, use and borrowers' {
            Get-CalicoIPAMBlock | Get-TableHeader | Should -Be @('CIDR', 'Host', 'Pool', 'Size', 'InUse', 'Free', 'BorrowedBy')
        }
    }

    Context 'Get-CalicoIPAMAddress' {
        It 'lists every assigned address with its handle, node, type and block' {
            $addresses = Get-CalicoIPAMAddress
            ($addresses | ForEach-Object { "$($_.Address) $($_.Node) $($_.Type) $($_.Handle) $($_.Block) $($_.Borrowed)" }) | Should -Be @(
                '192.168.1.0 node1 ipipTunnelAddress ipip-tunnel-addr-node1 192.168.1.0/26 False'
                '192.168.1.1 node1 pod k8s-pod-network.web-0 192.168.1.0/26 False'
                '192.168.1.5 node3 pod k8s-pod-network.web-2 192.168.1.0/26 True'
                '192.168.2.0 node2 ipipTunnelAddress ipip-tunnel-addr-node2 192.168.2.0/26 False'
                '192.168.3.0 node3 ipipTunnelAddress ipip-tunnel-addr-node3 192.168.3.0/26 False'
                '192.168.3.1 node3 pod k8s-pod-network.web-1 192.168.3.0/26 False')
            ($addresses | Where-Object Address -EQ 192.168.1.5).Attributes['pod'] | Should -Be 'web-2'
        }

        It 'filters by node, handle and address, and takes blocks from the pipeline' {
            # Not .Address: an array's own Address() method would win over member enumeration.
            (Get-CalicoIPAMAddress -Node node3 | ForEach-Object { "$($_.Address)" }) | Should -Be @('192.168.1.5', '192.168.3.0', '192.168.3.1')
            (Get-CalicoIPAMAddress -Handle 'ipip-tunnel-addr-*').Node | Should -Be @('node1', 'node2', 'node3')
            (Get-CalicoIPAMAddress -Address 192.168.3.1).Handle | Should -Be 'k8s-pod-network.web-1'
            @(Get-CalicoIPAMAddress -Address 192.168.1.0/29) | Should -HaveCount 3
            (Get-CalicoIPAMBlock -Node node2 | Get-CalicoIPAMAddress).Address.ToString() | Should -Be '192.168.2.0'
        }

        It 'reports an address that is no address' {
            Get-CalicoIPAMAddress -Address 300.1.1.1 -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
            $err[0].FullyQualifiedErrorId | Should -Be 'InvalidAddress,Calico.PowerShell.Commands.GetCalicoIPAMAddressCommand'
        }

        It 'shows a table of address, node, type, handle, block and whether it is borrowed' {
            Get-CalicoIPAMAddress | Get-TableHeader | Should -Be @('Address', 'Node', 'Type', 'Handle', 'Block', 'Borrowed')
        }
    }

    Context 'Test-CalicoNetwork' {
        It 'finds nothing wrong with the seed lab' {
            Test-CalicoNetwork | Should -BeNullOrEmpty
            Test-CalicoNetwork -Quiet | Should -BeTrue
        }

        It 'finds a node stored without its subnet, and the pair it makes asymmetric' {
            Set-CalicoNode -Name node2 -IPv4Address 10.0.2.10/32
            $findings = Test-CalicoNetwork
            ($findings | ForEach-Object { "$($_.Severity) $($_.Check) $($_.Subject)" }) | Should -Be @('Error NodeSubnet node2', 'Warning AsymmetricPair node1 <-> node2')
            $findings[0].Fix | Should -BeLike 'Set-CalicoNode -Name node2 -IPv4Address 10.0.2.10/<prefix length of its subnet>*'
            Test-CalicoNetwork -Quiet | Should -BeFalse
            (Test-CalicoNetwork -Check AsymmetricPair).Check | Should -Be 'AsymmetricPair'
            Test-CalicoNetwork -Check AsymmetricPair -Quiet | Should -BeTrue
        }

        It 'finds the workloads a Never pool leaves unreachable' {
            Set-CalicoIPPool -Cidr 192.168.0.0/16 -IPIPMode Never
            (Test-CalicoNetwork -Check Reachability).Subject | Should -Be @('node1', 'node2', 'node3')
        }

        It 'reports an unreadable node and checks the rest' {
            Set-Garbage '/calico/resources/v3/projectcalico.org/nodes/broken'
            Test-CalicoNetwork -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
            $err | Should -HaveCount 1
            $err[0].FullyQualifiedErrorId | Should -Be 'DatastoreCorrupt,Calico.PowerShell.Commands.TestCalicoNetworkCommand'
            $err[0].TargetObject | Should -Be '/calico/resources/v3/projectcalico.org/nodes/broken'
        }

        It 'shows a table of severity, check, subject and message' {
            Set-CalicoNode -Name node2 -IPv4Address 10.0.2.10/32
            Test-CalicoNetwork | Get-TableHeader | Should -Be @('Severity', 'Check', 'Subject', 'Message')
        }
    }

    Context 'the route preview of -WhatIf' {
        It 'Set-CalicoIPPool -WhatIf shows the lanA pair switching to direct and writes nothing' {
            Set-CalicoIPPool -Cidr 192.168.0.0/16 -IPIPMode Always
            $text = Get-WhatIfText 'Set-CalicoIPPool -Cidr 192.168.0.0/16 -IPIPMode CrossSubnet -WhatIf'
            $text | Should -BeLike '*What if: Update IPPool 192-168-0-0-16 (192.168.0.0/16): spec.ipipMode: Always → CrossSubnet*'
            $text | Should -BeLike '*Routes that would change: node1 1, node2 1, node3 0*'
            $text | Should -BeLike "*node1: 192.168.2.0/26 via 10.0.2.10 dev tunl0 (IPIP) → via 10.0.2.10 (direct) (IPIP CrossSubnet: node2 (10.0.2.10) is in this node's subnet 10.0.2.0/24, so sent unencapsulated)*"
            (Get-CalicoIPPool).IPIPMode | Should -Be 'Always'
        }

        It 'Set-CalicoIPPool -WhatIf shows what Never leaves unreachable' {
            $text = Get-WhatIfText 'Set-CalicoIPPool -Cidr 192.168.0.0/16 -IPIPMode Never -WhatIf'
            $text | Should -BeLike '*Routes that would change: node1 2, node2 2, node3 2*'
            $text | Should -BeLike "*node1: 192.168.3.0/26 via 10.0.3.20 dev tunl0 (IPIP) → unreachable (Never: node3 (10.0.3.20) is outside this node's subnet 10.0.2.0/24; unencapsulated traffic to it needs BGP or a fabric route, so unreachable without BGP)*"
        }

        It 'Import-CalicoResource -WhatIf previews each item on top of the ones before it' {
            Set-CalicoIPPool -Cidr 192.168.0.0/16 -IPIPMode Always
            $manifest = ($SeedCrossSubnet, (New-NodeManifest node2 10.0.2.10/32 192.168.2.0)) -join "`n---`n"
            Set-Content -LiteralPath (Join-Path $TestDrive 'change.yaml') -Value $manifest
            $text = Get-WhatIfText "Import-CalicoResource -LiteralPath '$(Join-Path $TestDrive 'change.yaml')' -WhatIf -Force"
            $text | Should -BeLike '*Routes that would change: node1 1, node2 1, node3 0*'
            # node2 loses its subnet after the pool became CrossSubnet: it tunnels to node1 again.
            $text | Should -BeLike '*Routes that would change: node1 0, node2 1, node3 0*node2: 192.168.1.0/26 via 10.0.2.15 (direct) → via 10.0.2.15 dev tunl0 (IPIP) (IPIP CrossSubnet: local node has no subnet (stored as 10.0.2.10/32)*'
            (Get-CalicoIPPool).IPIPMode | Should -Be 'Always'
            (Get-CalicoNode node2).IPv4Address | Should -Be '10.0.2.10/24'
        }

        It 'adds nothing to a change made without -WhatIf or -Confirm' {
            $result = Invoke-FreshPwsh "Import-Module '$env:CALICO_TEST_MODULE'; Set-CalicoIPPool -Cidr 192.168.0.0/16 -IPIPMode Always -Verbose 4>&1"
            ($result.Output -join "`n") | Should -Not -BeLike '*Routes that would change*'
            (Get-CalicoIPPool).IPIPMode | Should -Be 'Always'
        }
    }
}

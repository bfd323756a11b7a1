BeforeAll {
    . $PSScriptRoot/Common.ps1

    # The node table as calicoctl get nodes -o wide prints it (NAME ASN IPV4 IPV6), plus SUBNET; cells compared by word.
    function Get-TableRows([Parameter(ValueFromPipeline)] $InputObject) {
        begin { $all = @() }
        process { $all += $InputObject }
        end {
            ($all | Format-Table | Out-String -Width 200) -split "`r?`n" |
                Where-Object { $_.Trim() -and $_ -notmatch '^[-\s]+$' } |
                ForEach-Object { , @($_.Trim() -split '\s+') }
        }
    }
}

Describe 'IP pools and nodes in the <Kind> datastore' -ForEach @(@{ Kind = 'file' }, @{ Kind = 'etcd' }) {
    BeforeAll {
        $script:Etcd = if ($Kind -eq 'etcd') { Start-TestEtcd }
    }
    AfterAll {
        Stop-TestEtcd $script:Etcd
    }
    BeforeEach {
        $script:Where = Use-TestDatastore -Kind $Kind -Etcd $script:Etcd
    }

    Context 'the seed''s story' {
        It 'creates the seed''s pool with Set-CalicoIPPool when none exists, named as the manifest names it' {
            $pool = Set-CalicoIPPool -Cidr 192.168.0.0/16 -IPIPMode CrossSubnet -NatOutgoing -PassThru
            $pool.Name | Should -Be '192-168-0-0-16'
            $pool.IPIPMode | Should -Be 'CrossSubnet'
            $pool.NatOutgoing | Should -BeTrue
            $pool.Spec.BlockSize | Should -Be 26
            (Import-CalicoResource -Manifest $SeedCrossSubnet).Action | Should -Be 'Unchanged'
        }

        It 'applies the seed''s always manifest, then the cross-subnet one as an update of the same pool' {
            $first = $SeedAlways | Import-CalicoResource
            $first.Action | Should -Be 'Created'
            $first.Name | Should -Be '192-168-0-0-16'
            $second = $SeedCrossSubnet | Import-CalicoResource
            $second.Action | Should -Be 'Updated'
            $second.Changes.Field | Should -Be @('spec.ipipMode')
            $second.Resource.Metadata.Uid | Should -Be $first.Resource.Metadata.Uid
            (Get-CalicoIPPool).IPIPMode | Should -Be 'CrossSubnet'
        }

        It 'finds the pre-v2.1 nodes, refuses CrossSubnet until they are fixed, and fixes them through the pipeline' {
            New-CalicoNode node1 -IPv4Address 10.0.2.15/24
            New-CalicoNode node2 -IPv4Address 10.0.2.10/32
            New-CalicoNode node3 -IPv4Address 10.0.3.20/24
            Set-CalicoIPPool -Cidr 192.168.0.0/16 -IPIPMode Always -NatOutgoing

            (Get-CalicoNode -MissingSubnet).Name | Should -Be @('node2')
            Set-CalicoIPPool -Cidr 192.168.0.0/16 -IPIPMode CrossSubnet -ErrorVariable err -ErrorAction SilentlyContinue
            $err[0].FullyQualifiedErrorId | Should -Be 'NodesWithoutSubnet,Calico.PowerShell.Commands.SetCalicoIPPoolCommand'
            $err[0].Exception.Nodes.Name | Should -Be @('node2')
            $err[0].Exception.Message | Should -Match 'node2: stored as 10.0.2.10/32'
            (Get-CalicoIPPool).IPIPMode | Should -Be 'Always'

            Get-CalicoNode -MissingSubnet | Set-CalicoNode -IPv4Address 10.0.2.10/24
            Get-CalicoNode -MissingSubnet | Should -BeNullOrEmpty
            (Set-CalicoIPPool -Cidr 192.168.0.0/16 -IPIPMode CrossSubnet -PassThru).IPIPMode | Should -Be 'CrossSubnet'
        }

        It 'lets -Force override the cross-subnet guard' {
            New-CalicoNode node2 -IPv4Address 10.0.2.10/32
            (Set-CalicoIPPool -Cidr 192.168.0.0/16 -IPIPMode CrossSubnet -Force -PassThru).IPIPMode | Should -Be 'CrossSubnet'
        }
    }

    Context 'getting and filtering' {
        BeforeEach {
            New-CalicoNode node1 -IPv4Address 10.0.2.15/24 -Labels @{ zone = 'a'; rack = 'r1' }
            New-CalicoNode node2 -IPv4Address 10.0.2.10/32 -Labels @{ zone = 'a' }
            New-CalicoNode node3 -IPv4Address 10.0.3.20/24 -ASNumber 64513 -Labels @{ zone = 'b' }
            New-CalicoIPPool -Cidr 10.10.0.0/16 -Name pool-a
            New-CalicoIPPool -Cidr 10.20.0.0/16 -Name pool-b -VXLANMode Always
        }

        It 'filters nodes by subnet, missing subnet, selector and wildcard name' {
            (Get-CalicoNode -Subnet 10.0.2.0/24).Name | Should -Be @('node1', 'node2')
            (Get-CalicoNode -MissingSubnet).Name | Should -Be @('node2')
            (Get-CalicoNode -Selector 'zone == "a" && has(rack)').Name | Should -Be @('node1')
            (Get-CalicoNode -Name 'node[23]').Name | Should -Be @('node2', 'node3')
            (Get-CalicoNode | Where-Object IPv4Subnet -eq '10.0.3.0/24').Name | Should -Be 'node3'
        }

        It 'gets pools by wildcard name and by CIDR or contained address' {
            (Get-CalicoIPPool -Name pool-*).Name | Should -Be @('pool-a', 'pool-b')
            (Get-CalicoIPPool -Cidr 10.20.0.0/16).Name | Should -Be 'pool-b'
            (Get-CalicoIPPool -Cidr 10.10.7.9).Name | Should -Be 'pool-a'
        }

        It 'reports each missing name as its own error and still returns the rest' {
            $nodes = 'node1', 'nope', 'node3' | Get-CalicoNode -ErrorVariable err -ErrorAction SilentlyContinue
            $nodes.Name | Should -Be @('node1', 'node3')
            $err | Should -HaveCount 1
            $err[0].FullyQualifiedErrorId | Should -Be 'ResourceNotFound,Calico.PowerShell.Commands.GetCalicoNodeCommand'
            $err[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
            $err[0].TargetObject | Should -Be 'nope'
        }

        It 'stops quietly for Select-Object -First 1' {
            $Error.Clear()
            (Get-CalicoNode | Select-Object -First 1).Name | Should -Be 'node1'
            $Error | Should -BeNullOrEmpty
        }

        It 'prints nodes like calicoctl get nodes -o wide, with the subnet' {
            $rows = Get-CalicoNode | Get-TableRows
            $rows[0] | Should -Be @('NAME', 'ASN', 'IPV4', 'IPV6', 'SUBNET')
            $rows[1] | Should -Be @('node1', '(64512)', '10.0.2.15/24', '10.0.2.0/24')
            $rows[2] | Should -Be @('node2', '(64512)', '10.0.2.10/32')
            $rows[3] | Should -Be @('node3', '64513', '10.0.3.20/24', '10.0.3.0/24')
        }

        It 'prints pools like calicoctl get ippools -o wide' {
            $rows = Get-CalicoIPPool | Get-TableRows
            $rows[0] | Should -Be @('NAME', 'CIDR', 'NAT', 'IPIPMODE', 'VXLANMODE', 'DISABLED', 'DISABLEBGPEXPORT', 'SELECTOR', 'ASSIGNMENTMODE')
            $rows[1] | Should -Be @('pool-a', '10.10.0.0/16', 'false', 'Never', 'Never', 'false', 'false', 'all()', 'Automatic')
            $rows[2] | Should -Be @('pool-b', '10.20.0.0/16', 'false', 'Never', 'Always', 'false', 'false', 'all()', 'Automatic')
        }

        It 'shows every field with Format-List' {
            $text = Get-CalicoIPPool pool-b | Format-List | Out-String
            foreach ($field in 'Cidr', 'IPIPMode', 'VXLANMode', 'NatOutgoing', 'Disabled', 'NodeSelector', 'AssignmentMode', 'ResourceVersion') {
                $text | Should -Match "(?m)^$field\s+:"
            }
        }
    }

    Context 'changing and removing' {
        It 'changes only the given settings, and -NatOutgoing:$false turns NAT off' {
            Set-CalicoIPPool -Cidr 10.10.0.0/16 -IPIPMode Always -NatOutgoing
            $pool = Set-CalicoIPPool -Name 10-10-0-0-16 -NatOutgoing:$false -PassThru
            $pool.IPIPMode | Should -Be 'Always'
            $pool.NatOutgoing | Should -BeFalse
        }

        It 'stores a changed object from the pipeline' {
            New-CalicoIPPool -Cidr 10.10.0.0/16
            $pool = Get-CalicoIPPool
            $pool.Spec.NodeSelector = 'zone == "a"'
            ($pool | Set-CalicoIPPool -PassThru).NodeSelector | Should -Be 'zone == "a"'
        }

        It 'refuses a change Calico refuses, naming the field' {
            New-CalicoIPPool -Cidr 10.10.0.0/16
            Set-CalicoIPPool -Name 10-10-0-0-16 -Cidr 10.11.0.0/16 -ErrorVariable err -ErrorAction SilentlyContinue
            $err[0].FullyQualifiedErrorId | Should -Be 'InvalidResource,Calico.PowerShell.Commands.SetCalicoIPPoolCommand'
            $err[0].Exception.Errors.Field | Should -Contain 'spec.cidr'
            (Get-CalicoIPPool).Cidr | Should -Be '10.10.0.0/16'
        }

        It 'refuses a second pool overlapping the first' {
            New-CalicoIPPool -Cidr 10.10.0.0/16
            New-CalicoIPPool -Cidr 10.10.5.0/24 -ErrorVariable err -ErrorAction SilentlyContinue
            $err[0].Exception.Errors[0].Message | Should -Be 'IPPool(10-10-5-0-24) CIDR overlaps with IPPool(10-10-0-0-16) CIDR 10.10.0.0/16'
        }

        It 'refuses New-* for a name that exists' {
            New-CalicoNode node1
            New-CalicoNode node1 -ErrorVariable err -ErrorAction SilentlyContinue
            $err[0].FullyQualifiedErrorId | Should -Be 'ResourceAlreadyExists,Calico.PowerShell.Commands.NewCalicoNodeCommand'
        }

        It 'removes through the pipeline, and -WhatIf removes nothing' {
            New-CalicoIPPool -Cidr 10.10.0.0/16
            New-CalicoIPPool -Cidr 10.20.0.0/16
            Get-CalicoIPPool | Remove-CalicoIPPool -WhatIf
            Get-CalicoIPPool | Should -HaveCount 2
            Get-CalicoIPPool | Remove-CalicoIPPool -Confirm:$false
            Get-CalicoIPPool | Should -BeNullOrEmpty
        }

        It 'removes what exists and reports what does not, per item' {
            New-CalicoNode node1
            Remove-CalicoNode -Name node1, ghost -Confirm:$false -ErrorVariable err -ErrorAction SilentlyContinue
            Get-CalicoNode | Should -BeNullOrEmpty
            $err[0].TargetObject | Should -Be 'ghost'
        }

        It 'refuses to remove a pool that changed since it was read' {
            New-CalicoIPPool -Cidr 10.10.0.0/16
            $stale = Get-CalicoIPPool
            Set-CalicoIPPool -Name $stale.Name -NatOutgoing
            $stale | Remove-CalicoIPPool -Confirm:$false -ErrorVariable err -ErrorAction SilentlyContinue
            $err[0].FullyQualifiedErrorId | Should -Be 'ResourceConflict,Calico.PowerShell.Commands.RemoveCalicoIPPoolCommand'
            Get-CalicoIPPool | Should -HaveCount 1
        }
    }

    Context '-WhatIf tells the truth' {
        It 'names every field that would change, old → new, and writes nothing' {
            Set-CalicoIPPool -Cidr 192.168.0.0/16 -IPIPMode Always
            $before = (Get-CalicoIPPool).ResourceVersion
            $script = "Import-Module '$env:CALICO_TEST_MODULE'; Set-CalicoIPPool -Cidr 192.168.0.0/16 -IPIPMode CrossSubnet -NatOutgoing -WhatIf; `$SeedCrossSubnet = @'`n$SeedCrossSubnet`n'@; `$SeedCrossSubnet | Import-CalicoResource -WhatIf"
            $r = Invoke-FreshPwsh $script
            $r.ExitCode | Should -Be 0
            $r.Output | Should -Contain 'What if: Update IPPool 192-168-0-0-16 (192.168.0.0/16): spec.ipipMode: Always → CrossSubnet; spec.natOutgoing: (none) → true'
            ($r.Output -match '^What if: Update IPPool 192-168-0-0-16: spec.ipipMode: Always → CrossSubnet; spec.natOutgoing: \(none\) → true$') | Should -HaveCount 1
            (Get-CalicoIPPool).ResourceVersion | Should -Be $before
        }
    }

    Context 'import and export' {
        It 'imports files and directories, one result or error per document' {
            $dir = New-Item -ItemType Directory (Join-Path $TestDrive "import-$Kind")
            Set-Content (Join-Path $dir 'a.yaml') $SeedAlways
            Set-Content (Join-Path $dir 'b.yaml') "apiVersion: projectcalico.org/v3`nkind: Node`nmetadata:`n  name: node1`nspec:`n  bgp:`n    ipv4Address: 10.0.2.15/24`n---`napiVersion: projectcalico.org/v3`nkind: Node`nmetadata:`n  name: Bad_Node"
            Set-Content (Join-Path $dir 'notes.txt') 'ignored: not a manifest'
            $results = Import-CalicoResource -Path $dir -ErrorVariable err -ErrorAction SilentlyContinue
            $results.Name | Should -Be @('192-168-0-0-16', 'node1')
            $err | Should -HaveCount 1
            $err[0].FullyQualifiedErrorId | Should -Be 'InvalidResource,Calico.PowerShell.Commands.ImportCalicoResourceCommand'
            $err[0].TargetObject.Document | Should -Be 2
        }

        It 'applies a manifest''s documents as if one by one: each builds on the ones before it, reported in document order' {
            $doc = {
                param($Kind, $Name, [string] $Spec)
                "apiVersion: projectcalico.org/v3`nkind: $Kind`nmetadata:`n  name: $Name`nspec:`n$Spec"
            }
            $manifest = @(
                & $doc IPPool a "  cidr: 10.50.0.0/16"
                & $doc IPPool b "  cidr: 10.50.1.0/24"
                & $doc Node n1 "  bgp:`n    ipv4Address: 10.0.2.15/24"
                & $doc IPPool c "  cidr: 10.60.0.0/16`n  ipipMode: CrossSubnet"
                & $doc IPPool a "  cidr: 10.50.0.0/16`n  natOutgoing: true"
                & $doc IPPool c "  cidr: 10.60.0.0/16`n  ipipMode: CrossSubnet"
            ) -join "`n---`n"
            $results = $manifest | Import-CalicoResource -ErrorVariable err -ErrorAction SilentlyContinue
            $results | ForEach-Object { "$($_.Name) $($_.Action) $($_.Document)" } |
                Should -Be @('a Created 1', 'n1 Created 3', 'c Created 4', 'a Updated 5', 'c Unchanged 6')
            $err | Should -HaveCount 1
            $err[0].TargetObject.Document | Should -Be 2
            $err[0].Exception.Message | Should -Match 'overlaps with IPPool\(a\)'
            (Get-CalicoIPPool a).NatOutgoing | Should -BeTrue
            [long] $results[3].Resource.ResourceVersion | Should -BeGreaterThan ([long] $results[0].Resource.ResourceVersion)
        }

        It 'exports what Import-CalicoResource takes back' {
            Set-CalicoIPPool -Cidr 192.168.0.0/16 -IPIPMode CrossSubnet -NatOutgoing
            New-CalicoNode node1 -IPv4Address 10.0.2.15/24
            $yaml = Export-CalicoResource
            $yaml | Should -Match '(?m)^kind: List$'
            $yaml | Should -Not -Match 'resourceVersion'
            Get-CalicoIPPool | Remove-CalicoIPPool -Confirm:$false
            Remove-CalicoNode node1 -Confirm:$false
            ($yaml | Import-CalicoResource).Action | Should -Be @('Created', 'Created')
            (Get-CalicoIPPool).IPIPMode | Should -Be 'CrossSubnet'
            Export-CalicoResource -Kind Node -Format Json | ConvertFrom-Json | ForEach-Object kind | Should -Be 'NodeList'
        }
    }
}

Describe 'A datastore that cannot be reached' {
    AfterAll {
        Use-TestDatastore -Kind file | Out-Null
    }

    It 'ends an import of many documents with one terminating error that names the endpoint' {
        Disconnect-CalicoDatastore
        $env:CALICO_DATASTORE_TYPE = 'etcdv3'
        $env:CALICO_ETCD_ENDPOINTS = 'http://127.0.0.1:1'
        $manifest = (1..20 | ForEach-Object { "apiVersion: projectcalico.org/v3`nkind: IPPool`nmetadata:`n  name: p$_`nspec:`n  cidr: 10.$_.0.0/16" }) -join "`n---`n"
        $results = $null
        $failure = $null
        try {
            $results = $manifest | Import-CalicoResource -ErrorVariable err
        }
        catch {
            $failure = $_
        }
        $results | Should -BeNullOrEmpty
        $failure.FullyQualifiedErrorId | Should -Be 'DatastoreUnavailable,Calico.PowerShell.Commands.ImportCalicoResourceCommand'
        $failure.Exception.Message | Should -Match 'cannot reach etcd \(http://127\.0\.0\.1:1'
        $failure.TargetObject.Document | Should -Be 1
        $err | Should -HaveCount 1
    }
}

Describe 'Moving a cluster between stores' {
    BeforeAll {
        $script:Etcd = Start-TestEtcd
    }
    AfterAll {
        Stop-TestEtcd $script:Etcd
    }

    It 'exports from the file store and imports into etcd, keeping each resource''s identity' {
        Use-TestDatastore -Kind file | Out-Null
        Set-CalicoIPPool -Cidr 192.168.0.0/16 -IPIPMode CrossSubnet -NatOutgoing
        New-CalicoNode node1 -IPv4Address 10.0.2.15/24
        $uids = (Get-CalicoNode).Metadata.Uid
        Export-CalicoResource -Path "$TestDrive/cluster.yaml"

        Use-TestDatastore -Kind etcd -Etcd $Etcd | Out-Null
        Import-CalicoResource -Path "$TestDrive/cluster.yaml" | Should -HaveCount 2
        (Get-CalicoNode).Metadata.Uid | Should -Be $uids
        $stored = & etcdctl --endpoints $Etcd.Endpoint get /calico/resources/v3/projectcalico.org/ippools/192-168-0-0-16 --print-value-only
        ($stored | ConvertFrom-Json).spec.ipipMode | Should -Be 'CrossSubnet'
    }
}

Describe 'Completion' {
    BeforeAll {
        Use-TestDatastore -Kind file | Out-Null
        New-CalicoNode node1
        New-CalicoNode node2
        New-CalicoIPPool -Cidr 192.168.0.0/16
    }

    It 'completes <Line>' -ForEach @(
        @{ Line = 'Get-CalicoNode -Name no'; Expected = @('node1', 'node2') }
        @{ Line = 'Remove-CalicoNode node2'; Expected = @('node2') }
        @{ Line = 'Get-CalicoIPPool 192'; Expected = @('192-168-0-0-16') }
        @{ Line = 'Set-CalicoIPPool -Cidr 10.0.0.0/8 -IPIPMode Cr'; Expected = @('CrossSubnet') }
        @{ Line = 'Export-CalicoResource -Kind No'; Expected = @('Node') }
    ) {
        (TabExpansion2 -inputScript $Line -cursorColumn $Line.Length).CompletionMatches.CompletionText | Should -Be $Expected
    }
}

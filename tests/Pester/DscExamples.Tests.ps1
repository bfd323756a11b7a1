BeforeAll {
    . $PSScriptRoot/DscCommon.ps1
    $script:Examples = Join-Path (Split-Path (Split-Path $PSScriptRoot)) 'examples'
}

Describe 'examples/dsc-calico.ps1 (class-based resources)' {
    It 'converges the seed''s nodes and pool, then finds everything in the desired state' {
        $store = (New-TestStoreSettings -Kind file).DatastorePath
        $run = "`$env:PSModulePath = '$ModulesRoot' + [IO.Path]::PathSeparator + `$env:PSModulePath; & '$Examples/dsc-calico.ps1' -DatastorePath '$store'"
        $first = Invoke-FreshPwsh $run
        $first.ExitCode | Should -Be 0 -Because ($first.Output -join "`n")
        $first.Output | Should -Be @(
            'CalicoNode node1: created', 'CalicoNode node2: created', 'CalicoNode node3: created', 'CalicoIPPool 192-168-0-0-16: created')
        $second = Invoke-FreshPwsh $run
        $second.ExitCode | Should -Be 0
        @($second.Output | Where-Object { $_ -notlike '*: in the desired state' }) | Should -BeNullOrEmpty
        $second.Output.Count | Should -Be 4
        $pool = Invoke-InStore @{ DatastorePath = $store } { Get-CalicoIPPool 192-168-0-0-16 }
        $pool.IPIPMode | Should -Be 'CrossSubnet'
        $pool.NatOutgoing | Should -BeTrue
    }

    It 'repairs the seed''s pre-v2.1 node before making the pool CrossSubnet' {
        $store = @{ DatastorePath = (New-TestStoreSettings -Kind file).DatastorePath }
        Invoke-InStore $store { New-CalicoNode node2 -IPv4Address 10.0.2.10/32; New-CalicoIPPool -Cidr 192.168.0.0/16 -IPIPMode Always -NatOutgoing }
        $run = Invoke-FreshPwsh "`$env:PSModulePath = '$ModulesRoot' + [IO.Path]::PathSeparator + `$env:PSModulePath; & '$Examples/dsc-calico.ps1' -DatastorePath '$($store.DatastorePath)'"
        $run.ExitCode | Should -Be 0 -Because ($run.Output -join "`n")
        $run.Output | Should -Contain 'CalicoNode node2: changed IPv4Address'
        $run.Output | Should -Contain 'CalicoIPPool 192-168-0-0-16: changed IPIPMode'
    }
}

Describe 'examples/calico.dsc.yaml (DSC v3 configuration document)' {
    BeforeAll {
        # Read as DSC reads YAML (typed scalars), with the YamlDotNet the Calico module ships, in a fresh pwsh.
        $yamlDotNet = Join-Path (Split-Path $env:CALICO_TEST_MODULE) 'dependencies/YamlDotNet.dll'
        $read = Invoke-FreshPwsh @"
Add-Type -Path '$yamlDotNet'
`$deserializer = [YamlDotNet.Serialization.DeserializerBuilder]::new().WithAttemptingUnquotedStringTypeDeserialization().Build()
`$document = `$deserializer.Deserialize([System.IO.File]::ReadAllText('$Examples/calico.dsc.yaml'))
`$document | ConvertTo-Json -Depth 10 -Compress
"@
        if ($read.ExitCode -ne 0) { throw "Reading calico.dsc.yaml failed: $($read.Output -join "`n")" }
        $script:Document = $read.Output -join '' | ConvertFrom-Json -AsHashtable
    }

    It 'names only the Calico resources, each with a valid instance, and depends only on resources before it' {
        $seen = @()
        foreach ($resource in $Document.resources) {
            $resource.type | Should -BeIn @('Calico/Node', 'Calico/IPPool')
            $kind = ($resource.type -split '/')[1]
            if (Get-PublishedManifestSchemaPath) {
                $problems = $null
                Test-DscInstance $kind ($resource.properties | ConvertTo-Json -Compress) -ErrorAction SilentlyContinue -ErrorVariable problems |
                    Should -BeTrue -Because "$($resource.name): $problems"
            }
            foreach ($dependency in @($resource.dependsOn | Where-Object { $_ })) {
                $dependency -match "^\[resourceId\('([^']+)','([^']+)'\)\]$" | Should -BeTrue -Because $dependency
                "$($Matches[1])|$($Matches[2])" | Should -BeIn $seen
            }
            $seen += "$($resource.type)|$($resource.name)"
        }
        $seen.Count | Should -Be 4
    }

    It 'converges when each resource is set in order through calico-dsc.ps1, as dsc config set would, then tests in the desired state' {
        $store = (New-TestStoreSettings -Kind file).DatastorePath
        foreach ($resource in $Document.resources) {
            $instance = $resource.properties + @{ datastorePath = $store }
            $run = Invoke-DscScript ($resource.type -split '/')[1] set ($instance | ConvertTo-Json -Compress)
            $run.ExitCode | Should -Be 0 -Because "$($resource.name): $($run.Errors)"
        }
        $pool = Invoke-InStore @{ DatastorePath = $store } { Get-CalicoIPPool 192-168-0-0-16 }
        $pool.IPIPMode | Should -Be 'CrossSubnet'
        $last = $Document.resources[-1]
        $test = Invoke-DscScript IPPool test (($last.properties + @{ datastorePath = $store }) | ConvertTo-Json -Compress)
        ($test.Stdout[0] | ConvertFrom-Json)._inDesiredState | Should -BeTrue
    }
}

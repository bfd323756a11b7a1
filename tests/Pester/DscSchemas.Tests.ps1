BeforeDiscovery {
    # The published DSC v3 manifest schema is shared reference data beside the repository, not part of it.
    $root = Split-Path (Split-Path $PSScriptRoot)
    $script:SchemaMissing = -not (Test-Path (Join-Path (Split-Path $root) 'shared/reference/dsc/resource-manifest.schema.json'))
    $script:Manifests = @(Get-ChildItem (Join-Path $root 'src/Calico.Dsc') -Filter *.dsc.resource.json | ForEach-Object { @{ File = $_.Name } })
}

BeforeAll {
    . $PSScriptRoot/DscCommon.ps1
    $script:SchemaPath = Get-PublishedManifestSchemaPath
    $script:PublishedSchema = $SchemaPath ? (Get-Content -Raw $SchemaPath) : $null

    function Read-Manifest([string] $File) {
        Get-Content -Raw (Join-Path $DscModuleDirectory $File) | ConvertFrom-Json -AsHashtable
    }

    function Test-Manifest([hashtable] $Manifest) {
        Test-Json -Json ($Manifest | ConvertTo-Json -Depth 30) -Schema $PublishedSchema -ErrorAction SilentlyContinue
    }
}

Describe 'The DSC v3 resource manifest <File>' -ForEach $Manifests {
    It 'is in the built module' {
        Join-Path $DscModuleDirectory $File | Should -Exist
    }

    It 'is valid against the published DSC v3 manifest schema' -Skip:$SchemaMissing {
        $problems = $null
        Test-Json -Json (Get-Content -Raw (Join-Path $DscModuleDirectory $File)) -Schema $PublishedSchema `
            -ErrorAction SilentlyContinue -ErrorVariable problems | Should -BeTrue -Because "$problems"
    }

    # The validator must be able to say no: each of these breaks one rule of the published schema.
    It 'would be refused by that schema with <Break>' -Skip:$SchemaMissing -ForEach @(
        @{ Break = 'a type name with a space'; Change = { param($m) $m.type = 'Calico IPPool' } }
        @{ Break = 'no version'; Change = { param($m) $m.Remove('version') } }
        @{ Break = 'a version that is not semver'; Change = { param($m) $m.version = '0.1' } }
        @{ Break = '_exist defined instead of referenced'; Change = { param($m) $m.schema.embedded.properties._exist = @{ type = 'boolean' } } }
        @{ Break = 'an instance schema dialect DSC does not know'; Change = { param($m) $m.schema.embedded['$schema'] = 'http://json-schema.org/draft-04/schema#' } }
        @{ Break = 'an instance schema that is not of type object'; Change = { param($m) $m.schema.embedded.type = 'array' } }
        @{ Break = 'an unknown input kind'; Change = { param($m) $m.get.input = 'file' } }
        @{ Break = 'an unknown return kind'; Change = { param($m) $m.test.return = 'diff' } }
        @{ Break = 'a get without an executable'; Change = { param($m) $m.get.Remove('executable') } }
    ) {
        $manifest = Read-Manifest $File
        & $Change $manifest
        Test-Manifest $manifest | Should -BeFalse
    }

    It 'declares get, set, test and export through calico-dsc.ps1 with JSON on stdin' {
        $manifest = Read-Manifest $File
        foreach ($operation in 'get', 'set', 'test', 'export') {
            $manifest[$operation].input | Should -Be 'stdin'
            $manifest[$operation].args | Should -Contain './calico-dsc.ps1'
            $manifest[$operation].args[-1] | Should -Be $operation
        }
        $manifest.set.implementsPretest | Should -BeTrue
        $manifest.set.handlesExist | Should -BeTrue
        $manifest.test.return | Should -Be 'stateAndDiff'
        $manifest.set.return | Should -Be 'stateAndDiff'
        $manifest.exitCodes['2'] | Should -Be 'Invalid input'
    }

    It 'carries the module''s version' {
        (Read-Manifest $File).version | Should -Be (Import-PowerShellDataFile $env:CALICO_TEST_DSC_MODULE).ModuleVersion
    }

    It 'embeds a closed instance schema with the canonical _exist and _inDesiredState' {
        $schema = (Read-Manifest $File).schema.embedded
        $schema.additionalProperties | Should -BeFalse
        $schema.properties._exist['$ref'] | Should -Be 'https://aka.ms/dsc/schemas/v3/resource/properties/exist.json'
        $schema.properties._inDesiredState['$ref'] | Should -Be 'https://aka.ms/dsc/schemas/v3/resource/properties/inDesiredState.json'
    }

    It 'has one property for each property of its class-based resource, and no other' {
        $manifest = Read-Manifest $File
        $class = @{ 'Calico/IPPool' = 'CalicoIPPool'; 'Calico/Node' = 'CalicoNode' }[$manifest.type]
        $classProperties = ($class -as [type]).GetProperties() | Where-Object { $_.IsDefined([System.Management.Automation.DscPropertyAttribute], $true) } |
            ForEach-Object { $_.Name -eq 'Ensure' ? '_exist' : $_.Name.ToLowerInvariant() } | Sort-Object
        $schemaProperties = $manifest.schema.embedded.properties.Keys | Where-Object { $_ -ne '_inDesiredState' } |
            ForEach-Object ToLowerInvariant | Sort-Object
        $schemaProperties | Should -Be $classProperties
    }
}

Describe 'The embedded instance schemas against sample documents' -Skip:$SchemaMissing {
    It 'Calico/<Resource> accepts <Sample>' -ForEach @(
        @{ Resource = 'IPPool'; Sample = 'the seed''s pool'; Json = '{"name":"192-168-0-0-16","cidr":"192.168.0.0/16","ipipMode":"CrossSubnet","natOutgoing":true}' }
        @{ Resource = 'IPPool'; Sample = 'every property'; Json = '{"name":"p","cidr":"10.0.0.0/16","ipipMode":"Never","vxlanMode":"Always","natOutgoing":false,"disabled":true,"blockSize":24,"nodeSelector":"all()","etcdEndpoints":"http://127.0.0.1:2379","resourceVersion":"7","_exist":true,"_inDesiredState":false}' }
        @{ Resource = 'IPPool'; Sample = 'an absent pool'; Json = '{"name":"p","_exist":false}' }
        @{ Resource = 'IPPool'; Sample = 'only a datastore (an export filter)'; Json = '{"configFile":"/etc/calico/calicoctl.cfg"}' }
        @{ Resource = 'Node'; Sample = 'a node with its subnet'; Json = '{"name":"node1","ipv4Address":"10.0.2.15/24","asNumber":64512}' }
        @{ Resource = 'Node'; Sample = 'nulls for "none"'; Json = '{"name":"node1","ipv6Address":null,"asNumber":null,"datastorePath":"/var/lib/calico"}' }
        @{ Resource = 'Node'; Sample = 'a test result with _inDesiredState null'; Json = '{"name":"node1","_exist":true,"_inDesiredState":null}' }
    ) {
        $problems = $null
        Test-DscInstance $Resource $Json -ErrorAction SilentlyContinue -ErrorVariable problems | Should -BeTrue -Because "$problems"
    }

    It 'Calico/<Resource> refuses <Sample>' -ForEach @(
        @{ Resource = 'IPPool'; Sample = 'an unknown property'; Json = '{"name":"p","ipip":"Always"}' }
        @{ Resource = 'IPPool'; Sample = 'a mode outside the enum'; Json = '{"name":"p","ipipMode":"cross-subnet"}' }
        @{ Resource = 'IPPool'; Sample = 'a boolean as text'; Json = '{"name":"p","natOutgoing":"true"}' }
        @{ Resource = 'IPPool'; Sample = 'a block size past 128'; Json = '{"name":"p","blockSize":129}' }
        @{ Resource = 'IPPool'; Sample = 'a null CIDR'; Json = '{"name":"p","cidr":null}' }
        @{ Resource = 'IPPool'; Sample = 'an empty name'; Json = '{"name":""}' }
        @{ Resource = 'IPPool'; Sample = '_exist as text'; Json = '{"name":"p","_exist":"false"}' }
        @{ Resource = 'IPPool'; Sample = '_inDesiredState as a number'; Json = '{"name":"p","_inDesiredState":1}' }
        @{ Resource = 'Node'; Sample = 'an AS number past 32 bits'; Json = '{"name":"n","asNumber":4294967296}' }
        @{ Resource = 'Node'; Sample = 'an AS number as text'; Json = '{"name":"n","asNumber":"64512"}' }
        @{ Resource = 'Node'; Sample = 'an address as a number'; Json = '{"name":"n","ipv4Address":10}' }
        @{ Resource = 'Node'; Sample = 'a pool property'; Json = '{"name":"n","cidr":"10.0.0.0/16"}' }
    ) {
        Test-DscInstance $Resource $Json -ErrorAction SilentlyContinue | Should -BeFalse
    }
}

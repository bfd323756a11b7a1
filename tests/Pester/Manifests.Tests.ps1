BeforeAll {
    . $PSScriptRoot/Common.ps1
}

Describe 'ConvertFrom-CalicoManifest' {
    It 'reads the seed''s v1 manifests as v3 pools named from their CIDR' {
        $pools = $SeedAlways, $SeedCrossSubnet | ConvertFrom-CalicoManifest
        $pools.Count | Should -Be 2
        $pools[0] | Should -BeOfType ([Calico.Resources.IPPool])
        $pools.Name | Should -Be @('192-168-0-0-16', '192-168-0-0-16')
        $pools.IPIPMode | Should -Be @('Always', 'CrossSubnet')
        $pools.NatOutgoing | Should -Be @($true, $true)
    }

    It 'filters in a pipeline by typed properties' {
        $SeedAlways, $SeedCrossSubnet | ConvertFrom-CalicoManifest |
            Where-Object IPIPMode -eq 'CrossSubnet' | Should -HaveCount 1
    }

    It 'reads files by wildcard and by literal path, and from Get-ChildItem' {
        Set-Content "$TestDrive/a.yaml" $SeedAlways
        Set-Content -LiteralPath "$TestDrive/b[1].yaml" $SeedCrossSubnet
        (ConvertFrom-CalicoManifest -Path "$TestDrive/a*.yaml").IPIPMode | Should -Be 'Always'
        (ConvertFrom-CalicoManifest -LiteralPath "$TestDrive/b[1].yaml").IPIPMode | Should -Be 'CrossSubnet'
        (Get-ChildItem $TestDrive -Filter *.yaml | ConvertFrom-CalicoManifest) | Should -HaveCount 2
    }

    It 'joins the lines of Get-Content into one manifest' {
        Set-Content "$TestDrive/lines.yaml" $SeedAlways
        (Get-Content "$TestDrive/lines.yaml" | ConvertFrom-CalicoManifest).Cidr | Should -Be '192.168.0.0/16'
    }

    It 'reports a malformed document as one error naming document, field and value, and keeps going' {
        $text = @"
$SeedAlways
---
apiVersion: projectcalico.org/v3
kind: IPPool
metadata:
  name: p2
spec:
  cidr: 10.0.0.0/8
  ipipMode: Sometimes
---
apiVersion: projectcalico.org/v3
kind: Node
metadata:
  name: node1
"@
        $out = $text | ConvertFrom-CalicoManifest -ErrorVariable err -ErrorAction SilentlyContinue
        $out.Name | Should -Be @('192-168-0-0-16', 'node1')
        $err | Should -HaveCount 1
        $err[0].FullyQualifiedErrorId | Should -Be 'InvalidManifest,Calico.PowerShell.Commands.ConvertFromCalicoManifestCommand'
        $err[0].CategoryInfo.Category | Should -Be 'InvalidData'
        $err[0].TargetObject.Document | Should -Be 2
        $err[0].Exception.Errors[0].Field | Should -Be 'spec.ipipMode'
        $err[0].Exception.Errors[0].Value | Should -Be 'Sometimes'
        $err[0].Exception.Message | Should -Match 'document 2'
    }

    It 'reports a missing file as ObjectNotFound and still reads the others' {
        Set-Content "$TestDrive/ok.yaml" $SeedAlways
        $out = ConvertFrom-CalicoManifest -LiteralPath "$TestDrive/missing.yaml", "$TestDrive/ok.yaml" -ErrorVariable err -ErrorAction SilentlyContinue
        $out | Should -HaveCount 1
        $err[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }

    # The junk is built inside the test: a NUL in test data would break the XML test report.
    It 'never throws a raw parser exception on <Name>' -ForEach @(
        @{ Name = 'truncated YAML'; Make = { "apiVersion: v1`nkind: ipPool`nmetadata: [" } }
        @{ Name = 'a tab indent'; Make = { "`tkind: x" } }
        @{ Name = 'NUL bytes'; Make = { [string][char]0 * 20 } }
        @{ Name = 'deep nesting'; Make = { '[' * 5000 } }
    ) {
        $null = (& $Make) | ConvertFrom-CalicoManifest -ErrorVariable err -ErrorAction SilentlyContinue
        $err | Should -Not -BeNullOrEmpty
        $err | ForEach-Object { $_.FullyQualifiedErrorId | Should -BeLike 'InvalidManifest,*' }
    }
}

Describe 'Convert-CalicoManifest' {
    It 'converts the seed''s cross-subnet pool as calicoctl convert did' {
        $yaml = $SeedCrossSubnet | Convert-CalicoManifest
        $yaml | Should -Match '(?m)^kind: IPPool$'
        $yaml | Should -Match '(?m)^  name: 192-168-0-0-16$'
        $yaml | Should -Match '(?m)^  ipipMode: CrossSubnet$'
        $yaml | Should -Match '(?m)^  natOutgoing: true$'
        $yaml | Should -Match '(?m)^  vxlanMode: Never$'
    }

    It 'writes JSON that reads back to the same pool' {
        $json = $SeedAlways | Convert-CalicoManifest -Format Json
        ($json | ConvertFrom-Json).spec.ipipMode | Should -Be 'Always'
        ($json | ConvertFrom-CalicoManifest).IPIPMode | Should -Be 'Always'
    }

    It 'puts several documents in a List' {
        $yaml = "$SeedAlways`n---`n$($SeedAlways -replace '192.168.0.0/16', '10.10.0.0/16')" | Convert-CalicoManifest
        $yaml | Should -Match '(?m)^kind: List$'
        ($yaml | ConvertFrom-CalicoManifest).Name | Should -Be @('192-168-0-0-16', '10-10-0-0-16')
    }

    It 'refuses a conversion Calico would refuse, unless told to skip validation' {
        $v6 = $SeedAlways -replace '192.168.0.0/16', 'fd00::/48' -replace 'enabled: true', 'enabled: false'
        # Readable, but a pool Calico refuses: its CIDR has host bits set.
        $unmasked = "apiVersion: projectcalico.org/v3`nkind: IPPool`nmetadata:`n  name: p`nspec:`n  cidr: 192.168.1.5/16"
        $null = $unmasked | Convert-CalicoManifest -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -Be 'InvalidResource,Calico.PowerShell.Commands.ConvertCalicoManifestCommand'
        $err[0].Exception.Errors.Field | Should -Contain 'spec.cidr'
        $unmasked | Convert-CalicoManifest -SkipValidation | Should -Match 'cidr: 192.168.1.5/16'
        $v6 | Convert-CalicoManifest | Should -Match 'fd00---48'
    }
}

Describe 'ConvertTo-CalicoManifest' {
    It 'writes pools back as v3 YAML and JSON that round-trip' {
        $pool = $SeedCrossSubnet | ConvertFrom-CalicoManifest
        $yaml = $pool | ConvertTo-CalicoManifest
        $back = $yaml | ConvertFrom-CalicoManifest
        $back.IPIPMode | Should -Be 'CrossSubnet'
        $back.Cidr | Should -Be '192.168.0.0/16'
        ($pool | ConvertTo-CalicoManifest -Format Json | ConvertFrom-Json).kind | Should -Be 'IPPool'
    }
}

Describe 'Test-CalicoResource' {
    It 'is true for the seed manifests and false for a broken one with -Quiet' {
        $SeedAlways, $SeedCrossSubnet | Test-CalicoResource -Quiet | Should -Be @($true, $true)
        $SeedAlways -replace '192.168.0.0/16', '192.168.1.5/16' | Test-CalicoResource -Quiet | Should -BeFalse
    }

    It 'reports every problem at once, each with its field and value' {
        $r = @'
apiVersion: projectcalico.org/v3
kind: IPPool
metadata:
  name: Bad_Name
spec:
  cidr: 192.168.1.5/16
  ipipMode: Always
  vxlanMode: Always
  blockSize: 40
'@ | Test-CalicoResource
        $r.IsValid | Should -BeFalse
        $r.Name | Should -Be 'Bad_Name'
        $r.Errors.Field | Should -Contain 'metadata.name'
        $r.Errors.Field | Should -Contain 'spec.cidr'
        $r.Errors.Field | Should -Contain 'spec.blockSize'
        ($r.Errors | Where-Object Field -eq 'spec.cidr').Value | Should -Be '192.168.1.5/16'
    }

    It 'checks objects from the pipeline' {
        $pool = $SeedAlways | ConvertFrom-CalicoManifest
        ($pool | Test-CalicoResource).IsValid | Should -BeTrue
        $pool.Spec.BlockSize = 12
        $pool | Test-CalicoResource -Quiet | Should -BeFalse
    }

    It 'checks files, one result per resource' {
        Set-Content "$TestDrive/two.yaml" "$SeedAlways`n---`n$($SeedAlways -replace '/16', '/33')"
        $r = Test-CalicoResource -Path "$TestDrive/two.yaml"
        $r | Should -HaveCount 2
        $r[0].IsValid | Should -BeTrue
        $r[1].IsValid | Should -BeFalse
        $r[1].Source | Should -Be "$TestDrive/two.yaml"
        $r[1].Document | Should -Be 2
    }
}

Describe 'Dependency isolation' {
    BeforeAll {
        # The probe's flow mapping is beyond the fast reader, so YamlDotNet itself parses it.
        $script:OldYaml = Join-Path $env:CALICO_TEST_PACKAGES 'yamldotnet/16.3.0/lib/net8.0/YamlDotNet.dll'
        $script:Probe = @"
`$m = "apiVersion: v1``nkind: ipPool``nmetadata: {cidr: 10.0.0.0/16}``nspec:``n  nat-outgoing: true"
(`$m | ConvertFrom-CalicoManifest).Name
[AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { `$_.GetName().Name -eq 'YamlDotNet' } |
    ForEach-Object { '{0} in {1}' -f `$_.GetName().Version, [Runtime.Loader.AssemblyLoadContext]::GetLoadContext(`$_).Name }
"@
    }

    It 'works when another YamlDotNet was loaded first' {
        $r = Invoke-FreshPwsh "Add-Type -Path '$OldYaml'; Import-Module '$env:CALICO_TEST_MODULE'; $Probe"
        $r.ExitCode | Should -Be 0
        $r.Output | Should -Contain '10-0-0-0-16'
        $r.Output | Should -Contain '16.0.0.0 in Default'
        $r.Output | Should -Contain '18.0.0.0 in Calico.Dependencies'
    }

    It 'leaves another YamlDotNet loadable after it' {
        $r = Invoke-FreshPwsh "Import-Module '$env:CALICO_TEST_MODULE'; $Probe; Add-Type -Path '$OldYaml'; [YamlDotNet.Serialization.SerializerBuilder]::new().Build().Serialize(@{ a = 1 }).Trim()"
        $r.ExitCode | Should -Be 0
        $r.Output | Should -Contain '10-0-0-0-16'
        $r.Output | Should -Contain 'a: 1'
    }
}

BeforeAll {
    . $PSScriptRoot/Common.ps1
    $script:Etcd = Start-TestEtcd

    # Uses every dependency: YAML (YamlDotNet: a flow mapping is beyond the fast reader, so YamlDotNet parses it),
    # configuration (Microsoft.Extensions.*), etcd (dotnet-etcd, gRPC, protobuf).
    $script:Exercise = @"
`$env:CALICO_DATASTORE_TYPE = 'etcdv3'
`$env:CALICO_ETCD_ENDPOINTS = '$($Etcd.Endpoint)'
`$name = 'probe-' + [guid]::NewGuid().ToString('n').Substring(0, 8)
New-CalicoNode `$name -IPv4Address 10.0.2.15/24
'read ' + (Get-CalicoNode `$name).Name.Substring(0, 5)
'parsed ' + ("apiVersion: v1``nkind: ipPool``nmetadata: {cidr: 10.0.0.0/16}" | ConvertFrom-CalicoManifest).Name
Remove-CalicoNode `$name -Confirm:`$false
"@

    function Get-Loaded([string] $Name) {
        "[AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { `$_.GetName().Name -eq '$Name' } | ForEach-Object { 'loaded ' + `$_.GetName().Version + ' in ' + [Runtime.Loader.AssemblyLoadContext]::GetLoadContext(`$_).Name }"
    }
}

AfterAll {
    Stop-TestEtcd $script:Etcd
}

# Older copies of each dependency that another module might have loaded; same name, other version.
Describe 'Another module''s <Package>' -ForEach @(
    @{ Package = 'YamlDotNet 16.3.0'; Assembly = 'YamlDotNet'; Path = 'yamldotnet/16.3.0/lib/net8.0/YamlDotNet.dll' }
    @{ Package = 'Microsoft.Extensions.Primitives 6.0.0'; Assembly = 'Microsoft.Extensions.Primitives'; Path = 'microsoft.extensions.primitives/6.0.0/lib/net6.0/Microsoft.Extensions.Primitives.dll' }
    @{ Package = 'Microsoft.Extensions.Configuration 6.0.0'; Assembly = 'Microsoft.Extensions.Configuration'; Path = 'microsoft.extensions.configuration/6.0.0/lib/netstandard2.0/Microsoft.Extensions.Configuration.dll' }
    @{ Package = 'Microsoft.Extensions.Configuration.Abstractions 6.0.0'; Assembly = 'Microsoft.Extensions.Configuration.Abstractions'; Path = 'microsoft.extensions.configuration.abstractions/6.0.0/lib/netstandard2.0/Microsoft.Extensions.Configuration.Abstractions.dll' }
    @{ Package = 'Google.Protobuf 3.25.1'; Assembly = 'Google.Protobuf'; Path = 'google.protobuf/3.25.1/lib/net5.0/Google.Protobuf.dll' }
    @{ Package = 'Grpc.Net.Client 2.55.0'; Assembly = 'Grpc.Net.Client'; Path = 'grpc.net.client/2.55.0/lib/net7.0/Grpc.Net.Client.dll' }
    @{ Package = 'Grpc.Core.Api 2.65.0'; Assembly = 'Grpc.Core.Api'; Path = 'grpc.core.api/2.65.0/lib/netstandard2.1/Grpc.Core.Api.dll' }
    @{ Package = 'dotnet-etcd 9.1.0'; Assembly = 'dotnet-etcd'; Path = 'dotnet-etcd/9.1.0/lib/net8.0/dotnet-etcd.dll' }
) {
    BeforeAll {
        $script:Old = Join-Path $env:CALICO_TEST_PACKAGES $Path
        $script:Old | Should -Exist
    }

    It 'loaded first leaves Calico working with its own copy' {
        $r = Invoke-FreshPwsh "Add-Type -Path '$Old'; Import-Module '$env:CALICO_TEST_MODULE'; $Exercise; $(Get-Loaded $Assembly)"
        $r.Output -join "`n" | Should -Not -Match 'Exception'
        $r.ExitCode | Should -Be 0
        $r.Output | Should -Contain 'read probe'
        $r.Output | Should -Contain 'parsed 10-0-0-0-16'
        $r.Output | Where-Object { $_ -like '* in Calico.Dependencies' } | Should -HaveCount 1
        $r.Output | Where-Object { $_ -like '* in Default' } | Should -HaveCount 1
    }

    It 'loaded after Calico still loads and Calico keeps working' {
        $r = Invoke-FreshPwsh "Import-Module '$env:CALICO_TEST_MODULE'; $Exercise; Add-Type -Path '$Old'; $Exercise; $(Get-Loaded $Assembly)"
        $r.Output -join "`n" | Should -Not -Match 'Exception|already loaded'
        $r.ExitCode | Should -Be 0
        ($r.Output | Where-Object { $_ -eq 'read probe' }) | Should -HaveCount 2
        $r.Output | Where-Object { $_ -like '* in Default' } | Should -HaveCount 1
    }
}

BeforeAll {
    . $PSScriptRoot/DscCommon.ps1
    $script:DscManifest = Import-PowerShellDataFile $env:CALICO_TEST_DSC_MODULE
    $script:CalicoManifest = Import-PowerShellDataFile $env:CALICO_TEST_MODULE
    $script:ResourceClasses = 'CalicoIPPool', 'CalicoNode', 'CalicoHostRegistration'
}

Describe 'The built CalicoDsc module' {
    It 'lists exactly the [DscResource()] classes of its root module, explicitly, and exports nothing else' {
        $ast = [System.Management.Automation.Language.Parser]::ParseFile((Join-Path $DscModuleDirectory 'CalicoDsc.psm1'), [ref] $null, [ref] $null)
        $defined = $ast.FindAll({
                param($node)
                $node -is [System.Management.Automation.Language.TypeDefinitionAst] -and
                @($node.Attributes | Where-Object { $_.TypeName.Name -eq 'DscResource' }).Count -gt 0
            }, $false) | ForEach-Object Name | Sort-Object
        $defined | Should -Be ($ResourceClasses | Sort-Object)
        $DscManifest.DscResourcesToExport | Sort-Object | Should -Be $defined
        $DscManifest.DscResourcesToExport | Should -Not -Contain '*'
        foreach ($kind in 'FunctionsToExport', 'CmdletsToExport', 'AliasesToExport', 'VariablesToExport') {
            $DscManifest.Keys | Should -Contain $kind
            $DscManifest[$kind] | Should -BeNullOrEmpty
        }
    }

    It 'requires the Calico module of the same build (name, GUID, version) and has its version' {
        $required = @($DscManifest.RequiredModules)
        $required.Count | Should -Be 1
        $required[0].ModuleName | Should -Be 'Calico'
        $required[0].GUID | Should -Be $CalicoManifest.GUID
        $required[0].ModuleVersion | Should -Be $CalicoManifest.ModuleVersion
        $DscManifest.ModuleVersion | Should -Be $CalicoManifest.ModuleVersion
        $DscManifest.CompatiblePSEditions | Should -Be @('Core')
        $DscManifest.PowerShellVersion | Should -Be $CalicoManifest.PowerShellVersion
    }

    It '<Class> has a string key Name and only string, nullable boolean and nullable integer properties' -ForEach @(
        @{ Class = 'CalicoIPPool' }, @{ Class = 'CalicoNode' }, @{ Class = 'CalicoHostRegistration' }
    ) {
        $type = $Class -as [type]
        $type.IsDefined([System.Management.Automation.DscResourceAttribute], $false) | Should -BeTrue
        $properties = $type.GetProperties() | Where-Object { $_.IsDefined([System.Management.Automation.DscPropertyAttribute], $true) }
        $keys = $properties | Where-Object { $_.GetCustomAttributes([System.Management.Automation.DscPropertyAttribute], $true).Key }
        $keys.Name | Should -Be 'Name'
        $keys.PropertyType | Should -Be ([string])
        # Primitive types only, so DSC (and another module's types) never stand between a configuration and the resource.
        foreach ($property in $properties) { $property.PropertyType | Should -BeIn @([string], [Nullable[bool]], [Nullable[int]]) -Because $property.Name }
        foreach ($method in 'Get', 'Test', 'Set') { $type.GetMethod($method, [type[]] @()) | Should -Not -BeNullOrEmpty }
    }

    It 'loads with `using module` in a fresh pwsh, finding Calico beside it, and exposes the resources' {
        $r = Invoke-FreshPwsh @"
`$env:PSModulePath = '$ModulesRoot' + [IO.Path]::PathSeparator + `$env:PSModulePath
`$ErrorActionPreference = 'Stop'
. ([scriptblock]::Create("using module CalicoDsc"))
(Get-Module Calico).Version.ToString()
[CalicoIPPool]::new().Ensure
"@
        $r.Output -join "`n" | Should -Not -Match 'Exception|error'
        $r.ExitCode | Should -Be 0
        $r.Output | Should -Be @($CalicoManifest.ModuleVersion, 'Present')
    }

    It 'installs with Calico from the PSResourceGet repository the build publishes, as a user would' {
        if (-not $env:CALICO_TEST_REPOSITORY) { throw 'CALICO_TEST_REPOSITORY is not set: run the suites with ./build.ps1 -Task Test' }
        $fakeHome = Join-Path $TestDrive 'home'
        New-Item -ItemType Directory $fakeHome | Out-Null
        # With HOME changed in-process, .NET finds no LocalApplicationData and PSResourceGet keeps its repository
        # list relative to the process's working directory: make that TestDrive, not the repository.
        $r = Invoke-FreshPwsh @"
[Environment]::CurrentDirectory = '$fakeHome'
`$env:HOME = '$fakeHome'
`$env:XDG_DATA_HOME = '$fakeHome/.local/share'
Register-PSResourceRepository -Name calico-dsc-test -Uri '$env:CALICO_TEST_REPOSITORY' -Trusted
Install-PSResource -Name CalicoDsc -Repository calico-dsc-test -Scope CurrentUser -TrustRepository -Quiet
`$env:PSModulePath = '$fakeHome/.local/share/powershell/Modules'
. ([scriptblock]::Create('using module CalicoDsc'))
(Get-Module CalicoDsc).ModuleBase
(Get-Module Calico).ModuleBase
`$pool = [CalicoIPPool]::new(); `$pool.Name = 'p'; `$pool.DatastorePath = '$fakeHome/store'
`$pool.Get().Ensure
"@
        $r.Output -join "`n" | Should -Not -Match 'Exception|error'
        $r.ExitCode | Should -Be 0
        $r.Output | Should -Contain "$fakeHome/.local/share/powershell/Modules/CalicoDsc/$($DscManifest.ModuleVersion)"
        $r.Output | Should -Contain "$fakeHome/.local/share/powershell/Modules/Calico/$($CalicoManifest.ModuleVersion)"
        $r.Output[-1] | Should -Be 'Absent'
    }
}

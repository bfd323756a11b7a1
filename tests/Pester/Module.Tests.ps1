BeforeAll {
    . $PSScriptRoot/Common.ps1
    $script:Manifest = Import-PowerShellDataFile $env:CALICO_TEST_MODULE
    $script:ModuleDir = Split-Path $env:CALICO_TEST_MODULE
}

Describe 'The built module' {
    It 'exports exactly the cmdlets its assembly defines, listed explicitly' {
        $defined = [Calico.PowerShell.ModuleInitializer].Assembly.GetTypes() |
            ForEach-Object { $_.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false) } |
            ForEach-Object { "$($_.VerbName)-$($_.NounName)" } | Sort-Object
        $Manifest.CmdletsToExport | Sort-Object | Should -Be $defined
        (Get-Command -Module Calico).Name | Sort-Object | Should -Be $defined
    }

    It 'declares no wildcard and no other kind of export' {
        $Manifest.CmdletsToExport | Should -Not -Contain '*'
        $Manifest.FunctionsToExport | Should -BeNullOrEmpty
        $Manifest.AliasesToExport | Should -BeNullOrEmpty
        $Manifest.VariablesToExport | Should -BeNullOrEmpty
        ($Manifest.Keys -contains 'FunctionsToExport') | Should -BeTrue
    }

    It 'targets PowerShell 7.4+ Core only and carries gallery metadata' {
        $Manifest.CompatiblePSEditions | Should -Be @('Core')
        $Manifest.PowerShellVersion | Should -Be '7.4'
        $Manifest.PrivateData.PSData.Tags | Should -Contain 'PSEdition_Core'
        $Manifest.PrivateData.PSData.ProjectUri | Should -Not -BeNullOrEmpty
        $Manifest.PrivateData.PSData.LicenseUri | Should -Not -BeNullOrEmpty
        $Manifest.PrivateData.PSData.ReleaseNotes | Should -Not -BeNullOrEmpty
    }

    It 'ships its dependencies in dependencies/ and nothing but its own assemblies beside the manifest' {
        (Get-ChildItem $ModuleDir -Filter *.dll).Name | Sort-Object | Should -Be @('Calico.Core.dll', 'Calico.Dataplane.dll', 'Calico.PowerShell.dll')
        Join-Path $ModuleDir 'dependencies/YamlDotNet.dll' | Should -Exist
        # The code that uses third-party libraries loads with them into the module's own context.
        Join-Path $ModuleDir 'dependencies/Calico.Adapters.dll' | Should -Exist
        Join-Path $ModuleDir 'dependencies/System.Management.Automation.dll' | Should -Not -Exist
    }

    It 'imports in a fresh pwsh with its views and no errors' {
        $r = Invoke-FreshPwsh "Import-Module '$env:CALICO_TEST_MODULE' -ErrorAction Stop; 'imported'"
        $r.ExitCode | Should -Be 0
        $r.Output | Should -Contain 'imported'
    }
}

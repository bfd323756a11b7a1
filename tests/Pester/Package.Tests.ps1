BeforeAll {
    . $PSScriptRoot/Common.ps1
}

Describe 'The published package' {
    It 'installs from a PSResourceGet repository with Install-PSResource and runs in a fresh pwsh' {
        if (-not $env:CALICO_TEST_REPOSITORY) { throw 'CALICO_TEST_REPOSITORY is not set: run the suites with ./build.ps1 -Task Test' }
        $fakeHome = Join-Path $TestDrive 'home'
        New-Item -ItemType Directory $fakeHome | Out-Null
        # A fresh HOME makes the CurrentUser scope a temporary folder, so nothing is installed for the real user.
        $script = @"
`$env:HOME = '$fakeHome'
`$env:XDG_DATA_HOME = '$fakeHome/.local/share'
Register-PSResourceRepository -Name calico-test -Uri '$env:CALICO_TEST_REPOSITORY' -Trusted
Install-PSResource -Name Calico -Repository calico-test -Scope CurrentUser -TrustRepository -Quiet
`$env:PSModulePath = '$fakeHome/.local/share/powershell/Modules'
Import-Module Calico -ErrorAction Stop
(Get-Module Calico).ModuleBase
"apiVersion: v1``nkind: ipPool``nmetadata:``n  cidr: 192.168.0.0/16" | ConvertFrom-CalicoManifest | ForEach-Object Name
"@
        # The child starts with the fresh HOME, so PSResourceGet's own settings land there too, not in the user's.
        $savedHome = $env:HOME
        try {
            $env:HOME = $fakeHome
            $r = Invoke-FreshPwsh $script
        }
        finally {
            $env:HOME = $savedHome
        }
        $r.Output -join "`n" | Should -Not -Match 'Exception|error'
        $r.ExitCode | Should -Be 0
        $r.Output | Should -Contain '192-168-0-0-16'
        ($r.Output | Where-Object { $_ -like "$fakeHome*" }) | Should -BeLike "$fakeHome/.local/share/powershell/Modules/Calico/0.1.0"
    }
}

# The help of every exported cmdlet, as Get-Help shows it from the built module: a synopsis, a description, every
# parameter described, the syntax the compiled cmdlet has, at least two examples; and every example's code runs,
# each on an empty scratch datastore of its own, in a fresh pwsh per cmdlet, so that no example can rot.
# The examples' hidden setup code comes from the help sources (src/Calico.PowerShell/help/README.md).

BeforeDiscovery {
    . $PSScriptRoot/Common.ps1
    $helpSourceDirectory = Join-Path $PSScriptRoot '../../src/Calico.PowerShell/help'
    Import-Module (Join-Path $helpSourceDirectory 'HelpMarkdown.psm1') -Force
    $moduleName = [System.IO.Path]::GetFileNameWithoutExtension($env:CALICO_TEST_MODULE)
    $common = [System.Management.Automation.PSCmdlet]::CommonParameters

    $cmdlets = foreach ($command in (Get-Module $moduleName).ExportedCmdlets.Values | Sort-Object Name) {
        $sourcePath = Join-Path $helpSourceDirectory "$($command.Name).md"
        $source = if (Test-Path $sourcePath) { Read-HelpMarkdown -Path $sourcePath } else { $null }
        $examples = @((Get-Help $command.Name -Full).examples.example)
        @{
            Name       = $command.Name
            Parameters = @($command.Parameters.Keys | Where-Object { -not $common.Contains($_) } | Sort-Object)
            Examples   = @(for ($i = 0; $i -lt $examples.Count; $i++) {
                    $fromSource = if ($source -and $i -lt $source.Examples.Count) { $source.Examples[$i] } else { $null }
                    @{
                        Number = $i + 1
                        Title  = $examples[$i].title -replace '^[-\s]*Example \d+:\s*|[-\s]+$', ''
                        Code   = $examples[$i].code
                        Setup  = $fromSource ? $fromSource.Setup : $null
                        NoRun  = $fromSource ? $fromSource.NoRun : $null
                    }
                })
            Source     = $source
        }
    }
}

BeforeAll {
    . $PSScriptRoot/Common.ps1
    Import-Module (Join-Path $PSScriptRoot '../../src/Calico.PowerShell/help/ChildPwsh.psm1') -Force

    # Makes an empty embedded (file) datastore under $Directory and returns the environment that points the module
    # at it, and at no calicoctl configuration file. The names are the module's configuration variables: this is
    # the one place to change them. A $null value removes a variable the developer's shell may have set.
    function New-ExampleDatastore([string] $Directory) {
        $datastore = New-Item -ItemType Directory -Force (Join-Path $Directory 'datastore')
        [ordered]@{
            CALICO_DATASTORE_TYPE      = 'file'
            CALICO_FILE_DATASTORE_PATH = $datastore.FullName
            # A path that does not exist: no configuration file is read, and the defaults apply.
            # calicoctl's own names, which must not point the examples at a real cluster.
            DATASTORE_TYPE             = $null
            ETCD_ENDPOINTS             = $null
        }
    }

    # Runs in the child pwsh: each example's setup, then its code, each in a scope of its own (so the published code
    # can rely on what setup left in the datastore or the working directory, never on its variables). One JSON line
    # per example, written as it finishes, so a hung example still leaves the others' results.
    $script:Runner = @'
param([Parameter(Mandatory)] [string] $JobPath)
$job = Get-Content -Raw $JobPath | ConvertFrom-Json
$ErrorActionPreference = 'Stop'
$PSNativeCommandUseErrorActionPreference = $true
Import-Module $job.ModuleManifest
foreach ($example in $job.Examples) {
    foreach ($variable in $example.Environment.PSObject.Properties) {
        if ($null -eq $variable.Value) { Remove-Item "env:$($variable.Name)" -ErrorAction Ignore }
        else { Set-Item "env:$($variable.Name)" $variable.Value }
    }
    Set-Location $example.WorkingDirectory
    $stage = 'setup'
    $output = ''
    try {
        if ($example.Setup) { $null = & ([scriptblock]::Create($example.Setup)) }
        $stage = 'code'
        $output = & ([scriptblock]::Create($example.Code)) *>&1 | Out-String -Width 160
        $result = @{ Number = $example.Number; Passed = $true; Output = $output }
    }
    catch {
        $message = "$($_.Exception.GetType().Name): $($_.Exception.Message)`n$($_.InvocationInfo.PositionMessage)"
        $result = @{ Number = $example.Number; Passed = $false; Stage = $stage; Error = $message; Output = $output }
    }
    $result | ConvertTo-Json -Compress | Add-Content -LiteralPath $job.ResultPath
}
'@

    # Runs the examples of one cmdlet in a fresh pwsh; returns a result per example number.
    function Invoke-HelpExample([string] $Cmdlet, [object[]] $Examples) {
        $results = @{}
        if ($Examples.Count -eq 0) { return $results }
        $scratch = New-Item -ItemType Directory (Join-Path $TestDrive "$Cmdlet-$([guid]::NewGuid().ToString('n').Substring(0, 8))")
        $runnerPath = Join-Path $scratch 'run-examples.ps1'
        Set-Content -LiteralPath $runnerPath $script:Runner
        $resultPath = Join-Path $scratch 'results.jsonl'
        $jobExamples = foreach ($example in $Examples) {
            $directory = Join-Path $scratch "example-$($example.Number)"
            @{
                Number           = $example.Number
                Setup            = $example.Setup
                Code             = $example.Code
                WorkingDirectory = (New-Item -ItemType Directory -Force (Join-Path $directory 'work')).FullName
                Environment      = New-ExampleDatastore $directory
            }
        }
        $jobPath = Join-Path $scratch 'job.json'
        @{ ModuleManifest = $env:CALICO_TEST_MODULE; ResultPath = $resultPath; Examples = @($jobExamples) } |
            ConvertTo-Json -Depth 5 | Set-Content -LiteralPath $jobPath

        $process = [System.Diagnostics.Process]::Start((New-PwshStartInfo -ArgumentList @('-File', $runnerPath, '-JobPath', $jobPath)))
        $stdout = $process.StandardOutput.ReadToEndAsync()
        $stderr = $process.StandardError.ReadToEndAsync()
        $limit = [TimeSpan]::FromSeconds(30 + 60 * @($jobExamples).Count)
        $finished = $process.WaitForExit($limit)
        if (-not $finished) { $process.Kill($true); $process.WaitForExit() }
        $console = "$($stdout.GetAwaiter().GetResult())$($stderr.GetAwaiter().GetResult())".Trim()

        if (Test-Path $resultPath) {
            foreach ($line in Get-Content $resultPath) { $result = $line | ConvertFrom-Json; $results[[int] $result.Number] = $result }
        }
        # An example with no result never finished: the child timed out or died, and its console says why.
        $why = if (-not $finished) { "the examples' pwsh was stopped after $limit" } else { "the examples' pwsh exited with code $($process.ExitCode)" }
        foreach ($example in $Examples) {
            if (-not $results.ContainsKey($example.Number)) {
                $results[$example.Number] = [pscustomobject]@{ Number = $example.Number; Passed = $false; Stage = $null; Error = "$why before it finished.`n$console"; Output = '' }
            }
        }
        return $results
    }
}

# -AllowNullOrEmptyForEach: a module with no cmdlets yet, or a cmdlet with no parameters or (wrongly) no examples,
# must give no tests or failing ones, never a discovery error that hides the rest.
Describe '<Name>' -ForEach $cmdlets -AllowNullOrEmptyForEach {
    BeforeAll {
        $help = Get-Help $Name -Full
        $command = Get-Command $Name
    }

    It 'has a synopsis' {
        # Without help, Get-Help makes up a synopsis from the syntax but leaves the details' description empty.
        ($help.details.description.Text -join '').Trim() | Should -Not -BeNullOrEmpty -Because "$Name.md needs a ## SYNOPSIS"
    }

    It 'has a description' {
        ($help.description.Text -join '').Trim() | Should -Not -BeNullOrEmpty -Because "$Name.md needs a ## DESCRIPTION"
    }

    It 'describes -<_>' -ForEach $Parameters -AllowNullOrEmptyForEach {
        ((Get-Help $Name -Parameter $_).description.Text -join '').Trim() | Should -Not -BeNullOrEmpty -Because "$Name.md needs '### -$_'"
    }

    It 'shows the syntax the cmdlet has' {
        # Built from the compiled cmdlet, so a difference means the help is older than the code: rebuild.
        $common = [System.Management.Automation.PSCmdlet]::CommonParameters
        $expected = foreach ($set in $command.ParameterSets) { ($set.Parameters.Name | Where-Object { -not $common.Contains($_) } | Sort-Object) -join ' ' }
        $shown = foreach ($item in $help.syntax.syntaxItem) { ($item.parameter.name | Sort-Object) -join ' ' }
        ($shown -join "`n") | Should -Be ($expected -join "`n")
    }

    It 'has at least two examples' {
        $Examples.Count | Should -BeGreaterOrEqual 2 -Because "$Name.md needs at least two examples"
    }

    Context 'examples' {
        BeforeAll {
            $results = Invoke-HelpExample -Cmdlet $Name -Examples @($Examples | Where-Object { -not $_.NoRun })
        }

        It 'are the examples of its help source' {
            # Each example's hidden setup is matched to the published example by its number.
            $Source | Should -Not -BeNullOrEmpty -Because "$Name.md is the help source"
            @($Examples.Code) | Should -Be @($Source.Examples.Code) -Because 'the built help must be rebuilt from its source'
        }

        It 'Example <Number>: <Title>' -ForEach $Examples -AllowNullOrEmptyForEach {
            if ($NoRun) {
                Set-ItResult -Skipped -Because "its help source marks it no-run: $NoRun"
                return
            }
            $result = $results[$Number]
            if (-not $result.Passed) {
                $what = if ($result.Stage) { "failed in its $($result.Stage)" } else { 'did not finish' }
                $output = if ("$($result.Output)".Trim()) { "`n--- its output before that ---`n$($result.Output)" }
                throw "Example $Number of $Name ${what}:`n$($result.Error)$output"
            }
        }
    }
}

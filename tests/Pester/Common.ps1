# Dot-sourced at the top of every suite: imports the built module and offers small helpers.
if (-not $env:CALICO_TEST_MODULE) {
    throw 'CALICO_TEST_MODULE is not set: run the suites with ./build.ps1 -Task Test'
}
Import-Module $env:CALICO_TEST_MODULE -Force

# Runs a script in a fresh pwsh (for load-order and process-level tests) and returns its output lines.
function Invoke-FreshPwsh {
    param([Parameter(Mandatory)] [string] $Script)
    # Under the .NET tool this process is `dotnet pwsh.dll`; a child must be started the same way.
    $exe = [Environment]::ProcessPath
    $prefix = @(if ((Split-Path -Leaf $exe) -notlike 'pwsh*') { Join-Path $PSHOME 'pwsh.dll' })
    $output = & $exe @prefix -NoProfile -NonInteractive -Command $Script 2>&1
    [pscustomobject]@{ ExitCode = $LASTEXITCODE; Output = @($output | ForEach-Object ToString) }
}

# The seed's two manifests, as the Calico page writes them.
$script:SeedAlways = @'
apiVersion: v1
kind: ipPool
metadata:
  cidr: 192.168.0.0/16
spec:
  ipip:
    enabled: true
    mode: always
  nat-outgoing: true
'@
$script:SeedCrossSubnet = $script:SeedAlways -replace 'mode: always', 'mode: cross-subnet'

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

# A real etcd (Debian's etcd-server) on 127.0.0.1 with free ports and a temporary data directory.
function Get-FreeTcpPort {
    $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
    $listener.Start()
    try { $listener.LocalEndpoint.Port } finally { $listener.Stop() }
}

function Start-TestEtcd {
    $etcd = Get-Command etcd -CommandType Application -ErrorAction Ignore | Select-Object -First 1
    if (-not $etcd) { throw 'etcd is not installed: apt-get install etcd-server etcd-client (build.ps1 -Task Test does it as root)' }
    $client = Get-FreeTcpPort
    $peer = Get-FreeTcpPort
    $data = Join-Path ([IO.Path]::GetTempPath()) "calico-pester-etcd-$([guid]::NewGuid().ToString('n'))"
    $arguments = @('--name', 'pester', '--data-dir', $data,
        '--listen-client-urls', "http://127.0.0.1:$client", '--advertise-client-urls', "http://127.0.0.1:$client",
        '--listen-peer-urls', "http://127.0.0.1:$peer", '--initial-advertise-peer-urls', "http://127.0.0.1:$peer",
        '--initial-cluster', "pester=http://127.0.0.1:$peer", '--log-level', 'error')
    $process = Start-Process $etcd.Source -ArgumentList $arguments -PassThru -RedirectStandardError "$data.log" -RedirectStandardOutput "$data.out"
    $endpoint = "http://127.0.0.1:$client"
    $deadline = [DateTime]::UtcNow.AddSeconds(30)
    while ([DateTime]::UtcNow -lt $deadline) {
        & etcdctl --endpoints $endpoint endpoint health *> $null
        if ($LASTEXITCODE -eq 0) {
            return [pscustomobject]@{ Endpoint = $endpoint; Process = $process; DataDirectory = $data }
        }
        Start-Sleep -Milliseconds 200
    }
    $process | Stop-Process -Force -ErrorAction Ignore
    throw "etcd did not become healthy at $endpoint within 30 s: $(Get-Content -Raw "$data.log" -ErrorAction Ignore)"
}

function Stop-TestEtcd($Etcd) {
    if (-not $Etcd) { return }
    $Etcd.Process | Stop-Process -Force -ErrorAction Ignore
    $Etcd.Process.WaitForExit(5000) | Out-Null
    Remove-Item $Etcd.DataDirectory, "$($Etcd.DataDirectory).log", "$($Etcd.DataDirectory).out" -Recurse -Force -ErrorAction Ignore
}

# Points the module (through calicoctl's environment variables) at an empty store of the given kind.
function Use-TestDatastore {
    param([Parameter(Mandatory)] [ValidateSet('file', 'etcd')] [string] $Kind, $Etcd, [string] $Directory)
    Disconnect-CalicoDatastore
    foreach ($name in 'DATASTORE_TYPE', 'ETCD_ENDPOINTS', 'FILE_DATASTORE_PATH', 'ETCD_USERNAME', 'ETCD_PASSWORD') {
        Remove-Item "env:$name", "env:CALICO_$name" -ErrorAction Ignore
    }
    if ($Kind -eq 'file') {
        $path = $Directory ? $Directory : (Join-Path ([IO.Path]::GetTempPath()) "calico-pester-store-$([guid]::NewGuid().ToString('n'))")
        $env:CALICO_DATASTORE_TYPE = 'file'
        $env:CALICO_FILE_DATASTORE_PATH = $path
        return $path
    }
    & etcdctl --endpoints $Etcd.Endpoint del --prefix /calico *> $null
    $env:CALICO_DATASTORE_TYPE = 'etcdv3'
    $env:CALICO_ETCD_ENDPOINTS = $Etcd.Endpoint
    return $Etcd.Endpoint
}

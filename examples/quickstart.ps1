<#
.SYNOPSIS
    The Calico "Configuring IP-in-IP" story, told with the Calico module.
.DESCRIPTION
    Run by `dotnet pwsh ./build.ps1 -Task Demo`, which builds the module and gives this script a temporary
    embedded datastore. It can also be run by hand against any built module and any empty store directory.
    Nothing here touches the host's network: the nodes are registered with given addresses, and the routes shown are
    the plan each node's Sync-CalicoDataplane would program.
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $DatastorePath
)
$ErrorActionPreference = 'Stop'
Import-Module $ModulePath
Connect-CalicoDatastore -Path $DatastorePath

function Show-Step([string] $Title) {
    Write-Host ''
    Write-Host "### $Title" -ForegroundColor Green
}

# The two manifests of the Calico page, exactly as it writes them for `calicoctl apply`.
$always = @'
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
$crossSubnet = $always -replace 'mode: always', 'mode: cross-subnet'

Show-Step 'The seed''s v1 manifests, read into typed objects and checked as Calico checks them'
$always, $crossSubnet | ConvertFrom-CalicoManifest | Format-Table | Out-Host
$always, $crossSubnet | Test-CalicoResource | Format-Table -AutoSize | Out-Host

Show-Step 'Converted to projectcalico.org/v3, as calicoctl convert did'
$crossSubnet | Convert-CalicoManifest | Out-Host

Show-Step 'A manifest with mistakes: every problem at once, each with its field and value'
@'
apiVersion: projectcalico.org/v3
kind: IPPool
metadata:
  name: Bad_Name
spec:
  cidr: 192.168.1.5/16
  ipipMode: CrossSubnet
  vxlanMode: Always
  blockSize: 40
'@ | Test-CalicoResource | Select-Object -ExpandProperty Errors | Format-Table -Wrap | Out-Host

Show-Step 'calicoctl apply -f of the "always" manifest (Import-CalicoResource)'
$always | Import-CalicoResource | Format-Table | Out-Host
Get-CalicoIPPool | Format-Table | Out-Host

Show-Step 'Three nodes; node2 was created before Calico v2.1, so it is stored without its subnet'
New-CalicoNode node1 -IPv4Address 10.0.2.15/24
New-CalicoNode node2 -IPv4Address 10.0.2.10/32
New-CalicoNode node3 -IPv4Address 10.0.3.20/24
Get-CalicoNode | Format-Table | Out-Host

Show-Step 'Switching to cross-subnet now would silently break node2, so it is refused, naming node2'
try {
    $crossSubnet | Import-CalicoResource -ErrorAction Stop | Out-Null
}
catch {
    Write-Host $_.Exception.Message -ForegroundColor Yellow
}

Show-Step 'The page''s upgrade step, done for the user: find the nodes without a subnet and fix them'
Get-CalicoNode -MissingSubnet | Format-Table | Out-Host
Register-CalicoNode node2 -IPv4Address 10.0.2.10/24 -PassThru 3>&1 | Format-Table | Out-Host

Show-Step 'Each node registers as calico-node would, getting its IP-in-IP tunnel address'
'node1', 'node3' | ForEach-Object {
    $address = (Get-CalicoNode $_).IPv4Address
    Register-CalicoNode $_ -IPv4Address $address -PassThru
} | Format-Table | Out-Host
Get-CalicoNode | Select-Object Name, IPv4Address, IPv4Subnet, IPv4IPIPTunnelAddr | Format-Table | Out-Host

Show-Step 'What switching to cross-subnet would do, before it is done'
$crossSubnet | Import-CalicoResource -WhatIf

Show-Step 'calicoctl apply -f of the "cross-subnet" manifest, now that every node has its subnet'
$crossSubnet | Import-CalicoResource | Format-Table | Out-Host

Show-Step 'The routes each node gets: same subnet direct, across subnets through tunl0'
Get-CalicoRoute -Node node1, node3 | Where-Object Type -ne Blackhole | Format-Table | Out-Host

Show-Step 'Nothing left to fix'
$findings = Test-CalicoNetwork
if ($findings) { $findings | Format-Table -Wrap | Out-Host } else { Write-Host 'Test-CalicoNetwork found no problem.' }
Disconnect-CalicoDatastore

<#
.SYNOPSIS
    The Calico "Configuring IP-in-IP" story, told with the Calico module.
.DESCRIPTION
    Run by `dotnet pwsh ./build.ps1 -Task Demo`, which builds the module and gives this script a temporary
    embedded datastore. It can also be run by hand against any built module and any empty store directory.
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $DatastorePath
)
$ErrorActionPreference = 'Stop'
Import-Module $ModulePath

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

Show-Step 'The seed''s v1 manifests, read into typed objects'
$always, $crossSubnet | ConvertFrom-CalicoManifest | Format-Table -AutoSize | Out-Host

Show-Step 'Checked as Calico checks them'
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

@{
    RootModule           = 'Calico.PowerShell.dll'
    ModuleVersion        = '0.1.0'
    GUID                 = '6c1f3a52-8e0b-4d7c-9a3e-2f5d0b7c41e9'
    Author               = 'Calico for PowerShell contributors'
    CompanyName          = 'Calico for PowerShell'
    Copyright            = '(c) Calico for PowerShell contributors. Apache License 2.0.'
    Description          = 'Calico IP-in-IP networking from PowerShell: IP pools and nodes (with their subnets) in an embedded store or the etcd v3 datastore Calico itself uses, v1 and v3 manifests, and the Linux host side (tunnel device, routes, NAT).'
    CompatiblePSEditions = @('Core')
    PowerShellVersion    = '7.4'
    FormatsToProcess     = @('Calico.format.ps1xml')
    TypesToProcess       = @()
    CmdletsToExport      = @(
        'Connect-CalicoDatastore'
        'Disconnect-CalicoDatastore'
        'Get-CalicoDatastore'
        'Get-CalicoIPPool'
        'New-CalicoIPPool'
        'Set-CalicoIPPool'
        'Remove-CalicoIPPool'
        'Get-CalicoNode'
        'New-CalicoNode'
        'Set-CalicoNode'
        'Remove-CalicoNode'
        'Import-CalicoResource'
        'Export-CalicoResource'
        'ConvertFrom-CalicoManifest'
        'ConvertTo-CalicoManifest'
        'Convert-CalicoManifest'
        'Test-CalicoResource'
        'Get-CalicoHostAddress'
        'Register-CalicoNode'
        'Sync-CalicoDataplane'
        'Test-CalicoDataplane'
        'Test-CalicoHost'
        'Add-CalicoWorkload'
        'Remove-CalicoWorkload'
        'Get-CalicoRoute'
        'Get-CalicoIPAMBlock'
        'Get-CalicoIPAMAddress'
        'Test-CalicoNetwork'
    )
    FunctionsToExport    = @()
    AliasesToExport      = @()
    VariablesToExport    = @()
    PrivateData          = @{
        PSData = @{
            Tags         = @('Calico', 'Networking', 'IPIP', 'VXLAN', 'etcd', 'Kubernetes', 'Linux', 'PSEdition_Core')
            ProjectUri   = 'https://github.com/calico-powershell/calico-powershell'
            LicenseUri   = 'https://www.apache.org/licenses/LICENSE-2.0'
            ReleaseNotes = 'See CHANGELOG.md'
        }
    }
}

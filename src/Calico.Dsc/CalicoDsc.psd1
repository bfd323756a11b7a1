@{
    RootModule           = 'CalicoDsc.psm1'
    ModuleVersion        = '0.1.0'
    GUID                 = 'b3d6f0a4-5c1e-4e8b-9f27-8a4d2c6e1b73'
    Author               = 'Calico for PowerShell contributors'
    CompanyName          = 'Calico for PowerShell'
    Copyright            = '(c) Calico for PowerShell contributors. Apache License 2.0.'
    Description          = 'Desired State Configuration for Calico: class-based DSC resources (CalicoIPPool, CalicoNode, CalicoHostRegistration) and Microsoft DSC v3 resources (Calico/IPPool, Calico/Node) that converge IP pools and nodes through the Calico module''s cmdlets.'
    CompatiblePSEditions = @('Core')
    PowerShellVersion    = '7.4'
    # The resources call the Calico cmdlets by name; this is the module they come from (same version, same build).
    RequiredModules      = @(@{ ModuleName = 'Calico'; ModuleVersion = '0.1.0'; GUID = '6c1f3a52-8e0b-4d7c-9a3e-2f5d0b7c41e9' })
    DscResourcesToExport = @('CalicoIPPool', 'CalicoNode', 'CalicoHostRegistration')
    FunctionsToExport    = @()
    CmdletsToExport      = @()
    AliasesToExport      = @()
    VariablesToExport    = @()
    PrivateData          = @{
        PSData = @{
            Tags         = @('Calico', 'DSC', 'DesiredStateConfiguration', 'DscResourceKit', 'Networking', 'IPIP', 'Linux', 'PSEdition_Core')
            ProjectUri   = 'https://github.com/calico-powershell/calico-powershell'
            LicenseUri   = 'https://www.apache.org/licenses/LICENSE-2.0'
            ReleaseNotes = 'See CHANGELOG.md'
        }
    }
}

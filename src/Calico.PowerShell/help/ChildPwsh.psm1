# Starts the pwsh that is running now as a child process. Under `dotnet pwsh` (the repo's pinned tool) the
# process is dotnet itself, so the child is `dotnet <PSHOME>/pwsh.dll`; elsewhere it is the pwsh executable.
Set-StrictMode -Version Latest

<#
.SYNOPSIS
    A ProcessStartInfo that runs this same pwsh with the given arguments, standard output and error redirected.
#>
function New-PwshStartInfo {
    [CmdletBinding()]
    param([Parameter(Mandatory)] [string[]] $ArgumentList)

    $start = [System.Diagnostics.ProcessStartInfo]::new([Environment]::ProcessPath)
    if ([System.IO.Path]::GetFileNameWithoutExtension([Environment]::ProcessPath) -eq 'dotnet') {
        $start.ArgumentList.Add((Join-Path $PSHOME 'pwsh.dll'))
    }
    foreach ($argument in @('-NoProfile', '-NonInteractive') + $ArgumentList) { $start.ArgumentList.Add($argument) }
    $start.RedirectStandardOutput = $true
    $start.RedirectStandardError = $true
    $start.UseShellExecute = $false
    return $start
}

Export-ModuleMember -Function New-PwshStartInfo

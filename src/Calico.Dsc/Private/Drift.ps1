# Which desired properties the actual state does not have. Only the properties a configuration sets count: a
# property left $null is "don't care", so a configuration manages exactly what it names.

# How values of a property are compared; properties not listed compare as text, ignoring case (as the enum-valued
# settings and names are accepted by the cmdlets).
$script:PropertyKinds = @{
    Cidr         = 'Address'
    IPv4Address  = 'Address'
    IPv6Address  = 'Address'
    NodeSelector = 'Selector'
    ASNumber     = 'ASNumber'
}

# The form two equal values share: an address as .NET prints it (so 'FD00::1/64' equals 'fd00:0::1/64'), the
# empty selector as Calico reads it (all()), an AS number as one plain number ('1.10' is 65546).
function ConvertTo-CalicoDscComparable {
    param([string] $Property, $Value)
    if ($null -eq $Value) { return $null }
    $text = "$Value".Trim()
    switch ($script:PropertyKinds[$Property]) {
        'Address' {
            $address, $length = $text -split '/', 2
            $parsed = $null
            if ([System.Net.IPAddress]::TryParse($address, [ref] $parsed)) {
                return $null -eq $length ? "$parsed" : "$parsed/$length"
            }
            return $text
        }
        'Selector' { return $text -eq '' ? 'all()' : $text }
        'ASNumber' {
            if ($text -match '^(\d+)\.(\d+)$') { return [string] ([uint64] $Matches[1] * 65536 + [uint64] $Matches[2]) }
            return $text
        }
        default { return $text.ToLowerInvariant() }
    }
}

# The names of the properties (of $Properties) whose desired value the actual instance lacks; 'Ensure' first when the
# resource should (not) exist and does (not).
function Get-CalicoDscDrift {
    param([Parameter(Mandatory)] $Desired, [Parameter(Mandatory)] $Actual, [Parameter(Mandatory)] [string[]] $Properties)
    if ($Desired.Ensure -ne $Actual.Ensure) { return , @('Ensure') }
    if ($Desired.Ensure -eq 'Absent') { return , @() }
    $drift = foreach ($property in $Properties) {
        $want = $Desired.$property
        if ($null -eq $want) { continue }
        # Selectors are case-sensitive (label values are), so they keep their case; everything else was lowered.
        $wanted = ConvertTo-CalicoDscComparable $property $want
        $have = ConvertTo-CalicoDscComparable $property $Actual.$property
        if ($wanted -cne $have) { $property }
    }
    return , @($drift)
}

# The parameters for a Calico cmdlet that set these properties to their desired values: each property has the name of
# the cmdlet's parameter, and an empty string stands for "none" (a removed address, an inherited AS number).
function Get-CalicoDscParameters {
    param([Parameter(Mandatory)] $Desired, [string[]] $Properties)
    $parameters = @{}
    foreach ($property in $Properties) {
        $value = $Desired.$property
        if ($null -eq $value) { continue }
        $parameters[$property] = ($property -eq 'ASNumber' -and $value -eq '') ? $null : $value
    }
    return $parameters
}

# Class-based DSC resources for Calico. Every read and write goes through the Calico module's cmdlets, called by name,
# so DSC converges exactly what Get-/Set-/New-/Remove-Calico* would do by hand, with the same checks and errors.
# The classes live in this one file because DSC and `using module` find resources only in the root module; the helpers
# they share are in Private/.

foreach ($helper in Get-ChildItem -Path (Join-Path $PSScriptRoot 'Private') -Filter *.ps1) { . $helper.FullName }

# An IP pool (calicoctl's IPPool), named by Name. Only the properties a configuration sets are managed.
[DscResource()]
class CalicoIPPool {
    [DscProperty(Key)] [string] $Name
    [DscProperty()] [string] $Cidr
    [DscProperty()] [ValidateSet('Always', 'CrossSubnet', 'Never')] [string] $IPIPMode
    [DscProperty()] [ValidateSet('Always', 'CrossSubnet', 'Never')] [string] $VXLANMode
    [DscProperty()] [Nullable[bool]] $NatOutgoing
    [DscProperty()] [Nullable[bool]] $Disabled
    [DscProperty()] [Nullable[int]] $BlockSize
    # A Calico selector for the nodes that use the pool; an empty string means all().
    [DscProperty()] [string] $NodeSelector
    [DscProperty()] [ValidateSet('Present', 'Absent')] [string] $Ensure = 'Present'
    # The datastore (a calicoctl config file, etcd endpoints separated by commas, or an embedded store's directory);
    # none means the module's normal configuration.
    [DscProperty()] [string] $ConfigFile
    [DscProperty()] [string] $EtcdEndpoints
    [DscProperty()] [string] $DatastorePath
    [DscProperty(NotConfigurable)] [string] $ResourceVersion

    hidden static [string[]] $Managed = @('Cidr', 'IPIPMode', 'VXLANMode', 'NatOutgoing', 'Disabled', 'BlockSize', 'NodeSelector')

    [CalicoIPPool] Get() {
        $connected = Enter-CalicoDscDatastore $this
        try { return [CalicoIPPool]::FromPool($this, (Find-CalicoDscResource IPPool $this.Name)) }
        finally { Exit-CalicoDscDatastore $connected }
    }

    [bool] Test() { return $this.FindDrift().Count -eq 0 }

    # The properties (names as above, 'Ensure' for existence) that differ from the datastore.
    [string[]] FindDrift() {
        return Get-CalicoDscDrift $this $this.Get() ([CalicoIPPool]::Managed)
    }

    [void] Set() {
        $ConfirmPreference = 'None'
        $connected = Enter-CalicoDscDatastore $this
        try {
            $pool = Find-CalicoDscResource IPPool $this.Name
            $drift = Get-CalicoDscDrift $this ([CalicoIPPool]::FromPool($this, $pool)) ([CalicoIPPool]::Managed)
            if ($drift.Count -eq 0) { Write-Verbose "IPPool $($this.Name) is in the desired state; nothing to write."; return }
            if ($this.Ensure -eq 'Absent') { $pool | Remove-CalicoIPPool -ErrorAction Stop; return }
            # A new pool gets every property given; an existing one only those that differ. One write either way.
            $parameters = Get-CalicoDscParameters $this ($pool ? $drift : [CalicoIPPool]::Managed)
            Set-CalicoIPPool -Name $this.Name @parameters -ErrorAction Stop
        }
        finally { Exit-CalicoDscDatastore $connected }
    }

    # Every pool in the instance's datastore (or the normal one), as instances of this resource.
    static [CalicoIPPool[]] Export() { return [CalicoIPPool]::Export([CalicoIPPool]::new()) }

    static [CalicoIPPool[]] Export([CalicoIPPool] $Settings) {
        $connected = Enter-CalicoDscDatastore $Settings
        try { return @(Get-CalicoIPPool -ErrorAction Stop | ForEach-Object { [CalicoIPPool]::FromPool($Settings, $_) }) }
        finally { Exit-CalicoDscDatastore $connected }
    }

    # The actual state of a stored pool ($null: absent), carrying the datastore settings of $Settings.
    hidden static [CalicoIPPool] FromPool([CalicoIPPool] $Settings, $Pool) {
        $actual = [CalicoIPPool]::new()
        $actual.Name = $Pool ? $Pool.Name : $Settings.Name
        Copy-CalicoDscDatastoreSettings $Settings $actual
        $actual.Ensure = $Pool ? 'Present' : 'Absent'
        if (-not $Pool) { return $actual }
        $actual.Cidr = $Pool.Cidr
        $actual.IPIPMode = "$($Pool.IPIPMode)"
        $actual.VXLANMode = "$($Pool.VXLANMode)"
        $actual.NatOutgoing = $Pool.NatOutgoing
        $actual.Disabled = $Pool.Disabled
        $actual.BlockSize = $Pool.Spec.BlockSize
        $actual.NodeSelector = $Pool.NodeSelector
        $actual.ResourceVersion = $Pool.ResourceVersion
        return $actual
    }
}

# A Calico node, named by Name: its IPv4 address with the subnet's prefix length (which CrossSubnet needs), its IPv6
# address and its AS number. An empty string removes an address, or makes the node inherit the cluster's AS number.
[DscResource()]
class CalicoNode {
    [DscProperty(Key)] [string] $Name
    [DscProperty()] [string] $IPv4Address
    [DscProperty()] [string] $IPv6Address
    # Plain (64512) or dotted (1.10).
    [DscProperty()] [ValidatePattern('^(\d+(\.\d+)?)?$')] [string] $ASNumber
    [DscProperty()] [ValidateSet('Present', 'Absent')] [string] $Ensure = 'Present'
    [DscProperty()] [string] $ConfigFile
    [DscProperty()] [string] $EtcdEndpoints
    [DscProperty()] [string] $DatastorePath
    [DscProperty(NotConfigurable)] [string] $ResourceVersion

    hidden static [string[]] $Managed = @('IPv4Address', 'IPv6Address', 'ASNumber')

    [CalicoNode] Get() {
        $connected = Enter-CalicoDscDatastore $this
        try { return [CalicoNode]::FromNode($this, (Find-CalicoDscResource Node $this.Name)) }
        finally { Exit-CalicoDscDatastore $connected }
    }

    [bool] Test() { return $this.FindDrift().Count -eq 0 }

    [string[]] FindDrift() {
        return Get-CalicoDscDrift $this $this.Get() ([CalicoNode]::Managed)
    }

    [void] Set() {
        $ConfirmPreference = 'None'
        $connected = Enter-CalicoDscDatastore $this
        try {
            $node = Find-CalicoDscResource Node $this.Name
            $drift = Get-CalicoDscDrift $this ([CalicoNode]::FromNode($this, $node)) ([CalicoNode]::Managed)
            if ($drift.Count -eq 0) { Write-Verbose "Node $($this.Name) is in the desired state; nothing to write."; return }
            if ($this.Ensure -eq 'Absent') { $node | Remove-CalicoNode -ErrorAction Stop; return }
            if (-not $node) {
                $parameters = Get-CalicoDscParameters $this ([CalicoNode]::Managed)
                New-CalicoNode -Name $this.Name @parameters -ErrorAction Stop
                return
            }
            $parameters = Get-CalicoDscParameters $this $drift
            Set-CalicoNode -Name $this.Name @parameters -ErrorAction Stop
        }
        finally { Exit-CalicoDscDatastore $connected }
    }

    static [CalicoNode[]] Export() { return [CalicoNode]::Export([CalicoNode]::new()) }

    static [CalicoNode[]] Export([CalicoNode] $Settings) {
        $connected = Enter-CalicoDscDatastore $Settings
        try { return @(Get-CalicoNode -ErrorAction Stop | ForEach-Object { [CalicoNode]::FromNode($Settings, $_) }) }
        finally { Exit-CalicoDscDatastore $connected }
    }

    hidden static [CalicoNode] FromNode([CalicoNode] $Settings, $Node) {
        $actual = [CalicoNode]::new()
        $actual.Name = $Node ? $Node.Name : $Settings.Name
        Copy-CalicoDscDatastoreSettings $Settings $actual
        $actual.Ensure = $Node ? 'Present' : 'Absent'
        if (-not $Node) { return $actual }
        $actual.IPv4Address = "$($Node.IPv4Address)"
        $actual.IPv6Address = "$($Node.IPv6Address)"
        $actual.ASNumber = "$($Node.ASNumber)"
        $actual.ResourceVersion = $Node.ResourceVersion
        return $actual
    }
}

# This host as a Calico node, as calico-node registers it at start-up: Register-CalicoNode stores the node with the
# address autodetection finds (or IPv4Address), with its subnet; with SyncDataplane, Sync-CalicoDataplane then makes
# the host's tunnel device, routes and NAT match the datastore.
[DscResource()]
class CalicoHostRegistration {
    # The node name: this host's name, as calico-node uses it.
    [DscProperty(Key)] [string] $Name
    # The address to register (calico-node's IP=), with its prefix length; empty means autodetect it.
    [DscProperty()] [string] $IPv4Address
    # How to autodetect it (calico-node's IP_AUTODETECTION_METHOD): first-found, interface=REGEX, can-reach=IP, cidr=CIDR, ...
    [DscProperty()] [string] $Method
    # Look at (and program) this network namespace instead of the host's own.
    [DscProperty()] [string] $NetNamespace
    [DscProperty()] [Nullable[bool]] $SyncDataplane
    [DscProperty()] [string] $ConfigFile
    [DscProperty()] [string] $EtcdEndpoints
    [DscProperty()] [string] $DatastorePath
    [DscProperty(NotConfigurable)] [string] $ResourceVersion
    # What Sync-CalicoDataplane would change now (only read when SyncDataplane is true).
    [DscProperty(NotConfigurable)] [Nullable[int]] $PendingDataplaneChanges

    [CalicoHostRegistration] Get() {
        $connected = Enter-CalicoDscDatastore $this
        try {
            $node = Find-CalicoDscResource Node $this.Name
            $actual = [CalicoHostRegistration]::new()
            $actual.Name = $this.Name
            foreach ($setting in 'Method', 'NetNamespace', 'SyncDataplane') { if ($null -ne $this.$setting) { $actual.$setting = $this.$setting } }
            Copy-CalicoDscDatastoreSettings $this $actual
            if ($node) {
                $actual.IPv4Address = "$($node.IPv4Address)"
                $actual.ResourceVersion = $node.ResourceVersion
            }
            if ($this.SyncDataplane) { $actual.PendingDataplaneChanges = $this.PendingChanges() }
            return $actual
        }
        finally { Exit-CalicoDscDatastore $connected }
    }

    [bool] Test() {
        $connected = Enter-CalicoDscDatastore $this
        try { return -not $this.NeedsRegistration() -and -not ($this.SyncDataplane -and $this.PendingChanges() -gt 0) }
        finally { Exit-CalicoDscDatastore $connected }
    }

    [void] Set() {
        $ConfirmPreference = 'None'
        $connected = Enter-CalicoDscDatastore $this
        try {
            if ($this.NeedsRegistration()) {
                $register = @{ Name = $this.Name; PassThru = $true; ErrorAction = 'Stop' }
                foreach ($setting in 'IPv4Address', 'Method', 'NetNamespace') { if ($this.$setting) { $register[$setting] = $this.$setting } }
                $result = Register-CalicoNode @register
                Write-Verbose "Register-CalicoNode: $($result.Action) node $($this.Name) ($($result.Node.IPv4Address))."
            }
            if ($this.SyncDataplane -and $this.PendingChanges() -gt 0) {
                $target = $this.DataplaneTarget()
                Sync-CalicoDataplane @target -ErrorAction Stop | ForEach-Object { Write-Verbose "Sync-CalicoDataplane: $_" }
            }
        }
        finally { Exit-CalicoDscDatastore $connected }
    }

    # True when the node is missing or stored with another IPv4 address than the one to register.
    hidden [bool] NeedsRegistration() {
        $node = Find-CalicoDscResource Node $this.Name
        if (-not $node) { return $true }
        $wanted = $this.IPv4Address
        if (-not $wanted) {
            $detect = @{ Selected = $true; ErrorAction = 'Stop' }
            if ($this.Method) { $detect.Method = $this.Method }
            if ($this.NetNamespace) { $detect.NetNamespace = $this.NetNamespace }
            $wanted = "$((Get-CalicoHostAddress @detect).Address)"
        }
        return (ConvertTo-CalicoDscComparable IPv4Address $wanted) -cne (ConvertTo-CalicoDscComparable IPv4Address $node.IPv4Address)
    }

    # Sync-CalicoDataplane -WhatIf emits one object per change it would make and makes none.
    hidden [int] PendingChanges() {
        $target = $this.DataplaneTarget()
        return @(Sync-CalicoDataplane @target -WhatIf -ErrorAction Stop).Count
    }

    hidden [hashtable] DataplaneTarget() {
        $target = @{ Name = $this.Name }
        if ($this.NetNamespace) { $target.NetNamespace = $this.NetNamespace }
        return $target
    }
}

# Which datastore a resource instance works on. Each instance may name its own (so one configuration can converge
# several datastores); one that names none uses the module's normal configuration (calicoctl's config file, the
# environment, else the embedded store), or whatever Connect-CalicoDatastore pinned in this session.

# Connects to the instance's datastore when it names one; returns whether it did, for Exit-CalicoDscDatastore.
function Enter-CalicoDscDatastore {
    param([Parameter(Mandatory)] $Instance)
    $configFile = $Instance.ConfigFile
    $endpoints = $Instance.EtcdEndpoints
    $path = $Instance.DatastorePath
    if (-not ($configFile -or $endpoints -or $path)) { return $false }
    if ($path -and ($configFile -or $endpoints)) {
        throw [System.ArgumentException]::new(
            "DatastorePath '$path' names an embedded file store; it cannot be combined with ConfigFile or EtcdEndpoints, which name another datastore.")
    }
    $connect = @{ ErrorAction = 'Stop' }
    if ($path) { $connect.Path = $path }
    if ($endpoints) { $connect.EtcdEndpoints = @($endpoints -split ',' | ForEach-Object Trim | Where-Object { $_ }) }
    if ($configFile) { $connect.ConfigFile = $configFile }
    Connect-CalicoDatastore @connect
    return $true
}

# Forgets the datastore Enter-CalicoDscDatastore connected, so the next instance starts from the normal configuration.
function Exit-CalicoDscDatastore {
    param([bool] $Connected)
    if ($Connected) { Disconnect-CalicoDatastore }
}

# The stored resource of that kind and name, or $null when there is none. Any other failure (an unreachable
# datastore, an unreadable stored resource) is thrown: "absent" must never be a guess.
function Find-CalicoDscResource {
    param([Parameter(Mandatory)] [ValidateSet('IPPool', 'Node')] [string] $Kind, [Parameter(Mandatory)] [string] $Name)
    $found = $null
    $failures = $null
    if ($Kind -eq 'IPPool') { $found = Get-CalicoIPPool -Name $Name -ErrorAction SilentlyContinue -ErrorVariable failures }
    else { $found = Get-CalicoNode -Name $Name -ErrorAction SilentlyContinue -ErrorVariable failures }
    $real = @($failures | Where-Object { $_.FullyQualifiedErrorId -notlike 'ResourceNotFound,*' })
    if ($real.Count -gt 0) { throw $real[0] }
    # -Name takes wildcards; only the resource with exactly this name counts.
    return @($found | Where-Object Name -CEQ $Name)[0]
}

# Copies the datastore settings an instance was given onto another (its actual state, an exported instance); settings
# not given stay $null rather than becoming empty strings.
function Copy-CalicoDscDatastoreSettings {
    param([Parameter(Mandatory)] $From, [Parameter(Mandatory)] $To)
    foreach ($setting in 'ConfigFile', 'EtcdEndpoints', 'DatastorePath') {
        if ($null -ne $From.$setting) { $To.$setting = $From.$setting }
    }
}

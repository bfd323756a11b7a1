using module CalicoDsc
<#
.SYNOPSIS
    The seed's IP-in-IP setup as desired state, converged with the class-based DSC resources of CalicoDsc.
.DESCRIPTION
    Declares the nodes (each with its subnet, which CrossSubnet needs) and the seed's pool (CrossSubnet, NAT
    outgoing), then applies them as Invoke-DscResource or a DSC agent does: Test each resource, Set it where Test is
    false. Nodes come first: the pool may only become CrossSubnet once every node it selects has a subnet. Run it
    twice: the second run finds everything in the desired state and writes nothing.

    Needs Calico and CalicoDsc on PSModulePath (installed, or ./out after `./build.ps1 -Task Build`). With no
    datastore given, the module's normal configuration applies (calicoctl.cfg, the environment, else the embedded
    store); docs/dsc.md shows the same configuration for PSDesiredStateConfiguration and for DSC v3.
.EXAMPLE
    $env:PSModulePath = "$PWD/out:$env:PSModulePath"; ./examples/dsc-calico.ps1 -DatastorePath /tmp/calico-dsc-demo
.EXAMPLE
    ./examples/dsc-calico.ps1 -EtcdEndpoints http://127.0.0.1:2379
#>
param(
    # An embedded file datastore's directory.
    [string] $DatastorePath,
    # etcd v3 endpoints, separated by commas.
    [string] $EtcdEndpoints
)
$ErrorActionPreference = 'Stop'

$configuration = @(
    [CalicoNode] @{ Name = 'node1'; IPv4Address = '10.0.2.15/24' }
    # The seed's pre-v2.1 node, stored as 10.0.2.10/32 until it is given its subnet.
    [CalicoNode] @{ Name = 'node2'; IPv4Address = '10.0.2.10/24' }
    [CalicoNode] @{ Name = 'node3'; IPv4Address = '10.0.3.20/24' }
    [CalicoIPPool] @{ Name = '192-168-0-0-16'; Cidr = '192.168.0.0/16'; IPIPMode = 'CrossSubnet'; NatOutgoing = $true }
)

foreach ($resource in $configuration) {
    if ($DatastorePath) { $resource.DatastorePath = $DatastorePath }
    if ($EtcdEndpoints) { $resource.EtcdEndpoints = $EtcdEndpoints }
    $what = "$($resource.GetType().Name) $($resource.Name)"
    $drift = $resource.FindDrift()
    if ($drift.Count -eq 0) {
        "${what}: in the desired state"
        continue
    }
    $resource.Set()
    $done = $drift -contains 'Ensure' ? ($resource.Ensure -eq 'Absent' ? 'removed' : 'created') : "changed $($drift -join ', ')"
    "${what}: $done"
}

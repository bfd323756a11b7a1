#!/usr/bin/env bash
# Regenerates the captured iproute2 JSON the parser tests read. Run as root from this folder:
#   ./capture.sh              everything this kernel can do (veth, bridge, vxlan, routes, neighbours, fdb)
#   ./capture.sh ipip         the ipip captures, run inside tests/IpipVm (this kernel has no ipip)
# Everything is built in two throwaway namespaces, deleted on exit.
set -euo pipefail
cd "$(dirname "$0")"

a="capture-$$-a" b="capture-$$-b"
trap 'ip netns delete "$a" 2>/dev/null || true; ip netns delete "$b" 2>/dev/null || true' EXIT
ip netns add "$a"
ip netns add "$b"
A="ip -n $a"

$A link set dev lo up
$A link add name eth0 type veth peer name eth1
$A link set dev eth0 up
$A link set dev eth1 up
$A address add 10.0.2.15/24 dev eth0
$A address add 10.0.2.16/24 dev eth0
$A address add 10.9.0.1 peer 10.9.0.2/32 dev eth0
$A address add 2001:db8::15/64 dev eth0 nodad

if [[ ${1-} == ipip ]]; then
    # The ipip module creates a fallback tunl0 in every namespace; Calico configures it rather than creating one.
    $A link set dev tunl0 mtu 1480 up
    $A address add 192.168.50.1/32 dev tunl0
    $A route add 192.168.60.0/26 via 10.0.2.10 dev tunl0 onlink proto 80 mtu 1480
    $A link add name t1 type ipip local 10.0.2.15 remote 10.0.2.99 ttl 64 dev eth0
    $A -details -json link show > ipip-links.json
    $A -json address show > ipip-addresses.json
    $A -N -details -json -4 route show table all > ipip-routes4.json
    exit 0
fi

$A link add name br-x type bridge
$A link set dev eth1 master br-x
$A link set dev br-x up
$A link add name vxlan.calico address 66:11:22:33:44:55 mtu 1450 type vxlan id 4096 local 10.0.2.15 dev eth0 dstport 4789 nolearning
$A link set dev vxlan.calico up
$A address add 192.168.10.0/32 dev vxlan.calico
$A link add name cali123 type veth peer name eth0 netns "$b"
$A link set dev cali123 up
$A link add name down0 mtu 9000 type veth peer name down1

$A route add default via 10.0.2.1 dev eth0
$A route add blackhole 192.168.1.0/26 proto 80
$A route add 192.168.2.0/26 via 10.9.9.9 dev eth0 onlink proto 80 mtu 1480
$A route add 192.168.3.0/26 via 10.0.2.10 dev eth0 proto static
$A route add 192.168.20.0/32 dev vxlan.calico scope link
$A route add 192.168.30.0/26 via 192.168.20.0 dev vxlan.calico onlink mtu 1450
$A route add 10.8.0.0/16 unreachable 2>/dev/null || $A route add unreachable 10.8.0.0/16
$A route add 10.6.0.0/16 via 10.0.2.1 metric 100 table 100
$A route add 10.7.0.0/16 nexthop via 10.0.2.1 weight 1 nexthop via 10.0.2.2 weight 2
$A route add 10.3.0.0/16 via inet6 fe80::1 dev eth0
$A route add 10.5.0.0/16 dev eth0 scope link proto 80 src 10.0.2.15
$A route add 10.4.0.0/16 via 10.0.2.1 mtu lock 1400
$A -6 route add blackhole 2001:db8:1::/64 proto 80
$A -6 route add default via 2001:db8::1 dev eth0 metric 1024

$A neigh replace 192.168.20.0 lladdr 66:aa:bb:cc:dd:ee dev vxlan.calico nud permanent
$A neigh add 10.0.2.10 lladdr 52:54:00:12:34:56 dev eth0 nud reachable
$A neigh add 10.0.2.11 dev eth0 nud failed
$A neigh add 10.0.2.12 lladdr 00:00:00:00:00:00 dev eth0 nud noarp
$A neigh add fe80::1 lladdr 52:54:00:12:34:57 dev eth0 nud stale router
bridge -n "$a" fdb append 66:aa:bb:cc:dd:ee dev vxlan.calico dst 10.0.2.10 self permanent
bridge -n "$a" fdb add 02:00:00:00:00:09 dev eth1 master static

$A -details -json link show > links.json
$A -json address show > addresses.json
$A -N -details -json -4 route show table all > routes4.json
$A -details -json -4 route show table all > routes4-names.json
$A -N -details -json -6 route show table all > routes6.json
$A -json neigh show nud all > neighbours.json
bridge -n "$a" -json fdb show > fdb.json
$A -json route get to 10.0.2.10 ipproto udp dport 80 > route-get.json

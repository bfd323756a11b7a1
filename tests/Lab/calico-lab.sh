#!/usr/bin/env bash
# Builds the end-to-end lab of docs/DESIGN ("The end-to-end lab") in network namespaces, for the VXLAN lab on this
# kernel (tests/Pester/Lab.Tests.ps1) and the IP-in-IP lab in the VM (tests/IpipVm/ipip-lab.ps1). Only the fabric is
# built here; everything Calico does on the hosts is left to the module's cmdlets.
#
#  lanA 10.0.2.0/24 (bridge br0 in namespace lanA)   router                       lanB 10.0.3.0/24
#  host1 10.0.2.15   host2 10.0.2.10  ------ lanA 10.0.2.1 | lanB 10.0.3.1 ------ host3 10.0.3.20
#                                                   ext 203.0.113.254
#                                                        |
#                                                   ext 203.0.113.1
#  wl1..wl3: empty namespaces for Add-CalicoWorkload.
#
# The router forwards, and its table `inet lab` drops every packet with a 192.168.0.0/16 source or destination, as a
# cloud fabric's address checks do; it counts what it drops (counter pool_drop) and what passes encapsulated (vxlan:
# UDP 4789, ipip: IP protocol 4). The bridge's table `bridge lab` counts what crosses lanA between hosts: pool_plain
# (a pool source address, so unencapsulated workload traffic), vxlan and ipip. The router has no routes to the pool:
# the caller adds them (router-route) once the hosts have claimed their blocks, so only the drop rule can stop a plain
# packet. IPv6 is off in every lab namespace, so no neighbour discovery moves the device counters the tests read.
#
#   calico-lab.sh up PREFIX [MTU]            build it under a prefix from `netns-lab.sh prefix` (MTU of every
#                                            fabric link, default 1500)
#   calico-lab.sh router-route PREFIX CIDR VIA...   give the router a route to CIDR via VIA (pairs)
#   calico-lab.sh down PREFIX                tear it down (netns-lab.sh down)
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd -P)
NETNS_LAB="$HERE/netns-lab.sh"

die() { echo "calico-lab: $*" >&2; exit 2; }

readonly NAMESPACES=(lanA router ext host1 host2 host3 wl1 wl2 wl3)

# Runs `ip -batch` in one of the lab's namespaces: one process per namespace (each costs ~0.2 s in the TCG VM).
ipns() { ip -n "$PREFIX$1" -batch -; }

cmd_up() {
    PREFIX=${1-}
    local mtu=${2:-1500} ns
    [[ $mtu =~ ^[0-9]+$ ]] || die "MTU '$mtu' is not a number"
    bash "$NETNS_LAB" ns "$PREFIX" "${NAMESPACES[@]}"
    for ns in "${NAMESPACES[@]}"; do
        ip netns exec "$PREFIX$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1 \
            $([[ $ns == router ]] && echo net.ipv4.ip_forward=1)
    done

    ipns lanA <<EOF
link add br0 type bridge
link add a-host1 mtu $mtu type veth peer name eth0 netns ${PREFIX}host1
link add a-host2 mtu $mtu type veth peer name eth0 netns ${PREFIX}host2
link add a-router mtu $mtu type veth peer name lanA netns ${PREFIX}router
link set a-host1 master br0 up
link set a-host2 master br0 up
link set a-router master br0 up
link set br0 up
EOF
    ipns router <<EOF
link add lanB mtu $mtu type veth peer name eth0 netns ${PREFIX}host3
link add ext mtu $mtu type veth peer name eth0 netns ${PREFIX}ext
link set lanA mtu $mtu up
link set lanB up
link set ext up
address add 10.0.2.1/24 dev lanA
address add 10.0.3.1/24 dev lanB
address add 203.0.113.254/24 dev ext
EOF
    host host1 10.0.2.15/24 10.0.2.1 "$mtu"
    host host2 10.0.2.10/24 10.0.2.1 "$mtu"
    host host3 10.0.3.20/24 10.0.3.1 "$mtu"
    host ext 203.0.113.1/24 203.0.113.254 "$mtu"

    ip netns exec "${PREFIX}router" nft -f - <<'EOF'
table inet lab {
    counter pool_drop {}
    counter vxlan {}
    counter ipip {}
    chain forward {
        type filter hook forward priority filter; policy accept;
        udp dport 4789 counter name vxlan
        ip protocol 4 counter name ipip
        ip saddr 192.168.0.0/16 counter name pool_drop drop
        ip daddr 192.168.0.0/16 counter name pool_drop drop
    }
}
EOF
    # Spelled with explicit `ether type ip` and `ip protocol udp`: otherwise nft makes the bridge rules depend on
    # `meta protocol`/`meta l4proto`, which in the bridge family needs nft_meta_bridge (not in the VM's initramfs).
    ip netns exec "${PREFIX}lanA" nft -f - <<'EOF'
table bridge lab {
    counter pool_plain {}
    counter vxlan {}
    counter ipip {}
    chain forward {
        type filter hook forward priority filter; policy accept;
        ether type ip ip saddr 192.168.0.0/16 counter name pool_plain
        ether type ip ip protocol udp udp dport 4789 counter name vxlan
        ether type ip ip protocol 4 counter name ipip
    }
}
EOF
}

# A lab host: its one interface eth0 with its address, and a default route via the router (which proxy ARP for the
# workloads' gateway 169.254.1.1 needs, as on every real host).
host() {
    ipns "$1" <<EOF
link set eth0 mtu $4 up
address add $2 dev eth0
route add default via $3
EOF
}

cmd_router_route() {
    PREFIX=${1-}
    shift
    [[ $# -gt 0 && $(($# % 2)) -eq 0 ]] || die "router-route needs PREFIX CIDR VIA [CIDR VIA...]"
    local batch=""
    while [[ $# -gt 0 ]]; do
        batch+="route replace $1 via $2"$'\n'
        shift 2
    done
    ipns router <<<"$batch"
}

command=${1-}
[[ $# -gt 0 ]] && shift
case $command in
    up) cmd_up "$@" ;;
    router-route) cmd_router_route "$@" ;;
    down) bash "$NETNS_LAB" down "$@" ;;
    *) die "usage: calico-lab.sh up PREFIX [MTU] | router-route PREFIX CIDR VIA... | down PREFIX (see the header)" ;;
esac

#!/usr/bin/env bash
# Builds small labs of network namespaces joined by veth links, and tears them down, for the xunit
# and Pester suites alike. Every namespace a lab creates is named PREFIX+NAME, where PREFIX is
# "calab-<owner pid>-<random>-": parallel runs never clash, teardown deletes only its own lab, and
# `sweep` can tell a dead run's leftovers from a live run's. Nothing here touches the host's own
# interfaces, routes or nftables: links are created directly inside the lab's namespaces.
#
#   netns-lab.sh prefix OWNER_PID              print a fresh prefix for a lab owned by that (long-lived) process:
#                                              $$ in a shell script, $PID in PowerShell, the test host's own pid
#   netns-lab.sh ns PREFIX NAME...             create namespaces PREFIX+NAME, loopback up
#   netns-lab.sh veth PREFIX NS1 IF1 NS2 IF2   a veth pair, IF1 in NS1 and IF2 in NS2 (NS2 may be NS1), both up
#   netns-lab.sh addr PREFIX NS IF CIDR...     add addresses to IF in NS
#   netns-lab.sh exec PREFIX NS CMD [ARG...]   run a command inside PREFIX+NS
#   netns-lab.sh list PREFIX                   print the lab's namespace names, one a line
#   netns-lab.sh down PREFIX                   end the processes inside the lab's namespaces, delete them
#   netns-lab.sh sweep                         run `down` for every lab whose owner process has exited
set -euo pipefail

readonly PREFIX_PATTERN='^calab-[0-9]+-[0-9a-f]{8}-$'

die() { echo "netns-lab: $*" >&2; exit 2; }

check_prefix() {
    [[ ${1-} =~ $PREFIX_PATTERN ]] || die "prefix '${1-}' is not a lab prefix (calab-<pid>-<8 hex>-)"
}

check_name() {
    [[ ${1-} =~ ^[A-Za-z0-9_.-]+$ ]] || die "name '${1-}' must be letters, digits, '_', '.' or '-'"
}

# Namespace names, one a line; `ip netns list` may append " (id: N)".
all_namespaces() { ip netns list | awk '{ print $1 }'; }

cmd_prefix() {
    local owner=${1-} random
    # Explicit, because `sweep` deletes a lab once its owner is gone: a short-lived caller would lose it.
    [[ $owner =~ ^[0-9]+$ ]] || die "prefix needs the owner's pid (the process that will tear the lab down)"
    random=$(od -An -N4 -tx1 /dev/urandom | tr -d ' \n')
    echo "calab-$owner-$random-"
}

cmd_ns() {
    local prefix=$1; shift
    check_prefix "$prefix"
    local name
    for name in "$@"; do
        check_name "$name"
        ip netns add "$prefix$name"
        ip -n "$prefix$name" link set dev lo up
    done
}

cmd_veth() {
    [[ $# -eq 5 ]] || die "veth needs PREFIX NS1 IF1 NS2 IF2"
    local prefix=$1 ns1=$2 if1=$3 ns2=$4 if2=$5
    check_prefix "$prefix"
    ip -n "$prefix$ns1" link add name "$if1" type veth peer name "$if2" netns "$prefix$ns2"
    ip -n "$prefix$ns1" link set dev "$if1" up
    ip -n "$prefix$ns2" link set dev "$if2" up
}

cmd_addr() {
    [[ $# -ge 4 ]] || die "addr needs PREFIX NS IF CIDR..."
    local prefix=$1 ns=$2 dev=$3; shift 3
    check_prefix "$prefix"
    local cidr
    for cidr in "$@"; do
        ip -n "$prefix$ns" address add "$cidr" dev "$dev"
    done
}

cmd_exec() {
    [[ $# -ge 3 ]] || die "exec needs PREFIX NS CMD..."
    local prefix=$1 ns=$2; shift 2
    check_prefix "$prefix"
    exec ip netns exec "$prefix$ns" "$@"
}

cmd_list() {
    check_prefix "${1-}"
    all_namespaces | while read -r ns; do
        if [[ $ns == "$1"* ]]; then echo "$ns"; fi
    done
}

cmd_down() {
    local prefix=${1-}
    check_prefix "$prefix"
    local ns pid failed=0
    for ns in $(cmd_list "$prefix"); do
        # A namespace lives on while a process is inside it; these processes were started by the lab's user.
        for pid in $(ip netns pids "$ns" 2>/dev/null); do
            kill -KILL "$pid" 2>/dev/null || true
        done
        ip netns delete "$ns" || failed=1
    done
    return $failed
}

cmd_sweep() {
    local ns owner prefix
    for ns in $(all_namespaces); do
        if [[ $ns =~ ^(calab-([0-9]+)-[0-9a-f]{8}-) ]]; then
            prefix=${BASH_REMATCH[1]} owner=${BASH_REMATCH[2]}
            if [[ ! -d /proc/$owner ]]; then
                cmd_down "$prefix" || true
            fi
        fi
    done
}

command=${1-}
[[ $# -gt 0 ]] && shift
case $command in
    prefix) cmd_prefix "$@" ;;
    ns) cmd_ns "$@" ;;
    veth) cmd_veth "$@" ;;
    addr) cmd_addr "$@" ;;
    exec) cmd_exec "$@" ;;
    list) cmd_list "$@" ;;
    down) cmd_down "$@" ;;
    sweep) cmd_sweep ;;
    *) die "usage: netns-lab.sh prefix|ns|veth|addr|exec|list|down|sweep ... (see the header of this script)" ;;
esac

#!/bin/bash
# Self-check of the IP-in-IP VM harness. Runs setup.sh (fast when cached), then:
#   boot 1: one guest run that checks exit code propagation (7), stdout/stderr, cwd, a --rw share,
#           env pass-through, /proc/sys/net/ipv4, ipip (fallback tunl0 + `ip link add t0 type ipip`
#           in a fresh netns + a ping through tunl0 between two netns), on-demand module loading,
#           and `nft list tables`;
#   boot 2: `-t 5 -- sleep 100` must time out with exit code 124 and show the console log;
#   plus a no-boot check that a missing cache is refused with exit code 3.
# Prints PASS/FAIL lines and the wall time of each boot; exits 1 on any failure, 3 if the VM
# cannot run here at all (reason printed).
set -u
HERE=$(cd "$(dirname "$0")" && pwd -P)

# ---------------------------------------------------------------- guest side (inside the VM)
if [ "${1:-}" = --guest ]; then
  RWD=$2
  ok=1
  check() { local name=$1; shift; if "$@" >/tmp/check.out 2>&1; then echo "guest PASS: $name"; else echo "guest FAIL: $name"; sed 's/^/    /' /tmp/check.out; ok=0; fi; }
  echo "cwd=$(pwd)"
  echo "kernel=$(uname -r)"
  echo "env ST_A=[${ST_A:-unset}] ST_B=[${ST_B:-unset}] ST_HIDDEN=[${ST_HIDDEN:-unset}]"
  echo "to-stderr-marker" >&2
  check "rw share writable" sh -c "echo written-in-guest > '$RWD/from-guest.txt'"
  check "/proc/sys/net/ipv4 exists" test -d /proc/sys/net/ipv4
  check "ipip loaded: fallback tunl0 in the init netns" ip link show tunl0
  check "fresh netns has tunl0 too" sh -c 'ip netns add st1 && ip -n st1 link show tunl0'
  check "ip link add t0 type ipip" sh -c 'ip -n st1 link add t0 type ipip local 10.9.0.1 remote 10.9.0.2 && ip -n st1 -d link show t0 | grep -q ipip'
  check "on-demand module load (dummy)" ip -n st1 link add d0 type dummy
  check "vxlan + bridge" sh -c 'ip -n st1 link add vx0 type vxlan id 7 dstport 4789 local 10.9.0.1 && ip -n st1 link add br0 type bridge'
  check "nft list tables" sh -c 'ip netns exec st1 nft add table inet selftest && ip netns exec st1 nft list tables | grep -q "table inet selftest"'
  # a real packet through IP-in-IP: a(tunl0 192.168.1.1) <-veth 10.9.0.0/24-> b(tunl0 192.168.2.1)
  ipip_ping() {
    set -e
    ip netns add a; ip netns add b
    ip link add eth0 netns a type veth peer name eth0 netns b
    ip -n a addr add 10.9.0.1/24 dev eth0; ip -n b addr add 10.9.0.2/24 dev eth0
    for n in a b; do ip -n $n link set lo up; ip -n $n link set eth0 up; ip -n $n link set tunl0 up; done
    ip -n a addr add 192.168.1.1/32 dev tunl0; ip -n b addr add 192.168.2.1/32 dev tunl0
    ip -n a route add 192.168.2.0/26 via 10.9.0.2 dev tunl0 onlink
    ip -n b route add 192.168.1.0/26 via 10.9.0.1 dev tunl0 onlink
    if command -v ping >/dev/null; then P=ping; else P="busybox ping"; fi
    ip netns exec a $P -c 2 -W 2 -i 0.2 -I 192.168.1.1 192.168.2.1
    tx=$(ip -n a -s -j link show tunl0 | sed 's/.*"tx":{[^}]*"packets":\([0-9]*\).*/\1/')
    echo "a tunl0 tx packets: $tx"; [ "$tx" -ge 2 ]
  }
  check "ping through tunl0 (ipip encapsulation)" ipip_ping
  [ $ok = 1 ] && exit 7   # 7 = all guest checks passed (also proves exit code propagation)
  exit 1
fi

# ---------------------------------------------------------------- host side
fails=0
pass() { echo "PASS: $*"; }
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
now() { date +%s%N; }
secs() { local d=$(( $(now) - $1 )); printf '%d.%02d' $((d / 1000000000)) $((d % 1000000000 / 10000000)); }

echo "== setup"
bash "$HERE/setup.sh" </dev/null || { echo "FAIL: setup.sh failed"; exit 1; }

W=$(mktemp -d "${TMPDIR:-/tmp}/ipipvm-selftest.XXXXXX")
trap 'rm -rf "$W"' EXIT
mkdir -p "$W/cwd dir" "$W/rw"

echo "== no-boot: refusal when setup is missing"
CALICO_VM_CACHE=$W/no-cache "$HERE/vmrun.sh" -- true </dev/null >"$W/o0" 2>"$W/e0"; rc=$?
[ $rc = 3 ] && grep -q "run tests/IpipVm/setup.sh" "$W/e0" && pass "missing cache -> exit 3 ($(cat "$W/e0"))" \
  || { fail "missing cache -> exit 3 (got $rc)"; cat "$W/e0"; }

echo "== boot 1: checks in one guest run"
t=$(now)
(cd "$W/cwd dir" && ST_A="a b 'c' \$d" ST_HIDDEN=secret VM_PASSENV="ST_A ST_UNSET" \
   "$HERE/vmrun.sh" -t 120 --rw "$W/rw" -e ST_B=bee -- bash "$HERE/selftest.sh" --guest "$W/rw" \
   </dev/null >"$W/o1" 2>"$W/e1"); rc=$?
echo "boot 1 wall time: $(secs $t) s"
if [ $rc = 3 ]; then echo "SKIP: the VM cannot run here: $(cat "$W/e1")"; exit 3; fi
sed 's/^/  | /' "$W/o1"
grep -q "^guest FAIL" "$W/o1" && fail "guest checks (see above)"
[ $rc = 7 ] && pass "exit code 7 propagated" || { fail "exit code: want 7, got $rc"; sed 's/^/  ! /' "$W/e1"; }
grep -q "^guest PASS: ping through tunl0" "$W/o1" && pass "stdout returned" || fail "stdout missing"
grep -qx "to-stderr-marker" "$W/e1" && pass "stderr returned" || fail "stderr missing"
grep -qxF "cwd=$W/cwd dir" "$W/o1" && pass "cwd preserved" || fail "cwd not preserved"
grep -qxF "env ST_A=[a b 'c' \$d] ST_B=[bee] ST_HIDDEN=[unset]" "$W/o1" && pass "env pass-through (VM_PASSENV, -e) and clean env" || fail "env pass-through"
[ "$(cat "$W/rw/from-guest.txt" 2>/dev/null)" = written-in-guest ] && pass "--rw share received the guest's file" || fail "--rw file missing"
grep -q "^kernel=6\.1\." "$W/o1" && pass "guest runs $(sed -n 's/^kernel=//p' "$W/o1")" || fail "guest kernel is not 6.1"

echo "== boot 2: timeout"
t=$(now)
(cd "$W" && "$HERE/vmrun.sh" -t 5 -- sleep 100 </dev/null >"$W/o2" 2>"$W/e2"); rc=$?
echo "boot 2 wall time: $(secs $t) s"
[ $rc = 124 ] && pass "timeout -> exit 124" || fail "timeout: want 124, got $rc"
grep -q "TIMEOUT" "$W/e2" && grep -q "vminit: running job" "$W/e2" && pass "timeout message + console log on stderr" \
  || { fail "timeout message/console log"; sed 's/^/  ! /' "$W/e2"; }

if [ $fails = 0 ]; then echo "SELFTEST: ALL PASS"; exit 0; fi
echo "SELFTEST: $fails FAILURE(S)"; exit 1

#!/bin/bash
# usage: vmrun.sh [-m MB] [-s CPUS] [-t TIMEOUT_S] [--rw DIR]... [-e NAME[=VALUE]]... -- COMMAND [ARGS...]
#
# Runs COMMAND in the current directory inside a throwaway qemu (TCG) VM booted with Debian's 6.1
# kernel, which has ipip, veth, nftables, vxlan... The guest's / is this machine's / over 9p,
# read-only, under a tmpfs overlay: writes are discarded, except in --rw DIRs, which are shared
# read-write at the same path. Prints COMMAND's stdout, then its stderr, and exits with its code.
#
#   -m MB        guest memory (default 1024; pwsh needs >= 256)
#   -s CPUS      guest CPUs (default 1)
#   -t SECS      wall-clock limit for the whole VM (default 600)
#   --rw DIR     share DIR read-write (repeatable)
#   -e NAME=VAL  set NAME in the guest; -e NAME passes this machine's value (repeatable)
# env: VM_PASSENV="A B"  pass these variables through (when set)
#      VM_MODS="m1,m2"   extra kernel modules to load before the command (must be in the initramfs)
#      VM_KEEP=1         keep the job folder (console.log, qemu.err, stdout, stderr, rc)
#      CALICO_VM_CACHE   cache folder (default <repo root>/.cache/ipip-vm, made by setup.sh)
# The guest gets a clean environment: PATH HOME=/root TERM=dumb LANG=C.UTF-8 IN_IPIP_VM=1 VMJOB
# DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1, plus the variables passed. No network devices.
#
# exit codes: COMMAND's own; 124 = timed out (console log on stderr); 255 = the VM failed before
# COMMAND finished (console log on stderr); 3 = cannot run at all (setup not done, qemu cannot
# start): the message says what is missing, so a caller can report the test as skipped;
# 2 = usage error.
set -u
HERE=$(cd "$(dirname "$0")" && pwd -P)
ROOT=$(cd "$HERE/../.." && pwd -P)
C=${CALICO_VM_CACHE:-$ROOT/.cache/ipip-vm}
MEM=1024 SMP=1 T=600
RW=() ENVS=()
usage() { sed -n '2,3p' "$0" | sed 's/^# //' >&2; exit 2; }
while [ $# -gt 0 ]; do
  case $1 in
    -m) MEM=${2:?}; shift 2;;
    -s) SMP=${2:?}; shift 2;;
    -t) T=${2:?}; shift 2;;
    --rw) RW+=("${2:?}"); shift 2;;
    -e) ENVS+=("${2:?}"); shift 2;;
    --) shift; break;;
    -h|--help) usage;;
    -*) echo "vmrun: unknown option $1" >&2; usage;;
    *) break;;
  esac
done
[ $# -gt 0 ] || usage
case "$MEM$SMP$T" in *[!0-9]*) echo "vmrun: -m, -s and -t take whole numbers" >&2; exit 2;; esac

skip() { echo "vmrun: cannot run the VM: $*" >&2; exit 3; }
command -v qemu-system-x86_64 >/dev/null || skip "qemu-system-x86_64 is not installed (run tests/IpipVm/setup.sh)"
[ -s "$C/kernel.ver" ] || skip "no VM cache at $C (run tests/IpipVm/setup.sh)"
KVER=$(cat "$C/kernel.ver")
[ -f "$C/vmlinux-$KVER" ] || skip "$C/vmlinux-$KVER is missing (run tests/IpipVm/setup.sh)"
[ -f "$C/initramfs.cpio" ] || skip "$C/initramfs.cpio is missing (run tests/IpipVm/setup.sh)"
cmp -s "$HERE/init" "$C/init.used" || skip "the initramfs is stale: tests/IpipVm/init changed (run tests/IpipVm/setup.sh)"
BIOS=(); [ -f /usr/share/qemu/qboot.rom ] && BIOS=(-bios /usr/share/qemu/qboot.rom)

mkdir -p "$C/jobs" || skip "cannot create $C/jobs"
JOB=$(mktemp -d "$C/jobs/job.XXXXXX") || skip "cannot create a job folder under $C/jobs"
qpid=""
cleanup() {
  if [ -n "$qpid" ]; then kill -TERM "$qpid" 2>/dev/null; wait "$qpid" 2>/dev/null; fi
  if [ "${VM_KEEP:-}" = 1 ]; then echo "vmrun: job folder kept: $JOB" >&2; else rm -rf "$JOB"; fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP

q() { local s=${1//\'/\'\\\'\'}; printf "'%s'" "$s"; }   # single-quote for sh
{
  for v in ${VM_PASSENV:-}; do
    [[ $v =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]] || { echo "vmrun: bad name in VM_PASSENV: $v" >&2; exit 2; }
    [ -n "${!v+x}" ] && printf 'export %s=%s\n' "$v" "$(q "${!v}")"
  done
  for e in "${ENVS[@]}"; do
    n=${e%%=*}
    [[ $n =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]] || { echo "vmrun: bad -e $e" >&2; exit 2; }
    if [[ $e == *=* ]]; then printf 'export %s=%s\n' "$n" "$(q "${e#*=}")"
    elif [ -n "${!n+x}" ]; then printf 'export %s=%s\n' "$n" "$(q "${!n}")"; fi
  done
  printf 'cd %s || exit 126\nexec' "$(q "$PWD")"
  for a in "$@"; do printf ' %s' "$(q "$a")"; done
  echo
} > "$JOB/cmd.sh" || exit 2
printf 'VM_MODS=%s\n' "$(q "${VM_MODS:-}")" > "$JOB/config"

SHARES=()
: > "$JOB/rw"
i=0
for d in "${RW[@]}"; do
  [ -d "$d" ] || { echo "vmrun: --rw $d: not a directory" >&2; exit 2; }
  p=$(cd "$d" && pwd -P)
  case $p in *$'\n'*) echo "vmrun: --rw $d: newline in path" >&2; exit 2;; esac
  printf '%s\n' "$p" >> "$JOB/rw"
  SHARES+=(-fsdev "local,id=rw$i,path=$p,security_model=none,multidevs=remap" -device "virtio-9p-pci,fsdev=rw$i,mount_tag=rw$i")
  i=$((i + 1))
done

# qemu's -fsdev splits on commas: paths containing one cannot be shared
case "$JOB$C${RW[*]:-}" in *,*) skip "a path contains a comma (qemu -fsdev cannot take it): $JOB ${RW[*]:-}";; esac

: > "$JOB/console.log"
timeout -k 5 "$T" qemu-system-x86_64 \
  -accel tcg,thread=multi -cpu max -smp "$SMP" -m "$MEM" \
  -nodefaults -no-user-config -display none -no-reboot "${BIOS[@]}" \
  -kernel "$C/vmlinux-$KVER" -initrd "$C/initramfs.cpio" \
  -append "console=ttyS0 ${VM_DEBUG:+ignore_}quiet panic=-1 mitigations=off random.trust_cpu=on" \
  -chardev "file,id=con,path=$JOB/console.log" -serial chardev:con \
  -fsdev local,id=hostroot,path=/,security_model=none,readonly=on,multidevs=remap \
  -device virtio-9p-pci,fsdev=hostroot,mount_tag=hostroot \
  -fsdev "local,id=job,path=$JOB,security_model=none" \
  -device virtio-9p-pci,fsdev=job,mount_tag=job \
  "${SHARES[@]}" </dev/null >"$JOB/qemu.out" 2>"$JOB/qemu.err" &
qpid=$!
wait "$qpid"; qrc=$?
qpid=""

cat "$JOB/stdout" 2>/dev/null
cat "$JOB/stderr" >&2 2>/dev/null
if [ -s "$JOB/rc" ]; then
  exit "$(cat "$JOB/rc")"
fi
showlog() {
  echo "----- guest console ($JOB/console.log) -----" >&2
  cat "$JOB/console.log" >&2
  if [ -s "$JOB/qemu.err" ]; then echo "----- qemu stderr -----" >&2; cat "$JOB/qemu.err" >&2; fi
  echo "-----" >&2
}
if [ "$qrc" = 124 ] || [ "$qrc" = 137 ]; then
  echo "vmrun: TIMEOUT: the VM did not finish within $T s (killed)" >&2; showlog; exit 124
fi
if [ "$qrc" != 0 ] && [ ! -s "$JOB/console.log" ]; then
  skip "qemu-system-x86_64 failed to start (exit $qrc): $(head -c 2000 "$JOB/qemu.err")"
fi
echo "vmrun: VM FAILED: no exit code from the guest (qemu exit $qrc; VM_DEBUG=1 shows kernel messages)" >&2; showlog; exit 255

#!/bin/bash
# Prepare the IP-in-IP test VM: qemu + Debian's 6.1 kernel (which has the ipip module) + a busybox
# initramfs whose /init is tests/IpipVm/init. Idempotent; when everything is cached it does no
# network access and takes a fraction of a second.
#
# Cache: $CALICO_VM_CACHE, else <repo root>/.cache/ipip-vm. Kernel: newest linux-image-6.1.*-amd64
# known to apt (chosen once, recorded in $CACHE/kernel.ver); override with CALICO_VM_KERNEL=6.1.0-NN-amd64
# (a different value than the recorded one rebuilds the kernel artifacts).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd -P)
ROOT=$(cd "$HERE/../.." && pwd -P)
C=${CALICO_VM_CACHE:-$ROOT/.cache/ipip-vm}
export DEBIAN_FRONTEND=noninteractive LC_ALL=C
t_start=$(date +%s%N)
ms() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }
say() { echo "setup: $*"; }
mb() { echo $(( $(stat -c %s "$1") / 1048576 )); }
die() { echo "setup: ERROR: $*" >&2; exit 1; }

# Modules shipped in the initramfs (their dependencies are added automatically).
# CORE must exist; OPTIONAL ones are shipped when the kernel has them (all load on demand in the guest).
CORE_MODS="virtio_pci 9pnet_virtio 9p overlay crc32c_generic
  ipip veth nf_tables nft_chain_nat nft_nat nft_masq nft_ct nf_conntrack nf_nat vxlan bridge"
OPT_MODS="dummy macvlan ipvlan tun ip_gre sit ip6_tunnel wireguard br_netfilter
  nft_redir nft_reject_inet nft_reject_ipv4 nft_reject_ipv6 nft_fib_inet nft_fib_ipv4 nft_fib_ipv6
  nft_limit nft_log nft_numgen nft_hash nft_compat nft_quota nft_objref nft_socket nft_tproxy
  nf_conntrack_netlink nfnetlink_log nfnetlink_queue
  ip_set ip_set_hash_ip ip_set_hash_net ip_set_hash_ipport ip_set_hash_netport ip_set_bitmap_port
  ip_tables iptable_filter iptable_nat iptable_mangle iptable_raw ip6_tables ip6table_filter ip6table_nat
  ip6table_mangle ip6table_raw xt_conntrack xt_MASQUERADE xt_mark xt_comment xt_addrtype xt_multiport
  xt_set xt_tcpudp xt_nat xt_CT xt_u32 xt_bpf sch_ingress cls_bpf act_bpf"

mkdir -p "$C"
cd "$C"
# job folders left behind by killed runs (vmrun.sh removes its own)
[ -d jobs ] && find jobs -mindepth 1 -maxdepth 1 -mmin +720 -exec rm -rf {} + 2>/dev/null || true

# ---- 1. host packages -------------------------------------------------------------------------
apt_updated=0
apt_update() { [ $apt_updated = 1 ] && return 0; say "apt-get update"; apt-get update -qq >"$C/apt.log" 2>&1 </dev/null || { tail -5 "$C/apt.log" >&2; die "apt-get update failed"; }; apt_updated=1; }
t=$(date +%s%N)
missing=""
command -v qemu-system-x86_64 >/dev/null || missing="$missing qemu-system-x86"
[ "$(dpkg-query -W -f='${Status}' busybox-static 2>/dev/null || true)" = "install ok installed" ] || missing="$missing busybox-static"
command -v nft >/dev/null || missing="$missing nftables"
command -v xz >/dev/null || missing="$missing xz-utils"
if [ -n "$missing" ]; then
  [ "$(id -u)" = 0 ] || die "need root to install:$missing"
  say "installing:$missing"
  inst() { apt-get install -y -qq --no-install-recommends $missing >"$C/apt.log" 2>&1 </dev/null; }
  inst || { apt_update; inst; } || { tail -5 "$C/apt.log" >&2; die "apt-get install$missing failed"; }
  say "packages installed ($(ms $t) ms)"
else
  say "packages: ok"
fi
[ -x /bin/busybox ] || die "/bin/busybox missing after installing busybox-static"

# ---- 2. kernel version ------------------------------------------------------------------------
# prints "KVER PKG" for the newest linux-image-6.1.*-amd64 that has an installable candidate
pick_kernel() {
  local abi p
  for abi in $(apt-cache pkgnames linux-image-6.1. 2>/dev/null \
      | sed -nE 's/^linux-image-(6\.1\.[0-9]+-[0-9]+)-amd64(-unsigned)?$/\1/p' | sort -u -rV); do
    for p in "linux-image-$abi-amd64" "linux-image-$abi-amd64-unsigned"; do
      if apt-cache show --no-all-versions "$p" >/dev/null 2>&1; then echo "$abi-amd64 $p"; return 0; fi
    done
  done
  return 1
}
KVER=""; KPKG=""
[ -s kernel.ver ] && KVER=$(cat kernel.ver)
if [ -n "${CALICO_VM_KERNEL:-}" ] && [ "$CALICO_VM_KERNEL" != "$KVER" ]; then
  KVER=$CALICO_VM_KERNEL; KPKG=linux-image-$KVER
  apt-cache show --no-all-versions "$KPKG" >/dev/null 2>&1 || KPKG=$KPKG-unsigned
  say "kernel: $KVER (from CALICO_VM_KERNEL)"
elif [ -n "$KVER" ]; then
  say "kernel: $KVER (recorded)"
else
  sel=$(pick_kernel) || { apt_update; sel=$(pick_kernel); } || die "no linux-image-6.1.*-amd64 package known to apt"
  KVER=${sel% *}; KPKG=${sel#* }
  say "kernel: $KVER (newest known to apt: $KPKG)"
fi
case $KVER in *cloud*|*rt-*|*dbg*) die "kernel $KVER: the cloud/rt/dbg variants are not usable (cloud has no 9p)";; esac
VMLINUX=$C/vmlinux-$KVER
MODCPIO=$C/modules-$KVER.cpio

# ---- 3. kernel package, modules.dep, vmlinux, module archive ------------------------------------
want_mods=$(echo "CORE: $CORE_MODS OPTIONAL: $OPT_MODS" | tr -s ' \n' ' ')
have_mods=$(cat "modules-$KVER.list" 2>/dev/null || true)
if [ -f "$VMLINUX" ] && [ -f "$MODCPIO" ] && [ "$want_mods" = "$have_mods" ]; then
  say "kernel artifacts: ok (cached)"
else
  KT=$C/ktree-$KVER
  if [ ! -f "$KT/boot/vmlinuz-$KVER" ]; then
    [ -n "$KPKG" ] || { KPKG=linux-image-$KVER; apt-cache show --no-all-versions "$KPKG" >/dev/null 2>&1 || KPKG=$KPKG-unsigned; }
    deb=$(ls linux-image-"$KVER"*_amd64.deb 2>/dev/null | head -1 || true)
    if [ -z "$deb" ]; then
      t=$(date +%s%N)
      say "downloading $KPKG"
      dl() { apt-get download -qq "$KPKG" >/dev/null 2>dl.err </dev/null; }
      if ! dl; then
        apt_update
        if ! dl; then
          [ -n "${CALICO_VM_KERNEL:-}" ] && die "apt-get download $KPKG failed: $(cat dl.err)"
          # the recorded/selected version may have left the mirror: pick again from fresh lists
          sel=$(pick_kernel) || die "no linux-image-6.1.*-amd64 package known to apt"
          KVER=${sel% *}; KPKG=${sel#* }; VMLINUX=$C/vmlinux-$KVER; MODCPIO=$C/modules-$KVER.cpio; KT=$C/ktree-$KVER
          say "kernel: re-selected $KVER ($KPKG)"
          dl || die "apt-get download $KPKG failed: $(cat dl.err)"
        fi
      fi
      rm -f dl.err
      deb=$(ls linux-image-"$KVER"*_amd64.deb | head -1)
      say "downloaded $deb ($(mb "$deb") MB, $(ms $t) ms)"
    fi
    t=$(date +%s%N)
    rm -rf "$KT"; dpkg-deb -x "$deb" "$KT.tmp" && mv "$KT.tmp" "$KT"
    say "unpacked $deb ($(ms $t) ms)"
  fi
  KD=$KT/lib/modules/$KVER
  if [ ! -f "$KD/modules.dep" ]; then t=$(date +%s%N); busybox depmod -b "$KT" "$KVER"; say "depmod ($(ms $t) ms)"; fi

  if [ ! -f "$VMLINUX" ]; then
    # vmlinuz = setup code + xz-compressed ELF. Booting the uncompressed ELF (PVH entry) skips
    # ~3 s of decompression under TCG.
    t=$(date +%s%N)
    off=$(grep -obUaP '\xfd7zXZ\x00' "$KT/boot/vmlinuz-$KVER" | head -1 | cut -d: -f1)
    [ -n "$off" ] || die "no xz stream in vmlinuz-$KVER"
    tail -c +$((off + 1)) "$KT/boot/vmlinuz-$KVER" | xz -dc --single-stream > "$VMLINUX.tmp" 2>/dev/null || true
    [ "$(head -c4 "$VMLINUX.tmp" | od -An -c | tr -d ' ')" = "177ELF" ] || { rm -f "$VMLINUX.tmp"; die "vmlinux extraction failed"; }
    mv "$VMLINUX.tmp" "$VMLINUX"
    say "extracted vmlinux-$KVER ($(mb "$VMLINUX") MB, $(ms $t) ms)"
  fi

  # module archive: static busybox + the modules above and their dependencies
  t=$(date +%s%N)
  R=$C/mods-root.tmp
  rm -rf "$R"; mkdir -p "$R/bin" "$R/lib/modules/$KVER" "$R/etc/modprobe.d"
  cp /bin/busybox "$R/bin/busybox"
  declare -A need=()
  add() { # $1 = module path relative to $KD
    [ -n "${need[$1]:-}" ] && return 0
    need[$1]=1
    local d; for d in $(grep "^$1:" "$KD/modules.dep" | cut -d: -f2); do add "$d"; done
  }
  modpath() { grep -E "^([^:]*/)?$1\.ko(\.xz)?:" "$KD/modules.dep" | cut -d: -f1 | head -1 || true; }
  builtin() { grep -qE "/$1\.ko\$" "$KD/modules.builtin" 2>/dev/null; }
  for m in $CORE_MODS; do
    p=$(modpath "$m"); if [ -n "$p" ]; then add "$p"; elif ! builtin "$m"; then die "module $m not in $KVER"; fi
  done
  skipped=""
  for m in $OPT_MODS; do
    p=$(modpath "$m"); if [ -n "$p" ]; then add "$p"; elif ! builtin "$m"; then skipped="$skipped $m"; fi
  done
  for p in "${!need[@]}"; do mkdir -p "$R/lib/modules/$KVER/${p%/*}"; cp "$KD/$p" "$R/lib/modules/$KVER/$p"; done
  cp "$KD/modules.builtin" "$KD/modules.order" "$R/lib/modules/$KVER/" 2>/dev/null || true
  busybox depmod -b "$R" "$KVER"
  echo "options dummy numdummies=0" > "$R/etc/modprobe.d/vm.conf"
  (cd "$R" && find . | busybox cpio -o -H newc 2>/dev/null) > "$MODCPIO.tmp"
  mv "$MODCPIO.tmp" "$MODCPIO"
  rm -rf "$R"
  echo "$want_mods" > "modules-$KVER.list"
  say "module archive: ${#need[@]} modules, $(mb "$MODCPIO") MB ($(ms $t) ms)${skipped:+; not in kernel:$skipped}"
  echo "$KVER" > kernel.ver.tmp && mv kernel.ver.tmp kernel.ver
  # the unpacked tree is large (~400 MB); the .deb stays so a module-list change needs no download
  rm -rf "$KT"
  for f in linux-image-*_amd64.deb; do case $f in linux-image-"$KVER"[-_]*) ;; *) rm -f "$f";; esac; done
fi
[ "$(cat kernel.ver 2>/dev/null)" = "$KVER" ] || { echo "$KVER" > kernel.ver.tmp && mv kernel.ver.tmp kernel.ver; }

# ---- 4. initramfs = module archive + /init ----------------------------------------------------
if [ -f initramfs.cpio ] && cmp -s "$HERE/init" init.used && [ initramfs.cpio -nt "$MODCPIO" ]; then
  say "initramfs: ok (cached)"
else
  t=$(date +%s%N)
  R=$C/init-root.tmp
  rm -rf "$R"; mkdir -p "$R"
  cp "$HERE/init" "$R/init"; chmod 755 "$R/init"
  # newc archives can simply be concatenated: the kernel unpacks them one after the other
  { cat "$MODCPIO"; (cd "$R" && echo ./init | busybox cpio -o -H newc 2>/dev/null); } > initramfs.cpio.tmp
  mv initramfs.cpio.tmp initramfs.cpio
  cp "$HERE/init" init.used
  rm -rf "$R"
  say "initramfs built ($(du -m initramfs.cpio | cut -f1) MB, $(ms $t) ms)"
fi

say "ready: kernel $KVER, cache $C ($(ms $t_start) ms)"

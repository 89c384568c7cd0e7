#!/bin/bash
# run-in-vm.sh — run one command inside a throwaway QEMU VM whose cgroup hierarchy is pure
# v2 (cgroup_no_v1=all), for hosts that cannot give one (a hybrid v1/v2 host, no KVM).
#
# The guest boots the Debian kernel from /boot with a tiny busybox initramfs (guest-init.sh
# as /init), then uses the host's own / (read-only over 9p, with a tmpfs overlay on top) as
# its root, so it has the host's bash, coreutils, bats, jq and libraries. Directories given
# with -s are shared read-write at the same path (the build tree). The command's stdout and
# stderr stream back to ours (its stdin is /dev/null); our exit status is the command's.
# Works without /dev/kvm (TCG software emulation): ~10 s to boot, 100-175 ms per process.
#
# Usage: run-in-vm.sh [options] [--] COMMAND [ARG...]
#   -s DIR    share host DIR read-write at the same path (repeatable)
#   -C DIR    working directory in the guest (default: the first -s DIR, else $PWD)
#   -e VAR[=VALUE]  set VAR in the guest (without =VALUE: copy it from here)
#   -g PATH   cgroup (under /sys/fs/cgroup) the command starts in; "/" = the root
#             (default /contain-vm.scope, a leaf like a systemd scope)
#   -t SECS   stop the VM after SECS seconds, exit 124 (default 900)
#   -m MB     guest memory (default 2048)     -c N   guest CPUs (default 2)
#   -l FILE   also keep the guest's kernel console log in FILE
#   -k FILE   kernel image (default: the newest /boot/vmlinuz-* with its modules)
#   -h        this help
# Environment: CONTAIN_VM_CACHE (default ~/.cache/contain-vm: the unpacked vmlinux),
#   CONTAIN_VM_KERNEL (as -k), CONTAIN_VM_PVH=0 (boot the bzImage as it is),
#   CONTAIN_VM_KEEP=1 (keep the per-run directory), CONTAIN_VM_APPEND="..." (more kernel
#   arguments, e.g. loglevel=7).
# Exit status: the command's; 124 on timeout; 125 when the VM could not run the command
# (the tail of the kernel console log then goes to stderr).
# Needs (Debian): qemu-system-x86 linux-image-amd64 busybox-static cpio xz-utils.
# As root: QEMU reads the host's files for the guest with its own rights.
#
# Nothing here touches the host's mounts or cgroups: guest-init.sh runs only as the VM's
# PID 1 (it refuses anywhere else).

set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
shares=() envs=() cwd= cgroup=/contain-vm.scope timeout_s=900 mem=2048 cpus=2
console_copy= kernel=${CONTAIN_VM_KERNEL:-}

usage() { sed -n '/^# Usage:/,/^# Needs/s/^# \{0,1\}//p' "$0"; }
die() { echo "run-in-vm.sh: $*" >&2; exit 125; }

while getopts s:C:e:g:t:m:c:l:k:h opt; do
	case $opt in
	s) [ -d "$OPTARG" ] || die "-s $OPTARG: not a directory"
	   shares+=("$(cd "$OPTARG" && pwd -P)") ;;
	C) cwd=$OPTARG ;;
	e) if [[ $OPTARG == *=* ]]; then envs+=("$OPTARG"); else envs+=("$OPTARG=${!OPTARG-}"); fi ;;
	g) cgroup=$OPTARG ;;
	t) timeout_s=$OPTARG ;;
	m) mem=$OPTARG ;;
	c) cpus=$OPTARG ;;
	l) console_copy=$OPTARG ;;
	k) kernel=$OPTARG ;;
	h) usage; exit 0 ;;
	*) usage >&2; exit 125 ;;
	esac
done
shift $((OPTIND - 1))
[ $# -gt 0 ] || { usage >&2; exit 125; }
[ -n "$cwd" ] || cwd=${shares[0]:-$PWD}
[[ $cwd == /* ]] || cwd=$PWD/$cwd

# ---- kernel: a Debian linux-image whose modules are installed here -----------------------
if [ -z "$kernel" ]; then
	for k in $(ls /boot/vmlinuz-* 2>/dev/null | sort -V -r); do
		[ -f "/lib/modules/${k#/boot/vmlinuz-}/modules.dep" ] && { kernel=$k; break; }
	done
	[ -n "$kernel" ] || die "no /boot/vmlinuz-* with modules (apt-get install linux-image-amd64)"
fi
kver=${kernel##*/vmlinuz-}
moddir=/lib/modules/$kver
[ -f "$moddir/modules.dep" ] || die "no $moddir/modules.dep for $kernel"
command -v qemu-system-x86_64 >/dev/null || die "qemu-system-x86_64 missing (apt-get install qemu-system-x86)"
[ -x /bin/busybox ] || die "/bin/busybox missing (apt-get install busybox-static)"
command -v cpio >/dev/null || die "cpio missing (apt-get install cpio)"

cache=${CONTAIN_VM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/contain-vm}
mkdir -p "$cache"

# ---- boot image: the uncompressed vmlinux through its PVH entry where possible -----------
# Under TCG, unpacking an xz bzImage costs the guest 4-8 s on every boot; QEMU starts the
# ELF vmlinux directly via its PVH note (CONFIG_PVH=y in Debian's amd64 kernels). It is
# extracted once and cached, keyed by the bzImage's size and mtime.
boot_image=$kernel
if [ "${CONTAIN_VM_PVH:-1}" = 1 ] && grep -qx CONFIG_PVH=y "/boot/config-$kver" 2>/dev/null &&
	command -v xz >/dev/null; then
	vmlinux=$cache/vmlinux-$kver-$(stat -c %s-%Y "$kernel")
	if [ ! -s "$vmlinux" ]; then
		off=$(set +o pipefail; LC_ALL=C grep -obUaP '\xfd7zXZ\x00' "$kernel" | head -n1 | cut -d: -f1)
		# (tail gets SIGPIPE when xz stops after the first stream: not an error)
		if [ -n "$off" ] && (set +o pipefail; tail -c +$((off + 1)) "$kernel" |
			xz -dc --single-stream >"$vmlinux.tmp.$$" 2>/dev/null) &&
			[ "$(head -c4 "$vmlinux.tmp.$$" | od -An -c | tr -d ' ')" = '177ELF' ]; then
			mv "$vmlinux.tmp.$$" "$vmlinux"
		else
			rm -f "$vmlinux.tmp.$$"
		fi
	fi
	[ -s "$vmlinux" ] && boot_image=$vmlinux
fi

# ---- per-run directory: initramfs, control share, console log ---------------------------
run=$(mktemp -d "${TMPDIR:-/tmp}/contain-vm.XXXXXX")
qpid= relay_out= relay_err=
cleanup() {
	[ -n "$qpid" ] && kill "$qpid" 2>/dev/null
	# shellcheck disable=SC2086
	[ -n "$relay_out$relay_err" ] && kill $relay_out $relay_err 2>/dev/null
	if [ -n "${CONTAIN_VM_KEEP:-}" ]; then echo "run-in-vm.sh: kept $run" >&2; else rm -rf "$run"; fi
}
trap cleanup EXIT
# A signal stops QEMU (through timeout, which passes it on), then we exit 128+N.
interrupted=
on_signal() {
	interrupted=$1
	if [ -n "$qpid" ]; then kill -TERM "$qpid" 2>/dev/null; else exit "$1"; fi
}
trap 'on_signal 129' HUP
trap 'on_signal 130' INT
trap 'on_signal 143' TERM
mkdir -p "$run/ctl" "$run/initramfs/bin" "$run/initramfs/lib/modules"

# Modules needed before the root exists: the virtio-pci transport, 9p, overlayfs, with
# their dependencies from modules.dep (deepest last, so loaded in reverse). Anything else
# the guest modprobes from the host's /lib/modules through the 9p root.
declare -A seen=()
modlist=()
add_mod() {
	local line deps i
	line=$(grep -E "(^|/)$1\.ko(\.xz|\.zst|\.gz)?:" "$moddir/modules.dep" || true)
	if [ -z "$line" ]; then
		grep -qE "/$1\.ko" "$moddir/modules.builtin" 2>/dev/null && return 0
		die "kernel module $1 not found in $moddir"
	fi
	read -r -a deps <<<"${line#*:}"
	for ((i = ${#deps[@]} - 1; i >= 0; i--)); do add_path "${deps[i]}"; done
	add_path "${line%%:*}"
}
add_path() {
	[ -n "${seen[$1]:-}" ] && return 0
	seen[$1]=1
	local name=${1##*/}
	name=${name%%.ko*}.ko
	case $1 in
	*.xz) xz -dc "$moddir/$1" ;;
	*.zst) zstd -qdc "$moddir/$1" ;;
	*.gz) gzip -dc "$moddir/$1" ;;
	*) cat "$moddir/$1" ;;
	esac >"$run/initramfs/lib/modules/$name"
	modlist+=("$name")
}
for m in virtio_pci 9pnet_virtio 9p overlay; do add_mod "$m"; done
printf '%s\n' "${modlist[@]}" >"$run/initramfs/modules.list"
cp /bin/busybox "$run/initramfs/bin/busybox"
install -m 755 "$here/guest-init.sh" "$run/initramfs/init"
(cd "$run/initramfs" && find . | cpio -o -H newc --quiet) >"$run/initramfs.cpio"

# ---- the command file and the shares -----------------------------------------------------
# security_model=none: files keep the owners and modes the guest's root gives them.
# multidevs=remap: an export spanning several host filesystems keeps inode numbers unique.
# (QEMU option values escape "," as ",,".)
virtfs=(-virtfs "local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap"
	-virtfs "local,path=${run//,/,,}/ctl,mount_tag=vmctl,security_model=none")
: >"$run/ctl/shares"
for i in "${!shares[@]}"; do
	virtfs+=(-virtfs "local,path=${shares[i]//,/,,},mount_tag=share$i,security_model=none,multidevs=remap")
	printf 'share%d\t%s\n' "$i" "${shares[i]}" >>"$run/ctl/shares"
done
{
	echo '# written by run-in-vm.sh; run by /bin/bash as root in the guest'
	if [ "$cgroup" != / ]; then
		printf 'cg=/sys/fs/cgroup/%q\n' "${cgroup#/}"
		# shellcheck disable=SC2016
		echo 'mkdir -p "$cg" && echo $$ > "$cg/cgroup.procs" || exit 125'
	fi
	for e in "${envs[@]}"; do printf 'export %s=%q\n' "${e%%=*}" "${e#*=}"; done
	printf 'cd %q || exit 125\n' "$cwd"
	printf 'exec'
	printf ' %q' "$@"
	echo
} >"$run/ctl/cmd"

# ---- boot ---------------------------------------------------------------------------------
# ttyS0: the kernel console -> $run/console.log. ttyS1/ttyS2: the command's stdout/stderr
# -> FIFOs -> cat -> our stdout/stderr (a FIFO works whatever our stdout is, and a file
# given to -serial would be truncated).
mkfifo "$run/out" "$run/err"
cat "$run/out" &
relay_out=$!
cat "$run/err" >&2 &
relay_err=$!
kargs="console=ttyS0 loglevel=4 panic=-1 rdinit=/init"
kargs+=" cgroup_no_v1=all systemd.unified_cgroup_hierarchy=1 contain.vm=1"
kargs+=" mitigations=off"   # cheaper syscalls under TCG
kargs+=" cryptomgr.notests" # no boot-time crypto self-tests (~0.3-0.8 s under TCG)
kargs+=${CONTAIN_VM_APPEND:+ $CONTAIN_VM_APPEND}
timeout --kill-after=10 "$timeout_s" qemu-system-x86_64 \
	-nodefaults -no-user-config -display none -no-reboot \
	-M pc -accel tcg -cpu "${CONTAIN_VM_CPU:-max}" -smp "$cpus" -m "$mem" \
	-kernel "$boot_image" -initrd "$run/initramfs.cpio" -append "$kargs" \
	"${virtfs[@]}" \
	-serial "file:$run/console.log" \
	-chardev "file,id=out,path=$run/out" -serial chardev:out \
	-chardev "file,id=err,path=$run/err" -serial chardev:err \
	</dev/null &
qpid=$!
set +e
wait "$qpid"
qrc=$?
while kill -0 "$qpid" 2>/dev/null; do
	wait "$qpid"
	qrc=$?
done
qpid=
set -e
# Let the relays drain; they stay in open() if QEMU never opened a FIFO.
for _ in $(seq 20); do
	kill -0 "$relay_out" 2>/dev/null || kill -0 "$relay_err" 2>/dev/null || break
	sleep 0.1
done
kill "$relay_out" "$relay_err" 2>/dev/null || true
wait "$relay_out" "$relay_err" 2>/dev/null || true
relay_out= relay_err=

[ -n "$console_copy" ] && cp "$run/console.log" "$console_copy"
if [ -n "$interrupted" ]; then
	echo "run-in-vm.sh: interrupted" >&2
	exit "$interrupted"
fi
if [ -s "$run/ctl/status" ]; then
	exit "$(cat "$run/ctl/status")"
fi
if [ "$qrc" = 124 ] || [ "$qrc" = 137 ]; then
	echo "run-in-vm.sh: timed out after ${timeout_s}s" >&2
	exit 124
fi
echo "run-in-vm.sh: the VM stopped (qemu status $qrc) before the command finished; console log tail:" >&2
tail -n 30 "$run/console.log" >&2 2>/dev/null || true
exit 125

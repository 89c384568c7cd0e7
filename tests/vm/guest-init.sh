#!/bin/busybox sh
# guest-init.sh — /init of the throwaway cgroup v2 VM that run-in-vm.sh starts.
#
# Runs twice, both times as PID 1 of the VM and under busybox only:
#   stage 1 (from the initramfs): load the virtio/9p/overlay modules, mount the host's /
#           (read-only 9p) under a tmpfs overlay as the new root, mount proc, sys, dev,
#           cgroup2 and the shared directories, then switch_root;
#   stage 2 (argument "stage2", in the new root): run the command file run-in-vm.sh wrote,
#           record its exit status, power off.
#
# Host <-> guest (9p tag "vmctl", mounted at /run/contain-vm/ctl):
#   ctl/shares   lines "TAG<TAB>/abs/path": more 9p exports to mount read-write
#   ctl/cmd      the bash script to run
#   ctl/status   written here: the command's exit status
# Kernel messages and these lines go to ttyS0 (a log file on the host); the command's
# stdout and stderr go to ttyS1 and ttyS2, which the host streams to its own.
#
# NEVER run this on a host: its switch_root would detach the host's /dev, /proc and /sys.
# It refuses to run unless it is PID 1 and the kernel command line has run-in-vm.sh's marker.

B=/bin/busybox
uptime() { $B cut -d' ' -f1 /proc/uptime 2>/dev/null; }
log() { echo "contain-vm-init [$(uptime)]: $*" >/dev/console; }
die() {
	log "FATAL: $*"
	$B sync
	$B poweroff -f
	$B reboot -f
}

[ "$$" = 1 ] || { echo "guest-init.sh: not PID 1 of the VM, refusing" >&2; exit 2; }
if [ -r /proc/cmdline ] && ! $B grep -q 'contain.vm=1' /proc/cmdline; then
	echo "guest-init.sh: no contain.vm=1 on the kernel command line, refusing" >&2
	exit 2
fi

if [ "$1" = stage2 ]; then
	B=/run/contain-vm/busybox
	C=/run/contain-vm/ctl
	log "stage 2: running the command"
	# ttyS1 = stdout, ttyS2 = stderr, raw (no "\n" -> "\r\n"). The command writes into
	# FIFOs that a cat per port copies to the tty: a stray process keeping a FIFO open
	# cannot hold up the power-off.
	$B stty -F /dev/ttyS1 raw -echo 2>/dev/null
	$B stty -F /dev/ttyS2 raw -echo 2>/dev/null
	$B mkfifo /run/contain-vm/out /run/contain-vm/err
	$B cat /run/contain-vm/out >/dev/ttyS1 &
	relay_out=$!
	$B cat /run/contain-vm/err >/dev/ttyS2 &
	relay_err=$!
	# setsid: a session of its own without a controlling terminal, as in CI.
	setsid=
	[ -x /usr/bin/setsid ] && setsid="/usr/bin/setsid -w"
	$B env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
		HOME=/root TERM=dumb LANG=C.UTF-8 CONTAIN_VM=1 \
		$setsid /bin/bash $C/cmd </dev/null >/run/contain-vm/out 2>/run/contain-vm/err
	rc=$?
	echo "$rc" >$C/status
	log "command exited with status $rc"
	for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
		$B kill -0 $relay_out 2>/dev/null || $B kill -0 $relay_err 2>/dev/null || break
		$B sleep 0.1
	done
	$B sync
	$B poweroff -f # ACPI S5: QEMU exits with status 0
	$B reboot -f   # else, with -no-reboot, QEMU exits on the reset
fi

# ------------------------------------------------------------------------ stage 1 -------
$B mkdir -p /proc /sys /dev /ctl /lower /rw /newroot
$B mount -t proc proc /proc
$B grep -q 'contain.vm=1' /proc/cmdline || die "no contain.vm=1 on the kernel command line"
$B mount -t sysfs sysfs /sys
$B mount -t devtmpfs devtmpfs /dev
log "stage 1"

while read -r m; do
	$B insmod "/lib/modules/$m" || log "insmod $m failed"
done </modules.list

O9="trans=virtio,version=9p2000.L,msize=512000"
$B mount -t 9p -o "$O9,cache=none" vmctl /ctl || die "cannot mount 9p tag vmctl"

# The new root: the host's / (read-only 9p, cached: it does not change under us) below a
# tmpfs, so the guest may write anywhere; what it writes vanishes at power-off. Only the
# shared directories (below) write through to the host.
$B mount -t 9p -o "$O9,ro,cache=loose" hostroot /lower || die "cannot mount 9p tag hostroot"
$B mount -t tmpfs -o mode=755 tmpfs /rw
$B mkdir -p /rw/upper /rw/work
$B mount -t overlay -o lowerdir=/lower,upperdir=/rw/upper,workdir=/rw/work overlay /newroot ||
	die "cannot mount the overlay root"

N=/newroot
$B mount --move /proc $N/proc
$B mount --move /sys $N/sys
$B mount --move /dev $N/dev
# Pure cgroup v2 (cgroup_no_v1=all keeps v1 away), as systemd mounts it.
$B mount -t cgroup2 -o nsdelegate cgroup2 $N/sys/fs/cgroup || die "cannot mount cgroup2"
$B mkdir -p $N/dev/pts $N/dev/shm $N/dev/mqueue
# devtmpfs lacks udev's links; bash's <(...) needs /dev/fd.
$B ln -sf /proc/self/fd $N/dev/fd
$B ln -sf /proc/self/fd/0 $N/dev/stdin
$B ln -sf /proc/self/fd/1 $N/dev/stdout
$B ln -sf /proc/self/fd/2 $N/dev/stderr
$B mount -t devpts -o gid=5,mode=620,ptmxmode=666 devpts $N/dev/pts
$B mount -t tmpfs -o mode=1777,nosuid,nodev shm $N/dev/shm
$B mount -t mqueue mqueue $N/dev/mqueue
# /run on a tmpfs: contain's --root lives there (9p refuses fifos and other special files)
$B mount -t tmpfs -o mode=755,nosuid,nodev tmpfs $N/run
$B mount -t securityfs securityfs $N/sys/kernel/security 2>/dev/null
$B mount -t bpf -o mode=700 bpf $N/sys/fs/bpf 2>/dev/null
$B mkdir -p $N/run/contain-vm/ctl
$B mount --move /ctl $N/run/contain-vm/ctl

if [ -f $N/run/contain-vm/ctl/shares ]; then
	while IFS="$(printf '\t')" read -r tag path; do
		[ -n "$tag" ] || continue
		$B mkdir -p "$N$path"
		$B mount -t 9p -o "$O9,cache=mmap" "$tag" "$N$path" || die "cannot mount the share $path"
	done <$N/run/contain-vm/ctl/shares
fi

$B hostname contain-vm
$B ip link set lo up 2>/dev/null
$B cp /bin/busybox /init $N/run/contain-vm/

# As systemd does: every controller enabled in the root's cgroup.subtree_control.
for c in $($B cat $N/sys/fs/cgroup/cgroup.controllers); do
	echo "+$c" >$N/sys/fs/cgroup/cgroup.subtree_control || log "cannot enable $c"
done
exec $B switch_root $N /run/contain-vm/busybox sh /run/contain-vm/init stage2

# The root filesystem (mounts, /dev, pivot, masked and read-only paths) and the
# loopback: included by src/local.mk, which adds them to libcontain.
libcontain_rootfs_sources = src/lib/rootfs.c src/lib/rootfs-internal.h src/lib/rootfs-cgroup.c src/lib/devices.c src/lib/mount-opts.c src/lib/mount-opts.h src/lib/mountinfo.c src/lib/mountinfo.h src/lib/safe-path.c src/lib/safe-path.h src/lib/netlink.c

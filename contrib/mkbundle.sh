#!/bin/bash
# mkbundle.sh DIR — make an OCI bundle with a busybox rootfs at DIR.
#
#   DIR/rootfs       /bin/busybox (Debian's busybox-static) and one symlink per applet,
#                    /etc/passwd and /etc/group (root, and user 1000 "user"), /tmp, /proc,
#                    /sys, /dev, /root, /home/user
#   DIR/config.json  from "${RUNTIME:-contain} spec", then: terminal false, args ["sh"]
#
# Idempotent (running it again refreshes the rootfs and regenerates config.json), fast,
# needs no network. The caller edits config.json further (e.g. with jq).
#
# Environment: RUNTIME   the runtime whose `spec` makes config.json (default: contain,
#                        looked up in PATH, then next to this script in ../src/contain).
#              BUSYBOX   the static busybox to copy (default /bin/busybox).
set -euo pipefail

die() { printf 'mkbundle.sh: %s\n' "$*" >&2; exit 1; }

[ $# -eq 1 ] || die "usage: mkbundle.sh DIR"
dir=$1

busybox=${BUSYBOX:-/bin/busybox}
if [ ! -x "$busybox" ] || ! "$busybox" --list >/dev/null 2>&1; then
	die "$busybox not found; apt-get install busybox-static"
fi
# A dynamically linked busybox (Debian's "busybox" package) cannot run in an empty rootfs.
if command -v file >/dev/null 2>&1 && ! file -L "$busybox" | grep -q 'statically linked'; then
	die "$busybox is not statically linked; apt-get install busybox-static"
fi
command -v jq >/dev/null 2>&1 || die "jq not found; apt-get install jq"

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
runtime=${RUNTIME:-}
if [ -z "$runtime" ]; then
	if command -v contain >/dev/null 2>&1; then
		runtime=contain
	else
		runtime=$here/../src/contain
	fi
fi

mkdir -p "$dir"
rootfs=$dir/rootfs

# --- rootfs -------------------------------------------------------------------------------
mkdir -p "$rootfs"/{bin,etc,tmp,proc,sys,dev,root,home/user,usr,var}
chmod 1777 "$rootfs/tmp"
chmod 0700 "$rootfs/root"
# sbin, usr/bin, usr/sbin all lead to bin, so every applet is found wherever it is looked for.
for l in sbin:bin usr/bin:../bin usr/sbin:../bin; do
	link=$rootfs/${l%%:*}
	[ -L "$link" ] || { rm -rf "$link"; ln -s "${l#*:}" "$link"; }
done

if ! cmp -s "$busybox" "$rootfs/bin/busybox"; then
	rm -f "$rootfs/bin/busybox"
	cp "$busybox" "$rootfs/bin/busybox"
	chmod 0755 "$rootfs/bin/busybox"
fi
(
	cd "$rootfs/bin"
	for applet in $("$busybox" --list); do
		[ "$applet" = busybox ] && continue
		[ -L "$applet" ] || ln -sf busybox "$applet"
	done
)

cat >"$rootfs/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/bin/sh
user:x:1000:1000:user:/home/user:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
EOF
cat >"$rootfs/etc/group" <<'EOF'
root:x:0:
user:x:1000:
nogroup:x:65534:
EOF
chown 1000:1000 "$rootfs/home/user"
: >"$rootfs/etc/hostname"
[ -e "$rootfs/etc/hosts" ] || printf '127.0.0.1\tlocalhost\n' >"$rootfs/etc/hosts"

# --- config.json --------------------------------------------------------------------------
tmp=$(mktemp -d "${TMPDIR:-/tmp}/mkbundle.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
if ! "$runtime" spec --bundle "$tmp" 2>"$tmp/err"; then
	# contain may not be built yet, or its spec not work yet: runc's spec is the same
	# document (the suite tests `spec` itself separately).
	if command -v runc >/dev/null 2>&1 && runc spec --bundle "$tmp"; then
		echo "mkbundle.sh: WARNING: '$runtime spec' failed ($(head -c 200 "$tmp/err")); used runc spec" >&2
	else
		die "'$runtime spec' failed: $(cat "$tmp/err")"
	fi
fi
jq '.process.terminal = false | .process.args = ["sh"]' "$tmp/config.json" >"$dir/config.json.new"
mv "$dir/config.json.new" "$dir/config.json"

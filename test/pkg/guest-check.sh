#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# In-guest half of scripts/pkg-test.sh, run by verityfs-pkgtest.service on a
# Debian system booted with systemd, where verityfs-dkms and verityfs-tools
# were installed with apt. Checks that systemd-modules-load loaded verityfs
# at boot, that the package's modprobe.d install command put the
# certificate of /etc/verityfs/keys into .verityfs then, and that the fstab
# lines were acted on. The image is booted twice: the first boot enables
# fs-verity on a file of the fstab mount, a signed file on the
# require_signatures fstab mount and an unsigned one beside it; the second
# boot finds them still verity files with the same digests, reads the
# signed one through the require_signatures mount and sees the unsigned one
# refused, then runs the package's autopkgtest (debian/tests/booted). TAP
# lines go to the console and to /dev/ttyS1, the second serial port, which
# the host reads; the last line there is the verdict token
# "VERITYFS-PKGTEST-END pass" or "... fail".
# Copyright (C) 2026 The verityfs authors
#
# /etc/verityfs-pkgtest.conf (written by the host) sets:
#   EXPECT_KERNEL   the kernel release the image was built for
#   EXPECT_VERSION  the verityfs version in the package
#   MOUNT_DIR       the directory the fstab line mounts verityfs over
#   SIGNED_DIR      the mount point of the require_signatures fstab line
#   SIGNED_LOWER    its lower directory
#   SIGN_DIR        key.pem and cert.pem of the signer in /etc/verityfs/keys
#   BOOTED_TEST     the package's debian/tests/booted
set -u
. /etc/verityfs-pkgtest.conf

exec 3>/dev/ttyS1
n=0
failed=0
emit() { echo "$*" >&3; echo "GUEST: $*" > /dev/console; }
ok() { n=$((n + 1)); emit "ok $n - $*"; }
notok() { n=$((n + 1)); emit "not ok $n - $*"; failed=1; }
skip() { n=$((n + 1)); emit "ok $n - $1 # SKIP $2"; }
diag() { emit "# $*"; }
check() { desc=$1; shift; if "$@" >/dev/null 2>&1; then ok "$desc"; else notok "$desc"; fi; }

# The journal of this boot, kernel messages included.
journal() { journalctl -b -o cat --no-pager "$@" 2>/dev/null; }

kver=$(uname -r)
check "booted the packaged kernel $EXPECT_KERNEL (running $kver)" test "$kver" = "$EXPECT_KERNEL"
check "PID 1 is systemd" sh -c 'test "$(cat /proc/1/comm)" = systemd'

# Load at boot: systemd-modules-load read /etc/modules-load.d/verityfs.conf.
check "systemd-modules-load.service succeeded" systemctl is-active --quiet systemd-modules-load.service
# Early in the boot it logs through /dev/kmsg, so look at the whole journal
# (only systemd-modules-load says "Inserted module" at info level).
if journal | grep -q "Inserted module 'verityfs'"; then
	ok "systemd-modules-load inserted verityfs"
else
	notok "systemd-modules-load inserted verityfs"
	journal -o short-monotonic | grep -i -E 'modules-load|verityfs' | tail -n 10 |
		while IFS= read -r l; do diag "journal: $l"; done
fi
check "verityfs is loaded (lsmod, /sys/module/verityfs)" sh -c 'lsmod | grep -q "^verityfs " && test -d /sys/module/verityfs'
check "verityfs is registered in /proc/filesystems" grep -qw verityfs /proc/filesystems

file=$(modinfo -F filename verityfs 2>/dev/null)
case $file in
*/updates/dkms/verityfs.ko*) ok "the module comes from DKMS ($file)" ;;
*) notok "the module comes from DKMS (modinfo says '$file')" ;;
esac
v=$(cat /sys/module/verityfs/version 2>/dev/null)
check "the loaded module is version $EXPECT_VERSION (got '$v')" test "$v" = "$EXPECT_VERSION"
signer=$(modinfo -F signer verityfs 2>/dev/null)
diag "module signer: ${signer:-none (unsigned)}; kernel taint: $(cat /proc/sys/kernel/tainted)"

# fstab: "$MOUNT_DIR $MOUNT_DIR verityfs defaults 0 0"
unit=$(systemd-escape -p --suffix=mount "$MOUNT_DIR")
if grep -q "^[^#]*[[:space:]]${MOUNT_DIR}[[:space:]]\{1,\}verityfs[[:space:]]" /etc/fstab; then
	ok "/etc/fstab has a verityfs line for $MOUNT_DIR"
else
	notok "/etc/fstab has a verityfs line for $MOUNT_DIR"
fi
mounted() { awk -v d="$MOUNT_DIR" '$2 == d && $3 == "verityfs" { f = 1 } END { exit !f }' /proc/mounts; }
check "$unit is active" systemctl is-active --quiet "$unit"
check "verityfs is mounted on $MOUNT_DIR (/proc/mounts)" mounted
check "the lower directory's file reads through the mount" \
	sh -c "test \"\$(cat $MOUNT_DIR/hello.txt)\" = 'hello from the lower directory'"

# fs-verity on the fstab mount of the installed system: the measured digest
# must be what the stock tool computes for the same bytes, on this boot and,
# from the digest the first boot wrote down, on the next one.
f=$MOUNT_DIR/verity-check.bin
state=/var/lib/verityfs-pkgtest/digest
if [ ! -e "$state" ]; then
	diag "first boot: enabling fs-verity"
	head -c 100000 /etc/services > "$f" 2>/dev/null || seq 1 20000 > "$f"
	want=$(fsverity digest "$f" | cut -d' ' -f1)
	check "fsverity enable on the fstab mount" fsverity enable "$f"
	got=$(fsverity measure "$f" | cut -d' ' -f1)
	check "fsverity measure equals fsverity digest ($want)" test "$got" = "$want"
	mkdir -p "${state%/*}" && echo "$want" > "$state"
else
	want=$(cat "$state")
	diag "second boot: the first one recorded $want"
	got=$(fsverity measure "$f" 2>&1 | cut -d' ' -f1)
	check "after a reboot the file is still a verity file with the same digest" test "$got" = "$want"
	check "after a reboot lsattr shows V" sh -c "lsattr '$f' | cut -d' ' -f1 | grep -q V"
	check "after a reboot the file still refuses writers" sh -c "! sh -c 'echo x >> $f' 2>/dev/null"
	check "after a reboot the data reads and equals the stock digest" \
		sh -c "test \"\$(fsverity digest $f | cut -d' ' -f1)\" = '$want' && cat $f > /dev/null"
fi

# Keys at boot: the modprobe.d install command of verityfs-tools ran when
# systemd-modules-load loaded the module, before the fstab mounts, and
# said so in the kernel log (--kmsg).
if { dmesg; journal -k; } 2>/dev/null | grep -q 'verityfs load-keys: 1 certificate files from /etc/verityfs/keys loaded'; then
	ok "at boot, the install command loaded the certificate of /etc/verityfs/keys (kernel log)"
else
	notok "at boot, the install command loaded the certificate of /etc/verityfs/keys (kernel log)"
	journal -k | grep -i 'verityfs' | tail -n 5 | while IFS= read -r l; do diag "kernel: $l"; done
fi
smounted() { awk -v d="$SIGNED_DIR" '$2 == d && $3 == "verityfs" && $4 ~ /require_signatures/ { f = 1 } END { exit !f }' /proc/mounts; }
check "verityfs is mounted on $SIGNED_DIR with require_signatures (/proc/mounts)" smounted

sf=$SIGNED_DIR/signed.bin
uf=$SIGNED_DIR/unsigned.bin
sstate=/var/lib/verityfs-pkgtest/signed
if [ ! -e "$sstate" ]; then
	head -c 200000 /etc/services > "$sf" 2>/dev/null || seq 1 40000 > "$sf"
	swant=$(fsverity digest "$sf" | cut -d' ' -f1)
	fsverity sign "$sf" /tmp/signed.sig --key="$SIGN_DIR/key.pem" --cert="$SIGN_DIR/cert.pem" > /dev/null
	check "a file signed by the boot-loaded signer enables on the require_signatures mount" \
		fsverity enable --signature=/tmp/signed.sig "$sf"
	# The unsigned file is made through a second mount of the same lower
	# that does not require signatures.
	mkdir -p /mnt/unsigned-view
	mount -t verityfs "$SIGNED_LOWER" /mnt/unsigned-view
	head -c 50000 /etc/services > /mnt/unsigned-view/unsigned.bin 2>/dev/null ||
		seq 1 9000 > /mnt/unsigned-view/unsigned.bin
	check "an unsigned verity file beside it (through a mount without require_signatures)" \
		fsverity enable /mnt/unsigned-view/unsigned.bin
	umount /mnt/unsigned-view
	check "on the require_signatures mount the unsigned file is refused (EPERM)" \
		sh -c "! cat '$uf' > /dev/null 2> /tmp/err && grep -q 'Operation not permitted' /tmp/err"
	echo "$swant" > "$sstate"
else
	swant=$(cat "$sstate")
	check "after a reboot the signed file reads through the require_signatures fstab mount" \
		sh -c "cat '$sf' > /dev/null"
	check "... and measures the digest of the first boot ($swant)" \
		sh -c "test \"\$(fsverity measure '$sf' | cut -d' ' -f1)\" = '$swant'"
	check "after a reboot the unsigned verity file is refused there (EPERM)" \
		sh -c "! cat '$uf' > /dev/null 2> /tmp/err && grep -q 'Operation not permitted' /tmp/err"

	# The package's autopkgtest, on this booted system: it reloads the
	# module, so the fstab mounts go first.
	check "umount the fstab verityfs mounts for the autopkgtest" umount "$SIGNED_DIR" "$MOUNT_DIR"
	diag "debian/tests/booted:"
	AUTOPKGTEST_TMP=/var/tmp sh "$BOOTED_TEST" > /tmp/booted.tap 2>&1
	rc=$?
	while IFS= read -r l; do
		case $l in
		"ok "*) ok "autopkgtest booted: ${l#ok * - }" ;;
		"not ok "*) notok "autopkgtest booted: ${l#not ok * - }" ;;
		"#"*) diag "booted: ${l#\# }" ;;
		esac
	done < /tmp/booted.tap
	check "debian/tests/booted exits 0" test "$rc" = 0
fi

if [ $failed = 0 ]; then emit "VERITYFS-PKGTEST-END pass"; else emit "VERITYFS-PKGTEST-END fail"; fi
exec 3>&-
sync
exit $failed

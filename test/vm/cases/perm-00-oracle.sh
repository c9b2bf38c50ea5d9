# SPDX-License-Identifier: GPL-2.0-only
# The permission parity oracle can fail: twin B is tampered with after its
# pristine state is taken (vx-perm -t), and exactly the tampered objects must
# show up, as a different errno, a different mode and an extra xattr; an
# allow entry must turn its difference into an "allow" line, and the objects
# must be put back for the next operation.
#
# Copyright (C) 2026 The verityfs authors

. /test/perm/case.sh
load_module
L=$(mk_lower tmpfs) || { not_ok "make a tmpfs lower"; return; }
mkdir -p "$L/A" "$L/B" /mnt/perm
chmod 0755 "$L" "$L/A" "$L/B"
mount -t verityfs "$L/B" /mnt/perm || { not_ok "mount verityfs over the twin"; return; }
echo "* tmpfs bob open-r f/a644 the negative control's own entry" > /tmp/perm-allow-test
vx-perm -t -k "$KID" -l tmpfs -a /tmp/perm-allow-test -u bob -o open-r,read -O f/a644,f/a664 \
	"$L/A" /mnt/perm "$L/B" > /tmp/perm-oracle.out 2>&1
check_eq "vx-perm exits 1 on a tampered twin" 1 $?
check_eq "the allowed difference: errno and mode" \
	"allow bob open-r f/a644: lower ok [f/a644:mode=100644] verityfs EACCES [f/a644:mode=100600] # the negative control's own entry" \
	"$(grep ' f/a644:' /tmp/perm-oracle.out)"
check_eq "the other difference: an xattr only" \
	"diff bob open-r f/a664: lower ok verityfs ok [f/a664:x.trusted.tamper=1]" \
	"$(grep ' f/a664:' /tmp/perm-oracle.out)"
check_eq "both objects put back: the next operations agree" "same bob 2" \
	"$(grep '^same' /tmp/perm-oracle.out)"
check_eq "the allow entry counts its match" \
	"allowed 1 * tmpfs bob open-r f/a644 # the negative control's own entry" \
	"$(grep '^allowed' /tmp/perm-oracle.out)"
check_eq "nothing else reported" 4 "$(wc -l < /tmp/perm-oracle.out)"
umount /mnt/perm
perm_release_lower "$L"

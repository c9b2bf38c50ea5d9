# SPDX-License-Identifier: GPL-2.0-only
# The permission parity oracle can fail: twin B is tampered with after its
# pristine state is taken (vx-perm -t), and exactly the tampered objects must
# show up (a different errno and mode, an extra xattr) and be put back for
# the next operation; an allow entry turns a different result into an
# "allow" line, but never a different state.
#
# Copyright (C) 2026 The verityfs authors

. /test/perm/case.sh
load_module
L=$(mk_lower tmpfs) || { not_ok "make a tmpfs lower"; return; }
mkdir -p "$L/A" "$L/B" /mnt/perm
chmod 0755 "$L" "$L/A" "$L/B"
mount -t verityfs "$L/B" /mnt/perm || { not_ok "mount verityfs over the twin"; return; }
ALLOW="* tmpfs bob open-r f/a644 EACCES the negative control's own entry"
echo "$ALLOW" > /tmp/perm-allow-test
run() {
	vx-perm -k "$KID" -l tmpfs -a /tmp/perm-allow-test -u bob "$@" "$L/A" /mnt/perm "$L/B" \
		> /tmp/perm-oracle.out 2>&1
}

# B's f/a644 made 0600, B's f/a664 given trusted.tamper.
run -t state -o open-r,read -O f/a644,f/a664
check_eq "state tamper: vx-perm exits 1" 1 $?
check_eq "state tamper: errno and mode differ, not allowed" \
	"diff bob open-r f/a644: lower ok [f/a644:mode=100644] verityfs EACCES [f/a644:mode=100600]" \
	"$(grep ' f/a644:' /tmp/perm-oracle.out)"
check_eq "state tamper: an xattr differs" \
	"diff bob open-r f/a664: lower ok verityfs ok [f/a664:x.trusted.tamper=1]" \
	"$(grep ' f/a664:' /tmp/perm-oracle.out)"
check_eq "state tamper: both put back, the reads agree" "same bob 2" \
	"$(grep '^same' /tmp/perm-oracle.out)"
check_eq "state tamper: the allow entry did not apply" "unused 0 ${ALLOW% the *} # the${ALLOW#* the}" \
	"$(grep '^unused' /tmp/perm-oracle.out)"
check_eq "state tamper: nothing else reported" 4 "$(wc -l < /tmp/perm-oracle.out)"

# B's f/ made 0700: bob gets EACCES there, every state the same.
run -t result -o open-r -O f/a644
check_eq "result tamper: allowed, so vx-perm exits 0" 0 $?
check_eq "result tamper: the difference, allowed" \
	"allow bob open-r f/a644: lower ok verityfs EACCES # the${ALLOW#* the}" \
	"$(grep ' f/a644:' /tmp/perm-oracle.out)"
check_eq "result tamper: the allow entry counts its match" "allowed 1 ${ALLOW% the *} # the${ALLOW#* the}" \
	"$(grep '^allowed' /tmp/perm-oracle.out)"
check_eq "result tamper: nothing else reported" 3 "$(wc -l < /tmp/perm-oracle.out)"
umount /mnt/perm
perm_release_lower "$L"

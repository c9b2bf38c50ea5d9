# SPDX-License-Identifier: GPL-2.0-only
# M1: readahead on a second mount's old fd after an enable: no WARN.
# Copyright (C) 2026 The verityfs authors
#
# An unprivileged user opens a plain file through mount B, enables it
# through mount A, makes a hard link and looks it up through B (B's inode
# then gets the verity operations without verity state), and asks for
# readahead on the fd opened first. Nothing may WARN (the guests run with
# panic_on_warn); the fd must go on reading. This case comes last among the
# trust-* cases because today it ends the guest.

load_module
lower=$(mk_lower ext4) || { not_ok "make the lower"; return 0; }
mkdir "$lower/u"
chown 65534:65534 "$lower/u"
A=/mnt/vx-wa B=/mnt/vx-wb
mkdir -p $A $B
mount -t verityfs "$lower" $A && mount -t verityfs "$lower" $B || { not_ok "mount verityfs twice"; return 0; }
cat > /tmp/m1-user.sh <<EOS
cp "$DATA/rand1m" $A/u/f || exit 1
exec 5< $B/u/f
fsverity enable $A/u/f > /dev/null || echo "enable failed"
ln $A/u/f $A/u/g || echo "link failed"
stat $B/u/g > /dev/null || echo "stat failed"
echo "fadvise: \$(vx-trust fadvise-fd 5)"
echo "readahead: \$(vx-trust readahead-fd 5)"
echo "pread: \$(vx-trust pread-fd 5 0 65536 $DATA/rand1m)"
EOS
out=$(vx-asuser 65534 65534 sh /tmp/m1-user.sh 2>&1)
diag "$out"
check_eq "as a user: readahead on B's old fd after the enable on A" \
	"fadvise: ok readahead: ok pread: ok" "$(echo "$out" | tr '\n' ' ' | sed 's/ $//')"
check_eq "a new open through B reads the data" "$(sha256sum < "$DATA/rand1m")" "$(sha256sum < $B/u/g)"
umount $B
umount $A
umount "$lower"
check "rmmod verityfs" unload_module

# SPDX-License-Identifier: GPL-2.0-only
# Deliberately broken (scripts/check-broken.sh): the robustness tests'
# detectors must see what is injected behind their back. Each check below
# claims a detector saw nothing, and must fail.
#  - stress: bytes of plain files and of verity files' data changed on the
#    lower during the run: wrong bytes (plain) and EIO (verity) are counted;
#  - crash check: a verity file's object removed, a plain file changed;
#  - ioctl fuzz: "native" twins on ext4 without the verity feature differ.
# Copyright (C) 2026 The verityfs authors

tab=$DATA/stress.tab
load_module
L=$(mk_lower ext4) || { not_ok "make the lower"; return 0; }
mkdir -p /mnt/bs
mount -t verityfs "$L" /mnt/bs || { not_ok "mount"; return 0; }
vx-stress run "$tab" /mnt/bs "$L" 15 -s 7 -X > /tmp/bs.out 2>&1
line=$(grep '^# stress seconds' /tmp/bs.out | tail -n 1)
echo "$line" >> /dev/ttyS1
wrong=$(echo "$line" | sed -n 's/.* wrong_bytes=\([0-9]*\).*/\1/p')
eio=$(echo "$line" | sed -n 's/.* eio=\([0-9]*\).*/\1/p')
check_eq "stress: injected changes give no wrong byte" 0 "${wrong:-none}"
check_eq "stress: injected changes give no EIO" 0 "${eio:-none}"

vx-stress check "$tab" /mnt/bs "$L" > /dev/null 2>&1
v=$(ls /mnt/bs/d*/v* 2>/dev/null | head -n 1)
obj=$(ls "$L/.verityfs" | head -n 1)
rm -f "$L/.verityfs/$obj"
echo 3 > /proc/sys/vm/drop_caches
vx-stress check "$tab" /mnt/bs "$L" -c > /tmp/bs.out 2>&1
grep "^# crashcheck" /tmp/bs.out >> /dev/ttyS1
check_eq "crash check: a removed object goes unnoticed" 0 "$(sed -n 's/.* bad=\([0-9]*\).*/\1/p' /tmp/bs.out)"
umount /mnt/bs

N=$(mk_lower ext4) || { not_ok "a second ext4"; return 0; }
mount -t verityfs "$L" /mnt/bs
mkdir -p /mnt/bs/fz "$N/fz"
vx-fuzz ioctl /mnt/bs/fz "$N/fz" 300 1 > /tmp/bs.out 2>&1
grep "^# ioctl calls" /tmp/bs.out >> /dev/ttyS1
check_eq "ioctl fuzz: ext4 without verity answers as verityfs" 0 \
	"$(sed -n 's/.* differences=\([0-9]*\).*/\1/p' /tmp/bs.out)"
umount /mnt/bs

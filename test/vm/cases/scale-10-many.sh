# SPDX-License-Identifier: GPL-2.0-only
# Scale: vx.scale_files verity files in one tree (1,000 per directory) made,
# looked up, opened, measured and read; 1,000 of them open at once; memory
# per cached verity inode and per open verity file against native ext4
# fs-verity on the same disk; the hash cache within its budget throughout.
# Copyright (C) 2026 The verityfs authors
#
# On demand (scripts/vm-robust.sh scale): without vx.scale_files it does
# nothing. The lower is ext4 with the verity feature on the virtio disk vda.

n=$(knob scale_files)
[ -n "$n" ] || { skip "scale" "on demand: make scale"; return 0; }
nn=$((n / 10)); [ "$nn" -ge 1000 ] || nn=1000	# native files
tab=$DATA/stress.tab
to_host() { echo "# [scale] $*" >> /dev/ttyS1; }
# A template both can enable on every kernel: SHA-256, 4 KiB blocks, two data blocks.
t=$(awk '$2 == 4097 && $3 == "sha256" && $4 == 4096 { print $1; exit }' "$tab")
budget_mb=16

modprobe -q -a virtio_pci virtio_blk; sleep 1
[ -b /dev/vda ] || { not_ok "the virtio disk vda"; return 0; }
mkfs.ext4 -q -F -b 4096 -O verity -N $((n * 3 + 20000)) /dev/vda > /dev/null || { not_ok "mkfs"; return 0; }
mkdir -p /mnt/sl /mnt/sc
mount -t ext4 /dev/vda /mnt/sl || { not_ok "mount vda"; return 0; }
check "load verityfs with a $budget_mb MiB hash cache" modprobe verityfs hash_cache_mb=$budget_mb
mount -t verityfs /mnt/sl /mnt/sc
mkdir -p /mnt/sc/v /mnt/sl/native

slab_kb() { awk '$1 == "Slab:" { print $2 }' /proc/meminfo; }
inodes() { awk -v c="$1" '$1 == c { print $2 }' /proc/slabinfo; }
secs() { awk '{ print $1 }' /proc/uptime; }
rate() { awk -v n="$1" -v a="$2" -v b="$3" 'BEGIN { printf "%.0f", n / (b - a) }'; }

s0=$(secs)
check "make $n verity files through verityfs" vx-stress mkmany "$tab" /mnt/sc/v "$n" "$t"
s1=$(secs)
check "make $nn native ext4 verity files" vx-stress mkmany "$tab" /mnt/sl/native "$nn" "$t"
s2=$(secs)
to_host "made $n verityfs files in $(awk -v a=$s0 -v b=$s1 'BEGIN { print b - a }') s ($(rate $n $s0 $s1)/s), $nn native in $(awk -v a=$s1 -v b=$s2 'BEGIN { print b - a }') s ($(rate $nn $s1 $s2)/s)"
check_eq "one object per verity file" "$n" "$(store_objects /mnt/sl)"

# Cached inodes: everything dropped, then every file walked; what stays.
sync; echo 3 > /proc/sys/vm/drop_caches
m0=$(slab_kb); s0=$(secs)
check "lookup, open, measure, read all $n (digest and bytes checked)" vx-stress walk "$tab" /mnt/sc/v "$n" "$t"
s1=$(secs); m1=$(slab_kb)
vi=$(inodes verityfs_inode)
to_host "walked $n verityfs files in $(awk -v a=$s0 -v b=$s1 'BEGIN { print b - a }') s ($(rate $n $s0 $s1)/s); slab +$((m1 - m0)) kB, verityfs_inode objects $vi, $(( (m1 - m0) * 1024 / n )) bytes per file (both layers)"
sync; echo 3 > /proc/sys/vm/drop_caches
m2=$(slab_kb); s2=$(secs)
check "the same for $nn native files" vx-stress walk "$tab" /mnt/sl/native "$nn" "$t"
s3=$(secs); m3=$(slab_kb)
to_host "walked $nn native files in $(awk -v a=$s2 -v b=$s3 'BEGIN { print b - a }') s ($(rate $nn $s2 $s3)/s); slab +$((m3 - m2)) kB, $(( (m3 - m2) * 1024 / nn )) bytes per file"
used=$(cat /sys/fs/verityfs/hash_cache/bytes)
to_host "hash cache after the walk: $used bytes (budget $budget_mb MiB), evictions $(cat /sys/fs/verityfs/hash_cache/evictions)"
check "the hash cache stayed within its budget ($used bytes)" test "$used" -le $((budget_mb * 1048576))

# 1,000 open at once, each side; the slab grown while they are held.
hold() {
	sync; echo 3 > /proc/sys/vm/drop_caches
	_m0=$(slab_kb)
	vx-stress hold "$tab" "$1" 1000 "$t" > /tmp/hold.out 2>&1 &
	_p=$!
	_i=0
	while ! grep -q holding /tmp/hold.out && [ $_i -lt 600 ]; do sleep 1; _i=$((_i + 1)); done
	_m1=$(slab_kb)
	kill $_p; wait $_p 2>/dev/null
	echo $(( (_m1 - _m0) * 1024 / 1000 ))
}
pv=$(hold /mnt/sc/v)
pn=$(hold /mnt/sl/native)
to_host "1000 open at once: verityfs $pv bytes of slab per open file (both layers), native ext4 $pn"
check "1000 verity files open at once through verityfs" test "$pv" -gt 0
check_eq "no corruption counted" 0 "$(cat /sys/fs/verityfs/"$(awk '$5 == "/mnt/sc" { print $3 }' /proc/self/mountinfo | tail -n 1)"/corruptions)"
check "umount" umount /mnt/sc
umount /mnt/sl
check "rmmod" unload_module

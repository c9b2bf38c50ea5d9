# SPDX-License-Identifier: GPL-2.0-only
# umount/mount and rmmod/modprobe cycles: verityfs's own slab objects go back
# to where they were, the module unloads every time, nothing WARNs.
# Copyright (C) 2026 The verityfs authors

slab_active() {	# NAME: active objects of a kmem cache, 0 when absent
	awk -v n="$1" '$1 == n { print $2; f = 1 } END { if (!f) print 0 }' /proc/slabinfo
}
# SLUB counts a CPU's whole current slab as active: flush those first.
settle() {
	sync; echo 2 > /proc/sys/vm/drop_caches; sleep 1
	for _c in verityfs_inode verityfs_dentry; do
		[ -w /sys/kernel/slab/$_c/shrink ] && echo 1 > /sys/kernel/slab/$_c/shrink
	done
}

if [ ! -r /proc/slabinfo ]; then
	skip "slab counts" "no /proc/slabinfo"
	return
fi
L=$(mk_lower ext4) || { not_ok "make an ext4 lower"; return; }
mkdir -p /mnt/c "$L/t"
i=0
while [ $i -lt 50 ]; do echo $i > "$L/t/f$i"; i=$((i + 1)); done

load_module
settle
base_inode=$(slab_active verityfs_inode)
base_dentry=$(slab_active verityfs_dentry)
diag "baseline verityfs_inode=$base_inode verityfs_dentry=$base_dentry"
cycle=0 fail=0
while [ $cycle -lt 5 ]; do
	mount -t verityfs "$L" /mnt/c || fail=1
	ls -l /mnt/c/t > /dev/null || fail=1
	cat /mnt/c/t/* > /dev/null || fail=1
	mkdir /mnt/c/t/dir$cycle && touch /mnt/c/t/dir$cycle/x && rm -r /mnt/c/t/dir$cycle || fail=1
	[ $cycle = 0 ] && diag "mounted: verityfs_inode=$(slab_active verityfs_inode)"
	umount /mnt/c || fail=1
	cycle=$((cycle + 1))
done
check_eq "5 mount/use/umount cycles succeed" 0 $fail
settle
check_eq "verityfs_inode objects back to baseline" "$base_inode" "$(slab_active verityfs_inode)"
check_eq "verityfs_dentry objects back to baseline" "$base_dentry" "$(slab_active verityfs_dentry)"

cycle=0 fail=0
while [ $cycle -lt 3 ]; do
	mount -t verityfs "$L" /mnt/c && cat /mnt/c/t/f1 > /dev/null && umount /mnt/c || fail=1
	rmmod verityfs || fail=1
	grep -q verityfs_inode /proc/slabinfo && fail=1
	modprobe verityfs || fail=1
	cycle=$((cycle + 1))
done
check_eq "3 rmmod/modprobe cycles; the caches go with the module" 0 $fail
check "final rmmod" unload_module

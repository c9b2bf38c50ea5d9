# SPDX-License-Identifier: GPL-2.0-only
# Issue 15: a verityfs verity file is a verity file to the whole kernel. What
# the kernel's own fs/verity holds for it, asked through the self-testing
# module's VERITYFS_IOC_KMEASURE (fsverity_ioctl_measure() on the upper inode,
# what overlayfs, IMA, IPE and BPF get), must equal the stock tools' digest.
# Copyright (C) 2026 The verityfs authors
#
# Oracles: the host's `fsverity digest` ($DATA/digests.txt), the guest's stock
# `fsverity digest` of the same bytes, and ENODATA where fs/verity must hold
# nothing (plain files; Merkle blocks smaller than a page before 6.3; the
# fs.verity.require_signatures sysctl, as fs/verity is never shown verityfs's
# signatures). Then the lifetime: 10,000 opens with evictions between them
# leave no fsverity_info behind once the mounts and the module are gone.

if [ ! -f /lib/verityfs-selftest.ko ]; then
	skip "the kernel's view of verityfs files" "no self-testing module in this initramfs"
	return 0
fi
modprobe -q sha512_generic 2>/dev/null	# =m on 5.10 and 6.1, for fs/verity too
S=$DATA/sig
want256=$(grep '^1048576 sha256 ' "$DATA/digests.txt" | cut -d' ' -f3)
want512=$(grep '^1048576 sha512 ' "$DATA/digests.txt" | cut -d' ' -f3)
# Before 6.3 fs/verity takes only Merkle blocks of PAGE_SIZE.
subpage=no
kver_at_least 6 3 && subpage=yes
head -c 100000 /dev/zero > /tmp/zero100k
head -c 4097 "$DATA/rand1m" > /tmp/r4097
want1k=$(fsverity digest --block-size=1024 /tmp/r4097 | cut -d' ' -f1)
wantzero=$(fsverity digest /tmp/zero100k | cut -d' ' -f1)

# The fsverity_info objects of the kernel, before anything of this case.
grep -i verity /proc/slabinfo | while read -r name _rest; do diag "slab cache: $name"; done
sync
echo 3 > /proc/sys/vm/drop_caches
slab_before=$(slab_in_use fsverity_info)
diag "fsverity_info objects in use at the start: $slab_before"

if grep -q '^verityfs ' /proc/modules; then
	rmmod verityfs || { not_ok "rmmod the normal module"; return 0; }
fi
log_mark
check "insmod the self-testing module" insmod /lib/verityfs-selftest.ko
grep -q '^verityfs ' /proc/modules || return 0
if keyctl padd asymmetric '' %keyring:.verityfs < "$S/key1.der" > /dev/null 2>&1; then
	signing=yes
else
	signing=no
fi

mnt=/mnt/vx-kverity
mkdir -p "$mnt"
for fs in $LOWERS; do
	lower=$(mk_lower "$fs") || { not_ok "$fs: make the lower"; continue; }
	mount -t verityfs "$lower" "$mnt" || { not_ok "$fs: mount verityfs"; continue; }

	cp "$DATA/rand1m" "$mnt/v"
	fsverity enable "$mnt/v"
	check_eq "$fs: fsverity measure through verityfs equals the host's fsverity digest" \
		"$want256" "$(fsverity measure "$mnt/v" | cut -d' ' -f1)"
	check_eq "$fs: the kernel's fs-verity holds the same digest (KMEASURE)" \
		"$want256" "$(vx-kverity kmeasure "$mnt/v")"
	check_eq "$fs: KMEASURE with digest_size 16 is EOVERFLOW, as FS_IOC_MEASURE_VERITY" \
		EOVERFLOW "$(vx-kverity kmeasure "$mnt/v" 16)"

	cp "$DATA/rand1m" "$mnt/plain"
	check_eq "$fs: a plain file: the kernel holds nothing (ENODATA)" \
		ENODATA "$(vx-kverity kmeasure "$mnt/plain")"
	check_eq "$fs: a plain file: FS_IOC_MEASURE_VERITY says the same" \
		ENODATA "$(vx-kverity measure "$mnt/plain")"

	cp /tmp/r4097 "$mnt/b1k"
	if fsverity enable --block-size=1024 "$mnt/b1k"; then
		check_eq "$fs: 1 KiB Merkle blocks: verityfs measures the stock digest" \
			"$want1k" "$(fsverity measure "$mnt/b1k" | cut -d' ' -f1)"
		check "$fs: 1 KiB Merkle blocks: the file reads" cmp "$mnt/b1k" /tmp/r4097
		if [ $subpage = yes ]; then
			check_eq "$fs: 1 KiB Merkle blocks: the kernel holds the digest (6.3 and later)" \
				"$want1k" "$(vx-kverity kmeasure "$mnt/b1k")"
		else
			check_eq "$fs: 1 KiB Merkle blocks: the kernel holds nothing before 6.3" \
				ENODATA "$(vx-kverity kmeasure "$mnt/b1k")"
		fi
	else
		not_ok "$fs: fsverity enable --block-size=1024"
	fi

	# Enabled while another descriptor is open: the next open is enough.
	cp "$DATA/rand1m" "$mnt/held"
	exec 5< "$mnt/held"
	fsverity enable "$mnt/held"
	check_eq "$fs: enabled while an fd was open: a new open gives the digest" \
		"$want256" "$(vx-kverity kmeasure "$mnt/held")"
	check_eq "$fs: and the fd opened before the enable sees it too (one inode)" \
		"$want256" "$(vx-kverity kmeasure-fd 5)"
	exec 5<&-

	cp "$DATA/rand1m" "$mnt/s512"
	fsverity enable --hash-alg=sha512 "$mnt/s512"
	check_eq "$fs: sha512: the kernel holds the host's sha512 digest" \
		"$want512" "$(vx-kverity kmeasure "$mnt/s512")"

	if [ $signing = yes ]; then
		cp /tmp/zero100k "$mnt/signed"
		if fsverity enable --signature="$S/zero100k.key1.sig" "$mnt/signed"; then
			check_eq "$fs: a signed file: the kernel holds its digest too" \
				"$wantzero" "$(vx-kverity kmeasure "$mnt/signed")"
		else
			not_ok "$fs: enable with a signature the .verityfs keyring trusts"
		fi
	else
		skip "$fs: a signed file" "the certificate did not go into %keyring:.verityfs"
	fi

	# An eviction and a mount cycle: built again at the first open.
	sync
	echo 3 > /proc/sys/vm/drop_caches
	check_eq "$fs: after an eviction the first open gives the digest again" \
		"$want256" "$(vx-kverity kmeasure "$mnt/v")"
	umount "$mnt"
	mount -t verityfs "$lower" "$mnt" || { not_ok "$fs: mount verityfs again"; continue; }
	check_eq "$fs: after a mount cycle the first open gives the digest" \
		"$want256" "$(vx-kverity kmeasure "$mnt/v")"
	check_eq "$fs: after a mount cycle the sha512 file too" \
		"$want512" "$(vx-kverity kmeasure "$mnt/s512")"
	check_eq "$fs: and the plain file still has nothing" \
		ENODATA "$(vx-kverity kmeasure "$mnt/plain")"

	# fs.verity.require_signatures=1: fs/verity refuses the unsigned
	# descriptor it is given, verityfs still opens and reads the file.
	rs=/proc/sys/fs/verity/require_signatures
	if [ "$fs" = ext4 ] && [ -w $rs ]; then
		umount "$mnt"
		echo 1 > $rs
		mount -t verityfs "$lower" "$mnt"
		check "$fs: require_signatures=1: the verity file still reads through verityfs" \
			cmp "$mnt/v" "$DATA/rand1m"
		check_eq "$fs: require_signatures=1: verityfs still measures it" \
			"$want256" "$(fsverity measure "$mnt/v" | cut -d' ' -f1)"
		check_eq "$fs: require_signatures=1: the kernel holds nothing for it" \
			ENODATA "$(vx-kverity kmeasure "$mnt/v")"
		if [ $signing = yes ]; then
			check_eq "$fs: require_signatures=1: nor for a file verityfs checked the signature of" \
				ENODATA "$(vx-kverity kmeasure "$mnt/signed")"
		fi
		echo 0 > $rs
		umount "$mnt"
		mount -t verityfs "$lower" "$mnt"
		check_eq "$fs: require_signatures back to 0: the kernel holds the digest again" \
			"$want256" "$(vx-kverity kmeasure "$mnt/v")"
	elif [ "$fs" = ext4 ]; then
		skip "$fs: require_signatures=1" "no writable $rs on this kernel"
	fi

	# Lifetime: 2,500 opens here (10,000 over the four lowers) of 50
	# files, the caches dropped every 125 opens, so that most opens
	# build the kernel's info again for an inode read anew.
	i=0
	while [ $i -lt 50 ]; do
		head -c $((4096 + i * 512)) "$DATA/rand1m" > "$mnt/c$i"
		fsverity enable "$mnt/c$i"
		i=$((i + 1))
	done
	check_eq "$fs: 2,500 opens and closes of 50 verity files, evictions between" "" \
		"$(vx-kverity cycles-drop 2500 125 "$mnt"/c*)"
	check_eq "$fs: and then the kernel still holds the right digest" \
		"$(grep '^4096 sha256 ' "$DATA/digests.txt" | cut -d' ' -f3)" \
		"$(vx-kverity kmeasure "$mnt/c0")"
	check_eq "$fs: 1,000 opens and closes of one file" "" "$(vx-kverity cycles "$mnt/v" 1000)"
	# The count below is live: 50 cached verity inodes, just opened,
	# hold 50 more fsverity_info objects than at the start.
	vx-kverity cycles-drop 50 0 "$mnt"/c*
	live=$(slab_in_use fsverity_info)
	if [ "$live" = n/a ] || [ "$slab_before" = n/a ]; then
		diag "$fs: fsverity_info is not an unmerged cache here"
	elif [ "$live" -ge $((slab_before + 50)) ]; then
		ok "$fs: 50 open verity inodes hold fsverity_info objects (in use: $live)"
	else
		not_ok "$fs: 50 open verity inodes hold fsverity_info objects" \
			"in use: $live, $slab_before at the start"
	fi
	umount "$mnt"
	free_lower "$lower"
done

check "rmmod the self-testing module" rmmod verityfs
sync
echo 3 > /proc/sys/vm/drop_caches
sleep 1
slab_after=$(slab_in_use fsverity_info)
if [ "$slab_before" = n/a ] || [ "$slab_after" = n/a ]; then
	skip "no fsverity_info left behind" "no unmerged fsverity_info cache in /proc/slabinfo"
else
	# slab_in_use shrinks the cache first, which flushes the per-CPU
	# slabs, so the count is exact but for what another CPU frees or
	# allocates meanwhile: one object per CPU is allowed, no more.
	slack=$(grep -c ^processor /proc/cpuinfo)
	if [ "$slab_after" -le $((slab_before + slack)) ]; then
		ok "no fsverity_info left behind (in use: $slab_before before, $slab_after after; slack $slack)"
	else
		not_ok "no fsverity_info left behind" "in use: $slab_before before, $slab_after after"
	fi
fi
check_log_clean
# Leave the module state as the other cases do: nothing loaded.
check "the normal module loads again" load_module
check "rmmod verityfs" unload_module

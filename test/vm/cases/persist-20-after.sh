# SPDX-License-Identifier: GPL-2.0-only
# Boot 2 of scripts/vm-persist.sh, after boot 1 was reset in the middle of
# three enables: mount the same disks (the lowers replay their journals),
# report digest and content of every file for the host to compare with boot
# 1's records and its own `fsverity digest`, and check here what needs no
# record: each interrupted file is either plain with its bytes or a complete
# verity file whose digest is that of its bytes; the orphan objects a crash
# can leave make no trouble (a new enable works beside them).
# Copyright (C) 2026 The verityfs authors

persist_disks || { not_ok "the virtio disks appear" "no /dev/vdc"; return 0; }
load_module
big_sha=$( { cat "$DATA/rand1m" "$DATA/rand1m"; echo 17179869184; } | sha256sum | cut -d' ' -f1)
for fs in $PERSIST_FS; do
	persist_mount "$fs" || { not_ok "$fs: mount the disk and verityfs over it"; continue; }
	m=/mnt/p-$fs lower=/mnt/lower-$fs
	for n in a b big; do
		persist_report after "$fs" "$n"
	done		# REPORT_SHA is big's now
	check "$fs: a is still a verity file" fsverity measure "$m/a"
	check "$fs: b is still a verity file" fsverity measure "$m/b"
	verity=2
	if out=$(fsverity measure "$m/big" 2>&1); then
		verity=3
		check_eq "$fs: the interrupted big file is complete verity: digest of its bytes" \
			"$(fsverity digest "$lower/big" | cut -d' ' -f1)" "${out%% *}"
	else
		check_eq "$fs: the interrupted big file is plain (ENODATA)" 1 \
			"$(echo "$out" | grep -c 'No data available')"
		check_eq "$fs: ... with its bytes (its data at both ends, its size)" \
			"$big_sha" "$REPORT_SHA"
		check "$fs: ... and it can be written" sh -c "echo x >> '$m/big'"
	fi
	o=$(store_objects "$lower")
	echo "# persist orphans $fs $((o - verity)) of $o objects" >> /dev/ttyS1
	ok "$fs: $((o - verity)) orphan objects of $o in the store (garbage, never read)"
	cp "$DATA/rand1m" "$m/c"
	check "$fs: beside them a new enable works" fsverity enable "$m/c"
	check_eq "$fs: ... with the right digest" \
		"$(grep '^1048576 sha256 ' "$DATA/digests.txt" | cut -d' ' -f3)" \
		"$(fsverity measure "$m/c" | cut -d' ' -f1)"
	check "$fs: both unmount" sh -c "umount '$m' && umount '$lower'"
done
check "rmmod verityfs" unload_module

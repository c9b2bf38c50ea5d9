# SPDX-License-Identifier: GPL-2.0-only
# A verity file's metadata goes with its last name, whichever way the name
# goes: unlink, or a rename over it. A file that lost its last name but is
# still reachable (an O_PATH descriptor reopened through /proc/self/fd, or
# an open racing the unlink, as the mixed stress found through a second
# mount) is never reported as damaged metadata: native ext4 opens it, and
# verityfs opens it too or says ENOENT, without a log line.
# Copyright (C) 2026 The verityfs authors

load_module
N=$(mk_lower ext4 -O verity) || { not_ok "native ext4 with the verity feature"; return 0; }
head -c 100000 "$DATA/rand1m" > "$N/d"
fsverity enable "$N/d"
native=$(vx-stress reopen "$N/d")
diag "native ext4: an unlinked verity file reopened through O_PATH: $native"
free_lower "$N"
want=$(head -c 100000 "$DATA/rand1m" > /tmp/d100k; fsverity digest /tmp/d100k | cut -d' ' -f1)
mkdir -p /mnt/ln
for fs in $LOWERS; do
	L=$(mk_lower "$fs") || { not_ok "$fs: make the lower"; continue; }
	mount -t verityfs "$L" /mnt/ln || { not_ok "$fs: mount"; continue; }
	head -c 100000 "$DATA/rand1m" > /mnt/ln/a
	head -c 4097 "$DATA/rand1m" > /mnt/ln/b
	echo plain > /mnt/ln/c
	fsverity enable /mnt/ln/a && fsverity enable /mnt/ln/b
	check_eq "$fs: two verity files, two objects" 2 "$(store_objects "$L")"
	mv /mnt/ln/a /mnt/ln/b
	check_eq "$fs: a verity file renamed over another: the other's object is gone" 1 "$(store_objects "$L")"
	check_eq "$fs: ... and the survivor measures as itself" "$want" "$(fsverity measure /mnt/ln/b | cut -d' ' -f1)"
	mv /mnt/ln/c /mnt/ln/b
	check_eq "$fs: a plain file renamed over the last verity file: no object left" 0 "$(store_objects "$L")"
	head -c 100000 "$DATA/rand1m" > /mnt/ln/d
	fsverity enable /mnt/ln/d
	# Forget the inode, so that the reopen must read the metadata again.
	echo 3 > /proc/sys/vm/drop_caches
	log_mark
	got=$(vx-stress reopen /mnt/ln/d)
	case $got in
	"ok ${want#sha256:} "*|"open ENOENT") ok "$fs: an unlinked verity file reopened through O_PATH: $got" ;;
	*) not_ok "$fs: an unlinked verity file reopened through O_PATH: native ext4's result or ENOENT" "got '$got'" ;;
	esac
	check_eq "$fs: ... and nothing logged as damaged" "" "$(log_since | grep verityfs | head -n 2)"
	check_eq "$fs: ... and no object left behind" 0 "$(store_objects "$L")"
	check "$fs: umount" umount /mnt/ln
	free_lower "$L"
done
check "rmmod" unload_module

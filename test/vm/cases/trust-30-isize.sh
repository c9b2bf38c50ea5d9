# SPDX-License-Identifier: GPL-2.0-only
# M2: an enable covers the lower file's size, not a stale upper i_size.
# Copyright (C) 2026 The verityfs authors
#
# The file is opened through the mount, then grows directly on the lower,
# then the enable runs on the fd opened before (no lookup refreshes the
# upper inode in between). Either the enable covers the lower file as it is
# (its digest is `fsverity digest` of the lower file, and the file opens and
# reads), or it fails and the file stays a plain, openable file. Never a
# verity file that cannot be opened.

load_module
mnt=/mnt/vx-isize
mkdir -p "$mnt"
for fs in ext4 tmpfs; do
	lower=$(mk_lower "$fs") || { not_ok "$fs: make the lower"; continue; }
	mount -t verityfs "$lower" "$mnt" || { not_ok "$fs: mount verityfs"; continue; }
	head -c 8192 "$DATA/rand1m" > "$mnt/f"
	exec 5< "$mnt/f"
	dd if="$DATA/rand1m" bs=4096 skip=100 count=1 2>/dev/null >> "$lower/f"
	want=$(fsverity digest "$lower/f" | cut -d' ' -f1)
	r=$(vx-trust enable-fd 5)
	if [ "$r" = ok ]; then
		ok "$fs: enable after the lower grew succeeds"
		check_eq "$fs: ... its digest is the lower file's (12 KiB)" "$want" "$(vx-trust measure-fd 5)"
		check_eq "$fs: ... a new open works" ok "$(vx-sys open "$mnt/f")"
		check_eq "$fs: ... measure through a new open agrees" "$want" \
			"$(fsverity measure "$mnt/f" 2>&1 | cut -d' ' -f1)"
		check_eq "$fs: ... and reads the lower file's bytes" "$(sha256sum < "$lower/f")" \
			"$(sha256sum < "$mnt/f" 2>&1)"
	else
		ok "$fs: enable after the lower grew fails cleanly ($r)"
		check_fails "$fs: ... the file is plain" "No data available" fsverity measure "$mnt/f"
		check_eq "$fs: ... and opens" ok "$(vx-sys open "$mnt/f")"
	fi
	exec 5<&-
	umount "$mnt"
	umount "$lower"
done
check "rmmod verityfs" unload_module

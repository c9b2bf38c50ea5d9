# SPDX-License-Identifier: GPL-2.0-only
# Reporting: a corrupted block sends FAN_FS_ERROR, with EBADMSG
# (docs/reporting.md says why), to a fanotify watcher of the lower
# filesystem, naming the lower inode, and to one of the verityfs mount where
# the kernel lets it watch one. The reader itself gets EIO.
# Copyright (C) 2026 The verityfs authors

load_module
lower=$(mk_lower ext4) || { not_ok "make the lower"; return 0; }
mnt=/mnt/vx-fan
mkdir -p "$mnt"
mount -t verityfs "$lower" "$mnt" || { not_ok "mount verityfs"; return 0; }
head -c 65536 "$DATA/rand1m" > "$mnt/f"
fsverity enable "$mnt/f"
ino=$(stat -c %i "$mnt/f")
lino=$(stat -c %i "$lower/f")
umount "$mnt"
printf 'X' | dd of="$lower/f" bs=1 seek=100 conv=notrunc 2>/dev/null
mount -t verityfs "$lower" "$mnt"

# The lower filesystem (ext4) can be watched on every kernel of the matrix.
out=$(vx-fanotify "$lower" "$mnt/f" 10)
rc=$?
diag "vx-fanotify on the lower: $out"
# One read fails the page once in readahead and once more in read_folio;
# fanotify merges the two into one event: error_count 1 or 2.
check_eq "FAN_FS_ERROR reaches a watcher of the lower filesystem: EIO to the reader, EBADMSG (74)" \
	"0 read=EIO error=74" "$rc $(echo "$out" | cut -d' ' -f1-2)"
case $out in
*" error_count=1 "*|*" error_count=2 "*) ok "... one event for the one bad block (error_count 1 or 2)" ;;
*) not_ok "... one event for the one bad block (error_count 1 or 2)" "$out" ;;
esac
check_eq "the lower event's file id names the lower inode" "ino=$lino" "$(echo "$out" | sed 's/.* //')"

# The verityfs mount itself: fanotify refuses the mark until verityfs can
# decode file handles (docs/reporting.md).
out=$(vx-fanotify "$mnt" "$mnt/f" 10)
rc=$?
diag "vx-fanotify: $out"
case $rc in
2)
	skip "FAN_FS_ERROR on a corrupted block" "this kernel cannot watch verityfs: $out" ;;
0)
	check_eq "FAN_FS_ERROR arrives on the verityfs mount; the reader got EIO, the event EBADMSG (74)" \
		"read=EIO error=74" "$(echo "$out" | cut -d' ' -f1-2)"
	case $out in
	*handle_type=1\ *) check_eq "the event's file id names the corrupted inode" \
			"ino=$ino" "$(echo "$out" | sed 's/.* //')" ;;
	*) diag "file id of type $(echo "$out" | sed 's/.*handle_type=\([^ ]*\).*/\1/'), inode not decoded" ;;
	esac ;;
*)
	not_ok "FAN_FS_ERROR on a corrupted block" "$out" ;;
esac
umount "$mnt"
umount "$lower"
check "rmmod verityfs" unload_module

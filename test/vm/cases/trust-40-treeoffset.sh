# SPDX-License-Identifier: GPL-2.0-only
# L3: an object header whose tree_offset makes tree_offset + tree_size wrap.
# Copyright (C) 2026 The verityfs authors
#
# The header of an object in LOWER/.verityfs/ is not covered by any digest.
# A block-aligned tree_offset near 2^64 makes tree_offset + tree_size wrap
# below the object's size, past the load-time size check. Such a file must
# not open (EINVAL, one log line), like an object cut short; never an open
# that succeeds, never an oops. Header layout: include/verityfs/format.h
# (tree_offset is the le64 at byte 24). The 1 MiB file's tree is 12 KiB.

load_module
lower=$(mk_lower ext4) || { not_ok "make the lower"; return 0; }
mnt=/mnt/vx-treeoff
mkdir -p "$mnt"
mount -t verityfs "$lower" "$mnt" || { not_ok "mount verityfs"; return 0; }

# make_verity NAME: a verity copy of rand1m; sets OBJ to its object's path.
make_verity() {
	_before=$(ls "$lower/.verityfs" 2>/dev/null)
	cp "$DATA/rand1m" "$mnt/$1"
	fsverity enable "$mnt/$1" || { not_ok "enable $1"; return 1; }
	for _o in "$lower"/.verityfs/*; do
		_o=${_o##*/}
		case " $(echo $_before) " in *" $_o "*) ;; *) OBJ=$lower/.verityfs/$_o ;; esac
	done
}

make_verity wrap && obj_wrap=$OBJ
make_verity wrap2 && obj_wrap2=$OBJ
make_verity far && obj_far=$OBJ
umount "$mnt"
# 2^64 - 4096 + 12288 wraps to 8192; 2^64 - 12288 + 12288 wraps to 0.
vx-trust poke64 "$obj_wrap" 24 0xfffffffffffff000 > /dev/null
vx-trust poke64 "$obj_wrap2" 24 0xffffffffffffd000 > /dev/null
# Control: beyond the object without wrapping (the check catches it today).
vx-trust poke64 "$obj_far" 24 0x7ffffffffffff000 > /dev/null
echo 3 > /proc/sys/vm/drop_caches
mount -t verityfs "$lower" "$mnt"

sleep 5		# the log's rate limit: a burst of 10 lines per 5 s, 9 are enough here
for n in wrap wrap2 far; do
	log_mark
	check_eq "$n: tree_offset $(od -An -tx8 -j24 -N8 "$(eval echo \$obj_$n)" | tr -d ' '): open is EINVAL" \
		EINVAL "$(vx-sys open "$mnt/$n")"
	check_eq "$n: ... with one log line" 1 "$(log_since | grep -c 'verityfs (')"
	r=$(vx-sys pread1 "$mnt/$n" 0)
	if [ "$r" = ok ]; then not_ok "$n: ... and no read returns data" "pread: ok"; else ok "$n: ... and no read returns data ($r)"; fi
	check_fails "$n: ... and measure fails" "Invalid argument" fsverity measure "$mnt/$n"
done
umount "$mnt"
umount "$lower"
check "rmmod verityfs" unload_module

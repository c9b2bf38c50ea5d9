# SPDX-License-Identifier: GPL-2.0-only
# Mount flags: atime on the lower follows verityfs's mount flags, as a bind's.
# Copyright (C) 2026 The verityfs authors
#
# For each flag (none, ro, noatime, nodiratime, relatime, strictatime) the
# same four accesses run through a bind mount of the lower directory with the
# flag (mount --bind; mount -o remount,bind,FLAG) and through a verityfs
# mount of it with the flag: a file read, a directory listing, a symlink
# followed, a file mapped. Which lower atimes changed must be the same.
# Atimes are set beforehand so that the rules differ: "old" (two days ago:
# every rule but noatime and ro updates) or "future" (ahead of mtime and
# ctime: only strictatime updates). relatime runs over a lower mounted
# strictatime, so that the lower's own rule cannot pass for verityfs's.

load_module
lower=$(mk_lower ext4) || { not_ok "make the lower"; return 0; }
x=$lower/x
mkdir -p "$x/d" /mnt/vx-bind /mnt/vx-flag
echo data > "$x/r"
echo target > "$x/t"
ln -s t "$x/s"
head -c 8192 "$DATA/rand1m" > "$x/m"

# probe DIR SCHEME: which lower atimes the four accesses through DIR changed.
probe() {
	for _o in r d s m; do
		case $2 in
		old) vx-trust setatime "$x/$_o" 172800 259200 > /dev/null ;;
		future) vx-trust setatime "$x/$_o" -3600 20 > /dev/null ;;
		esac
		eval "_b_$_o=\$(vx-trust atime '$x/$_o')"
	done
	cat "$1/r" > /dev/null
	ls "$1/d" > /dev/null
	cat "$1/s" > /dev/null
	vx-trust mmap-touch "$1/m" > /dev/null
	_res=
	for _o in r d s m; do
		case $_o in r) _w="read" ;; d) _w=list ;; s) _w=symlink ;; m) _w=mmap ;; esac
		if [ "$(vx-trust atime "$x/$_o")" = "$(eval echo \$_b_$_o)" ]; then
			_res="$_res $_w=kept"
		else
			_res="$_res $_w=updated"
		fi
	done
	echo "${_res# }"
}

for case in none:old ro:old noatime:old nodiratime:old relatime:future strictatime:future; do
	flag=${case%%:*} scheme=${case#*:}
	opt=$flag
	[ "$flag" = none ] && opt=defaults
	if [ "$flag" = relatime ]; then
		mount -o remount,strictatime "$lower"
	fi
	mount --bind "$x" /mnt/vx-bind && mount -o "remount,bind,$opt" /mnt/vx-bind ||
		not_ok "$flag: bind mount"
	want=$(probe /mnt/vx-bind $scheme)
	umount /mnt/vx-bind
	mount -t verityfs -o "$opt" "$x" /mnt/vx-flag || not_ok "$flag: verityfs mount"
	got=$(probe /mnt/vx-flag $scheme)
	umount /mnt/vx-flag
	check_eq "$flag: lower atimes after accesses through verityfs equal the bind's" "$want" "$got"
	if [ "$flag" = relatime ]; then
		mount -o remount,relatime "$lower"
	fi
done
umount "$lower"
check "rmmod verityfs" unload_module

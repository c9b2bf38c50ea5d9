# SPDX-License-Identifier: GPL-2.0-only
# The store at the root of the lower filesystem is trusted only as root's
# own directory of mode 0700: owned by another user, with group or other
# bits, a symlink or a regular file, it makes enable fail (EPERM, EACCES or
# ENOTDIR, the same on every lower), the open of an existing verity file fail
# (EINVAL or the same errno), and the kernel log name the store and the
# reason; put right, it works again without a remount. And the record binds
# the object: any byte of its head changed on the lower (header, descriptor,
# signature) makes the open EINVAL; a tree byte changed makes the data
# blocks under that tree block read EIO, and only those.
# Copyright (C) 2026 The verityfs authors

S=$DATA/sig
t0=$(cut -d. -f1 /proc/uptime)
load_module
keyctl padd asymmetric '' %keyring:.verityfs < "$S/key1.der" > /dev/null ||
	not_ok "add the test signer to the .verityfs keyring"
want=$(grep '^1048576 sha256 ' "$DATA/digests.txt" | cut -d' ' -f3)
rsum=$(sha256sum < "$DATA/rand1m")
head -c 100000 /dev/zero > /tmp/zero100k
R=/mnt/sc
mkdir -p $R
settle() { echo 2 > /proc/sys/vm/drop_caches; }
yesno() { if "$@"; then echo yes; else echo no; fi; }
refusals_logged() { kmsg_since | grep -q 'verityfs ('; }
# Only a WARN, BUG, oops or KFENCE report since the lower was made counts
# here: the refusals below are meant to log.
log_no_bug() {
	check_eq "$1: no WARN, BUG or oops in the kernel log" "" \
		"$(kmsg_since "$lmark" | grep -E 'BUG|WARNING|Oops|KFENCE|no longer in the kernel log' | head -n 2)"
}

# scan_result: "N of M not EINVAL" from vx-store scan's /tmp/scan.out, and
# the first offsets that were not, with what they gave.
scan_result() {
	_bad=$(grep -vc '^scanned' /tmp/scan.out)
	printf '%s of %s not EINVAL' "$_bad" "$(sed -n 's/^scanned //p' /tmp/scan.out)"
	[ "$_bad" = 0 ] || printf ': %s' "$(grep -v '^scanned' /tmp/scan.out | head -n 12 | tr '\n' ' ')"
}

# break_store STATE / fix_store STATE on the lower $L.
break_store() {
	case $1 in
	owner) chown 1000 "$L/.verityfs" ;;
	other) chmod 0705 "$L/.verityfs" ;;
	group) chmod 0750 "$L/.verityfs" ;;
	mode755) chmod 0755 "$L/.verityfs" ;;
	symlink) mv "$L/.verityfs" "$L/.vstore" && ln -s .vstore "$L/.verityfs" ;;
	file) mv "$L/.verityfs" "$L/.vstore" && echo x > "$L/.verityfs" ;;
	esac
}
fix_store() {
	case $1 in
	owner) chown 0 "$L/.verityfs" ;;
	other|group|mode755) chmod 0700 "$L/.verityfs" ;;
	symlink|file) rm "$L/.verityfs" && mv "$L/.vstore" "$L/.verityfs" ;;
	esac
}
# The real store directory while STATE is in place.
real_store() { case $1 in symlink|file) echo "$L/.vstore" ;; *) echo "$L/.verityfs" ;; esac; }
# The log since the mark (/tmp/st.log) has a line naming the store and STATE's reason.
reason_logged() { grep -i store /tmp/st.log | grep -Eqi "$(reason_re "$1")"; }
# What the log must say besides "store".
reason_re() {
	case $1 in
	owner) echo 'own|uid|root' ;;
	other|group|mode755) echo 'mode|perm|group|other|0?7[0-7][0-7]|writ|access' ;;
	symlink) echo 'link|not a dir|directory|type' ;;
	file) echo 'not a dir|directory|regular|type' ;;
	esac
}

for fs in $LOWERS; do
	L=$(mk_lower "$fs") || { not_ok "$fs: make the lower"; continue; }
	kmsg_mark
	lmark=$_vx_kmark
	mount -t verityfs "$L" $R || { not_ok "$fs: mount verityfs"; free_lower "$L"; continue; }
	cp "$DATA/rand1m" $R/a && fsverity enable $R/a > /dev/null
	check_eq "$fs: the store is root's, mode 0700" "0:0 700" "$(stat -c '%u:%g %a' "$L/.verityfs")"

	# (d) A store verityfs must not trust.
	for st in owner other group mode755 symlink file; do
		rm -f $R/b
		cp "$DATA/rand1m" $R/b
		break_store $st
		n0=$(find "$(real_store $st)" -mindepth 1 -maxdepth 1 | wc -l)
		settle
		# Two states log 6 to 8 lines: within one rate-limit window.
		case $st in owner|group|symlink) verityfs_log_quiet ;; esac
		kmsg_mark
		e=$(vx_errno fsverity enable $R/b)
		o=$(vx-sys open $R/a)
		m=$(vx_errno fsverity measure $R/b)
		kmsg_since | grep verityfs > /tmp/st.log
		diag "$fs: store $st ($(stat -c '%u:%g %a %F' "$L/.verityfs")): enable $e, open $o, log: $(head -n 3 /tmp/st.log | tr '\n' '|')"
		case $e in
		EPERM|EACCES|ENOTDIR) ok "$fs: store $st: enable fails ($e)" ;;
		*) not_ok "$fs: store $st: enable fails with EPERM, EACCES or ENOTDIR" "got $e" ;;
		esac
		case $o in
		EINVAL|"$e") ok "$fs: store $st: open of a verity file fails ($o)" ;;
		*) not_ok "$fs: store $st: open of a verity file fails with EINVAL or $e" "got $o" ;;
		esac
		check_eq "$fs: store $st: the file stays plain" ENODATA "$m"
		check_eq "$fs: store $st: no object was added" "$n0" "$(find "$(real_store $st)" -mindepth 1 -maxdepth 1 | wc -l)"
		check_eq "$fs: store $st: the kernel log names the store and why" yes \
			"$(yesno reason_logged $st)"
		# The same on every lower.
		eval "first=\${seen_$st:-}"
		if [ -z "$first" ]; then
			eval "seen_$st=\$e/\$o"
		else
			check_eq "$fs: store $st: the same errnos as on the first lower" "$first" "$e/$o"
		fi
		fix_store $st
		check_eq "$fs: store $st put right: the open works without a remount" ok "$(vx-sys open $R/a)"
		check_eq "$fs: ... enable works" ok "$(vx_errno fsverity enable $R/b)"
		check_eq "$fs: ... and measures" "$want $want" \
			"$(fsverity measure $R/a | cut -d' ' -f1) $(fsverity measure $R/b 2>&1 | cut -d' ' -f1)"
	done
	rm -f $R/b
	log_no_bug "$fs: store checks"
	kmsg_mark

	# (e) The record binds every byte of the object's head.
	cp /tmp/zero100k $R/z && fsverity enable --signature="$S/zero100k.key1.sig" $R/z > /dev/null
	obj=$L/.verityfs/$(object_id "$L/a")
	zobj=$L/.verityfs/$(object_id "$L/z")
	dsize=$(le_u32 "$obj" 12) toff=$(le_u64 "$obj" 24) tsize=$(le_u64 "$obj" 32)
	zdsize=$(le_u32 "$zobj" 12)
	siglen=$(stat -c %s "$S/zero100k.key1.sig")
	check_eq "$fs: the objects' heads: descriptor 256 bytes (+ the signature), tree of 1 MiB at 4096" \
		"256 $((256 + siglen)) 4096 12288" "$dsize $zdsize $toff $tsize"
	verityfs_log_quiet
	# Every byte of both heads, each changed alone, checked, changed back.
	vx-store scan "$obj" $R/a 0 $((64 + dsize)) 1 > /tmp/scan.out
	check_eq "$fs: each byte of header and descriptor changed: open is EINVAL" \
		"0 of $((64 + dsize)) not EINVAL" "$(scan_result)"
	vx-store scan "$zobj" $R/z 0 $((64 + zdsize)) 1 > /tmp/scan.out
	check_eq "$fs: each byte of a signed file's head (signature included) changed: open is EINVAL" \
		"0 of $((64 + zdsize)) not EINVAL" "$(scan_result)"
	settle
	check_eq "$fs: all changed back: both open and measure again" \
		"$want $(fsverity digest /tmp/zero100k | cut -d' ' -f1)" \
		"$(fsverity measure $R/a 2>&1 | cut -d' ' -f1) $(fsverity measure $R/z 2>&1 | cut -d' ' -f1)"
	check_eq "$fs: ... the refusals were logged" yes "$(yesno refusals_logged)"

	# A tree byte: the tree is top level first, so bytes 8192.. are the
	# second block of level 0, the hashes of data blocks 128..255.
	umount $R
	flip_byte "$obj" $((toff + 8192 + 5))
	echo 3 > /proc/sys/vm/drop_caches
	mount -t verityfs "$L" $R || not_ok "$fs: mount again"
	check_eq "$fs: tree block changed: the file still opens" ok "$(vx-sys open $R/a)"
	check_eq "$fs: ... data blocks 0 and 127 (under the other tree block) read" "ok ok" \
		"$(vx-sys pread1 $R/a 0) $(vx-sys pread1 $R/a $((127 * 4096)))"
	check_eq "$fs: ... data blocks 128 and 255 (under the changed one) are EIO" "EIO EIO" \
		"$(vx-sys pread1 $R/a $((128 * 4096))) $(vx-sys pread1 $R/a $((255 * 4096)))"
	umount $R
	flip_byte "$obj" $((toff + 8192 + 5))
	echo 3 > /proc/sys/vm/drop_caches
	mount -t verityfs "$L" $R || not_ok "$fs: mount again"
	check_eq "$fs: tree byte changed back: the whole file reads" "$rsum" "$(sha256sum < $R/a)"
	log_no_bug "$fs: binding"

	check "$fs: umount" umount $R
	free_lower "$L"
done
check "rmmod" unload_module
echo "# $VX_CASE took $(($(cut -d. -f1 /proc/uptime) - t0)) s" >> /dev/ttyS1

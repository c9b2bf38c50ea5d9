# SPDX-License-Identifier: GPL-2.0-only
# Behaviour suite: the same operations run directly on a lower directory and
# through verityfs (on a sibling lower directory), on every lower fs; results
# (contents, sizes, modes, errnos, xattrs, listings) must match line by line.
# Then the same objects seen through both paths, the reserved names, and
# changes made behind verityfs's back. Differences: docs/passthrough.md.
# Copyright (C) 2026 The verityfs authors

# r LABEL CMD...: "LABEL: ok" or "LABEL: <error text>"
r() {
	_l=$1; shift
	if _o=$("$@" 2>&1); then echo "$_l: ok"; else echo "$_l: $(echo "$_o" | tail -n 1 | sed 's/.*: //')"; fi
}
# v LABEL CMD...: "LABEL: <output>" (one line)
v() {
	_l=$1; shift
	echo "$_l: $("$@" 2>&1 | sed 's/.*: //' | tr '\n' ' ')"
}
sum() { md5sum < "$1" | cut -d' ' -f1; }

ops() {
	cd "$1" || return 1
	r write sh -c 'echo hello > f'
	v md5-f sum f
	r append sh -c 'echo more >> f'
	v size-f stat -c %s f
	r copy cp /tmp/pattern big
	v md5-big sum big
	r trunc-down truncate -s 1000 big
	v trunc-down-md5 sum big
	r trunc-up truncate -s 3000000 big
	v trunc-up-size stat -c %s big
	r pwrite xfs_io -c 'pwrite -q -S 0x61 1048576 8192' big
	v pwrite-md5 sum big
	v seek-data xfs_io -c 'seek -d 0' big
	v seek-hole xfs_io -c 'seek -h 0' big
	v seek-data-2 xfs_io -c 'seek -d 4096' big
	r falloc xfs_io -f -c 'falloc 0 65536' fa
	v falloc-size stat -c %s fa
	r falloc-keep xfs_io -c 'falloc -k 65536 65536' fa
	v falloc-keep-size stat -c %s fa
	r punch xfs_io -c 'fpunch 1048576 4096' big
	v punch-md5 sum big
	r pread xfs_io -c 'pread -q 0 4096' big
	r mkdir mkdir d
	r mkdir-again mkdir d
	r rmdir-missing rmdir nothere
	r touch-in-d touch d/x
	r rmdir-nonempty rmdir d
	r rm-x rm d/x
	r rmdir rmdir d
	r link ln f hl
	v nlink stat -c %h f
	r link-again ln f hl
	r symlink ln -s f sl
	v readlink readlink sl
	v md5-via-symlink sum sl
	v lstat-symlink stat -c '%F %s' sl
	r rename mv f g
	r rename-back mv g f
	r renameat2-noreplace vx-sys rename f hl noreplace
	r renameat2-exchange vx-sys rename f sl exchange
	v after-exchange stat -c %F f
	r renameat2-exchange-back vx-sys rename f sl exchange
	r rename-missing mv nothere y
	r mkfifo mkfifo p
	v fifo-type stat -c %F p
	r mknod mknod c c 1 3
	v mknod-type stat -c '%F %t %T' c
	r chmod chmod 4755 f
	v chmod-mode stat -c %a f
	r chown chown 12:34 f
	v chown-owner stat -c '%u %g %a' f
	r touch-d touch -d '2020-01-02 03:04:05' f
	v mtime stat -c %Y f
	r unlink-missing rm nothere
	r setxattr-user setfattr -n user.a -v 1 f
	v getxattr-user getfattr -n user.a --only-values f
	v listxattr getfattr -d -m - f
	r removexattr setfattr -x user.a f
	r getxattr-gone getfattr -n user.a f
	r setxattr-trusted setfattr -n trusted.t -v x f
	v getxattr-trusted getfattr -n trusted.t --only-values f
	r set-acl vx-sys acl f
	v get-acl getfattr -n system.posix_acl_access -e hex f
	v acl-mode stat -c %a f
	r chattr-append xfs_io -c 'chattr +a' f
	v lsattr-append xfs_io -c lsattr f
	r append-to-append-only sh -c 'echo x >> f'
	r overwrite-append-only sh -c 'echo x > f'
	r chattr-clear xfs_io -c 'chattr -a' f
	r odirect vx-sys odirect od
	r flock vx-sys flock f
	r posixlock vx-sys posixlock f
	r mmap-shared vx-sys mmap m
	v mmap-md5 sum m
	r sendfile vx-sys sendfile big sf
	v sendfile-md5 sum sf
	r splice vx-sys splice big sp
	v splice-md5 sum sp
	r copy-range xfs_io -f -c 'copy_range -s 0 -d 0 -l 65536 big' cr
	v copy-range-md5 sum cr
	r fsync xfs_io -c fsync -c fdatasync f
	v statx sh -c "xfs_io -c 'statx -r' f | grep -E 'stat\\.(mode|nlink|uid|gid|size|attributes) '"
	mkdir many && i=0 && while [ $i -lt 120 ]; do : > many/e$i; i=$((i + 1)); done
	r seekdir vx-sys seekdir many
	v readdir vx-sys readdir .
	r unlink rm f hl
	r rm-tree rm -r many
	cd /
}

# statx -r prints dev and ino lines; they may differ, the rest must not.
norm() { sed -e 's/stat\.\(dev\|ino\|rdev\|dev_major\|dev_minor\|dio[a-z_]*\|mnt_id\|subvol\)[^ ]* = [^ ]* //g'; }

head -c 1048576 /dev/urandom > /tmp/pattern
load_module
mkdir -p /mnt/o
for fs in $LOWERS; do
	L=$(mk_lower "$fs") || { not_ok "$fs: make the lower"; continue; }
	mkdir -p "$L/native" "$L/via"
	if ! mount -t verityfs "$L/via" /mnt/o; then
		not_ok "$fs: mount"
		continue
	fi
	ops "$L/native" | norm > /tmp/native.txt
	ops /mnt/o | norm > /tmp/via.txt
	n=0 bad=0
	while IFS= read -r line; do
		n=$((n + 1))
		label=${line%%:*}
		got=$(sed -n "${n}p" /tmp/via.txt)
		if [ "$line" = "$got" ]; then
			ok "$fs: $label"
		else
			bad=$((bad + 1))
			not_ok "$fs: $label" "native '$line', verityfs '$got'"
		fi
	done < /tmp/native.txt
	check_eq "$fs: as many results through verityfs as natively" \
		"$(wc -l < /tmp/native.txt)" "$(wc -l < /tmp/via.txt)"

	# The same objects seen through verityfs and directly.
	cd /mnt/o || return 1
	echo data > s; ln s s2; setfattr -n user.k -v v s; cp /tmp/pattern sbig
	xfs_io -c 'pwrite -q 4194304 4096' sbig
	cd /
	check_eq "$fs: stat fields equal through both paths" \
		"$(stat -c '%i %s %a %h %u %g %X %Y %Z %b %B' "$L/via/s")" "$(stat -c '%i %s %a %h %u %g %X %Y %Z %b %B' /mnt/o/s)"
	check_eq "$fs: directory inode number is the lower's" "$(stat -c %i "$L/via")" "$(stat -c %i /mnt/o)"
	check_eq "$fs: xattrs equal through both paths" "$(cd "$L/via" && getfattr -d s)" "$(cd /mnt/o && getfattr -d s)"
	check_eq "$fs: fiemap equal through both paths" "$(xfs_io -c 'fiemap -v' "$L/via/sbig" | tail -n +2)" \
		"$(xfs_io -c 'fiemap -v' /mnt/o/sbig | tail -n +2)"
	check_eq "$fs: SEEK_HOLE equal through both paths" "$(xfs_io -c 'seek -h 0' "$L/via/sbig")" \
		"$(xfs_io -c 'seek -h 0' /mnt/o/sbig)"
	check_eq "$fs: lsattr equal through both paths" "$(xfs_io -c lsattr "$L/via/s" 2>&1 | cut -d' ' -f1)" \
		"$(xfs_io -c lsattr /mnt/o/s 2>&1 | cut -d' ' -f1)"
	check_fails "$fs: O_TMPFILE through verityfs: EOPNOTSUPP" "EOPNOTSUPP" vx-sys tmpfile /mnt/o

	# Reserved names, on a file of their own: a trusted.verityfs record set
	# on the lower makes a file a verity file from the next operation on
	# (include/verityfs/format.h), and this fake one leaves it unopenable
	# (EINVAL) while its inode is cached.
	echo reserved > "$L/via/r"
	mkdir -p "$L/via/.verityfs/x"; setfattr -n trusted.verityfs -v 1 "$L/via/r"
	setfattr -n trusted.verityfs.tree -v 2 "$L/via/r"; setfattr -n trusted.verityfsx -v 3 "$L/via/r"
	check_fails "$fs: .verityfs lookup: ENOENT" "No such file" stat /mnt/o/.verityfs
	check_fails "$fs: .verityfs/x lookup: ENOENT" "No such file" stat /mnt/o/.verityfs/x
	if vx-sys readdir /mnt/o | grep -q '^\.verityfs '; then
		not_ok "$fs: readdir hides .verityfs at the root"
	else
		ok "$fs: readdir hides .verityfs at the root"
	fi
	check_fails "$fs: mkdir .verityfs: ENOENT" "No such file" mkdir /mnt/o/.verityfs
	check_fails "$fs: create .verityfs: ENOENT" "nonexistent\\|No such file" sh -c ': > /mnt/o/.verityfs'
	check_fails "$fs: rename onto .verityfs: ENOENT" "ENOENT" vx-sys rename /mnt/o/s2 /mnt/o/.verityfs
	check_fails "$fs: link onto .verityfs: ENOENT" "No such file" ln /mnt/o/r /mnt/o/.verityfs
	check "$fs: .verityfs below the root is an ordinary name" mkdir -p /mnt/o/sub/.verityfs
	check_fails "$fs: getxattr trusted.verityfs: ENODATA" "No such attr" getfattr -n trusted.verityfs /mnt/o/r
	check_fails "$fs: getxattr trusted.verityfs.tree: ENODATA" "No such attr" getfattr -n trusted.verityfs.tree /mnt/o/r
	check_fails "$fs: setxattr trusted.verityfs: EPERM" "not permitted" setfattr -n trusted.verityfs -v 9 /mnt/o/r
	check_fails "$fs: removexattr trusted.verityfs.tree: EPERM" "not permitted" setfattr -x trusted.verityfs.tree /mnt/o/r
	if getfattr -d -m - /mnt/o/r 2>/dev/null | grep -q 'trusted\.verityfs[=.]'; then
		not_ok "$fs: listxattr hides trusted.verityfs*"
	else
		ok "$fs: listxattr hides trusted.verityfs*"
	fi
	check "$fs: trusted.verityfsx stays visible" getfattr -n trusted.verityfsx /mnt/o/r
	check_eq "$fs: the lower still has trusted.verityfs" 1 "$(getfattr -n trusted.verityfs --only-values "$L/via/r")"
	check_fails "$fs: a fake record set on the lower fails the open: EINVAL" "Invalid argument" \
		cat /mnt/o/r

	# Changes made directly in the lower show through the mount.
	cat /mnt/o/s > /dev/null
	echo changed > "$L/via/s"
	check_eq "$fs: lower content change shows" changed "$(cat /mnt/o/s)"
	check_eq "$fs: lower size change shows" 8 "$(stat -c %s /mnt/o/s)"
	chmod 600 "$L/via/s"
	check_eq "$fs: lower chmod shows" 600 "$(stat -c %a /mnt/o/s)"
	echo new > "$L/via/fresh"
	check_eq "$fs: lower create shows" new "$(cat /mnt/o/fresh)"
	rm "$L/via/fresh"
	check_fails "$fs: lower unlink shows" "No such file" cat /mnt/o/fresh
	mv "$L/via/s2" "$L/via/s3"
	check_fails "$fs: lower rename: old name gone" "No such file" stat /mnt/o/s2
	check_eq "$fs: lower rename: new name there" changed "$(cat /mnt/o/s3)"
	mkdir "$L/via/newdir"; echo in > "$L/via/newdir/f"
	check_eq "$fs: lower mkdir shows" in "$(cat /mnt/o/newdir/f)"
	rm -r "$L/via/newdir"; mkdir "$L/via/newdir"
	check_fails "$fs: lower rmdir+mkdir shows the new dir" "No such file" cat /mnt/o/newdir/f
	check "$fs: write through after lower changes" sh -c 'echo x > /mnt/o/newdir/g'

	check "$fs: umount" umount /mnt/o
	umount "$L" 2>/dev/null
done
check "rmmod" unload_module

# SPDX-License-Identifier: GPL-2.0-only
# The enable errnos the other cases cannot reach: EBADF for an ioctl-only fd
# (access mode 3), EBUSY for a second enable while one runs, and a fatal
# signal stopping the enable of a 16 GiB sparse file within seconds (EINTR
# inside the kernel; the process just dies). After each, the file must still
# be a plain file with its bytes, and the store on the lower must hold no
# object of it. SIGKILL on most lowers, SIGTERM (fatal by default) on xfs.
# Copyright (C) 2026 The verityfs authors

load_module
for fs in $LOWERS; do
	lower=$(mk_lower "$fs") || { not_ok "$fs: make the lower"; continue; }
	mnt=/mnt/vx-robust-$fs
	mkdir -p "$mnt"
	mount -t verityfs "$lower" "$mnt" || { not_ok "$fs: mount verityfs"; continue; }

	f=$mnt/small
	head -c 8192 "$DATA/rand1m" > "$f"
	check_eq "$fs: enable on an access-mode-3 fd is EBADF" EBADF "$(vx-sys enable3 "$f")"
	check_fails "$fs: after EBADF the file is plain" "No data available" fsverity measure "$f"

	# 16 GiB, sparse but for 1 MiB of data at its start: hashing it all
	# would take about 10 minutes under TCG.
	f=$mnt/huge
	head -c 1048576 "$DATA/rand1m" > "$f"
	truncate -s 16G "$f"
	fsverity enable "$f" > /tmp/enable.out 2>&1 &
	pid=$!
	sleep 2
	check "$fs: 2 s into enabling 16 GiB the enable still runs" \
		sh -c "[ -d /proc/$pid ] && ! grep -q '^State:.*Z' /proc/$pid/status"
	check_eq "$fs: the running enable has its object in the store" 1 "$(store_objects "$lower")"
	check_fails "$fs: a second enable while one runs is EBUSY" "Device or resource busy" \
		fsverity enable "$f"
	check_eq "$fs: EBUSY left no second object" 1 "$(store_objects "$lower")"

	sig=KILL
	[ "$fs" = xfs ] && sig=TERM
	kill -s $sig $pid
	# Up to 5 s in steps of 0.1 s; a killed child stays a zombie until waited for.
	i=0
	while [ $i -lt 50 ] && ! grep -q '^State:.*Z' /proc/$pid/status 2>/dev/null &&
		[ -d /proc/$pid ]; do
		usleep 100000
		i=$((i + 1))
	done
	wait $pid
	rc=$?
	if [ $i -lt 50 ]; then
		ok "$fs: SIG$sig ended the 16 GiB enable in $((i / 10)).$((i % 10)) s (status $rc)"
	else
		not_ok "$fs: SIG$sig ended the 16 GiB enable within 5 s" "still running"
		kill -9 $pid 2>/dev/null
		wait $pid
	fi
	check_fails "$fs: after the killed enable the file is plain" "No data available" \
		fsverity measure "$f"
	check_eq "$fs: ... with its size" 17179869184 "$(stat -c %s "$f")"
	check_eq "$fs: ... and its bytes" "$(sha256sum < "$DATA/rand1m")" \
		"$(head -c 1048576 "$f" | sha256sum)"
	check_eq "$fs: ... and no object left in the store" 0 "$(store_objects "$lower")"
	# Plain and writable, and no enable is left marked as running.
	check "$fs: the file can be written again" truncate -s 1048576 "$f"
	check "$fs: and enabled" fsverity enable "$f"
	check_eq "$fs: to the digest fsverity digest computes" \
		"$(grep '^1048576 sha256 ' "$DATA/digests.txt" | cut -d' ' -f3)" \
		"$(fsverity measure "$f" | cut -d' ' -f1)"
	check_eq "$fs: with exactly one object in the store" 1 "$(store_objects "$lower")"
	umount "$mnt"
	umount "$lower"
done
check "rmmod verityfs" unload_module

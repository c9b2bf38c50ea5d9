# SPDX-License-Identifier: GPL-2.0-only
# Native ext4 fs-verity in the guest gives the same file digests as the stock
# `fsverity digest` on the host for the same bytes (test/vm/host-data.sh).
# This proves the bed runs real fs-verity and the client works.
# Copyright (C) 2026 The verityfs authors

modprobe -q sha512_generic 2>/dev/null	# =m on 5.10 and 6.1
lower=$(mk_lower ext4 -O verity) || { not_ok "mkfs.ext4 -O verity"; return; }
while read -r size alg want; do
	f=$lower/f.$size.$alg
	if [ "$size" = 100000000 ]; then
		truncate -s "$size" "$f"
	else
		head -c "$size" "$DATA/rand1m" > "$f"
	fi
	if ! out=$(fsverity enable --hash-alg="$alg" "$f" 2>&1); then
		not_ok "ext4 enable $alg size $size" "$out"
		continue
	fi
	check_eq "ext4 measure $alg size $size equals host fsverity digest" \
		"$want" "$(fsverity measure "$f" | cut -d' ' -f1)"
done < "$DATA/digests.txt"
umount "$lower"

# SPDX-License-Identifier: GPL-2.0-only
# Memory benchmark (not a test; runs only when named, see scripts/bench.sh).
#
# 1. Kernel memory per verity file, verityfs against native ext4 fs-verity,
#    on the ext4 disk /dev/vdb (-O verity): NMEM files of 4 KiB per variant
#      n  native ext4 fs-verity      LOWER/mem-n
#      v  verityfs verity file       MNT/mem-v
#      p  plain ext4                 LOWER/mem-p
#      q  verityfs plain file        MNT/mem-q
#    From cold caches: all looked up (stat), all open, all closed again
#    (vx-bench mem). Figures: the Slab: line of /proc/meminfo and the sum of
#    active objects x object size of /proc/slabinfo, per file.
# 2. The hash-block cache on a sparse HCACHE_MB MiB verity file read twice
#    with the default budget: hits, misses and evictions of each read.
# Raw figures go to the result port as "# bench mem-* ..." lines.
#
# Kernel command line: vx.bench_mem_files=N vx.bench_hcache_mb=MIB
# Copyright (C) 2026 The verityfs authors

cmdline_val() { sed -n "s/.*$1=\([^ ]*\).*/\1/p" /proc/cmdline; }
NMEM=$(cmdline_val vx.bench_mem_files); NMEM=${NMEM:-2000}
HCACHE_MB=$(cmdline_val vx.bench_hcache_mb); HCACHE_MB=${HCACHE_MB:-4096}

emit() { echo "# bench $*" >> /dev/ttyS1; echo "bench $*"; }
T0=$(date +%s)
fail() { not_ok "$1" "$2"; exit 1; }
drop_caches() { sync; echo 3 > /proc/sys/vm/drop_caches; }
hc() { cat /sys/fs/verityfs/hash_cache/$1; }

bench_disks /dev/vdb || fail "bench disk /dev/vdb present" "attached by scripts/bench.sh?"
load_module || fail "load verityfs"
LOWER=/mnt/mem-lower MNT=/mnt/mem
mkdir -p "$LOWER" "$MNT"
mount -t ext4 /dev/vdb "$LOWER" || fail "mount the ext4 bench disk"
mount -t verityfs "$LOWER" "$MNT" || fail "mount verityfs over it"
emit info mem_files "$NMEM"

dir_of() {
	case $1 in
	n) echo "$LOWER/mem-n" ;; v) echo "$MNT/mem-v" ;;
	p) echo "$LOWER/mem-p" ;; q) echo "$MNT/mem-q" ;;
	esac
}

# Slab: kB and the bytes of active objects, from one vx-bench mem snapshot
snap_slab() { awk '$1 == "Slab:" { print $2 }' "$1"; }
snap_objs() { awk 'NR > 2 && $1 != "Slab:" && NF > 4 { s += $2 * $4 } END { printf "%.0f\n", s }' "$1"; }
# The caches that grew most between two snapshots: "name:bytes,..."
snap_top() {
	awk 'FNR == 1 { f++ } f == 1 && NF > 4 && $1 != "Slab:" { a[$1] = $2 * $4 }
	     f == 2 && NF > 4 && $1 != "Slab:" { d = $2 * $4 - a[$1]; if (d > 0) print d, $1 }' "$1" "$2" |
		sort -rn | head -n 6 | awk '{ printf "%s%s:%d", NR > 1 ? "," : "", $2, $1 }'
}

for v in n v p q; do
	d=$(dir_of $v)
	mkdir -p "$d" || fail "mkdir $d"
	out=$(vx-bench meta create "$d" "$NMEM" 4096) || fail "create $v" "$out"
	if [ $v = n ] || [ $v = v ]; then
		out=$(vx-bench meta enable "$d" "$NMEM") || fail "enable $v" "$out"
	fi
done
for v in n v p q; do
	d=$(dir_of $v)
	drop_caches
	vx-bench mem "$d" "$NMEM" /tmp/mem-$v || fail "vx-bench mem $v"
	for k in 0 1 2 3; do
		emit mem-slab "$v" "$k" "$(snap_slab /tmp/mem-$v.$k)"
		emit mem-objs "$v" "$k" "$(snap_objs /tmp/mem-$v.$k)"
	done
	emit info "mem_top_open_$v" "$(snap_top /tmp/mem-$v.1 /tmp/mem-$v.2)"
	emit info "mem_top_lookup_$v" "$(snap_top /tmp/mem-$v.0 /tmp/mem-$v.1)"
done

# The hash-block cache: a sparse file, read twice from cold, default budget.
emit info hcache_budget_mb "$(cat /sys/module/verityfs/parameters/hash_cache_mb)"
emit info hcache_file_mb "$HCACHE_MB"
truncate -s "${HCACHE_MB}M" "$LOWER/big" || fail "make the sparse file"
out=$(vx-bench run fsverity enable "$MNT/big") || fail "enable the sparse file" "$out"
emit mem-hc-enable x 1 $out
drop_caches
for pass in 1 2; do
	h0=$(hc hits) m0=$(hc misses) e0=$(hc evictions)
	out=$(vx-bench seq "$MNT/big") || fail "read the sparse file ($pass)" "$out"
	emit mem-hc-read x "$pass" $out
	emit mem-hc "$pass" "$(($(hc hits) - h0))" "$(($(hc misses) - m0))" \
		"$(($(hc evictions) - e0))" "$(hc bytes)"
done
rm -f "$LOWER/big" && rm -rf "$MNT/mem-v" "$MNT/mem-q" "$LOWER/mem-n" "$LOWER/mem-p"
[ "$(hc failures)" = 0 ] || fail "no verification failures"
umount "$MNT" && umount "$LOWER" || fail "unmount"
emit info secs_mem $(($(date +%s) - T0))
ok "memory benchmark ran ($NMEM files per variant, ${HCACHE_MB} MiB hash-cache file)"

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

NMEM=$(knob bench_mem_files); NMEM=${NMEM:-2000}
HCACHE_MB=$(knob bench_hcache_mb); HCACHE_MB=${HCACHE_MB:-4096}

T0=$(date +%s)
hc() { cat /sys/fs/verityfs/hash_cache/$1; }

bench_disks /dev/vdb || bench_fail "bench disk /dev/vdb present" "attached by scripts/bench.sh?"
load_module || bench_fail "load verityfs"
LOWER=/mnt/mem-lower MNT=/mnt/mem
mkdir -p "$LOWER" "$MNT"
mount -t ext4 /dev/vdb "$LOWER" || bench_fail "mount the ext4 bench disk"
mount -t verityfs "$LOWER" "$MNT" || bench_fail "mount verityfs over it"
bench_emit info mem_files "$NMEM"

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
	mkdir -p "$d" || bench_fail "mkdir $d"
	out=$(vx-bench meta create "$d" "$NMEM" 4096) || bench_fail "create $v" "$out"
	if [ $v = n ] || [ $v = v ]; then
		out=$(vx-bench meta enable "$d" "$NMEM") || bench_fail "enable $v" "$out"
	fi
done
for v in n v p q; do
	d=$(dir_of $v)
	drop_caches
	vx-bench mem "$d" "$NMEM" /tmp/mem-$v || bench_fail "vx-bench mem $v"
	for k in 0 1 2 3; do
		bench_emit mem-slab "$v" "$k" "$(snap_slab /tmp/mem-$v.$k)"
		bench_emit mem-objs "$v" "$k" "$(snap_objs /tmp/mem-$v.$k)"
	done
	bench_emit info "mem_top_open_$v" "$(snap_top /tmp/mem-$v.1 /tmp/mem-$v.2)"
	bench_emit info "mem_top_lookup_$v" "$(snap_top /tmp/mem-$v.0 /tmp/mem-$v.1)"
done

# The hash-block cache: a sparse file, read twice from cold, default budget.
bench_emit info hcache_budget_mb "$(cat /sys/module/verityfs/parameters/hash_cache_mb)"
bench_emit info hcache_file_mb "$HCACHE_MB"
truncate -s "${HCACHE_MB}M" "$LOWER/big" || bench_fail "make the sparse file"
out=$(vx-bench run fsverity enable "$MNT/big") || bench_fail "enable the sparse file" "$out"
bench_emit mem-hc-enable x 1 $out
drop_caches
for pass in 1 2; do
	h0=$(hc hits) m0=$(hc misses) e0=$(hc evictions)
	out=$(vx-bench seq "$MNT/big") || bench_fail "read the sparse file ($pass)" "$out"
	bench_emit mem-hc-read x "$pass" $out
	bench_emit mem-hc "$pass" "$(($(hc hits) - h0))" "$(($(hc misses) - m0))" \
		"$(($(hc evictions) - e0))" "$(hc bytes)"
done
rm -f "$LOWER/big" && rm -rf "$MNT/mem-v" "$MNT/mem-q" "$LOWER/mem-n" "$LOWER/mem-p"
[ "$(hc failures)" = 0 ] || bench_fail "no verification failures"
umount "$MNT" && umount "$LOWER" || bench_fail "unmount"
bench_emit info secs_mem $(($(date +%s) - T0))
ok "memory benchmark ran ($NMEM files per variant, ${HCACHE_MB} MiB hash-cache file)"

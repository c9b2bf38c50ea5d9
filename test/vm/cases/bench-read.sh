# SPDX-License-Identifier: GPL-2.0-only
# Read benchmark (not a test; runs only when named, see scripts/bench.sh).
# Copyright (C) 2026 The verityfs authors
#
# The host attaches an ext4 image (virtio, /dev/vda) that already holds
# copies of one random file: plain, native, vfile, en-{n,v}-2..R,
# en-e-1..R and en-t-1..R. Variants:
#   a  plain ext4                 LOWER/plain
#   b  native ext4 fs-verity      LOWER/native
#   c  verityfs verity file       MNT/vfile (over ext4)
#   d  verityfs plain file        MNT/plain
#   e  verityfs verity file with the module's 2-way hashing switched off
#      (hash_2way=0), the same file as c; only where the module hashes
#      SHA-256 with the kernel's library (6.18+), else it would equal c
#   t  enable only: `verityfs enable --tree --descriptor` of a copy, from
#      the tree and descriptor `fsverity digest` wrote beforehand (untimed)
# Raw figures go to the result port as "# bench KIND VARIANT REP VALUE..."
# lines; the host takes medians and prints the ratios. Every error is a
# not_ok (a failed run), a slow figure never is.
#
# Kernel command line: vx.bench_rep=R vx.bench_rand=COUNT
# Copyright (C) 2026 The verityfs authors

REP=$(knob bench_rep); REP=${REP:-3}
RAND=$(knob bench_rand); RAND=${RAND:-2048}
SEED=20261129

T0=$(date +%s)

cached_kb() { awk '$1 == "Cached:" { print $2 }' /proc/meminfo; }
pgpgin_kb() { awk '$1 == "pgpgin" { print $2 }' /proc/vmstat; }	# KiB read from disk

bench_disks /dev/vda || bench_fail "bench disk /dev/vda present" "is the host's image attached?"
load_module || bench_fail "load verityfs"

LOWER=/mnt/bench-lower MNT=/mnt/bench
mkdir -p "$LOWER" "$MNT"
mount -t ext4 /dev/vda "$LOWER" || bench_fail "mount the bench disk"
mount -t verityfs "$LOWER" "$MNT" || bench_fail "mount verityfs over it"
size=$(stat -c %s "$LOWER/plain") || bench_fail "the bench disk holds plain"
bench_emit info size "$size"
bench_emit info kernel "$(uname -r)"
# The driver both sides hash with: crypto_alloc_shash("sha256") takes the
# highest priority one, for native fs-verity and verityfs alike.
bench_emit info sha256 "$(awk '/^name/ { n = $3 } /^driver/ { d = $3 } /^priority/ { p = $3 }
	/^$/ { if (n == "sha256" && p > best) { best = p; bd = d } } END { print bd "/" best }' /proc/crypto)"
bench_emit info cpu_sha_ni "$(grep -c -w sha_ni /proc/cpuinfo)"
# Where unbound work may run (6.5+ scopes it by cache), for reading the figures.
bench_emit info cpus "$(grep -c ^processor /proc/cpuinfo)"
bench_emit info llc_shared "$(cat /sys/devices/system/cpu/cpu0/cache/index3/shared_cpu_list 2>/dev/null || echo -)"
bench_emit info wq_scope "$(cat /sys/module/workqueue/parameters/default_affinity_scope 2>/dev/null || echo -)"
# How verityfs hashes (module parameter hash_info), once it has hashed.
P2=/sys/module/verityfs/parameters/hash_2way
set_2way() { [ -w $P2 ] && echo "$1" > $P2; }
VARIANTS="a b c d"
ENABLE_SIDES="b c"
# One small enable, so that the module picks its SHA-256 backend.
head -c 8192 "$LOWER/plain" > "$MNT/probe" && fsverity enable "$MNT/probe" ||
	bench_fail "enable a small file"
info=$(tr '\n' ' ' < /sys/module/verityfs/parameters/hash_info)
rm -f "$MNT/probe"
bench_emit info hash_info "$(echo "$info" | tr ' ' '_')"
case $info in *"sha256: lib"*) VARIANTS="a b c d e"; ENABLE_SIDES="b c e" ;; esac

# Enable time, native and verityfs alternating, each on a cold copy.
fsverity digest --out-merkle-tree=/tmp/bench.tree --out-descriptor=/tmp/bench.desc \
	"$LOWER/plain" > /dev/null || bench_fail "fsverity digest of the bench file"
ENABLE_SIDES="$ENABLE_SIDES t"
for r in $(seq 1 "$REP"); do
	if [ "$r" = 1 ]; then n=$LOWER/native v=$MNT/vfile; else n=$LOWER/en-n-$r v=$MNT/en-v-$r; fi
	for side in $ENABLE_SIDES; do
		f=$n; [ $side = c ] && f=$v
		[ $side = e ] && f=$MNT/en-e-$r
		[ $side = e ] && set_2way 0
		[ $side = t ] && f=$MNT/en-t-$r
		drop_caches
		if [ $side = t ]; then
			out=$(vx-bench run verityfs enable --tree=/tmp/bench.tree \
				--descriptor=/tmp/bench.desc "$f") || bench_fail "enable from tree $f" "$out"
			[ "$(fsverity measure "$f" | cut -d' ' -f1)" = \
			  "$(fsverity measure "$MNT/vfile" | cut -d' ' -f1)" ] ||
				bench_fail "enable from tree gives the file's digest"
		else
			out=$(vx-bench run fsverity enable "$f") || bench_fail "enable $side $f" "$out"
		fi
		set_2way 1
		bench_emit enable "$side" "$r" $out
	done
done
# The enable copies were only for timing; the verityfs ones free their metadata.
rm -f "$LOWER"/en-n-* "$MNT"/en-v-* "$MNT"/en-e-* "$MNT"/en-t-*
sync
cmp -s "$LOWER/plain" "$MNT/vfile" || bench_fail "verityfs verity file reads back the data"

path_of() {
	case $1 in
	a) echo "$LOWER/plain" ;; b) echo "$LOWER/native" ;;
	c|e) echo "$MNT/vfile" ;; d) echo "$MNT/plain" ;;
	esac
}

for r in $(seq 1 "$REP"); do
	for v in $VARIANTS; do
		f=$(path_of $v)
		[ $v = e ] && set_2way 0
		drop_caches
		c0=$(cached_kb) i0=$(pgpgin_kb)
		out=$(vx-bench seq "$f") || bench_fail "cold sequential read $v" "$out"
		c1=$(cached_kb)
		bench_emit seq_io "$v" "$r" $(($(pgpgin_kb) - i0))
		bench_emit seq "$v" "$r" $out
		bench_emit cached "$v" "$r" $((c1 - c0))
		out=$(vx-bench seq "$f") || bench_fail "warm sequential read $v" "$out"
		bench_emit warm "$v" "$r" $out
		[ $v = c ] && bench_emit hcache_bytes "$v" "$r" "$(cat /sys/fs/verityfs/hash_cache/bytes)"
		drop_caches
		m0=$(cat /sys/fs/verityfs/hash_cache/misses) i0=$(pgpgin_kb)
		out=$(vx-bench rand "$f" "$RAND" "$SEED") || bench_fail "cold random read $v" "$out"
		bench_emit rand "$v" "$r" $out
		bench_emit rand_io "$v" "$r" $(($(pgpgin_kb) - i0))
		bench_emit rand_hmiss "$v" "$r" $(($(cat /sys/fs/verityfs/hash_cache/misses) - m0))
		set_2way 1
	done
done
for k in hits misses evictions verified_blocks failures; do
	bench_emit info "hcache_$k" "$(cat /sys/fs/verityfs/hash_cache/$k)"
done
[ "$(cat /sys/fs/verityfs/hash_cache/failures)" = 0 ] || bench_fail "no verification failures"
umount "$MNT" && umount "$LOWER" || bench_fail "unmount"
bench_emit info secs_read $(($(date +%s) - T0))
ok "benchmark ran ($REP repeats, $RAND random reads)"

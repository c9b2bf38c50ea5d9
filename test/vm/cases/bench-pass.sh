# SPDX-License-Identifier: GPL-2.0-only
# Passthrough benchmark (not a test; runs only when named, see scripts/bench.sh):
# plain-file I/O and metadata work through verityfs against the lower itself.
#
# The host attaches two empty filesystems: /dev/vdb ext4 (-O verity) and
# /dev/vdc xfs. On each, in every repeat, the lower side (l) works in
# LOWER/l-* and the verityfs side (v) in MNT/v-* (MNT stacks on LOWER), the
# two alternating which goes first:
#   data   write a new file of PASS_MB MiB (1 MiB writes + fsync), read it
#          cold (128 KiB reads), RAND cold 4 KiB random preads, RAND 4 KiB
#          random pwrites + fsync
#   meta   NMETA small plain files (100 bytes, 1000 per directory): create,
#          stat cold (dentry and inode caches dropped), stat warm, open+close,
#          readdir cold, rename, unlink
#   vmeta  NVMETA verity files (4 KiB): the same, after create and enable.
#          On ext4 the lower side is native ext4 fs-verity; xfs has none, so
#          there the lower side is the same files left plain.
# Raw figures go to the result port as "# bench pass-KIND FS SIDE REP NS COUNT".
#
# Kernel command line: vx.bench_meta_rep=R vx.bench_rand=COUNT vx.bench_pass_mb=MIB
#                      vx.bench_meta=N vx.bench_vmeta=N
# Copyright (C) 2026 The verityfs authors

REP=$(knob bench_meta_rep); REP=${REP:-3}
RAND=$(knob bench_rand); RAND=${RAND:-2048}
PASS_MB=$(knob bench_pass_mb); PASS_MB=${PASS_MB:-1024}
NMETA=$(knob bench_meta); NMETA=${NMETA:-100000}
NVMETA=$(knob bench_vmeta); NVMETA=${NVMETA:-10000}
SEED=20261129

T0=$(date +%s)
# timed SIDE LABEL CMD...: run a vx-bench command, emit its figures
timed() {
	_kind=$1; shift
	_out=$(vx-bench "$@") || bench_fail "$_kind $fs $side" "$_out"
	bench_emit "pass-$_kind" "$fs" "$side" "$r" $_out
}

bench_disks /dev/vdb /dev/vdc || bench_fail "bench disks /dev/vdb and /dev/vdc present" "attached by scripts/bench.sh?"
load_module || bench_fail "load verityfs"
bench_emit info pass_mb "$PASS_MB"
bench_emit info meta_files "$NMETA"
bench_emit info vmeta_files "$NVMETA"

# dir_of SIDE NAME: where SIDE works
dir_of() { if [ "$1" = l ]; then echo "$LOWER/l-$2"; else echo "$MNT/v-$2"; fi; }
# order: which side goes first in repeat $r
order() { if [ $((r % 2)) = 1 ]; then echo "l v"; else echo "v l"; fi; }

data_run() {
	f=$(dir_of "$side" data)
	drop_caches
	timed write write "$f" "$PASS_MB"
	drop_caches
	timed read seq "$f"
	drop_caches
	timed rread rand "$f" "$RAND" "$SEED"
	drop_caches
	timed rwrite randw "$f" "$RAND" "$SEED"
	rm -f "$f"
	sync
}

# meta_run KIND N: the metadata operations on N files (KIND meta or vmeta)
meta_run() {
	kind=$1 n=$2
	d=$(dir_of "$side" "$kind")
	mkdir -p "$d" || bench_fail "mkdir $d"
	if [ "$kind" = meta ]; then
		timed meta-create meta create "$d" "$n"
	else
		timed vmeta-create meta create "$d" "$n" 4096
		sync
		# Native fs-verity on ext4; xfs's lower side stays plain.
		if [ "$side" = v ] || [ "$fs" = ext4 ]; then
			timed vmeta-enable meta enable "$d" "$n"
		fi
	fi
	drop_caches
	timed "$kind-statcold" meta stat "$d" "$n"
	timed "$kind-statwarm" meta stat "$d" "$n"
	timed "$kind-open" meta open "$d" "$n"
	drop_caches
	timed "$kind-readdir" meta readdir "$d" "$n"
	timed "$kind-rename" meta rename "$d" "$n"
	timed "$kind-unlink" meta unlink "$d" "$n"
	rmdir "$d" || bench_fail "rmdir $d"
	drop_caches
}

for fs in ext4 xfs; do
	dev=/dev/vdb; [ $fs = xfs ] && dev=/dev/vdc
	LOWER=/mnt/pass-$fs MNT=/mnt/passv-$fs
	mkdir -p "$LOWER" "$MNT"
	mount -t $fs "$dev" "$LOWER" || bench_fail "mount $fs bench disk"
	mount -t verityfs "$LOWER" "$MNT" || bench_fail "mount verityfs over $fs"
	for r in $(seq 1 "$REP"); do
		for side in $(order); do data_run; done
	done
	for r in $(seq 1 "$REP"); do
		for side in $(order); do meta_run meta "$NMETA"; done
	done
	for r in $(seq 1 "$REP"); do
		for side in $(order); do meta_run vmeta "$NVMETA"; done
	done
	umount "$MNT" && umount "$LOWER" || bench_fail "unmount $fs"
done
[ "$(cat /sys/fs/verityfs/hash_cache/failures)" = 0 ] || bench_fail "no verification failures"
bench_emit info secs_pass $(($(date +%s) - T0))
ok "passthrough benchmark ran ($REP repeats, ext4 and xfs)"

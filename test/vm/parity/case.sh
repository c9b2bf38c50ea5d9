# SPDX-License-Identifier: GPL-2.0-only
# The parity cases' driver: parity_native makes the reference transcripts on
# native ext4 (kept in /tmp/parity for the later cases of the same boot);
# parity_lower FS runs the scenarios on verityfs over FS and compares.
# Copyright (C) 2026 The verityfs authors
#
# Guest time: native ext4 runs every group at every Merkle block size it
# supports and both algorithms. Each lower runs the whole list (572 573 574
# 575 624) at one parameter pair and 575 and 624 at the other three; the
# full pair rotates, so that every block size and algorithm gets every
# assertion on some lower:
#   ext4 4096/sha256, xfs 1024/sha512, btrfs 4096/sha512, tmpfs 1024/sha256

# Native ext4 before 5.12 has no FS_IOC_READ_VERITY_METADATA (ENOTTY). There
# the lines of the steps that need it come from readmeta-native.txt instead of
# native's transcript: the data is compared with what the stock `fsverity
# digest --out-merkle-tree= --out-descriptor=` writes, errnos are native
# ext4's from 5.12 on (checked against native on every kernel that has it).
# native.BS.ALG is the reference the lowers are compared with; native's own
# transcript is then native.BS.ALG.raw.

. /test/parity/scenarios.sh
. /test/parity/targets.sh
. /test/parity/compare.sh

PARAMS="4096:sha256 4096:sha512 1024:sha256 1024:sha512"
FULL="572 573 574 575 624"
LIGHT="575 624"
OUT=/tmp/parity

full_param() {
	case $1 in
	ext4) echo 4096:sha256 ;;
	xfs) echo 1024:sha512 ;;
	btrfs) echo 4096:sha512 ;;
	tmpfs) echo 1024:sha256 ;;
	esac
}

PARITY_READMETA=${PARITY_DIR:-/test/parity}/readmeta-native.txt

# readmeta_expected BS ALG: readmeta-native.txt's lines for one parameter
# pair, each "@oracle tree|desc NAME" replaced by "SIZE SHA256  -" of that
# fsverity digest output (made by the native run's tree_oracle calls).
readmeta_expected() {
	_bs=$1 _alg=$2
	grep -v '^#' "$PARITY_READMETA" | while IFS= read -r _l; do
		case $_l in
		*' @oracle '*)
			_w=${_l#* @oracle }
			_f=/tmp/parity-oracle/$_alg-$_bs-${_w#* }.${_w%% *}
			if [ -s "$_f" ]; then
				echo "${_l%% @oracle *} $(wc -c < "$_f") $(sha256sum < "$_f")"
			else
				echo "${_l%% @oracle *} no oracle file $_f"
			fi
			;;
		*) echo "$_l" ;;
		esac
	done
}

# readmeta_reference RAW BS ALG OUT: RAW with the lines of readmeta-native.txt
# in place of its own (matched by scenario and step) into OUT. Prints the
# problems: a step missing from RAW, a scenario none of whose replaced lines
# shows native's ENOTTY, a missing oracle file. Writes the replaced
# scenarios' names to OUT.scenarios.
readmeta_reference() {
	readmeta_expected "$2" "$3" > "$4.want"
	: > "$4.scenarios"
	: > "$4.problems"
	awk -v list="$4.scenarios" -v prob="$4.problems" '
	FNR == NR { want[$1 " " $2] = $0; next }
	($1 " " $2) in want {
		k = $1 " " $2; used[k] = 1; sc[$1] = 1
		if (index($0, "Inappropriate ioctl for device") || index($0, "ENOTTY")) enotty[$1] = 1
		print want[k]; next
	}
	{ print }
	END {
		for (k in want) if (!(k in used)) print "step not in the transcript: " k > prob
		for (s in sc) { print s > list; if (!(s in enotty)) print "no ENOTTY in " s > prob }
	}' "$4.want" "$1" > "$4"
	grep ' no oracle file ' "$4.want"
	cat "$4.problems"
	rm -f "$4.want" "$4.problems"
}

# readmeta_native BS ALG: native ext4's transcript at BS ALG is made; take
# its READ_VERITY_METADATA lines from the oracle when it lacks the ioctl,
# else check that native's own lines equal readmeta-native.txt.
readmeta_native() {
	_rt=$OUT/native.$1.$2
	readmeta_reference "$_rt" "$1" "$2" "$_rt.oracle" > "$OUT/readmeta.problems"
	_n=$(grep -vc '^#' "$PARITY_READMETA")
	if [ "$(cat "$OUT/nativemeta")" != no ]; then
		# Only the ENOTTY check does not apply here.
		grep -v '^no ENOTTY in ' "$OUT/readmeta.problems" > "$OUT/readmeta.p2"
		if [ -s "$OUT/readmeta.p2" ] || ! cmp -s "$_rt" "$_rt.oracle"; then
			not_ok "native ext4 $1 $2: its READ_VERITY_METADATA lines equal readmeta-native.txt (the reference for kernels before 5.12)" \
				"$(diff "$_rt" "$_rt.oracle" | grep '^[-+][^-+]' | cat "$OUT/readmeta.p2" - | head -n 4 | tr '\n' ' ')"
		else
			ok "native ext4 $1 $2: its READ_VERITY_METADATA lines ($_n) equal readmeta-native.txt (the reference for kernels before 5.12)"
		fi
		rm -f "$_rt.oracle" "$_rt.oracle.scenarios"
		return 0
	fi
	mv "$_rt" "$_rt.raw"
	mv "$_rt.oracle" "$_rt"
	if [ -s "$OUT/readmeta.problems" ]; then
		not_ok "native ext4 $1 $2: READ_VERITY_METADATA lines from the oracle" \
			"$(head -n 4 "$OUT/readmeta.problems" | tr '\n' ' ')"
	else
		ok "native ext4 $1 $2: native lacks FS_IOC_READ_VERITY_METADATA before 5.12 (ENOTTY): the reference takes its $_n steps' lines from readmeta-native.txt (data: fsverity digest --out-merkle-tree/--out-descriptor; errnos: native ext4 from 5.12)"
	fi
	cat "$_rt.oracle.scenarios" >> "$OUT/readmeta-oracle"
	rm -f "$_rt.oracle.scenarios"
}

parity_native() {
	mkdir -p "$OUT"
	modprobe -q sha512_generic 2>/dev/null
	_t=$(date +%s)
	native=$(mk_lower ext4 -O verity) || { not_ok "native ext4 with -O verity"; return 0; }
	target_native "$native"
	# Before 6.3 native fs-verity only takes Merkle block size == PAGE_SIZE.
	head -c 4096 /dev/zero > "$native/probe"
	if fsverity enable --block-size=1024 "$native/probe" > /dev/null 2>&1; then
		echo yes > "$OUT/native1k"
	else
		echo no > "$OUT/native1k"
	fi
	rm -f "$native/probe"
	# Before 5.12 native fs-verity has no FS_IOC_READ_VERITY_METADATA.
	head -c 4096 /dev/zero > "$native/probe"
	_o=$(fsverity enable "$native/probe" 2>&1 &&
		fsverity dump_metadata descriptor "$native/probe" 2>&1 > /dev/null)
	case $? in
	0) echo yes > "$OUT/nativemeta" ;;
	*) case $_o in
		*'Inappropriate ioctl for device'*) echo no > "$OUT/nativemeta" ;;
		*) echo "error: $_o" > "$OUT/nativemeta" ;;
		esac ;;
	esac
	rm -f "$native/probe" "$OUT/readmeta-oracle"
	if kernel_matches '<5.12'; then
		check_eq "native ext4 lacks FS_IOC_READ_VERITY_METADATA before 5.12 (ENOTTY): its steps go to the oracle, $(fsverity --version 2>&1 | head -n 1) digest --out-merkle-tree/--out-descriptor" \
			no "$(cat "$OUT/nativemeta")"
	else
		check_eq "native ext4 has FS_IOC_READ_VERITY_METADATA (5.12+)" yes "$(cat "$OUT/nativemeta")"
	fi
	if kernel_matches '<6.3'; then
		check_eq "native ext4 refuses Merkle block size 1024 before 6.3 (documented: verityfs takes it, as upstream since 6.3)" \
			no "$(cat "$OUT/native1k")"
	else
		check_eq "native ext4 takes Merkle block size 1024 (6.3+)" yes "$(cat "$OUT/native1k")"
	fi
	for p in $PARAMS; do
		bs=${p%:*} alg=${p#*:}
		[ "$bs" = 1024 ] && [ "$(cat "$OUT/native1k")" = no ] && continue
		(parity_run "$bs" "$alg" $FULL) > "$OUT/native.$bs.$alg" 2>&1 ||
			not_ok "native ext4 $bs $alg: the scenario runner stopped" \
				"$(tail -n 3 "$OUT/native.$bs.$alg" | tr '\n' ' ')"
		check "native ext4 $bs $alg: transcript made" test -s "$OUT/native.$bs.$alg"
		readmeta_native "$bs" "$alg"
	done
	umount "$native"
	diag "native ext4 transcripts took $(( $(date +%s) - _t )) s"
}

parity_lower() {
	fs=$1
	_t=$(date +%s)
	[ -f "$OUT/native1k" ] || { not_ok "$fs: no native transcripts (parity-00-native must run first)"; return 0; }
	modprobe -q sha512_generic 2>/dev/null
	load_module
	lower=$(mk_lower "$fs") || { not_ok "$fs: make the lower"; return 0; }
	mnt=/mnt/pv-$fs
	mkdir -p "$mnt"
	mount -t verityfs "$lower" "$mnt" || { not_ok "$fs: mount verityfs"; return 0; }
	target_verityfs "$fs" "$lower" "$mnt"
	for p in $PARAMS; do
		bs=${p%:*} alg=${p#*:}
		groups=$LIGHT
		[ "$p" = "$(full_param "$fs")" ] && groups=$FULL
		got=$OUT/$fs.$bs.$alg
		(parity_run "$bs" "$alg" $groups) > "$got" 2>&1 ||
			not_ok "$fs $bs $alg: the scenario runner stopped" "$(tail -n 3 "$got" | tr '\n' ' ')"
		if [ -f "$OUT/native.$bs.$alg" ]; then
			parity_compare "$OUT/native.$bs.$alg" "$got" "parity $fs $bs $alg" "$fs"
		else
			parity_compare "$OUT/native.4096.$alg" "$got" \
				"parity $fs $bs $alg (vs native at 4096: no native 1024 before 6.3)" "$fs" notilde
			# The block-size dependent lines: the same on every lower.
			for o in ext4 xfs btrfs tmpfs; do
				[ "$o" != "$fs" ] && [ -f "$OUT/$o.$bs.$alg" ] || continue
				parity_compare "$OUT/$o.$bs.$alg" "$got" \
					"parity $fs $bs $alg block-size details (vs verityfs over $o)" "$fs" tildeonly
				break
			done
		fi
		if grep -q FAILED "$got"; then
			not_ok "parity $fs $bs $alg: transcript steps" "$(grep FAILED "$got" | head -n 3 | tr '\n' ' ')"
		fi
	done
	umount "$mnt"
	umount "$lower"
	check "rmmod verityfs" unload_module
	if [ -e /tmp/vx-case-failed ]; then
		for t in "$OUT/native".* "$OUT/$fs".*; do
			sed "s|^|# $(basename "$t"): |" "$t"
		done
	fi
	diag "verityfs over $fs took $(( $(date +%s) - _t )) s"
}

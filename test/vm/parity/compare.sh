# SPDX-License-Identifier: GPL-2.0-only
# Compare two parity transcripts scenario by scenario and report TAP lines:
# one ok per xfstests group whose scenarios are all equal, one not ok per
# scenario that differs (with the differing lines), unless allow.txt
# documents exactly that difference.
# Copyright (C) 2026 The verityfs authors
#
# parity_compare REF GOT LABEL LOWER [notilde|tildeonly]
#   notilde    ignore '~' (block-size dependent) lines: REF ran at another
#              Merkle block size
#   tildeonly  compare only the '~' lines (consensus between lowers)

PARITY_ALLOW=${PARITY_DIR:-/test/parity}/allow.txt
# Scenarios whose READ_VERITY_METADATA lines the reference took from the
# oracle (native before 5.12 lacks the ioctl; case.sh, readmeta_native).
PARITY_ORACLE_LIST=/tmp/parity/readmeta-oracle

# kernel_matches COND: "*", "<X.Y" or ">=X.Y" against the running kernel.
kernel_matches() {
	_k=$(uname -r | awk -F. '{ print $1 * 1000 + $2 }')
	case $1 in
	'*') return 0 ;;
	'<'*) _v=${1#<} ;;
	'>='*) _v=${1#>=} ;;
	*) return 1 ;;
	esac
	_v=$(echo "$_v" | awk -F. '{ print $1 * 1000 + $2 }')
	case $1 in
	'<'*) [ "$_k" -lt "$_v" ] ;;
	*) [ "$_k" -ge "$_v" ] ;;
	esac
}

# allowed SCENARIO LOWER PLUSFILE: prints the reason when an allow.txt entry
# for this scenario, lower and kernel lists every line in PLUSFILE.
allowed() {
	awk -v sc="$1" '
	/^[^#+ ]/ { cur = ($1 == sc); if (cur) print "@ " $0; next }
	/^\+ / && cur { print }' "$PARITY_ALLOW" > /tmp/parity-allow.sel
	_reason=
	while read -r _at _sc _lowers _kern _why; do
		[ "$_at" = @ ] || continue
		# shellcheck disable=SC2254 # _lowers is a pattern (ext4|xfs, *)
		case $2 in $_lowers) ;; *) continue ;; esac
		kernel_matches "$_kern" || continue
		_reason=$_why
	done < /tmp/parity-allow.sel
	[ -n "$_reason" ] || return 1
	sed -n 's/^+ //p' /tmp/parity-allow.sel > /tmp/parity-allow.lines
	grep -qvxF -f /tmp/parity-allow.lines "$3" && return 1
	echo "$_reason"
}

parity_compare() {
	_ref=$1 _got=$2 _label=$3 _lower=$4 _mode=${5:-}
	# Only the xfstests groups that both ran (native runs all of them).
	awk -v mode="$_mode" '
	FNR == 1 { f++ }
	mode == "notilde" && $2 ~ /^~/ { next }
	mode == "tildeonly" && $2 !~ /^~/ { next }
	{ k = $1; g = k; sub(/\..*/, "", g); keys[k] = g
	  if (f == 1) { a[k] = a[k] "\n" $0; rana[g] = 1 } else { b[k] = b[k] "\n" $0; ran[g] = 1 } }
	END { for (k in keys) if ((keys[k] in ran) && (keys[k] in rana)) print (a[k] == b[k] ? "same" : "diff"), k }' \
		"$_ref" "$_got" |
		sort -k2 > /tmp/parity-keys
	# The scenarios compared with the oracle, unless only '~' lines of two
	# lowers are compared.
	: > /tmp/parity-oracle-keys
	if [ "$_mode" != tildeonly ] && [ -s "$PARITY_ORACLE_LIST" ]; then
		sort -u "$PARITY_ORACLE_LIST" | awk 'FNR == NR { o[$1] = 1; next } $2 in o { print $2 }' \
			- /tmp/parity-keys > /tmp/parity-oracle-keys
	fi
	for _g in $(cut -d' ' -f2 /tmp/parity-keys | cut -d. -f1 | sort -u); do
		_n=$(grep -c " $_g\." /tmp/parity-keys)
		_orc=$(grep "^$_g\." /tmp/parity-oracle-keys | tr '\n' ' ')
		_bad=0
		for _k in $(awk -v g="$_g." '$1 == "diff" && index($2, g) == 1 { print $2 }' /tmp/parity-keys); do
			grep "^$_k " "$_ref" > /tmp/parity-a
			grep "^$_k " "$_got" > /tmp/parity-b
			if [ "$_mode" = notilde ]; then
				grep -v "^[^ ]* ~" /tmp/parity-a > /tmp/parity-a2; mv /tmp/parity-a2 /tmp/parity-a
				grep -v "^[^ ]* ~" /tmp/parity-b > /tmp/parity-b2; mv /tmp/parity-b2 /tmp/parity-b
			fi
			diff /tmp/parity-a /tmp/parity-b | grep '^[-+][^-+]' > /tmp/parity-d
			sed -n 's/^+//p' /tmp/parity-d > /tmp/parity-plus
			if _why=$(allowed "$_k" "$_lower" /tmp/parity-plus); then
				ok "$_label: $_k differs as documented: $_why"
				diag "$_label $_k: $(tr '\n' ' ' < /tmp/parity-d)"
				continue
			fi
			_bad=$((_bad + 1))
			_why=
			grep -qxF "$_k" /tmp/parity-oracle-keys &&
				_why=" (its READ_VERITY_METADATA lines against the oracle: native lacks the ioctl before 5.12)"
			not_ok "$_label: $_k$_why" "$(head -n 6 /tmp/parity-d | cut -c1-160 | tr '\n' ' ')"
		done
		[ "$_bad" = 0 ] || continue
		ok "$_label: generic/$_g, $_n scenarios equal"
		[ -z "$_orc" ] ||
			ok "$_label: generic/$_g, READ_VERITY_METADATA steps of ${_orc% }: native lacks FS_IOC_READ_VERITY_METADATA before 5.12; compared with fsverity digest --out-merkle-tree/--out-descriptor (errnos: native ext4 from 5.12, readmeta-native.txt)"
	done
}

# SPDX-License-Identifier: GPL-2.0-only
# The parity scenario list: the assertions of xfstests generic/572, 573
# (non-root parts, no signatures), 574, 575 and 624 (reference §5.2), run in
# one directory of any fs-verity filesystem, printing a normalized transcript.
# The same list runs on native ext4 and on verityfs over every lower; the case
# diffs the transcripts (parity_compare).
# Copyright (C) 2026 The verityfs authors
#
# A target is described by the case before parity_run:
#   T_MNT             the mountpoint (transcripts never show it: all commands
#                     run inside the work directory with relative names)
#   t_cycle           unmount and mount again (drops every cache)
#   t_locate F O L K  print where bytes O..O+L of file F (K=data) or of its
#                     Merkle tree (K=tree) live behind the filesystem, as
#                     "dev DEVICE OFF LEN" or "path LOWERFILE OFF LEN" lines
#   t_corrupt LIST    with the target unmounted by it, write 'X' over each
#                     location in LIST, then mount again
#
# Transcript lines are "<scenario> <step>: <result>". Steps starting with '~'
# carry details that depend on the Merkle block size (digests, byte counts of
# reads that stop at a bad page); every other line must be the same for any
# block size, which lets a kernel whose native ext4 lacks a block size be
# compared against its native run at the page size (see the case).
#
# Sourced by a case (busybox ash). Uses DATA (rand1m) and the vx-verity tool.

PARITY_DIR=${PARITY_DIR:-/test/parity}

# step SCENARIO STEP CMD...: one line with the exit status and the output.
# (Forks are dear under TCG: no pipeline unless the output has several lines.)
NL='
'
step() {
	_s=$1 _t=$2; shift 2
	_o=$("$@" 2>&1)
	_r=$?
	case $_o in *"$NL"*) _o=$(printf '%s' "$_o" | tr '\n' '|') ;; esac
	echo "$_s $_t: rc=$_r${_o:+ $_o}"
}

# prefixed SCENARIO CMD...: every output line of CMD as a transcript line.
prefixed() {
	_s=$1; shift
	_o=$("$@" 2>&1)
	set -f
	IFS=$NL
	for _l in $_o; do echo "$_s $_l"; done
	unset IFS
	set +f
}

# The oracle: the stock fsverity tool's digest of a reference copy in /tmp,
# computed once per reference file and parameters for all targets.
oracle() {	# REF [extra digest options]
	_ref=$1; shift
	_key=/tmp/parity-oracle/$ALG-$BS-${_ref##*/}$*
	if [ ! -f "$_key" ]; then
		mkdir -p /tmp/parity-oracle
		fsverity digest --hash-alg="$ALG" --block-size="$BS" "$@" "$_ref" > "$_key"
	fi
	read -r _d _rest < "$_key"
	echo "$_d"
}

# measure_step SCEN FILE REF [digest options]: measure equals the oracle.
measure_step() {
	_s=$1 _f=$2 _ref=$3; shift 3
	_got=$(fsverity measure "$_f" 2>&1)
	_got=${_got%% *}
	_want=$(oracle "$_ref" "$@")
	if [ "$_got" = "$_want" ]; then
		echo "$_s measure: = fsverity digest"
	else
		echo "$_s measure: $_got, fsverity digest says $_want"
	fi
	echo "$_s ~digest: $_got"
}

# Attributes that must not depend on the lower: lsattr keeps only the letters
# fs-verity and 573 are about (V verity, i immutable, a append); other letters
# belong to the lower fs (e.g. ext4's 'e'). stat: size, mode, links, owner.
attrs_step() {
	prefixed "$1" vx-verity attrs "$2"
}

# The stock lsattr, for the same letters; its message when it fails (the
# letter filter would otherwise find an 'a' in "lsattr:").
lsattr_step() {
	_o=$(lsattr "$2" 2>&1)
	_r=$?
	if [ "$_r" = 0 ]; then
		echo "$1 lsattr: $(echo "${_o%% *}" | tr -cd 'aiV')"
	else
		echo "$1 lsattr: rc=$_r $(printf '%s' "$_o" | tr '\n' '|')"
	fi
}

content_step() {	# SCEN FILE REF
	if cmp -s "$2" "$3"; then
		echo "$1 content: = reference"
	else
		echo "$1 content: differs ($(cmp "$2" "$3" 2>&1 | tr '\n' '|'))"
	fi
}

# enable_file SCEN FILE REF [options]: enable, then measure, content, attrs.
enable_file() {
	_s=$1 _f=$2 _ref=$3; shift 3
	step "$_s" enable fsverity enable --hash-alg="$ALG" --block-size="$BS" "$@" "$_f"
	measure_step "$_s" "$_f" "$_ref" "$@"
	content_step "$_s" "$_f" "$_ref"
	attrs_step "$_s" "$_f"
}

cycle() {	# SCENARIO
	cd / || return
	prefixed "$1" t_cycle || echo "$1 cycle: FAILED"
	echo 3 > /proc/sys/vm/drop_caches
	cd "$T_MNT/$PDIR" || echo "cycle: cannot enter the work directory"
}

# make_ref NAME SIZE rand|zero|sparse: a reference copy in /tmp and the file.
make_ref() {
	case $3 in
	rand) head -c "$2" "$DATA/rand1m" > "$REF/$1" ;;
	zero) head -c "$2" /dev/zero > "$REF/$1" ;;
	sparse) rm -f "$REF/$1"; truncate -s "$2" "$REF/$1" ;;
	esac
	if [ "$3" = sparse ]; then
		truncate -s "$2" "$1"
	else
		cp "$REF/$1" "$1"
	fi
}

# --- generic/572: enable, its errnos, immutability, what still works ---------
sc_572() {
	B=$BS
	for spec in empty:0 1:1 Bm1:$((B - 1)) B:$B 1m:1048576; do
		n=${spec%%:*}
		make_ref "f572.$n" "${spec#*:}" rand
		enable_file "572.size-$n" "f572.$n" "$REF/f572.$n"
	done
	make_ref f572.sparse 1048576 sparse
	enable_file 572.sparse-1m f572.sparse "$REF/f572.sparse"
	lsattr_step 572.size-1m f572.1m

	f=f572.1m
	step 572.eexist enable fsverity enable --hash-alg="$ALG" --block-size="$BS" $f
	make_ref f572.plain 8192 rand
	g=f572.plain
	step 572.badalg enable fsverity enable --hash-alg=257 --block-size="$BS" $g
	step 572.bs1 enable fsverity enable --hash-alg="$ALG" --block-size=1 $g
	step 572.bs-over-page enable fsverity enable --hash-alg="$ALG" --block-size=65536 $g
	step 572.salt500 enable fsverity enable --hash-alg="$ALG" --block-size="$BS" \
		--salt="$(head -c 500 /dev/zero | od -An -v -tx1 | tr -d ' \n')" $g
	mkdir -p d572
	step 572.eisdir enable fsverity enable --hash-alg="$ALG" --block-size="$BS" d572
	a="alg=$ALG_NR bs=$BS"
	step 572.efault raw-enable vx-verity enable $g $a arg=bad
	step 572.efault-salt raw-enable vx-verity enable $g $a salt=4 salt_ptr=bad
	step 572.version raw-enable vx-verity enable $g $a version=2
	step 572.reserved1 raw-enable vx-verity enable $g $a res1=1
	step 572.reserved2 raw-enable vx-verity enable $g $a res2=1
	step 572.salt33 raw-enable vx-verity enable $g $a salt=33
	step 572.sig-too-big raw-enable vx-verity enable $g $a sig=16129
	# An ioctl-only (mode 3) fd has no FMODE_READ: EBADF since 6.4/6.3.1.
	make_ref f572.mode3 4096 rand
	step 572.mode3 raw-enable vx-verity enable f572.mode3 $a open=3
	step 572.own-writer raw-enable vx-verity enable $g $a open=rw
	# Its own file: f572.plain must stay plain for 572.enodata below.
	make_ref f572.txtbsy 8192 rand
	command exec 7<> f572.txtbsy
	step 572.etxtbsy enable fsverity enable --hash-alg="$ALG" --block-size="$BS" f572.txtbsy
	exec 7>&-
	step 572.etxtbsy enable-after-close fsverity enable --hash-alg="$ALG" --block-size="$BS" f572.txtbsy
	make_ref f572.ro 4096 rand
	mount -o remount,ro "$T_MNT"
	step 572.erofs enable fsverity enable --hash-alg="$ALG" --block-size="$BS" f572.ro
	mount -o remount,rw "$T_MNT"
	step 572.erofs enable-after-rw fsverity enable --hash-alg="$ALG" --block-size="$BS" f572.ro

	for m in w rw a rt; do
		step 572.immutable "open-$m" vx-verity open $f $m
	done
	step 572.immutable open-direct vx-verity open $f rd
	step 572.immutable truncate vx-verity truncate $f 0
	step 572.immutable shell-append sh -c "echo x >> $f"
	step 572.immutable shell-write sh -c "echo x > $f"
	content_step 572.immutable $f "$REF/f572.1m"

	step 572.ops chmod chmod 0600 $f
	step 572.ops chown chown 1000:1000 $f
	step 572.ops rename mv $f f572.renamed
	step 572.ops link ln f572.renamed f572.link
	step 572.ops unlink rm f572.link
	measure_step 572.ops f572.renamed "$REF/f572.1m"
	attrs_step 572.ops f572.renamed
	mv f572.renamed $f

	step 572.enodata measure fsverity measure f572.plain
	step 572.enodata dump fsverity dump_metadata descriptor f572.plain
	step 572.eoverflow measure vx-verity measure $f 1
	attrs_step 572.not-verity f572.plain
	lsattr_step 572.not-verity f572.plain

	# Killable: a 16 GiB sparse file takes minutes; SIGTERM ends it at once
	# (xfstests allows 5 s) and leaves a plain file.
	truncate -s 16G f572.big
	fsverity enable --hash-alg="$ALG" --block-size="$BS" f572.big > /dev/null 2>&1 &
	pid=$!
	# Wait until it is inside the ioctl (syscall 16 on x86-64), so that a
	# loaded host cannot make the second enable win the race.
	i=0
	while [ $i -lt 50 ] && [ "$(cut -d' ' -f1 /proc/$pid/syscall 2>/dev/null)" != 16 ]; do
		usleep 100000
		i=$((i + 1))
	done
	usleep 300000
	# A second enable while the first builds its tree: EBUSY.
	step 572.ebusy enable timeout 20 fsverity enable --hash-alg="$ALG" --block-size="$BS" f572.big
	t0=$(date +%s)
	kill -TERM $pid
	{ wait $pid; } 2> /dev/null
	rc=$?
	t1=$(date +%s)
	echo "572.kill status: $rc, within 5 s: $([ $((t1 - t0)) -le 5 ] && echo yes || echo no)"
	step 572.kill measure-after fsverity measure f572.big
	attrs_step 572.kill f572.big
	rm -f f572.big

	# The first mount cycle after the killed enable: nothing may hold the mount.
	cycle 572.kill
	for spec in empty 1 Bm1 B 1m sparse; do
		g=f572.$spec
		content_step "572.cycle-$spec" "$g" "$REF/$g"
		measure_step "572.cycle-$spec" "$g" "$REF/$g"
		attrs_step "572.cycle-$spec" "$g"
	done
}

# --- generic/573: non-root enable and measure; permission, a and i flags -----
sc_573() {
	mkdir -p d573 && chmod 0777 d573
	make_ref d573/open 8192 rand
	chmod 0666 d573/open
	step 573.nonroot enable vx-verity as 1000 1000 \
		fsverity enable --hash-alg="$ALG" --block-size="$BS" d573/open
	_got=$(vx-verity as 1000 1000 fsverity measure d573/open 2>&1)
	_got=${_got%% *}
	[ "$_got" = "$(oracle "$REF/d573/open")" ] && _got="= fsverity digest"
	echo "573.nonroot measure: $_got"
	step 573.nonroot dump vx-verity as 1000 1000 sh -c \
		"fsverity dump_metadata descriptor d573/open | cmp - '$REF/open.desc' && echo same"
	make_ref d573/ro 8192 rand
	chmod 0444 d573/ro
	step 573.eacces enable vx-verity as 1000 1000 \
		fsverity enable --hash-alg="$ALG" --block-size="$BS" d573/ro
	for fl in a i; do
		make_ref d573/$fl 8192 rand
		step "573.chattr-$fl" chattr chattr +$fl d573/$fl
		step "573.chattr-$fl" enable fsverity enable --hash-alg="$ALG" --block-size="$BS" d573/$fl
		attrs_step "573.chattr-$fl" d573/$fl
		lsattr_step "573.chattr-$fl" d573/$fl
		chattr -$fl d573/$fl 2>/dev/null
		step "573.chattr-$fl" enable-after fsverity enable --hash-alg="$ALG" --block-size="$BS" d573/$fl
	done
}

# --- generic/574: corruption behind the filesystem --------------------------
# NAME SIZE ZAP_OFFSET ZAP_LEN KIND(data|tree) CONTENT(zero|rand|sparse)
c574_list() {
	B=$BS
	cat <<-EOF
	c128k-0 131072 0 5 data zero
	c128k-4091 131072 4091 5 data zero
	c128k-64k 131072 65536 65536 data zero
	c128k-end 131072 131067 5 data zero
	pasteof 130999 131000 72 data zero
	tree 200000 100 10 tree zero
	tree-sparse 200000 100 10 tree sparse
	blocks1 $B $((B / 2)) 5 data rand
	blocks2 $((2 * B)) $((B + B / 2)) 5 data rand
	blocks3 $((3 * B)) $((2 * B + B / 2)) 5 data rand
	blk4-0 $((4 * B)) 3 5 data rand
	blk4-1 $((4 * B)) $((B + 3)) 5 data rand
	blk4-2 $((4 * B)) $((2 * B + 3)) 5 data rand
	blk4-3 $((4 * B)) $((3 * B + 3)) 5 data rand
	EOF
}

sc_574() {
	: > "$REF/corrupt.list"
	c574_list | while read -r n size off len kind content; do
		make_ref "f574.$n" "$size" "$content"
		fsverity enable --hash-alg="$ALG" --block-size="$BS" "f574.$n" > /dev/null 2>&1 ||
			echo "574.$n enable: FAILED"
		content_step "574.$n" "f574.$n" "$REF/f574.$n"
	done
	sync
	c574_list | while read -r n size off len kind content; do
		t_locate "$T_MNT/$PDIR/f574.$n" "$off" "$len" "$kind" >> "$REF/corrupt.list" ||
			echo "574.$n locate: FAILED"
	done
	cd / && t_corrupt "$REF/corrupt.list"
	echo 3 > /proc/sys/vm/drop_caches
	cd "$T_MNT/$PDIR" || return
	c574_list | while read -r n size off len kind content; do
		f=f574.$n
		cmp -s $f "$REF/$f" 2>/dev/null && echo "574.$n content: = reference"
		# The zapped range is read only for data (xfstests does the same).
		[ "$kind" = data ] || len=0
		prefixed "574.$n" vx-verity probe $f "$off" "$len" "$BS"
	done
}

# --- generic/575: known-answer digests ---------------------------------------
sc_575() {
	grep "^$ALG $BS " "$PARITY_DIR/golden-575.txt" | while read -r alg bs size salt want; do
		n=f575.$size${salt#-}
		[ "$salt" = '""' ] && n=f575.$size-emptysalt
		make_ref "$n" "$size" zero
		if [ "$salt" = '""' ]; then
			step "575.$size-emptysalt" enable fsverity enable --hash-alg="$ALG" --block-size="$BS" --salt= "$n"
		else
			step "575.$size" enable fsverity enable --hash-alg="$ALG" --block-size="$BS" "$n"
		fi
		got=$(fsverity measure "$n" 2>&1)
		got=${got%% *}
		[ "$got" = "$want" ] && got="= golden"
		echo "575.${n#f575.} measure: $got"
		content_step "575.${n#f575.}" "$n" "$REF/$n"
	done
}

# --- generic/624: FS_IOC_READ_VERITY_METADATA ---------------------------------
# cli_chunks TYPE FILE CHUNK N: the first N chunks through the stock tool.
cli_chunks() {
	_o=0
	while [ "$_o" -lt $(($3 * $4)) ]; do
		fsverity dump_metadata "$1" "$2" --offset=$_o --length="$3" || return
		_o=$((_o + $3))
	done
}

# tree_oracle NAME SIZE [--salt=...]: fsverity digest's tree and descriptor.
tree_oracle() {
	_n=$1 _sz=$2; shift 2
	_w=/tmp/parity-oracle/$ALG-$BS-$_n$*
	if [ ! -f "$_w.desc" ]; then
		mkdir -p /tmp/parity-oracle
		fsverity digest --hash-alg="$ALG" --block-size="$BS" "$@" \
			--out-merkle-tree="$_w.tree" --out-descriptor="$_w.desc" "$REF/$_n" > /dev/null
	fi
	cp "$_w.tree" "$REF/want.tree"
	cp "$_w.desc" "$REF/want.desc"
}

# errtail FILE: " MESSAGE" when FILE (a command's stderr) is not empty.
errtail() {
	[ -s "$1" ] && printf ' %s' "$(tr '\n' '|' < "$1" | sed 's/|$//')"
}

same_as() {	# GOT WANT
	if cmp -s "$1" "$2"; then
		echo "= fsverity digest"
	else
		echo "differs: $(wc -c < "$1") bytes"
	fi
}

sc_624() {
	# Two leaf blocks and a root for SHA-256 (xfstests' size), salted.
	size=$((BS * 2 * (BS / 32)))
	f=f624
	make_ref $f $size rand
	step 624.enable enable fsverity enable --hash-alg="$ALG" --block-size="$BS" --salt=abcd $f
	measure_step 624.measure $f "$REF/$f" --salt=abcd
	tree_oracle $f $size --salt=abcd
	tsize=$(stat -c %s "$REF/want.tree")
	for t in merkle_tree:1:tree descriptor:2:desc; do
		w=$REF/want.${t##*:}
		n=${t%%:*}
		fsverity dump_metadata $n $f > "$REF/got" 2> "$REF/err"
		_r=$?
		echo "624.$n whole: rc=$_r $(same_as "$REF/got" "$w")$(errtail "$REF/err")"
		echo "624.$n ~whole: $(wc -c < "$REF/got") $(sha256sum < "$REF/got")"
		t=${t#*:}
		step 624.$n chunks-997 vx-verity chunks $f ${t%:*} 997 "$(stat -c %s "$w")" "$REF/got"
		echo "624.$n chunks-997-data: $(same_as "$REF/got" "$w")"
		step 624.$n chunks-13 vx-verity chunks $f ${t%:*} 13 "$(stat -c %s "$w")" "$REF/got"
		echo "624.$n chunks-13-data: $(same_as "$REF/got" "$w")"
		# The tool's --offset/--length, on the first three 997-byte chunks.
		cli_chunks $n $f 997 3 > "$REF/got" 2> "$REF/err"
		head -c 2991 "$w" > "$REF/want.head"
		echo "624.$n cli-chunks: $(same_as "$REF/got" "$REF/want.head")$(errtail "$REF/err")"
	done
	step 624.signature dump fsverity dump_metadata signature $f
	step 624.merkle_tree at-end vx-verity readmeta $f 1 "$tsize" 4096 "$REF/got"
	step 624.merkle_tree past-end vx-verity readmeta $f 1 $((tsize + 4096)) 4096 "$REF/got"
	step 624.merkle_tree last-byte vx-verity readmeta $f 1 $((tsize - 1)) 4096 "$REF/got"
	echo "624.merkle_tree last-byte-data: $(tail -c 1 "$REF/want.tree" | cmp - "$REF/got" > /dev/null 2>&1 && echo same)"
	step 624.descriptor length-0 vx-verity readmeta $f 2 0 0 "$REF/got"
	step 624.descriptor at-end vx-verity readmeta $f 2 256 100 "$REF/got"
	step 624.type-0 dump vx-verity readmeta $f 0 0 100 "$REF/got"
	step 624.type-4 dump vx-verity readmeta $f 4 0 100 "$REF/got"
	step 624.reserved dump vx-verity readmeta $f 2 0 100 "$REF/got" 1
	step 624.wrap dump vx-verity readmeta $f 1 0xffffffffffffff00 0x200 "$REF/got"
	# Wrapping only with the length as given, not once clamped to INT_MAX;
	# and before the type's own answer (no signature: ENODATA). fuzz-10.
	step 624.wrap-unclamped dump vx-verity readmeta $f 1 0x8000000000000000 0x8000000000000000 "$REF/got"
	step 624.wrap-signature dump vx-verity readmeta $f 3 0x8000000000000000 0x8000000000000000 "$REF/got"
	make_ref f624.plain 4096 rand
	step 624.enodata dump vx-verity readmeta f624.plain 2 0 256 "$REF/got"
	# 1 MiB of data: a tree of more than one level.
	make_ref f624.1m 1048576 rand
	step 624.multilevel enable fsverity enable --hash-alg="$ALG" --block-size="$BS" f624.1m
	tree_oracle f624.1m 1048576
	fsverity dump_metadata merkle_tree f624.1m > "$REF/got" 2> "$REF/err"
	echo "624.multilevel merkle_tree: $(same_as "$REF/got" "$REF/want.tree")$(errtail "$REF/err")"
	echo "624.multilevel ~merkle_tree: $(wc -c < "$REF/got") $(sha256sum < "$REF/got")"
	fsverity dump_metadata descriptor f624.1m > "$REF/got" 2> "$REF/err"
	echo "624.multilevel descriptor: $(same_as "$REF/got" "$REF/want.desc")$(errtail "$REF/err")"
}

# parity_run BS ALG GROUPS...: the transcript of the groups on the target.
parity_run() {
	BS=$1 ALG=$2; shift 2
	ALG_NR=1
	[ "$ALG" = sha512 ] && ALG_NR=2
	PDIR=p$BS$ALG
	REF=/tmp/parity-ref/$PDIR
	rm -rf "$REF" && mkdir -p "$REF/d573"
	mkdir -p "$T_MNT/$PDIR" && chmod 0755 "$T_MNT/$PDIR"
	cd "$T_MNT/$PDIR" || return 1
	# 573 compares a non-root dump with this.
	head -c 8192 "$DATA/rand1m" > "$REF/open.tmp"
	tree_oracle open.tmp 8192
	cp "$REF/want.desc" "$REF/open.desc"
	for _grp in "$@"; do
		_t0=$(date +%s)
		"sc_$_grp"
		echo "# $T_KIND ${T_FS:-} $BS $ALG generic/$_grp took $(( $(date +%s) - _t0 )) s" > /dev/console
	done
	cd /
}

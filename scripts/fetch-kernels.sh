#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Fetch Debian kernels (image, modules, headers, kbuild) and the toolchain each
# one's headers need, unpack them into the cache without installing anything
# into the system, and make the headers usable in place.
# Copyright (C) 2026 The verityfs authors
#
# usage: scripts/fetch-kernels.sh [--headers | --full] [ID | ID=RELEASE]...
#   ID           the newest ABI Debian offers for ID's series, or the pinned one
#                when the newest cannot be had; the choice is recorded for the
#                other scripts (kernel_release in lib.sh) and printed
#   ID=RELEASE   that ABI of ID's series (make check-headers); not recorded
#   --headers    only what a build needs (headers, kbuild, toolchain) for the
#                ids after it, not the kernel image and modules a VM boots
#                (into h/ instead of k/); --full: everything (the default)
#   (default: every kernel in kernels.list)
#
# All downloads go through one apt call; the packages of all kernels are
# unpacked in parallel, the build chroots made meanwhile.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

[ "$(id -u)" = 0 ] || die "fetch-kernels.sh needs root (private apt state, chroots)"
for t in apt-get dpkg-deb depmod debootstrap unshare xz zstd; do
	command -v $t >/dev/null || die "missing $t: apt-get install apt dpkg kmod debootstrap util-linux xz-utils zstd"
done

# The items, each with its mode: "ID[=RELEASE]" and modeof[item].
declare -A modeof
items=() mode=full
for a in "$@"; do
	case $a in
	--headers) mode=headers ;;
	--full) mode=full ;;
	*) items+=("$a"); modeof[$a]=$mode ;;
	esac
done
if [ ${#items[@]} -eq 0 ]; then
	mapfile -t items < <(kernel_ids)
	for a in "${items[@]}"; do modeof[$a]=$mode; done
fi

# The kernel image: a plain linux-image package up to 6.x; on 7.x linux-image
# is a meta package and the bits are in linux-binary, -modules and -base.
image_packages() {
	if abi_has_binary "$1"; then
		echo "linux-binary-$1 linux-modules-$1 linux-base-$1"
	else
		echo "linux-image-$1"
	fi
}

# packages REL KBUILD MODE: what to download for one ABI, on one line.
packages() {
	local img=
	[ "$3" = headers ] || img=" $(image_packages "$1")"
	echo "linux-headers-$1 linux-headers-${1%-amd64}-common $2$img"
}

# Find the ELF vmlinux inside a bzImage: QEMU boots it through its PVH note,
# which skips decompressing the kernel under TCG (about 5 s for xz kernels).
extract_vmlinux() {
	local bz=$1 out=$2 off magic
	for magic in 'FD377A585A00:xz -dc' '28B52FFD:zstd -dcq'; do
		for off in $(LC_ALL=C grep -obUaP "$(echo "${magic%%:*}" | sed 's/../\\x&/g')" "$bz" | cut -d: -f1); do
			tail -c +$((off + 1)) "$bz" | ${magic#*:} > "$out.tmp" 2>/dev/null || true
			if [ "$(head -c 4 "$out.tmp" | od -An -tx1 | tr -d ' ')" = 7f454c46 ]; then
				mv "$out.tmp" "$out"; return 0
			fi
		done
	done
	rm -f "$out.tmp"
	return 1
}

GCC10_PKGS="gcc-10 cpp-10 gcc-10-base libgcc-10-dev"
fetch_gcc10() {
	local t=$VERITYFS_CACHE/tools/gcc10 p
	[ -x "$t/usr/bin/gcc-10" ] && return 0
	# shellcheck disable=SC2086
	apt_fetch $GCC10_PKGS || return 1
	rm -rf "$t.tmp"; mkdir -p "$t.tmp"
	for p in $GCC10_PKGS; do dpkg-deb -x "$(deb_path $p)" "$t.tmp"; done
	rm -rf "$t"; mv "$t.tmp" "$t"
}

# A minbase chroot of SUITE with the compiler its kernel headers ask for.
make_chroot() {
	local suite=$1 gcc=$2 ch=$VERITYFS_CACHE/chroot/$1
	# perl: W=1 runs kernel-doc on our files.
	local pkgs="$gcc,make,perl,pahole,kmod,xz-utils,zstd,libelf1t64,libssl3t64"
	# The package list is the recipe: a chroot made from another one is redone.
	[ "$(cat "$ch/.ready" 2>/dev/null)" = "$pkgs" ] && return 0
	note "creating the $suite build chroot (about a minute)"
	rm -rf "$ch"; mkdir -p "$ch"
	debootstrap --variant=minbase --include="$pkgs" \
		"$suite" "$ch" http://deb.debian.org/debian > "$ch.log" 2>&1 ||
		{ note "debootstrap $suite failed, see $ch.log"; return 1; }
	echo "$pkgs" > "$ch/.ready"
}

# The compiler named in the headers' config, e.g. gcc-14.
gcc_of() {
	sed -n 's/^CONFIG_CC_VERSION_TEXT="\(x86_64-linux-gnu-\)\{0,1\}\(gcc-[0-9]*\).*/\2/p' \
		"$1/usr/src/linux-headers-$2/.config" | head -n1
}

# root_of REL MODE: where REL is unpacked for MODE.
root_of() {
	if [ "$2" = headers ] && [ ! -f "$VERITYFS_CACHE/k/$1/root/.ready" ]; then
		echo "$VERITYFS_CACHE/h/$1/root"
	else
		echo "$VERITYFS_CACHE/k/$1/root"
	fi
}

# ready REL MODE: is REL unpacked well enough for MODE?
ready() {
	[ -f "$VERITYFS_CACHE/k/$1/root/.ready" ] ||
		{ [ "$2" = headers ] && [ -f "$VERITYFS_CACHE/h/$1/root/.ready" ]; }
}

# unpack ID REL MODE: the downloaded packages of REL into its root, then the
# fixes that make the headers usable there (and, for a full kernel, the
# module directory and an ELF vmlinux to boot).
unpack() {
	local k=$1 mode=$2 kb=$3 r h m p base=${1%-amd64} pkgs hr=$VERITYFS_CACHE/h/$1/root
	r=$(root_of "$k" "$mode")
	pkgs=$(packages "$k" "$kb" "$mode")
	if [ "$mode" = full ] && [ -f "$hr/.ready" ]; then
		# The headers are unpacked already: move them instead of unpacking twice.
		rm -rf "$r"; mkdir -p "${r%/root}"; mv "$hr" "$r"; rm -f "$r/.ready"; rmdir "${hr%/root}"
		sed -i "s|$hr/usr/src/|$r/usr/src/|g" "$r/usr/src/linux-headers-$k/Makefile"
		pkgs=$(image_packages "$k")
	else
		rm -rf "$r"; mkdir -p "$r"
		# Debian's headers include the -common tree by absolute path (7.x also
		# sets KBUILD_OUTPUT): point them into this private root, or make would
		# quietly use whatever headers the host has installed.
		dpkg-deb -x "$(deb_path "linux-headers-$k")" "$r"
		sed -i "s|\([ =]\)/usr/src/|\1$r/usr/src/|g" "$r/usr/src/linux-headers-$k/Makefile"
		pkgs=${pkgs#"linux-headers-$k "}
	fi
	touch "$r/.config-ready"	# for the toolchain, which waits for the .config
	for p in $pkgs; do dpkg-deb -x "$(deb_path "$p")" "$r" || return 1; done
	h=$r/usr/src/linux-headers-$k
	if [ "$mode" = full ]; then
		if [ -d "$r/lib/modules/$k/kernel" ]; then m=$r/lib/modules/$k; else m=$r/usr/lib/modules/$k; fi
		ln -sfn "$h" "$m/build"
		ln -sfn "$r/usr/src/linux-headers-$base-common" "$m/source"
		depmod -b "${m%/lib/modules/*}" "$k"
		# vmlinuz is in /boot up to 6.x and beside the modules on 7.x.
		for p in "$r/boot/vmlinuz-$k" "$m/vmlinuz"; do [ -f "$p" ] && cp "$p" "$r/vmlinuz"; done
		[ -f "$r/vmlinuz" ] || { note "no vmlinuz in the packages of $k"; return 1; }
		extract_vmlinux "$r/vmlinuz" "$r/vmlinux" || note "$k: no ELF vmlinux found, booting the bzImage"
	fi
	touch "$r/.ready"
}

# toolchain ID REL MODE [PID]: gcc-10 or the build chroot the headers of
# REL need; PID is the job unpacking them, if any.
toolchain() {
	local tc gcc r upid=${4:-}
	tc=$(kernel_field "$1" toolchain)
	r=$(root_of "$2" "$3")
	case $tc in
	gcc10) fetch_gcc10 ;;
	chroot:*)
		# The headers' .config comes first out of the packages.
		while [ ! -f "$r/.config-ready" ] && [ ! -f "$r/.ready" ] && [ -n "$upid" ] &&
			kill -0 "$upid" 2>/dev/null; do sleep 0.2; done
		gcc=$(gcc_of "$r" "$2")
		[ -n "$gcc" ] || { note "$2: no compiler named in its headers' .config"; return 1; }
		make_chroot "${tc#chroot:}" "$gcc" ;;
	esac
}

# prune ID KEEP...: unpacked roots and debs of ID's series other than KEEP
# (what this run tests and the pinned fallback) are of no more use.
prune() {
	local id=$1 series d rel; shift
	series=$(kernel_field "$id" series)
	# make check-headers holds this lock while it builds against the ABIs
	# that would go here.
	if ! flock -n "$VERITYFS_CACHE/check-headers.lock" true; then
		note "make check-headers is running: the cache of $id is pruned another time"
		return 0
	fi
	for d in "$VERITYFS_CACHE"/k/* "$VERITYFS_CACHE"/h/*; do
		[ -d "$d" ] || continue
		rel=${d##*/}
		[[ $rel =~ ^($series)$ ]] || continue
		case " $* " in *" $rel "*) continue ;; esac
		note "removing $rel from the cache (no longer tested)"
		rm -rf "$d"
	done
	# Debs are kept while Debian still has them (make check-headers uses them).
	for d in "$VERITYFS_CACHE"/debs/linux-headers-*-amd64_*.deb; do
		[ -f "$d" ] || continue
		rel=${d##*/linux-headers-}; rel=${rel%%_*}
		[[ $rel =~ ^($series)$ ]] || continue
		case " $* " in *" $rel "*) continue ;; esac
		grep -q " linux-headers-$rel " "$ABI_INDEX" && continue
		rm -f "$VERITYFS_CACHE"/debs/linux-*-"${rel}"_*.deb \
			"$VERITYFS_CACHE"/debs/linux-headers-"${rel%-amd64}"-common_*.deb \
			"$VERITYFS_CACHE"/debs/linux-kbuild-"${rel%-amd64}"_*.deb
	done
}

apt_private_init
abi_index

# Choose the ABI of every item: choices[item] lists "RELEASE:KBUILD" words,
# best first (the newest ABI, then the pinned one); the first that can be
# had wins.
declare -A choices
plan=()
for it in "${items[@]}"; do
	mode=${modeof[$it]}
	id=$(kernel_field "${it%%=*}" id)
	pinned=$(kernel_field "$id" pinned)
	abis=$(kernel_abis "$id")
	if [[ $it == *=* ]]; then
		rel=${it#*=}
		line=$(awk -v r="$rel" '$1 == r' <<<"$abis")
		[ -n "$line" ] || ready "$rel" "$mode" || die "$rel is not an ABI of $id's series in the archive"
		choices[$it]="$rel:${line##* }"
		plan+=("$it")
		continue
	fi
	if [ "${VERITYFS_ABI:-newest}" = pinned ]; then
		c="$pinned"
	else
		c=$(head -n1 <<<"$abis" | cut -d' ' -f1)
		[ "$c" = "$pinned" ] || c="$c $pinned"
	fi
	list=
	for rel in $c; do
		# Still in the archive, or already unpacked here.
		kb=$(awk -v r="$rel" '$1 == r { print $3 }' <<<"$abis")
		if [ -n "$kb" ] || ready "$rel" "$mode"; then list="$list $rel:${kb:--}"; fi
	done
	[ -n "$list" ] || die "no ABI of $id's series ($(kernel_field "$id" series)) in Debian's $(kernel_field "$id" suite), and the pinned $pinned is gone too: check test/vm/kernels.list"
	choices[$it]=$list
	plan+=("$it")
done

# Download the first choice of every item at once; an item whose download
# fails falls back to its next choice, alone.
want=()
for it in "${plan[@]}"; do
	mode=${modeof[$it]}
	read -r first _ <<<"${choices[$it]}"
	rel=${first%%:*} kb=${first#*:}
	if ! ready "$rel" "$mode"; then
		read -ra p <<<"$(packages "$rel" "$kb" "$mode")"
		want+=("${p[@]}")
	fi
	if [ "$(kernel_field "${it%%=*}" toolchain)" = gcc10 ] && [ ! -x "$VERITYFS_CACHE/tools/gcc10/usr/bin/gcc-10" ]; then
		read -ra p <<<"$GCC10_PKGS"; want+=("${p[@]}")
	fi
done
[ ${#want[@]} -eq 0 ] || apt_fetch "${want[@]}" || note "downloading all at once failed; one kernel at a time"

# Fetch, unpack (at most as many at once as there are cores) and make the
# toolchains (one job per toolchain, while the kernels unpack).
logs=$(mktemp -d "${TMPDIR:-/tmp}/verityfs-fetch.XXXXXX")
trap 'rm -rf "$logs"' EXIT
pids=() unpacking=() fail=0
declare -A chosen upid tc_seen
for it in "${plan[@]}"; do
	mode=${modeof[$it]}
	id=$(kernel_field "${it%%=*}" id)
	got=
	for c in ${choices[$it]}; do
		rel=${c%%:*} kb=${c#*:}
		read -ra p <<<"$(packages "$rel" "$kb" "$mode")"
		if ready "$rel" "$mode" || apt_fetch "${p[@]}"; then got=$c; break; fi
		note "$id: $rel cannot be fetched; trying the next choice"
	done
	[ -n "$got" ] || { note "$id: no ABI could be fetched"; fail=1; continue; }
	chosen[$it]=$got
	rel=${got%%:*} kb=${got#*:}
	if ! ready "$rel" "$mode" && [ -z "${upid[$rel]:-}" ]; then
		while [ "$(for q in "${unpacking[@]}"; do kill -0 "$q" 2>/dev/null && echo; done | wc -l)" -ge "$(nproc)" ]; do
			sleep 0.2
		done
		note "unpacking $id ($rel)"
		unpack "$rel" "$mode" "$kb" > "$logs/unpack-$rel" 2>&1 &
		pids+=("$!:unpacking $id ($rel):unpack-$rel")
		upid[$rel]=$!
		unpacking+=("$!")
	fi
	tc=$(kernel_field "$id" toolchain)
	if [ -z "${tc_seen[$tc]:-}" ]; then
		tc_seen[$tc]=1
		toolchain "$id" "$rel" "$mode" "${upid[$rel]:-}" > "$logs/tc-${tc#chroot:}" 2>&1 &
		pids+=("$!:the $tc toolchain for $id:tc-${tc#chroot:}")
	fi
done
for p in "${pids[@]}"; do
	what=${p#*:}; log=$logs/${what##*:}
	if ! wait "${p%%:*}"; then
		note "${what%:*} failed:"; sed 's/^/  /' "$log" >&2; fail=1
	elif [ -s "$log" ]; then
		cat "$log" >&2
	fi
done

# Record and say what each kernel id tests.
mkdir -p "$VERITYFS_CACHE/resolved"
for it in "${plan[@]}"; do
	[[ $it != *=* ]] && [ -n "${chosen[$it]:-}" ] || continue
	id=$(kernel_field "$it" id); rel=${chosen[$it]%%:*}; pinned=$(kernel_field "$id" pinned)
	newest=$(kernel_abis "$id" | head -n1 | cut -d' ' -f1)
	if [ "${VERITYFS_ABI:-newest}" = pinned ]; then why="pinned (VERITYFS_ABI=pinned)"
	elif [ "$rel" = "$newest" ]; then why="the newest $(kernel_field "$id" suite) ABI"
	else why="the pinned fallback; the newest, ${newest:-unknown}, could not be fetched"; fi
	[ "$(cat "$VERITYFS_CACHE/resolved/$id" 2>/dev/null)" = "$rel" ] || echo "$rel" > "$VERITYFS_CACHE/resolved/$id"
	note "kernel $id: $rel ($why)"
	[ "${VERITYFS_ABI:-newest}" = pinned ] || prune "$id" "$rel" "$pinned"
done
exit $fail

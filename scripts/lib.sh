# SPDX-License-Identifier: GPL-2.0-only
# Shared shell helpers of the host scripts: cache layout, the kernel list and
# its reader, the private apt state, Debian ABI resolution, toolchains and the
# VM pipeline (build, initramfs, boot). Sourced, never run.
# Copyright (C) 2026 The verityfs authors
# (The guest's helpers are test/vm/guest-lib.sh.)

# shellcheck shell=bash
VERITYFS_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# Downloaded debs, extracted kernels and build chroots live outside the clone so
# that repeated runs are fast; nothing assumes this directory already exists.
VERITYFS_CACHE=${VERITYFS_CACHE:-/var/cache/verityfs}
KERNELS_LIST=$VERITYFS_TOP/test/vm/kernels.list

# vm_lock: hold the machine's guest lock (on fd 9) until the calling script
# exits. One guest at a time, whatever clone or cache it comes from: a TCG
# guest keeps both of this machine's cores busy, and two at once only make
# each slow enough to hit its timeouts. Call it before the guest's timeout
# starts. VX_NOLOCK=1 skips it; VX_LOCK names another lock file.
vm_lock() {
	[ "${VX_NOLOCK:-0}" = 1 ] && return 0
	exec 9>>"${VX_LOCK:-/tmp/verityfs-vm.lock}"
	flock 9
}

die() { echo "verityfs: $*" >&2; exit 1; }
note() { echo "verityfs: $*" >&2; }

# ---------------------------------------------------------------------------
# test/vm/kernels.list: the only reader (make asks it through scripts/kernels.sh).
# Columns: id suite series pinned toolchain; see the file's header.

# kernel_line ID: the line of ID as "id suite series pinned toolchain". An id
# "7.x" also answers to "7.2", "7.3", ... (sid's series moves).
kernel_line() {
	awk -v id="$1" '
		/^#/ || NF < 5 { next }
		$1 == id { print; found = 1; exit }
		$1 ~ /\.x$/ && index(id, substr($1, 1, length($1) - 1)) == 1 { alias = $0 }
		END { if (!found && alias != "") { print alias; found = 1 } exit !found }' \
		"$KERNELS_LIST" || die "unknown kernel id '$1' (see $KERNELS_LIST)"
}

# kernel_field ID NAME: NAME is id, suite, series, pinned or toolchain.
kernel_field() {
	local id suite series pinned tc line
	line=$(kernel_line "$1") || exit 1
	read -r id suite series pinned tc <<<"$line"
	case $2 in
	id) echo "$id" ;; suite) echo "$suite" ;; series) echo "$series" ;;
	pinned) echo "$pinned" ;; toolchain) echo "$tc" ;;
	*) die "kernel_field: no column '$2'" ;;
	esac
}

kernel_ids() { awk '!/^#/ && NF >= 5 { print $1 }' "$KERNELS_LIST"; }

# ---------------------------------------------------------------------------
# The private apt state: sees every target suite, never touches the host's
# own apt configuration.

APT_STATE=$VERITYFS_CACHE/apt
APT_OPTS=(-o "Dir::Etc::SourceList=$APT_STATE/sources.list" -o Dir::Etc::SourceParts=/dev/null
	-o "Dir::State::Lists=$APT_STATE/lists" -o "Dir::Cache=$APT_STATE/cache"
	-o Dir::State::status=/dev/null -o Debug::NoLocking=1 -q)

# Indexes are refreshed at most once a day. When the refresh fails (no
# network), the indexes at hand are used, and with none the kernels already
# in the cache.
apt_private_init() {
	local m=http://deb.debian.org s
	mkdir -p "$APT_STATE/lists/partial" "$APT_STATE/cache/archives/partial" "$VERITYFS_CACHE/debs"
	: > "$APT_STATE/sources.list.$$"
	for s in "debian bullseye" "debian-security bullseye-security" "debian bookworm" \
		 "debian-security bookworm-security" "debian trixie" "debian-security trixie-security" \
		 "debian sid"; do
		echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $m/${s% *} ${s#* } main" \
			>> "$APT_STATE/sources.list.$$"
	done
	mv "$APT_STATE/sources.list.$$" "$APT_STATE/sources.list"
	chown -R _apt "$APT_STATE" "$VERITYFS_CACHE/debs" 2>/dev/null || true
	if [ -z "$(find "$APT_STATE/lists" -name '*_Packages*' -mtime -1 2>/dev/null | head -n1)" ]; then
		note "refreshing the private apt indexes"
		apt-get "${APT_OPTS[@]}" update >/dev/null ||
			note "apt-get update (private state) failed: using the indexes and kernels at hand"
	fi
}

# apt_fetch PKG[=VERSION]...: download debs into the cache, those not there yet.
# One apt call names the files, one downloads what is missing (in parallel).
apt_fetch() {
	local uris absent=() names=() f u
	[ $# -gt 0 ] || return 0
	uris=$(cd "$VERITYFS_CACHE/debs" && apt-get "${APT_OPTS[@]}" download --print-uris "$@" 2>&1) ||
		{ note "$uris"; note "not in the archive: $*"; return 1; }
	while read -r u f _; do
		[[ $u == \'* ]] && names+=("$f")
	done <<<"$uris"
	for f in "${names[@]}"; do [ -f "$VERITYFS_CACHE/debs/$f" ] || absent+=("$f"); done
	[ ${#absent[@]} -eq 0 ] && return 0
	# Back from file name to package=version: NAME_VERSION_ARCH.deb, %3a = ':'.
	local specs=() n v
	for f in "${absent[@]}"; do
		n=${f%%_*}; v=${f#*_}; v=${v%_*}; specs+=("$n=${v//%3a/:}")
	done
	(cd "$VERITYFS_CACHE/debs" && apt-get "${APT_OPTS[@]}" download "${specs[@]}" >/dev/null) ||
		{ note "could not download: ${specs[*]}"; return 1; }
}

# deb_path PKG: the cached deb of PKG (newest if several)
deb_path() { find "$VERITYFS_CACHE/debs" -maxdepth 1 -name "${1}_*.deb" | sort -V | tail -n1; }

# ---------------------------------------------------------------------------
# Debian kernel ABIs. A kernel line names a series (suite plus a pattern of
# releases); the newest ABI of it that Debian offers is the one tested, the
# pinned one is the fallback while it is still there.

ABI_INDEX=$APT_STATE/abi-index

# abi_index: "SUITE PACKAGE VERSION KBUILD" for every linux-headers-* and
# linux-binary-* (7.x) package of the private indexes; rebuilt when they change.
abi_index() {
	local f s
	if [ -f "$ABI_INDEX" ] && [ -z "$(find "$APT_STATE/lists" -maxdepth 1 -name '*_Packages*' \
		-newer "$ABI_INDEX" 2>/dev/null | head -n1)" ]; then
		return 0
	fi
	: > "$ABI_INDEX.$$"
	while read -r f s; do
		[ -f "$f" ] || continue
		/usr/lib/apt/apt-helper cat-file "$f" | awk -v s="$s" '
			/^Package: linux-(headers|binary)-[0-9]/ { p = $2; v = ""; kb = "-"; next }
			p != "" && /^Version: / { v = $2 }
			p != "" && /^Depends: / { if (match($0, /linux-kbuild-[^ ,]+/)) kb = substr($0, RSTART, RLENGTH) }
			/^$/ { if (p != "" && v != "") print s, p, v, kb; p = "" }
			END { if (p != "" && v != "") print s, p, v, kb }' >> "$ABI_INDEX.$$"
	done < <(apt-get "${APT_OPTS[@]}" indextargets --format '$(FILENAME) $(RELEASE)' 'Identifier: Packages' 2>/dev/null)
	mv "$ABI_INDEX.$$" "$ABI_INDEX"
}

# kernel_abis ID: every ABI (kernel release) of ID's series in its suite and
# the suite's security archive, newest first, as "RELEASE VERSION KBUILD".
kernel_abis() {
	local suite series
	suite=$(kernel_field "$1" suite); series=$(kernel_field "$1" series)
	abi_index
	awk -v s1="$suite" -v s2="$suite-security" -v re="^linux-headers-($series)\$" \
		'($1 == s1 || $1 == s2) && $2 ~ re { sub(/^linux-headers-/, "", $2); print $2, $3, $4 }' \
		"$ABI_INDEX" | sort -u | sort -k2,2Vr -k1,1Vr | awk '!seen[$1]++'
}

# abi_has_binary REL: does REL come as linux-binary/-modules/-base (7.x)?
abi_has_binary() { grep -q " linux-binary-$1 " "$ABI_INDEX" 2>/dev/null; }

# kernel_release ID: the ABI this run tests for ID, as fetch-kernels.sh chose
# it (VERITYFS_ABI=pinned: the pinned one).
kernel_release() {
	local id
	id=$(kernel_field "$1" id)
	if [ "${VERITYFS_ABI:-newest}" = pinned ]; then kernel_field "$id" pinned; return; fi
	[ -s "$VERITYFS_CACHE/resolved/$id" ] || die "no kernel fetched for $id yet: run scripts/fetch-kernels.sh $id"
	cat "$VERITYFS_CACHE/resolved/$id"
}

# Where one release's packages are unpacked: k/REL/root has all of them
# (image, modules, headers), h/REL/root only what a build needs.
abi_root() {
	if [ -f "$VERITYFS_CACHE/k/$1/root/.ready" ] || [ ! -f "$VERITYFS_CACHE/h/$1/root/.ready" ]; then
		echo "$VERITYFS_CACHE/k/$1/root"
	else
		echo "$VERITYFS_CACHE/h/$1/root"
	fi
}
abi_kdir() { echo "$(abi_root "$1")/usr/src/linux-headers-$1"; }

kernel_root() { echo "$VERITYFS_CACHE/k/$(kernel_release "$1")/root"; }
kernel_kdir() { abi_kdir "$(kernel_release "$1")"; }

# Trixie and later are merged-/usr: modules live under usr/lib/modules.
abi_moddir() {
	local r
	r=$(abi_root "$1")
	if [ -d "$r/lib/modules/$1/kernel" ]; then
		echo "$r/lib/modules/$1"
	else
		echo "$r/usr/lib/modules/$1"
	fi
}
kernel_moddir() { abi_moddir "$(kernel_release "$1")"; }

# ---------------------------------------------------------------------------
# Run a command in a build environment: in_toolchain ID CMD...
# The clone and the cache are bind-mounted at their own paths inside a chroot,
# because the rewritten kernel Makefiles hold absolute paths.
in_toolchain() {
	local id=$1 tc ch; shift
	tc=$(kernel_field "$id" toolchain)
	case $tc in
	host) "$@" ;;
	gcc10) PATH=$VERITYFS_CACHE/tools/gcc10/usr/bin:$PATH "$@" ;;
	chroot:*)
		ch=$VERITYFS_CACHE/chroot/${tc#chroot:}
		[ -f "$ch/.ready" ] || die "chroot ${tc#chroot:} missing: run scripts/fetch-kernels.sh $id"
		mkdir -p "$ch$VERITYFS_CACHE" "$ch$VERITYFS_TOP"
		unshare -m --propagation private sh -c '
			c=$1 r=$2 t=$3; shift 3
			mount --bind "$c" "$r$c" && mount --bind "$t" "$r$t" &&
			mount -t proc proc "$r/proc" && exec chroot "$r" "$@"' sh \
			"$VERITYFS_CACHE" "$ch" "$VERITYFS_TOP" \
			env -i PATH=/usr/local/bin:/usr/bin:/bin HOME=/tmp LANG=C.UTF-8 \
			sh -c 'cd "$0" && exec "$@"' "$PWD" "$@"
		;;
	*) die "unknown toolchain '$tc' for kernel $id" ;;
	esac
}

# ---------------------------------------------------------------------------
# The VM pipeline: build verityfs for a kernel, pack the guest's initramfs,
# boot it. Used by vm-suite, check-panic, check-broken, vm-persist, bench
# and demo.

# vm_prepare ID OUTDIR: build/matrix/ID/verityfs.ko, its self-testing twin
# build/matrix/ID-selftest/verityfs.ko, the 0.1.0 module build/old/ID/verityfs.ko
# (scripts/build-old.sh) and OUTDIR/initrd.gz holding the three
# (the log in OUTDIR/mkinitramfs.log). The builds' TAP lines go to stdout.
# Returns 0, 2 when a build failed, 3 when the initramfs failed.
#
# VERITYFS_PREBUILT=1 (make check, check-matrix: an earlier stage has just
# built them) uses the module as it is when it exists (the self-testing one
# when it is newer), and the VM suite's initramfs build/vm/ID/initrd.gz when
# it is newer than both modules and everything else that goes into it. This
# is the only place that knows.
vm_prepare() {
	local id=$1 out=$2 m=$VERITYFS_TOP/build/matrix/$1 suite_ir=$VERITYFS_TOP/build/vm/$1/initrd.gz
	local prebuilt=${VERITYFS_PREBUILT:-0}
	mkdir -p "$out"
	# The whole kernel (image, modules), not only what the build needs.
	"$VERITYFS_TOP/scripts/fetch-kernels.sh" "$id" >&2 || return 2
	if [ "$prebuilt" != 1 ] || [ ! -f "$m/verityfs.ko" ]; then
		"$VERITYFS_TOP/scripts/matrix-build.sh" "$id" || return 2
	fi
	# The self-testing twin counts only when built after the module it goes with.
	if [ "$prebuilt" != 1 ] || [ ! "$m-selftest/verityfs.ko" -nt "$m/verityfs.ko" ]; then
		VERITYFS_SELFTEST=y "$VERITYFS_TOP/scripts/matrix-build.sh" "$id" || return 2
	fi
	# The 0.1.0 module for the compat-* cases (cached per kernel and
	# commit); a failure there is reported by its TAP line and by those
	# cases, it does not stop the others.
	"$VERITYFS_TOP/scripts/build-old.sh" "$id" || true
	if [ "$prebuilt" = 1 ] && [ -f "$suite_ir" ] && [ "$suite_ir" -nt "$m/verityfs.ko" ] &&
	   [ "$suite_ir" -nt "$m-selftest/verityfs.ko" ] &&
	   [ -z "$(find "$VERITYFS_TOP/test/vm" "$VERITYFS_TOP/scripts/mkinitramfs.sh" \
		"$VERITYFS_TOP/build/old/$id" -newer "$suite_ir" -print -quit)" ]; then
		[ "$suite_ir" -ef "$out/initrd.gz" ] || cp "$suite_ir" "$out/initrd.gz"
		return 0
	fi
	"$VERITYFS_TOP/scripts/mkinitramfs.sh" "$id" "$m/verityfs.ko" "$out/initrd.gz" \
		"$m-selftest/verityfs.ko" "$VERITYFS_TOP/build/old/$id" > "$out/mkinitramfs.log" 2>&1 || return 3
}

# vm_guest ID OUTDIR CASES: vm_prepare, then one boot running CASES (the
# guest's TAP lines on stdout, console and result port kept in OUTDIR).
# Returns vm_prepare's 2 or 3, else vm-run.sh's status (0 = VERDICT PASS).
vm_guest() {
	local rc=0
	vm_prepare "$1" "$2" || return
	"$VERITYFS_TOP/scripts/vm-run.sh" "$1" "$2/initrd.gz" "$2" "$3" || rc=$?
	return $rc
}

# SPDX-License-Identifier: GPL-2.0-only
# Shared shell helpers for the kernel matrix scripts: cache layout, the pinned
# kernel list and the private apt state. Sourced, never run.

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

# kernel_field ID COLUMN: one column (2=suite 3=release 4=kbuild 5=toolchain)
kernel_field() {
	awk -v id="$1" -v col="$2" '!/^#/ && NF >= 5 && $1 == id { print $col; found = 1 }
		END { exit !found }' "$KERNELS_LIST" || die "unknown kernel id '$1' (see $KERNELS_LIST)"
}

kernel_ids() { awk '!/^#/ && NF >= 5 { print $1 }' "$KERNELS_LIST"; }

# Where one kernel's packages are unpacked: kernel_root ID
kernel_root() { echo "$VERITYFS_CACHE/k/$(kernel_field "$1" 3)/root"; }

kernel_kdir() { echo "$(kernel_root "$1")/usr/src/linux-headers-$(kernel_field "$1" 3)"; }

# Trixie and later are merged-/usr: modules live under usr/lib/modules.
kernel_moddir() {
	local r k
	r=$(kernel_root "$1"); k=$(kernel_field "$1" 3)
	if [ -d "$r/lib/modules/$k/kernel" ]; then echo "$r/lib/modules/$k"; else echo "$r/usr/lib/modules/$k"; fi
}

APT_STATE=$VERITYFS_CACHE/apt
APT_OPTS=(-o "Dir::Etc::SourceList=$APT_STATE/sources.list" -o Dir::Etc::SourceParts=/dev/null
	-o "Dir::State::Lists=$APT_STATE/lists" -o "Dir::Cache=$APT_STATE/cache"
	-o Dir::State::status=/dev/null -o Debug::NoLocking=1 -q)

# A private apt state that can see every target suite, without touching the
# host's own apt configuration. Indexes are refreshed at most once a day.
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
		apt-get "${APT_OPTS[@]}" update >/dev/null || die "apt-get update (private state) failed"
	fi
}

# apt_fetch PKG...: download debs into the cache (skips those already there)
apt_fetch() {
	local want=() p
	for p in "$@"; do
		ls "$VERITYFS_CACHE/debs/${p}_"*.deb >/dev/null 2>&1 || want+=("$p")
	done
	[ ${#want[@]} -eq 0 ] && return 0
	(cd "$VERITYFS_CACHE/debs" && apt-get "${APT_OPTS[@]}" download "${want[@]}" >/dev/null) ||
		die "could not download: ${want[*]}"
}

# deb_path PKG: the cached deb of PKG (newest if several)
deb_path() { ls "$VERITYFS_CACHE/debs/${1}_"*.deb 2>/dev/null | sort -V | tail -n1; }

# Run a command in a build environment: in_toolchain ID CMD...
# The clone and the cache are bind-mounted at their own paths inside a chroot,
# because the rewritten kernel Makefiles hold absolute paths.
in_toolchain() {
	local id=$1 tc ch; shift
	tc=$(kernel_field "$id" 5)
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

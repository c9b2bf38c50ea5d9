# SPDX-License-Identifier: GPL-2.0-only
# L7: a casefolded ext4 lower directory works through the mount as directly.
# Copyright (C) 2026 The verityfs authors
#
# The same operations run in two casefolded directories of one ext4
# (mkfs -O casefold, chattr +F): one directly, one through verityfs; every
# result through the mount must be the lower's: create, lookup of other
# cases, mkdir, rename, listing, unlink, rmdir.

load_module
lower=$(mk_lower ext4 -O casefold) || { skip "casefold" "this kernel cannot mount a casefold ext4"; unload_module; return 0; }
mkdir "$lower/direct" "$lower/stacked"
if ! chattr +F "$lower/direct" 2>/dev/null || ! chattr +F "$lower/stacked"; then
	skip "casefold" "chattr +F refused"
	umount "$lower"
	unload_module
	return 0
fi
mnt=/mnt/vx-casefold
mkdir -p "$mnt"
mount -t verityfs "$lower" "$mnt" || { not_ok "mount verityfs"; return 0; }

# ops DIR: one line per operation, "what: result".
ops() {
	_d=$1
	echo "create Foo: $(vx-trust create "$_d/Foo")"
	_a=$(vx-trust stat "$_d/Foo") _b=$(vx-trust stat "$_d/foo")
	case $_a in
	"ok "*) [ "$_a" = "$_b" ] && echo "lookup foo finds Foo: yes" || echo "lookup foo finds Foo: $_b" ;;
	*) echo "lookup foo finds Foo: Foo is $_a" ;;
	esac
	echo "create FOO again: $(vx-trust create "$_d/FOO")"
	echo "mkdir Sub: $(vx-trust mkdir "$_d/Sub")"
	echo "mkdir SUB again: $(vx-trust mkdir "$_d/SUB")"
	echo "create sub/X: $(vx-trust create "$_d/sub/X")"
	echo "lookup SUB/x: $(vx-trust stat "$_d/SUB/x" | cut -d' ' -f1)"
	echo "rename foo Bar: $(vx-trust rename "$_d/foo" "$_d/Bar")"
	echo "lookup BAR: $(vx-trust stat "$_d/BAR" | cut -d' ' -f1)"
	echo "lookup Foo after rename: $(vx-trust stat "$_d/Foo" | cut -d' ' -f1)"
	echo "listing: $(ls "$_d" | tr '\n' ' ')"
	echo "unlink bar: $(vx-trust unlink "$_d/bar")"
	echo "unlink sub/x: $(vx-trust unlink "$_d/sub/x")"
	echo "rmdir SUB: $(vx-trust rmdir "$_d/SUB")"
	echo "listing at the end: $(ls "$_d" | tr '\n' ' ')"
}
ops "$lower/direct" > /tmp/cf.direct
ops "$mnt/stacked" > /tmp/cf.stacked
while IFS= read -r line; do
	what=${line%%: *}
	got=$(grep -F "$what: " /tmp/cf.stacked | head -n 1)
	check_eq "through verityfs as directly: $what" "$line" "$got"
done < /tmp/cf.direct
check_eq "the lower holds what was done through the mount" "listing at the end: " \
	"listing at the end: $(ls "$lower/stacked" | tr '\n' ' ')"
umount "$mnt"
umount "$lower"
check "rmmod verityfs" unload_module

# SPDX-License-Identifier: GPL-2.0-only
# Signature policy and non-root users: the mount option require_signatures on
# one mount and not on another at the same time, /proc/mounts, remount, the
# module parameter as a floor for every mount; the non-root and chattr parts
# of xfstests generic/573; no non-root path changes the keyring or the policy.
# Copyright (C) 2026 The verityfs authors

S=$DATA/sig
P=/sys/module/verityfs/parameters
NOBODY="vx-asuser 65534 65534"

check_eq "vx-asuser runs commands as uid 65534" "65534 65534" "$($NOBODY id -u) $($NOBODY id -g)"
load_module
keyctl padd asymmetric '' %keyring:.verityfs < "$S/key1.der" > /dev/null
kid=0x$(awk '$9 == ".verityfs:" { print $1 }' /proc/keys)

la=$(mk_lower ext4) || { not_ok "make lower a"; return 0; }
lb=$(mk_lower tmpfs) || { not_ok "make lower b"; return 0; }
ma=/mnt/vx-req
mb=/mnt/vx-noreq
mkdir -p "$ma" "$mb"
check "mount a with -o require_signatures" mount -t verityfs -o require_signatures "$la" "$ma"
check "mount b without it" mount -t verityfs "$lb" "$mb"
check "/proc/mounts shows require_signatures on a" \
	grep -q "^$la $ma verityfs .*require_signatures" /proc/mounts
check_eq "and nothing of it on b" "" "$(grep "^$lb $mb verityfs" /proc/mounts | grep signatures)"
mkdir -p /mnt/vx-bad
check_fails "require_signatures takes no value" "Invalid argument" \
	mount -t verityfs -o require_signatures=1 "$lb" /mnt/vx-bad
check_fails "the old sig= option is gone" "Invalid argument" \
	mount -t verityfs -o sig=required "$lb" /mnt/vx-bad

# new NAME DIR: 100000 zero bytes, writable by everyone (as generic/577's file).
new() { rm -f "$2/$1"; head -c 100000 /dev/zero > "$2/$1"; chmod 666 "$2/$1"; }
sig=$S/zero100k.key1.sig
sigopt=--signature=$sig

# Both mounts at once, both directions.
new u "$ma"; new u "$mb"; new s "$ma"; new s "$mb"
check_fails "a: unsigned enable is EPERM" "Operation not permitted" fsverity enable "$ma/u"
check "b, at the same time: unsigned enable succeeds" fsverity enable "$mb/u"
check "a: signed enable succeeds" fsverity enable "$sigopt" "$ma/s"
check "b: signed enable succeeds" fsverity enable "$sigopt" "$mb/s"
new w "$mb"
check_fails "b: another file's signature is EKEYREJECTED though not required" \
	"Key was rejected by service" fsverity enable --signature="$S/x100k.sig" "$mb/w"

# Remount changes the option, and /proc/mounts follows.
check "remount a norequire_signatures" mount -o remount,norequire_signatures "$ma"
check_eq "/proc/mounts: a no longer requires" "" "$(grep "^$la $ma verityfs" /proc/mounts | grep signatures)"
check "a: unsigned enable now succeeds" fsverity enable "$ma/u"
check "remount b require_signatures" mount -o remount,require_signatures "$mb"
check "/proc/mounts: b requires" grep -q "^$lb $mb verityfs .*require_signatures" /proc/mounts
check_fails "b: unsigned enable is now EPERM" "Operation not permitted" fsverity enable "$mb/w"
check "remount b ro keeps require_signatures" sh -c \
	"mount -o remount,ro '$mb' && grep -q '^$lb $mb verityfs ro.*require_signatures' /proc/mounts"
mount -o remount,rw "$mb"

# At load: an unsigned verity file opens where it is not required only.
umount "$ma"; umount "$mb"
mount -t verityfs -o require_signatures "$lb" "$mb"
mount -t verityfs "$la" "$ma"
check_fails "b remounted requiring: its unsigned verity file is EPERM at open" \
	"Operation not permitted" cat "$mb/u"
check "a, not requiring: its unsigned verity file opens" cmp "$ma/u" "$mb/s"
check "b: its signed verity file opens" cmp "$mb/s" "$ma/u"

# The module parameter is a floor: with it, every mount requires.
mount -o remount,norequire_signatures "$mb"
new f "$mb"
check "root sets the module parameter require_signatures=1" sh -c "echo 1 > $P/require_signatures"
check_fails "then a mount without the option requires too" "Operation not permitted" \
	fsverity enable "$mb/f"
check_fails "and norequire_signatures does not lift it" "Operation not permitted" \
	sh -c "mount -o remount,norequire_signatures '$mb' && fsverity enable '$mb/f'"
echo 0 > $P/require_signatures
check "parameter back to 0: the mount follows it" fsverity enable "$mb/f"

# trust_system_keyrings: signers are also looked up in the kernel's keyrings,
# so an empty .verityfs no longer short-circuits to ENOKEY.
keyctl clear %keyring:.verityfs
new g "$mb"
echo foobarbaz > /tmp/malformed.sig
check_fails "empty keyring: a malformed signature is ENOKEY" "Required key not available" \
	fsverity enable --signature=/tmp/malformed.sig "$mb/g"
echo 1 > $P/trust_system_keyrings
check_fails "trust_system_keyrings=1: the same is parsed (EBADMSG)" "Bad message" \
	fsverity enable --signature=/tmp/malformed.sig "$mb/g"
check_fails "trust_system_keyrings=1: a signer in no keyring is ENOKEY" \
	"Required key not available" fsverity enable "$sigopt" "$mb/g"
echo 0 > $P/trust_system_keyrings
keyctl padd asymmetric '' %keyring:.verityfs < "$S/key1.der" > /dev/null

# Non-root (generic/573 and more). a does not require, b does.
mount -o remount,norequire_signatures "$ma"
mount -o remount,require_signatures "$mb"
new n1 "$ma"; new n2 "$ma"; new n3 "$mb"; new n4 "$mb"; new n5 "$ma"
check "573: non-root enables verity on a 0666 file" $NOBODY fsverity enable "$ma/n1"
check_eq "573: and measures it" "$(fsverity digest "$ma/n1" | cut -d' ' -f1)" \
	"$($NOBODY fsverity measure "$ma/n1" | cut -d' ' -f1)"
check "non-root enables with a signature" $NOBODY fsverity enable "$sigopt" "$ma/n2"
check_fails "non-root, signatures required, unsigned: EPERM" "Operation not permitted" \
	$NOBODY fsverity enable "$mb/n3"
check "non-root, signatures required, signed: succeeds" $NOBODY fsverity enable "$sigopt" "$mb/n4"
chmod 444 "$ma/n5"
check_fails "573: non-root without write permission: EACCES" "Permission denied" \
	$NOBODY fsverity enable "$ma/n5"
chmod 666 "$ma/n5"
chattr +a "$ma/n5"
check_fails "573: append-only file: EPERM" "Operation not permitted" fsverity enable "$ma/n5"
chattr -a "$ma/n5"
chattr +i "$ma/n5"
check_fails "573: immutable file: EPERM" "Operation not permitted" fsverity enable "$ma/n5"
chattr -i "$ma/n5"
check "573: with both flags cleared it enables" fsverity enable "$ma/n5"

# No non-root path changes the keyring or the policy.
check_eq "non-root does not see the keyring in /proc/keys" 0 \
	"$($NOBODY cat /proc/keys | grep -c '\.verityfs')"
check_fails "non-root cannot add a certificate" "Permission denied" \
	sh -c "$NOBODY keyctl padd asymmetric '' $kid < '$S/key2.der'"
check_fails "non-root cannot clear the keyring" "Permission denied" \
	$NOBODY keyctl clear "$kid"
check_fails "non-root cannot restrict the keyring" "Permission denied" \
	$NOBODY keyctl restrict_keyring "$kid"
cert=$(keyctl rlist %keyring:.verityfs)
check_fails "non-root cannot unlink a certificate from the keyring" "Permission denied" \
	$NOBODY keyctl unlink "$cert" "$kid"
check_eq "the keyring still holds its one certificate" 1 \
	"$(keyctl rlist %keyring:.verityfs | wc -w)"
check_fails "non-root cannot set require_signatures" "denied" \
	$NOBODY sh -c "echo 1 > $P/require_signatures"
check_fails "non-root cannot set trust_system_keyrings" "denied" \
	$NOBODY sh -c "echo 1 > $P/trust_system_keyrings"
check_eq "the parameters are unchanged" "N N" \
	"$(cat $P/require_signatures) $(cat $P/trust_system_keyrings)"
check_fails "non-root cannot remount away require_signatures" "denied\|not permitted" \
	$NOBODY mount -o remount,norequire_signatures "$mb"
check "b still requires" grep -q "^$lb $mb verityfs .*require_signatures" /proc/mounts

umount "$ma"; umount "$mb"
umount "$la"; umount "$lb"
check "a module loaded with require_signatures=1" \
	sh -c "rmmod verityfs && modprobe verityfs require_signatures=1"
check_eq "shows it in sysfs" Y "$(cat $P/require_signatures)"
unload_module

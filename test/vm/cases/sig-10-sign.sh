# SPDX-License-Identifier: GPL-2.0-only
# Builtin signatures: the .verityfs keyring, every assertion of xfstests
# generic/577 and 625 (with the module parameter require_signatures in place
# of the fs.verity sysctl and .verityfs in place of .fs-verity), upstream's
# errnos, and verification again whenever a file's state is loaded. Keys,
# certificates and signatures are made on the host by openssl and the stock
# `fsverity sign` at every run (test/vm/host-data.sh); the oracle is upstream's
# errnos as the stock tool prints them.
# Copyright (C) 2026 The verityfs authors

S=$DATA/sig
P=/sys/module/verityfs/parameters
modprobe -q sha512_generic 2>/dev/null	# =m on 5.10 and 6.1

# The kernel's own fs-verity state, which verityfs must never touch.
native_state() {
	cat /proc/sys/fs/verity/require_signatures 2>/dev/null
	keyctl list %keyring:.fs-verity 2>/dev/null
}
native_before=$(native_state)
# qnkeys/maxkeys of uid 0, once keyctl has made root's own keyrings.
root_quota() { awk '$1 == "0:" { print $4 }' /proc/key-users; }
keyctl describe @u > /dev/null 2>&1; keyctl describe @us > /dev/null 2>&1
keyctl describe @s > /dev/null 2>&1
quota_before=$(root_quota)

load_module
check_eq "the keyring is not charged to root's key quota" "$quota_before" "$(root_quota)"
check "keyctl finds %keyring:.verityfs" keyctl describe %keyring:.verityfs
check_eq "the keyring is empty at load" "keyring is empty" "$(keyctl list %keyring:.verityfs 2>&1)"
check_eq "exactly one keyring named .verityfs" 1 "$(awk '$9 == ".verityfs:"' /proc/keys | wc -l)"
check_eq "require_signatures defaults to N" N "$(cat $P/require_signatures)"
check_eq "trust_system_keyrings defaults to N" N "$(cat $P/trust_system_keyrings)"

lower=$(mk_lower ext4) || { not_ok "make the lower"; return 0; }
mnt=/mnt/vx-sig
mkdir -p "$mnt"
mount -t verityfs "$lower" "$mnt" || { not_ok "mount verityfs"; return 0; }
f=$mnt/file.fsv
orig=/tmp/zero100k
head -c 100000 /dev/zero > "$orig"
reset_file() { rm -f "$f"; cp "$orig" "$f"; }
# shellcheck disable=SC2120 # mount options, when a step has any
cycle() { umount "$mnt" && mount -t verityfs "$@" "$lower" "$mnt"; }

# Upstream (6.6+): an empty keyring refuses any signature before parsing it.
reset_file
check_fails "empty keyring: a valid signature is ENOKEY" "Required key not available" \
	fsverity enable --signature="$S/zero100k.key1.sig" "$f"
echo foobarbaz > /tmp/malformed.sig
check_fails "empty keyring: garbage is ENOKEY too (never parsed)" "Required key not available" \
	fsverity enable --signature=/tmp/malformed.sig "$f"
# The mount's major:minor, as its log lines name it.
mdev() { awk -v m="$mnt" '$5 == m { print $3 }' /proc/self/mountinfo | tail -n1; }
check "the refusal names the mount, the inode and the empty keyring in the log" \
	sh -c "dmesg | tail -n 5 | grep -q 'verityfs ($(mdev), inode $(stat -c %i "$f")): signature refused: the .verityfs keyring is empty'"

check "keyctl padd asymmetric '' %keyring:.verityfs < cert.der" \
	sh -c "keyctl padd asymmetric '' %keyring:.verityfs < '$S/key1.der'"
check "root turns on require_signatures at run time" sh -c "echo 1 > $P/require_signatures"

# generic/577
reset_file
check "577: enabling with a valid signature succeeds" \
	fsverity enable --signature="$S/zero100k.key1.sig" "$f"
check "577: and the contents are unchanged" cmp "$f" "$orig"
check_eq "577: measure equals fsverity digest" \
	"$(fsverity digest "$orig" | cut -d' ' -f1)" "$(fsverity measure "$f" | cut -d' ' -f1)"
mv "$f" "$mnt/signed"
reset_file
check_fails "577: enabling without a signature fails: EPERM" "Operation not permitted" \
	fsverity enable "$f"
check "577: the file stays a plain, writable file" sh -c "echo more >> '$f'"
reset_file
echo 0 > $P/require_signatures
check "577: (an unsigned verity file while not required)" fsverity enable "$f"
echo 1 > $P/require_signatures
cycle
check_fails "577: opening the unsigned verity file after a mount cycle: EPERM" \
	"Operation not permitted" md5sum "$f"
check "and the signed file opens after the mount cycle" cmp "$mnt/signed" "$orig"
reset_file
# The mount's counter (docs/reporting.md) counts each of the three refusals below.
sigfail() { cat "/sys/fs/verityfs/$(awk -v m="$mnt" '$5 == m { print $3 }' /proc/self/mountinfo | tail -n1)/sig_failures"; }
fails_before=$(sigfail)
check_fails "577: an untrusted signer is ENOKEY" "Required key not available" \
	fsverity enable --signature="$S/zero100k.key2.sig" "$f"
check "the log line names the errno as the kernel does (%pe): (-ENOKEY)" \
	sh -c "dmesg | tail -n 5 | grep -q 'verityfs ($(mdev), inode $(stat -c %i "$f")): signature refused (-ENOKEY): its signer'"
check_fails "577: another file's signature is EKEYREJECTED" "Key was rejected by service" \
	fsverity enable --signature="$S/x100k.sig" "$f"
check_fails "577: a malformed signature is EBADMSG" "Bad message" \
	fsverity enable --signature=/tmp/malformed.sig "$f"
check "every refusal leaves the file plain" sh -c "echo more >> '$f'"
check_eq "the mount's sig_failures counted the three refusals" $((fails_before + 3)) "$(sigfail)"
reset_file
check "577: salted (abcd) and signed" \
	fsverity enable --salt=abcd --signature="$S/zero100k.salted.sig" "$f"
check "577: salted contents unchanged" cmp "$f" "$orig"
mv "$f" "$mnt/salted"
reset_file
check "577: sha512 and signed" \
	fsverity enable --hash-alg=sha512 --signature="$S/zero100k.sha512.sig" "$f"
check "577: sha512 contents unchanged" cmp "$f" "$orig"
mv "$f" "$mnt/sha512"
: > "$mnt/empty"
check "577: the empty file, signed" fsverity enable --signature="$S/empty.sig" "$mnt/empty"

# Beyond 577: the sizes at the limit, and a signature made in the guest.
reset_file
head -c 16129 /dev/zero > /tmp/oversize.sig
check_fails "a 16129-byte signature is EMSGSIZE" "Message too long" \
	fsverity enable --signature=/tmp/oversize.sig "$f"
head -c 16128 /dev/zero > /tmp/maxsize.sig
check_fails "a 16128-byte one is parsed (EBADMSG, not EMSGSIZE)" "Bad message" \
	fsverity enable --signature=/tmp/maxsize.sig "$f"
head -c 4097 "$DATA/rand1m" > "$mnt/guest"
if fsverity sign "$mnt/guest" /tmp/guest.sig --key="$S/key1.pem" --cert="$S/key1.crt.pem" \
		--block-size=1024 > /dev/null 2>&1; then
	check "a signature made in the guest (block size 1024)" \
		fsverity enable --block-size=1024 --signature=/tmp/guest.sig "$mnt/guest"
else
	skip "a signature made in the guest" "fsverity sign failed in the guest"
fi

# generic/625: the signature reads back as given, whole and in 13-byte chunks.
for n in signed salted sha512 empty; do
	case $n in
	signed) sig=$S/zero100k.key1.sig ;; salted) sig=$S/zero100k.salted.sig ;;
	sha512) sig=$S/zero100k.sha512.sig ;; empty) sig=$S/empty.sig ;;
	esac
	check "625: dump_metadata signature of '$n' equals the signature given" \
		sh -c "fsverity dump_metadata signature '$mnt/$n' | cmp - '$sig'"
	# Chunked reads of one file are enough: each is a whole tool run under TCG.
	[ $n = signed ] || continue
	size=$(stat -c %s "$sig")
	: > /tmp/chunks
	off=0
	while [ $off -lt $size ]; do
		fsverity dump_metadata signature "$mnt/$n" --offset=$off --length=13 >> /tmp/chunks
		off=$((off + 13))
	done
	check "625: and so in 13-byte chunks ($n)" cmp /tmp/chunks "$sig"
done
echo 0 > $P/require_signatures
reset_file
fsverity enable "$f"
check_fails "dump_metadata signature of an unsigned file: ENODATA" "No data available" \
	fsverity dump_metadata signature "$f"

# Verified again at every load, against the keyring as it is then.
cycle
check "after a mount cycle the signed files measure" \
	fsverity measure "$mnt/signed" "$mnt/salted" "$mnt/sha512" "$mnt/empty"
cycle
keyctl clear %keyring:.verityfs
check_fails "keyring cleared: a signed file no longer opens (ENOKEY)" \
	"Required key not available" cat "$mnt/signed"
check "and an unsigned one still does (not required)" cmp "$f" "$orig"
keyctl padd asymmetric '' %keyring:.verityfs < "$S/key2.der" > /dev/null
check_fails "only another signer's cert: ENOKEY" "Required key not available" cat "$mnt/salted"
keyctl padd asymmetric '' %keyring:.verityfs < "$S/key1.der" > /dev/null
check "its signer back: it opens" cmp "$mnt/salted" "$orig"

# Root can lock the keyring: no key can be added after that.
check "keyctl restrict_keyring %keyring:.verityfs" keyctl restrict_keyring %keyring:.verityfs
keyctl clear %keyring:.verityfs
check_fails "a restricted keyring takes no new certificate" "not permitted" \
	sh -c "keyctl padd asymmetric '' %keyring:.verityfs < '$S/key1.der'"

umount "$mnt"
umount "$lower"
check "rmmod verityfs" unload_module
check_eq "the kernel's own .fs-verity keyring and fs.verity sysctl are untouched" \
	"$native_before" "$(native_state)"
load_module
# The old keyring goes with the garbage collector's next run.
n=0
while [ "$(awk '$9 == ".verityfs:"' /proc/keys | wc -l)" != 1 ] && [ $n -lt 50 ]; do
	sleep 0.1; n=$((n + 1))
done
check_eq "after a reload one keyring named .verityfs is left" 1 \
	"$(awk '$9 == ".verityfs:"' /proc/keys | wc -l)"
check_eq "a reload makes a fresh, empty and unrestricted keyring" "keyring is empty" \
	"$(keyctl list %keyring:.verityfs 2>&1)"
check "which takes certificates again" \
	sh -c "keyctl padd asymmetric '' %keyring:.verityfs < '$S/key1.der'"
unload_module

# SPDX-License-Identifier: GPL-2.0-only
# Issue 15: IMA's digest_type=verity (5.19 and later) measures a verityfs
# verity file by its fs-verity digest, as it measures a native ext4 one.
# Copyright (C) 2026 The verityfs authors
#
# IMA is built in (CONFIG_IMA=y) without CONFIG_IMA_WRITE_POLICY, so the
# policy can be written once per boot: this case writes the only one, two
# measure rules, both limited to files owned by uid 4242 (this case's files)
# so that the cases after it are not measured:
#   verityfs (fsmagic 0x76667953) and the native ext4 made here (its fsuuid),
#   func=FILE_CHECK digest_type=verity template=ima-ngv2.
# Oracles: the stock `fsverity digest` of the bytes, and what IMA records for
# the native ext4 files (ima-ngv2's d-ngv2 field, "verity:ALG:HEX"); a plain
# verityfs file must be recorded as a plain ext4 file is.

if ! kver_at_least 5 19; then
	skip "IMA digest_type=verity over verityfs" "IMA has no digest_type=verity before 5.19 ($KVER)"
	return 0
fi
sec=/sys/kernel/security
grep -q " $sec securityfs " /proc/mounts || mount -t securityfs securityfs $sec 2>/dev/null
if [ ! -d $sec/ima ]; then
	skip "IMA digest_type=verity over verityfs" "no $sec/ima (IMA not built in)"
	return 0
fi
if [ ! -e $sec/ima/policy ]; then
	skip "IMA digest_type=verity over verityfs" "the IMA policy was already written in this boot"
	return 0
fi
modprobe -q sha512_generic 2>/dev/null	# =m on 6.1
load_module
owner=4242
uuid=6f1c0d2a-6b7e-4c1d-9a3e-0f2b8c4d7e61
head -c 100000 "$DATA/rand1m" > /tmp/ima-data
head -c 4097 "$DATA/rand1m" > /tmp/ima-b1k
dig256=$(fsverity digest /tmp/ima-data | cut -d' ' -f1)
dig512=$(fsverity digest --hash-alg=sha512 /tmp/ima-data | cut -d' ' -f1)
dig1k=$(fsverity digest --block-size=1024 /tmp/ima-b1k | cut -d' ' -f1)

# mk_files DIR: v (verity), s512 (sha512), p (plain), b1k (1 KiB blocks,
# where the filesystem takes it), all owned by $owner.
mk_files() {
	for n in v s512 p; do cp /tmp/ima-data "$1/$n"; done
	cp /tmp/ima-b1k "$1/b1k"
	chown $owner "$1/v" "$1/s512" "$1/p" "$1/b1k" || return 1
	fsverity enable "$1/v" && fsverity enable --hash-alg=sha512 "$1/s512" || return 1
	fsverity enable --block-size=1024 "$1/b1k" 2>/dev/null || rm -f "$1/b1k"
	return 0
}

nat=$(mk_lower ext4 -O verity -U $uuid) || { not_ok "native: make an ext4 with -O verity"; return 0; }
mk_files "$nat" || { not_ok "native: make the files"; return 0; }
mnt=
for fs in $LOWERS; do
	lower=$(mk_lower "$fs") || { not_ok "verityfs-$fs: make the lower"; continue; }
	mkdir -p "/mnt/vx-ima-$fs"
	mount -t verityfs "$lower" "/mnt/vx-ima-$fs" || { not_ok "verityfs-$fs: mount verityfs"; continue; }
	mk_files "/mnt/vx-ima-$fs" || { not_ok "verityfs-$fs: make the files"; continue; }
	mnt="$mnt /mnt/vx-ima-$fs"
done

policy="measure func=FILE_CHECK fsmagic=0x76667953 fowner=$owner digest_type=verity template=ima-ngv2
measure func=FILE_CHECK fsuuid=$uuid fowner=$owner digest_type=verity template=ima-ngv2"
if ! err=$(printf '%s\n' "$policy" 2>&1 > $sec/ima/policy); then
	case $err in
	*"Permission denied"*|*"busy"*)
		skip "IMA digest_type=verity over verityfs" "the IMA policy cannot be written: $err"
		return 0 ;;
	esac
	not_ok "write the IMA policy" "$err; $(dmesg | grep -i ima | tail -n 2 | tr '\n' ' ')"
	return 0
fi
ok "write the IMA policy (verityfs by fsmagic, the native ext4 by fsuuid, uid $owner only)"

# record FILE: the d-ngv2 field IMA recorded for FILE, or "none".
record() {
	awk -v p="$1" '$3 == "ima-ngv2" && $5 == p { r = $4 } END { print (r == "" ? "none" : r) }' \
		$sec/ima/ascii_runtime_measurements
}
for d in "$nat" $mnt; do
	for n in v s512 p b1k; do
		[ -e "$d/$n" ] && cat "$d/$n" > /dev/null
	done
done

check_eq "native: a verity file: IMA records its fs-verity digest" "verity:$dig256" "$(record "$nat/v")"
check_eq "native: sha512: IMA records the sha512 fs-verity digest" "verity:$dig512" "$(record "$nat/s512")"
plain=$(record "$nat/p")
diag "native: a plain file is recorded as: $plain"
case $plain in
verity:sha256:*[1-9a-f]*) not_ok "native: a plain file has no fs-verity digest in IMA's record" "$plain" ;;
*) ok "native: a plain file has no fs-verity digest in IMA's record ($plain)" ;;
esac
if [ -e "$nat/b1k" ]; then
	check_eq "native: 1 KiB Merkle blocks: IMA records the digest" "verity:$dig1k" "$(record "$nat/b1k")"
else
	diag "native: ext4 took no 1 KiB Merkle blocks on $KVER"
fi

for d in $mnt; do
	side=verityfs-${d#/mnt/vx-ima-}
	check_eq "$side: fsverity measure through verityfs equals the stock digest" \
		"$dig256" "$(fsverity measure "$d/v" | cut -d' ' -f1)"
	check_eq "$side: a verity file: IMA records its fs-verity digest, as for native ext4" \
		"verity:$dig256" "$(record "$d/v")"
	check_eq "$side: sha512: IMA records the sha512 fs-verity digest, as for native ext4" \
		"verity:$dig512" "$(record "$d/s512")"
	check_eq "$side: a plain file: IMA records what it records for a plain ext4 file" \
		"$plain" "$(record "$d/p")"
	# Before 6.3 fs/verity takes no 1 KiB Merkle blocks: IMA then sees a
	# verity file without a digest, which it records as a plain one.
	if kver_at_least 6 3; then
		check_eq "$side: 1 KiB Merkle blocks: IMA records the digest (6.3 and later)" \
			"verity:$dig1k" "$(record "$d/b1k")"
	else
		check_eq "$side: 1 KiB Merkle blocks: IMA records no digest before 6.3 (as a plain file)" \
			"$plain" "$(record "$d/b1k")"
	fi
done

# Appraisal (appraise ... digest_type=verity with a signature in
# security.ima) needs evmctl to make the signature: not in this guest.
if command -v evmctl > /dev/null; then
	diag "evmctl is present, but the policy is written: appraisal is not tested here"
fi
skip "IMA appraisal with digest_type=verity" "not tested: no evmctl in the guest, and one policy per boot"

for d in $mnt; do umount "$d"; done
umount "$nat"
check "rmmod verityfs" unload_module

# SPDX-License-Identifier: GPL-2.0-only
# `verityfs load-keys` (tools/cmd_load_keys.c), which the package runs at
# every load of the module (debian/verityfs-tools.modprobe): the certificates
# of a directory, PEM (one or several per file) and DER, go into .verityfs,
# without keyutils; files with other names are ignored, a bad certificate is
# reported and the others still load; without the module there is no
# keyring and it says so. The oracle is the kernel: a file signed by a
# loaded signer enables under require_signatures, one by an unknown signer
# does not.
# Copyright (C) 2026 The verityfs authors

S=$DATA/sig
K=/tmp/keys
mkdir -p "$K"
verityfs load-keys "$K" > /tmp/out 2>&1; rc=$?
check_eq "without the module: exit 4, no keyring" \
	"4 verityfs load-keys: no .verityfs keyring in /proc/keys: is the verityfs module loaded?" \
	"$rc $(cat /tmp/out)"

load_module
nkeys() { keyctl rlist %keyring:.verityfs 2>/dev/null | wc -w; }
verityfs load-keys "$K" > /tmp/out 2>&1; rc=$?
check_eq "an empty directory: exit 0, nothing added" "0 0" "$rc $(nkeys)"
verityfs load-keys /nonexistent > /dev/null 2>&1; rc=$?
check_eq "a missing directory: exit 0 (nothing to load)" 0 "$rc"

# key1 as PEM, key2 as DER, both in one PEM bundle too; a note that is no certificate.
cp "$S/key1.crt.pem" "$K/10-key1.pem"
cp "$S/key2.der" "$K/20-key2.der"
echo "not a certificate" > "$K/README"
verityfs load-keys "$K" > /tmp/out 2>&1; rc=$?
diag "$(tr '\n' '|' < /tmp/out)"
check_eq "PEM and DER: exit 0, two keys in .verityfs" "0 2" "$rc $(nkeys)"
check "each added certificate is named" \
	sh -c "grep -q '10-key1.pem: certificate 1 added to .verityfs as key' /tmp/out &&
	       grep -q '20-key2.der: certificate 1 added to .verityfs as key' /tmp/out"
check "keyctl shows them as asymmetric keys" \
	sh -c "keyctl rlist %keyring:.verityfs | xargs -n1 keyctl rdescribe | grep -c '^asymmetric;' | grep -qx 2"
verityfs load-keys "$K" > /dev/null 2>&1; rc=$?
check_eq "loading again replaces them: exit 0, still two keys" "0 2" "$rc $(nkeys)"

# The kernel trusts what was loaded.
lower=$(mk_lower ext4) || { not_ok "make the lower"; return 0; }
mnt=/mnt/vx-keys
mkdir -p "$mnt"
mount -t verityfs -o require_signatures "$lower" "$mnt" || { not_ok "mount verityfs"; return 0; }
head -c 100000 /dev/zero > "$mnt/f1"
check "a file signed by key1 (loaded from PEM) enables under require_signatures" \
	fsverity enable --signature="$S/zero100k.key1.sig" "$mnt/f1"
head -c 100000 /dev/zero > "$mnt/f2"
check "a file signed by key2 (loaded from DER) enables too" \
	fsverity enable --signature="$S/zero100k.key2.sig" "$mnt/f2"
head -c 100000 /dev/zero > "$mnt/f3"
check_fails "an unsigned one does not" "Operation not permitted" fsverity enable "$mnt/f3"

# A bundle, a broken file among good ones, --kmsg.
keyctl clear %keyring:.verityfs
rm -f "$K"/*
cat "$S/key1.crt.pem" "$S/key2.crt.pem" > "$K/bundle.crt"
printf -- '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n' > "$K/broken.pem"
log_mark
verityfs load-keys --kmsg "$K" > /tmp/out 2>&1; rc=$?
diag "$(tr '\n' '|' < /tmp/out)"
check_eq "a bundle of two and a broken file: exit 1, the two loaded" "1 2" "$rc $(nkeys)"
check "the broken certificate is named with the kernel's reason" \
	grep -q "broken.pem: certificate 1 refused: " /tmp/out
kmsg_has() { log_since | grep -q "$1"; }
check "--kmsg: the summary is in the kernel log" \
	kmsg_has "verityfs load-keys: 1 of 2 certificate files from $K refused"
umount "$mnt"
umount "$lower"
check "rmmod verityfs" unload_module

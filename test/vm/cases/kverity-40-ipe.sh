# SPDX-License-Identifier: GPL-2.0-only
# Issue 15: IPE (6.12 and later) and verityfs verity files: a policy that lets
# only one fs-verity digest execute, besides the initramfs.
# Copyright (C) 2026 The verityfs authors
#
# IPE takes a policy from user space only as PKCS#7 signed data whose signer
# is in the kernel's builtin or secondary trusted keyrings (or the platform
# keyring, from UEFI). The secondary keyring takes only keys vouched for by
# one already there, and this guest boots without UEFI, so no key of ours can
# sign a policy that IPE takes. The case proves that (an unsigned policy is
# EBADMSG, one signed by a test key ENOKEY, the test key stays out of the
# secondary keyring) and runs the rows below only if a policy did go in:
#   policy: DEFAULT action=ALLOW; DEFAULT op=EXECUTE action=DENY;
#           op=EXECUTE boot_verified=TRUE action=ALLOW (the initramfs: busybox,
#           the tools); op=EXECUTE fsverity_digest=sha256:D action=ALLOW
#   a verity copy of a static binary whose digest is D executes, on verityfs
#   and on native ext4; a verity copy with another digest and a plain copy
#   are refused (EACCES); at the end an allow-all policy of a higher version
#   is made active.
# Without a policy only the baseline runs: each copy executes.

sec=/sys/kernel/security
grep -q " $sec securityfs " /proc/mounts || mount -t securityfs securityfs $sec 2>/dev/null
ipe=$sec/ipe
if [ ! -d $ipe ]; then
	skip "IPE over verityfs" "no $ipe on $KVER (IPE is 6.12 and later, and must be in lsm=)"
	return 0
fi
S=$DATA/sig
load_module

# The copies: "allowed" (verity, digest D), "other" (the binary with bytes
# appended, verity, another digest) and "plain" (not verity).
cp /bin/vx-kverity /tmp/ipe-allowed
{ cat /bin/vx-kverity; echo "another digest"; } > /tmp/ipe-other
dig=$(fsverity digest /tmp/ipe-allowed | cut -d' ' -f1)
# mk_bins DIR
mk_bins() {
	cp /tmp/ipe-allowed "$1/allowed" && cp /tmp/ipe-other "$1/other" &&
		cp /tmp/ipe-allowed "$1/plain" && chmod 0755 "$1/allowed" "$1/other" "$1/plain" &&
		fsverity enable "$1/allowed" && fsverity enable "$1/other"
}
nat=$(mk_lower ext4 -O verity) || { not_ok "native: make an ext4 with -O verity"; return 0; }
lower=$(mk_lower ext4) || { not_ok "verityfs: make the lower"; return 0; }
mnt=/mnt/vx-ipe
mkdir -p "$mnt"
mount -t verityfs "$lower" "$mnt" || { not_ok "verityfs: mount"; return 0; }
mk_bins "$nat" || not_ok "native: make the copies"
mk_bins "$mnt" || not_ok "verityfs: make the copies"
check_eq "verityfs: the allowed copy measures D through verityfs" \
	"$dig" "$(fsverity measure "$mnt/allowed" | cut -d' ' -f1)"

# rows PHASE: execute each copy on both sides; WANT_* per copy.
rows() {
	for side in native verityfs; do
		if [ $side = native ]; then d=$nat; else d=$mnt; fi
		check_eq "$1: $side: the verity copy with digest D" "$want_allowed" "$(vx-kverity exec "$d/allowed")"
		check_eq "$1: $side: a verity copy with another digest" "$want_other" "$(vx-kverity exec "$d/other")"
		check_eq "$1: $side: a plain copy" "$want_plain" "$(vx-kverity exec "$d/plain")"
	done
}
active_policy() {
	for _p in "$ipe"/policies/*; do
		[ "$(cat "$_p/active" 2>/dev/null)" = 1 ] && echo "${_p##*/}"
	done
}
before=$(active_policy)
if [ -n "$before" ]; then
	skip "IPE over verityfs" "a policy ($before) is already active in this boot"
	return 0
fi
want_allowed=ok want_other=ok want_plain=ok
rows "no IPE policy"

hex=${dig#sha256:}
cat > /tmp/ipe-policy <<EOF
policy_name=vx_kverity policy_version=0.0.1
DEFAULT action=ALLOW
DEFAULT op=EXECUTE action=DENY
op=EXECUTE boot_verified=TRUE action=ALLOW
op=EXECUTE fsverity_digest=sha256:$hex action=ALLOW
EOF
cat > /tmp/ipe-allow-all <<EOF
policy_name=vx_allow_all policy_version=0.0.2
DEFAULT action=ALLOW
EOF
# deploy FILE: write FILE to new_policy in one write, as the kernel wants.
deploy() { dd if="$1" of=$ipe/new_policy bs=64k 2>&1 >/dev/null | grep -v records; }

check_fails "IPE refuses an unsigned policy (EBADMSG)" "Bad message" \
	sh -c "dd if=/tmp/ipe-policy of=$ipe/new_policy bs=64k 2>&1 | grep -v records; [ -d $ipe/policies/vx_kverity ]"
openssl smime -sign -in /tmp/ipe-policy -signer "$S/key1.crt.pem" -inkey "$S/key1.pem" \
	-binary -outform der -noattr -nodetach -out /tmp/ipe-policy.p7s 2>/dev/null
openssl smime -sign -in /tmp/ipe-allow-all -signer "$S/key1.crt.pem" -inkey "$S/key1.pem" \
	-binary -outform der -noattr -nodetach -out /tmp/ipe-allow-all.p7s 2>/dev/null
if out=$(keyctl padd asymmetric '' %keyring:.secondary_trusted_keys < "$S/key1.der" 2>&1); then
	not_ok "the test key cannot join the secondary trusted keyring" "keyctl added it: $out"
else
	ok "the test key cannot join the secondary trusted keyring ($(echo "$out" | tail -n 1))"
fi
deploy /tmp/ipe-policy.p7s > /tmp/ipe-err
if [ ! -d $ipe/policies/vx_kverity ]; then
	if grep -q "Required key not available\|Key was rejected" /tmp/ipe-err; then
		ok "IPE refuses a policy signed by a key outside its keyrings ($(tr '\n' ' ' < /tmp/ipe-err))"
	else
		not_ok "IPE refuses a policy signed by a key outside its keyrings" \
			"expected ENOKEY or EKEYREJECTED, got: $(tr '\n' ' ' < /tmp/ipe-err)"
	fi
	for r in "fsverity_digest= allows the verity copy with that digest" \
		"fsverity_digest= does not allow another digest (EACCES)" \
		"a plain copy is refused (EACCES)" \
		"fsverity_signature=TRUE for a file signed through verityfs"; do
		skip "IPE policy: $r" "no IPE policy can be deployed in this guest (it needs a signer in the kernel's trusted keyrings)"
	done
else
	# Only reached on a kernel that took the test key's policy.
	check "activate the policy" sh -c "echo 1 > $ipe/policies/vx_kverity/active"
	want_allowed=ok want_other=EACCES want_plain=EACCES
	rows "IPE policy active"
	check "busybox still runs (boot_verified)" true
	deploy /tmp/ipe-allow-all.p7s > /dev/null
	check "activate an allow-all policy of a higher version" \
		sh -c "echo 1 > $ipe/policies/vx_allow_all/active"
	skip "IPE policy: fsverity_signature=TRUE for a file signed through verityfs" \
		"not tested: fs/verity is never given verityfs's signatures"
fi

umount "$mnt"
free_lower "$lower"
free_lower "$nat"
check "rmmod verityfs" unload_module

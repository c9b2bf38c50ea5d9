# SPDX-License-Identifier: GPL-2.0-only
# The kernel half of the verity path (crypto_shash backend, descriptor, file
# digest, hash-block cache, block verification) checked inside this kernel by
# the self-testing build of the module, against digests of the stock
# `fsverity digest` (src/selftest.c).
# Copyright (C) 2026 The verityfs authors

if [ ! -f /lib/verityfs-selftest.ko ]; then
	skip "kernel self-tests" "no self-testing module in this initramfs"
	return 0
fi
modprobe -q sha512_generic 2>/dev/null	# =m on 5.10 and 6.1, as for ext4
dmesg -c > /dev/null
check "insmod the self-testing module" insmod /lib/verityfs-selftest.ko
dmesg | sed -n 's/.*verityfs: selftest: \(\(not \)\{0,1\}ok - .*\)/\1/p' > /tmp/selftest.tap
while read -r line; do
	case $line in
	"ok - "*) ok "${line#ok - }" ;;
	*) not_ok "${line#not ok - }" ;;
	esac
done < /tmp/selftest.tap
check "self-tests ran and reported no failure" \
	sh -c "dmesg | grep -q 'verityfs: selftest: [1-9][0-9]* passed, 0 failed'"
check "rmmod the self-testing module" rmmod verityfs

# SPDX-License-Identifier: GPL-2.0-only
# L5: FS_IOC_SETFLAGS and the 32-bit flags ioctls on verity files, as ext4.
# Copyright (C) 2026 The verityfs authors
#
# 5.10 has no ->fileattr_get/set, so verityfs answers the flags ioctls of
# verity files itself. SETFLAGS must only read the caller's buffer (native
# ext4 succeeds from a read-only buffer and never writes it), and a 32-bit
# caller's FS_IOC32_GETFLAGS/SETFLAGS must work and report FS_VERITY_FL. The
# 32-bit calls are made with int $0x80 (the kernel's ia32 entry) from
# vx-trust. Newer kernels route all of it through the VFS; the case runs on
# every kernel and compares with native ext4 fs-verity.

load_module
native=$(mk_lower ext4 -O verity) || { not_ok "make a native ext4"; return 0; }
lower=$(mk_lower ext4) || { not_ok "make the lower"; return 0; }
mnt=/mnt/vx-flags
mkdir -p "$mnt"
mount -t verityfs "$lower" "$mnt" || { not_ok "mount verityfs"; return 0; }
for d in "$native" "$mnt"; do
	cp "$DATA/rand1m" "$d/v"
	fsverity enable "$d/v" || not_ok "enable $d/v"
	cp "$DATA/rand1m" "$d/p"
done
check_eq "native ext4 (oracle): a 32-bit FS_IOC32_GETFLAGS shows the verity flag" verity \
	"$(vx-trust getflags32 "$native/v")"
for f in v p; do
	[ $f = v ] && what="verity file" || what="plain file"
	for cmd in setflags-ro setflags-buf getflags32 setflags32; do
		check_eq "$what: $cmd as on native ext4" "$(vx-trust $cmd "$native/$f")" \
			"$(vx-trust $cmd "$mnt/$f")"
	done
done
check "lsattr still shows V" sh -c "lsattr '$mnt/v' | cut -d' ' -f1 | grep -q V"
umount "$mnt"
umount "$lower"
umount "$native"
check "rmmod verityfs" unload_module

# SPDX-License-Identifier: GPL-2.0-only
# verityfs: module build, tests, kernel matrix and VM test bed.
#
# Variables you may set:
#   KDIR            kernel build tree to build the module against
#                   (default: the running kernel's, /lib/modules/$(uname -r)/build)
#   KERNELS         kernel ids from test/vm/kernels.list for the matrix targets
#                   (default: all of them)
#   VERITYFS_CACHE  where kernels, toolchains and chroots are cached
#                   (default: /var/cache/verityfs; created on demand)
#   W=1             extra kernel warnings on our own files
#
# Targets:
#   all (default)   verityfs.ko for KDIR
#   check           host tests, warning-free build for every kernel, VM suite on 6.1
#   check-matrix    the VM suite, the errors=panic boot, the persistence test and three
#                   rounds of the crash loop on every kernel
#   stress, check-crash, fuzz-vm, scale   long robustness runs (mk/robust.mk)
#   check-persist   crash mid-enable, reboot, verity still right (KERNELS, default all)
#   check-broken    prove that a crash, a hang and a wrong result fail a VM run
#   check-panic     errors=panic: a boot that must end in verityfs's panic, on KERNELS (default 6.1)
#   vm-test         the VM suite on KERNELS (default 6.1); CASES='glob ...' selects cases
#   matrix-build    build the module against every kernel of the matrix
#   bench           read benchmark in one VM on KERNELS (default 6.1); not a test
#                   (BENCH_SIZE_MB, BENCH_REP, BENCH_RAND, VX_MEM: scripts/bench.sh)
#   demo            boot a stock Debian kernel in QEMU and show verityfs working
#   deps            install the host packages the above need (apt, as root)
#   clean           remove build products

KDIR ?= /lib/modules/$(shell uname -r)/build
KERNELS ?=
GEN := src/compat/generated

.PHONY: all modules probe clean check check-matrix check-broken check-panic check-persist matrix-build demo deps vm-test apt-packages \
	bench

# Host packages for fetching kernels, building the module and the VM test bed.
# mk/*.mk fragments add their own (*_APT_PACKAGES); `make deps` installs all.
VM_APT_PACKAGES := make gcc libc6-dev binutils kmod apt dpkg debootstrap util-linux \
	debian-archive-keyring ca-certificates xz-utils zstd cpio gzip qemu-system-x86 \
	busybox-static fsverity keyutils e2fsprogs xfsprogs btrfs-progs attr openssl dmsetup

all: modules

probe:
	@scripts/run-probes.sh $(KDIR) $(GEN)

modules: probe
	$(MAKE) -C $(KDIR) M=$(CURDIR) $(if $(W),W=$(W)) modules

matrix-build:
	scripts/matrix-build.sh $(KERNELS)

check:
	scripts/check.sh

MATRIX_IDS = $(or $(KERNELS),$(shell awk '!/^\#/ && NF >= 5 { print $$1 }' test/vm/kernels.list))

check-matrix:
	mkdir -p build; { scripts/vm-suite.sh $(MATRIX_IDS); \
		VERITYFS_PREBUILT=1 scripts/check-panic.sh $(MATRIX_IDS); \
		VERITYFS_PREBUILT=1 scripts/vm-persist.sh $(MATRIX_IDS); \
		VERITYFS_PREBUILT=1 CRASH_ITER=3 scripts/vm-crash.sh $(MATRIX_IDS); } \
		| tee build/check-matrix.log; scripts/tap-summary.sh build/check-matrix.log

check-persist:
	mkdir -p build; scripts/vm-persist.sh $(MATRIX_IDS) | tee build/check-persist.log; \
		scripts/tap-summary.sh build/check-persist.log

check-broken:
	scripts/check-broken.sh $(or $(KERNELS),6.1)

check-panic:
	scripts/check-panic.sh $(or $(KERNELS),6.1)

vm-test:
	scripts/vm-suite.sh $(or $(KERNELS),6.1)

bench:
	scripts/bench.sh $(or $(KERNELS),6.1)

demo:
	scripts/demo.sh

deps:
	scripts/install-deps.sh

apt-packages:
	@echo $(sort $(VM_APT_PACKAGES) $(CORE_APT_PACKAGES) $(PACKAGING_APT_PACKAGES))

clean:
	rm -rf build $(GEN)
	find src -name '*.o' -o -name '*.o.cmd' -o -name '.*.cmd' -o -name '*.o.d' | xargs rm -f
	rm -f *.ko *.mod *.mod.c *.mod.o .*.cmd Module.symvers modules.order .*.d

# Host-side fragments (portable core tests, packaging, ...), one per area.
include $(sort $(wildcard mk/*.mk))

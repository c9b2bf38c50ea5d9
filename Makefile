# SPDX-License-Identifier: GPL-2.0-only
# verityfs: module build, tests, kernel matrix and VM test bed.
# Copyright (C) 2026 The verityfs authors
#
# `make help` lists every target, those of mk/*.mk included: each target's
# rule line carries its one-line description after "##".
#
# Variables you may set:
#   KDIR            kernel build tree to build the module against
#                   (default: the running kernel's, /lib/modules/$(uname -r)/build)
#   KERNELS         kernel ids from test/vm/kernels.list for the matrix targets
#                   (default: all of them; 7.2 means the 7.x line)
#   VERITYFS_CACHE  where kernels, toolchains and chroots are cached
#                   (default: /var/cache/verityfs; created on demand)
#   VERITYFS_ABI    newest (default): test the newest Debian ABI of each series;
#                   pinned: the ABIs pinned in test/vm/kernels.list
#   W=1             extra kernel warnings on our own files

KDIR ?= /lib/modules/$(shell uname -r)/build
KERNELS ?=
GEN := src/compat/generated

.PHONY: all modules probe clean check check-matrix check-broken check-panic check-persist matrix-build demo deps vm-test apt-packages \
	bench help kernels check-headers

# Host packages for fetching kernels, building the module and the VM test bed.
# mk/*.mk fragments add their own (*_APT_PACKAGES); `make deps` installs all.
VM_APT_PACKAGES := make gcc libc6-dev binutils kmod apt dpkg debootstrap util-linux \
	debian-archive-keyring ca-certificates xz-utils zstd cpio gzip qemu-system-x86 \
	busybox-static fsverity keyutils e2fsprogs xfsprogs btrfs-progs attr openssl dmsetup

# tools/ is not part of the module's DKMS copy: only where it exists.
all: $(if $(wildcard tools/Makefile),tools) modules ## the verityfs tool (tools/) and verityfs.ko for KDIR (the default)

help: ## this list
	@awk -F':.*## ' '/^[a-zA-Z0-9_-]+:.*## / { printf "  %-22s %s\n", $$1, $$2 }' \
		$(firstword $(MAKEFILE_LIST)) $(sort $(wildcard mk/*.mk))

probe: ## the compat probes for KDIR (src/compat/generated/compat_autoconf.h)
	@scripts/run-probes.sh $(KDIR) $(GEN)

modules: probe ## verityfs.ko for KDIR
	$(MAKE) -C $(KDIR) M=$(CURDIR) $(if $(W),W=$(W)) modules

# The kernel ids of KERNELS (checked; 7.2 -> 7.x), else every id of kernels.list
# (MATRIX_IDS) or 6.1 (VM_IDS).
MATRIX_IDS = $(shell scripts/kernels.sh ids $(KERNELS))
VM_IDS = $(shell scripts/kernels.sh ids $(or $(KERNELS),6.1))

matrix-build: ## build the module against every kernel of the matrix, W=1, no warning allowed
	scripts/matrix-build.sh $(MATRIX_IDS)

check-headers: ## compile-only pass against every Debian ABI of the matrix's series still in the archive
	scripts/check-headers.sh $(MATRIX_IDS)

kernels: ## the kernel matrix: pinned, newest and tested ABI of every series
	@scripts/kernels.sh show

check: ## host tests, style, warning-free build for every kernel, VM suite, panic and persistence on 6.1
	scripts/check.sh

check-matrix: ## the VM suite, the errors=panic boot and the persistence test on every kernel
	mkdir -p build; { scripts/vm-suite.sh $(MATRIX_IDS); \
		VERITYFS_PREBUILT=1 scripts/check-panic.sh $(MATRIX_IDS); \
		VERITYFS_PREBUILT=1 scripts/vm-persist.sh $(MATRIX_IDS); \
		VERITYFS_PREBUILT=1 CRASH_ITER=3 scripts/vm-crash.sh $(MATRIX_IDS); } \
		| tee build/check-matrix.log; scripts/tap-summary.sh build/check-matrix.log

check-persist: ## crash mid-enable, reboot, verity still right (KERNELS, default all)
	mkdir -p build; scripts/vm-persist.sh $(MATRIX_IDS) | tee build/check-persist.log; \
		scripts/tap-summary.sh build/check-persist.log

check-broken: ## prove that a crash, a hang and a wrong result fail a VM run (KERNELS, default 6.1)
	scripts/check-broken.sh $(VM_IDS)

check-panic: ## errors=panic: a boot that must end in verityfs's panic (KERNELS, default 6.1)
	scripts/check-panic.sh $(VM_IDS)

vm-test: ## the VM suite on KERNELS (default 6.1); CASES='glob ...' selects cases
	scripts/vm-suite.sh $(VM_IDS)

bench: ## benchmarks (read, passthrough, memory), one VM per kernel of KERNELS (default 6.1); not a test (BENCH_*: docs/bench.md)
	scripts/bench.sh $(VM_IDS)

demo: ## boot a stock Debian kernel in QEMU and show verityfs working
	scripts/demo.sh

deps: ## install the host packages the targets need (apt, as root)
	scripts/install-deps.sh

apt-packages: ## print the host packages the targets need
	@echo $(sort $(VM_APT_PACKAGES) $(CORE_APT_PACKAGES) $(PACKAGING_APT_PACKAGES) $(STYLE_APT_PACKAGES))

clean: ## remove build products
	rm -rf build $(GEN)
	find src -name '*.o' -o -name '*.o.cmd' -o -name '.*.cmd' -o -name '*.o.d' | xargs rm -f
	rm -f *.ko *.mod *.mod.c *.mod.o .*.cmd Module.symvers modules.order .*.d

# Host-side fragments (portable core tests, packaging, style, ...), one per area.
include $(sort $(wildcard mk/*.mk))

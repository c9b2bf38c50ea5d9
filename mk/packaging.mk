# SPDX-License-Identifier: GPL-2.0-only
# DKMS and Debian packaging (issue 7).
# Copyright (C) 2026 The verityfs authors
#
# Variables you may set:
#   DKMS_KERNEL     kernel release for dkms-install (default: the running kernel)
#   PKG_KERNELS     kernel ids for check-packaging-all (default: all of kernels.list)
#
# Targets:
#   deb                  build verityfs-dkms_<ver>_all.deb (and the native source
#                        package) in build/deb/, from a copy of the tree
#   lintian              lintian on what `deb` built; fails on errors and warnings
#   dkms-install         copy the DKMS file list to /usr/src/verityfs-<ver>, then
#                        dkms add, build and install (as root)
#   dkms-uninstall       dkms remove --all and delete /usr/src/verityfs-<ver>
#   check-version        VERSION agrees with debian/changelog, dkms.conf, MODULE_VERSION
#   check-packaging      the user's path on 6.1: install the .deb into a debootstrapped
#                        bookworm, boot it with systemd, check load at boot and fstab,
#                        purge (slow: see scripts/pkg-test.sh)
#   check-packaging-all  the same on every kernel of the matrix

# Host packages the targets above need.
PACKAGING_APT_PACKAGES := debhelper dh-dkms dpkg-dev fakeroot lintian dkms kmod git \
	debootstrap debian-archive-keyring e2fsprogs util-linux qemu-system-x86 coreutils

PKG_VERSION = $(shell cat VERSION)
PKG_DEB_DIR := build/deb
DKMS_KERNEL ?= $(shell uname -r)
PKG_KERNELS ?=

.PHONY: deb lintian dkms-install dkms-uninstall check-version check-packaging check-packaging-all

deb: ## verityfs-dkms_<ver>_all.deb and the source package in build/deb/
	scripts/pkg-build-deb.sh $(PKG_DEB_DIR)

lintian: deb ## lintian on what `deb` built; fails on errors and warnings
	lintian --fail-on error,warning --display-info --show-overrides \
		$(PKG_DEB_DIR)/verityfs_$(PKG_VERSION)_*.changes

check-version: ## VERSION agrees with debian/changelog, dkms.conf, MODULE_VERSION
	scripts/check-version.sh

dkms-install: ## copy the DKMS file list to /usr/src/verityfs-<ver>; dkms add, build, install (root)
	scripts/pkg-dkms.sh install $(DKMS_KERNEL)

dkms-uninstall: ## dkms remove --all and delete /usr/src/verityfs-<ver> (root)
	scripts/pkg-dkms.sh uninstall

check-packaging: deb ## the user's path on 6.1: the .deb in a booted Debian with systemd, then purge
	scripts/pkg-test.sh 6.1

check-packaging-all: deb ## check-packaging on every kernel of the matrix (PKG_KERNELS)
	scripts/pkg-test.sh $(shell scripts/kernels.sh ids $(PKG_KERNELS))

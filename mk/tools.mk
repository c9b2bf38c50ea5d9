# SPDX-License-Identifier: GPL-2.0-only
# The verityfs userspace tool (tools/, verityfs(8)) and its host tests.
# Copyright (C) 2026 The verityfs authors
#
# Variables you may set: DESTDIR, PREFIX (passed to tools/Makefile)

TOOLS_TEST_OUT := build/tools-test
TOOLS_TEST_SRCS := test/tools/vt-tooltest.c tools/pax.c tools/desc.c tools/sha2.c

.PHONY: tools tools-install tools-clean check-tools

tools: ## build tools/verityfs (part of `make`)
	$(MAKE) -C tools

tools-install: tools ## install the tool, its modprobe.d hook, scrub.conf and the scrub timer (not enabled)
	$(MAKE) -C tools install $(if $(DESTDIR),DESTDIR=$(DESTDIR)) $(if $(PREFIX),PREFIX=$(PREFIX))

tools-clean: ## remove what `tools` built (part of `make clean`)
	$(MAKE) -C tools clean

# ASAN+UBSAN: the filter parses archives from anywhere.
$(TOOLS_TEST_OUT)/vt-tooltest: $(TOOLS_TEST_SRCS) tools/pax.h tools/verityfs.h
	@mkdir -p $(dir $@)
	gcc -O1 -g -Wall -Wextra -Wno-unused-parameter -Werror -fsanitize=address,undefined \
		-fno-sanitize-recover=all -Itools -Iinclude -o $@ $(TOOLS_TEST_SRCS)

check-tools: tools $(TOOLS_TEST_OUT)/vt-tooltest ## host tests of the tool: SHA-2, tree rebuild vs fsverity digest, the tar filter vs GNU tar (TAP; part of check-core)
	@test/tools/run.sh $(CURDIR)/$(TOOLS_TEST_OUT)/vt-tooltest $(CURDIR)/tools/verityfs

# `make check` runs check-core as its host-test stage: the tool's tests run there.
check-core: check-tools

clean: tools-clean

# SPDX-License-Identifier: GPL-2.0-only
# The verityfs userspace tool (tools/, verityfs(8)).
# Copyright (C) 2026 The verityfs authors
#
# Variables you may set: DESTDIR, PREFIX (passed to tools/Makefile)

.PHONY: tools tools-install tools-clean

tools: ## build tools/verityfs (part of `make`)
	$(MAKE) -C tools

tools-install: tools ## install the tool, its modprobe.d hook, scrub.conf and the scrub timer (not enabled)
	$(MAKE) -C tools install $(if $(DESTDIR),DESTDIR=$(DESTDIR)) $(if $(PREFIX),PREFIX=$(PREFIX))

tools-clean: ## remove what `tools` built (part of `make clean`)
	$(MAKE) -C tools clean

clean: tools-clean

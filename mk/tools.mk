# SPDX-License-Identifier: GPL-2.0-only
# The verityfs userspace tool (tools/, verityfs(8)); issue 17, item 6.
#
# Variables you may set: DESTDIR, PREFIX (passed to tools/Makefile)
#
# Targets:
#   tools           build tools/verityfs (part of `make`)
#   tools-install   install the tool, its modprobe.d hook, scrub.conf and the
#                   scrub timer (not enabled), as the verityfs-tools package does
#   tools-clean     remove what `tools` built (part of `make clean`)

.PHONY: tools tools-install tools-clean

tools:
	$(MAKE) -C tools

tools-install: tools
	$(MAKE) -C tools install $(if $(DESTDIR),DESTDIR=$(DESTDIR)) $(if $(PREFIX),PREFIX=$(PREFIX))

tools-clean:
	$(MAKE) -C tools clean

clean: tools-clean

# SPDX-License-Identifier: GPL-2.0-only
# Host build of the portable fs-verity core: library, unit tests, sanitizers,
# fuzzers, benchmark. Included by the top-level Makefile; also standalone:
#   make -f mk/core.mk check-core
# Copyright (C) 2026 The verityfs authors
#
# Targets:
#   core-lib     build/host/libverityfs-core.a (core + OpenSSL backend)
#   check-core   purity, gnu89 -Werror compile, symbols, unit tests, the unit
#                tests again under ASAN+UBSAN, and a bounded fuzz run (TAP)
#   fuzz-core    a longer fuzz run (CORE_FUZZ_TIME seconds per target)
#   bench-core   tree-build throughput vs `fsverity digest` and `openssl speed`
#   core-deps    say which apt packages are missing
#   core-update-vectors  regenerate test/vectors/libfsverity.txt from libfsverity
#
# Variables:
#   CORE_CC          host C compiler (default gcc)
#   CORE_CLANG       clang for libFuzzer (default clang-14)
#   CORE_CHECK_FUZZ_TIME  seconds per fuzzer inside check-core (default 20)
#   CORE_FUZZ_TIME   seconds per fuzzer for fuzz-core (default 300)
#   CORE_BENCH_FILE  benchmark file (default /dev/shm/verityfs-bench, 1 GiB)

CORE_TOP := $(abspath $(dir $(lastword $(MAKEFILE_LIST)))/..)

# Packages the host side needs (CI installs them; `make deps` too).
CORE_APT_PACKAGES := make gcc libc6-dev clang-14 libclang-rt-14-dev libfsverity-dev \
	libssl-dev fsverity openssl binutils

CORE_CC ?= gcc
CORE_CLANG ?= clang-14
CORE_CHECK_FUZZ_TIME ?= 20
CORE_FUZZ_TIME ?= 300
CORE_BENCH_FILE ?= /dev/shm/verityfs-bench

CORE_OUT := $(CORE_TOP)/build/host
CORE_SRCS := $(sort $(wildcard $(CORE_TOP)/src/core/*.c))
CORE_HDRS := $(wildcard $(CORE_TOP)/src/core/*.h) $(CORE_TOP)/include/verityfs/core.h \
	$(CORE_TOP)/include/verityfs/core_env.h
CORE_HOST_SRCS := $(CORE_TOP)/test/lib/hash_openssl.c $(CORE_TOP)/test/lib/sha256_x2.c
CORE_HOST_HDRS := $(CORE_TOP)/test/lib/host_hash.h $(CORE_TOP)/test/unit/tap.h
CORE_ALL_SRCS := $(CORE_SRCS) $(CORE_HOST_SRCS)
CORE_INC := -I$(CORE_TOP)/include
CORE_WARN := -Wall -Wextra -Wno-unused-parameter
CORE_CFLAGS := -O2 -g $(CORE_WARN) $(CORE_INC)
CORE_SAN := -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer
CORE_FUZZ_FLAGS := -O1 -g -fsanitize=fuzzer,address,undefined \
	-fno-sanitize-recover=undefined $(CORE_INC)
# The core is kernel C: it must also build as gnu89 with these, warning-free.
CORE_GNU89 := -std=gnu89 -Wdeclaration-after-statement -Werror -Wall -Wextra

CORE_LIB := $(CORE_OUT)/libverityfs-core.a
CORE_LIB_OBJS := $(patsubst $(CORE_TOP)/%.c,$(CORE_OUT)/obj/%.o,$(CORE_ALL_SRCS))

.PHONY: core-lib check-core fuzz-core bench-core core-deps core-update-vectors

core-lib: $(CORE_LIB) ## build/host/libverityfs-core.a (core + OpenSSL backend)

$(CORE_OUT)/obj/%.o: $(CORE_TOP)/%.c $(CORE_HDRS) $(CORE_HOST_HDRS)
	@mkdir -p $(dir $@)
	$(CORE_CC) $(CORE_CFLAGS) -c $< -o $@

$(CORE_LIB): $(CORE_LIB_OBJS)
	@rm -f $@
	ar rcs $@ $^

$(CORE_OUT)/test_core: $(CORE_TOP)/test/unit/test_core.c $(CORE_LIB)
	$(CORE_CC) $(CORE_CFLAGS) -o $@ $< $(CORE_LIB) -lfsverity -lcrypto

$(CORE_OUT)/test_verify: $(CORE_TOP)/test/unit/test_verify.c $(CORE_LIB)
	$(CORE_CC) $(CORE_CFLAGS) -o $@ $< $(CORE_LIB) -lcrypto

# Sanitizer builds compile everything from source (the library included).
$(CORE_OUT)/san/test_core: $(CORE_TOP)/test/unit/test_core.c $(CORE_ALL_SRCS) $(CORE_HDRS) $(CORE_HOST_HDRS)
	@mkdir -p $(dir $@)
	$(CORE_CC) $(CORE_SAN) $(CORE_WARN) $(CORE_INC) -o $@ $< $(CORE_ALL_SRCS) -lfsverity -lcrypto

$(CORE_OUT)/san/test_verify: $(CORE_TOP)/test/unit/test_verify.c $(CORE_ALL_SRCS) $(CORE_HDRS) $(CORE_HOST_HDRS)
	@mkdir -p $(dir $@)
	$(CORE_CC) $(CORE_SAN) $(CORE_WARN) $(CORE_INC) -o $@ $< $(CORE_ALL_SRCS) -lcrypto

$(CORE_OUT)/fuzz/fuzz_%: $(CORE_TOP)/test/fuzz/fuzz_%.c $(CORE_ALL_SRCS) $(CORE_HDRS) $(CORE_HOST_HDRS)
	@mkdir -p $(dir $@)
	$(CORE_CLANG) $(CORE_FUZZ_FLAGS) -o $@ $< $(CORE_ALL_SRCS) -lcrypto

$(CORE_OUT)/fuzz/mkseeds: $(CORE_TOP)/test/fuzz/mkseeds.c $(CORE_LIB)
	@mkdir -p $(dir $@)
	$(CORE_CC) $(CORE_CFLAGS) -o $@ $< $(CORE_LIB) -lcrypto

$(CORE_OUT)/bench_core: $(CORE_TOP)/test/bench/bench_core.c $(CORE_LIB)
	$(CORE_CC) $(CORE_CFLAGS) -o $@ $< $(CORE_LIB) -lcrypto

CORE_FUZZERS := $(CORE_OUT)/fuzz/fuzz_desc $(CORE_OUT)/fuzz/fuzz_verify
CORE_TESTS := $(CORE_OUT)/test_core $(CORE_OUT)/test_verify \
	$(CORE_OUT)/san/test_core $(CORE_OUT)/san/test_verify \
	$(CORE_OUT)/fuzz/mkseeds $(CORE_FUZZERS)

# Name the missing apt package instead of failing on a compiler error.
core-deps: ## say which apt packages the core tests miss
	@missing=; \
	[ -f /usr/include/libfsverity.h ] || missing="$$missing libfsverity-dev"; \
	[ -f /usr/include/openssl/sha.h ] || missing="$$missing libssl-dev"; \
	command -v fsverity >/dev/null 2>&1 || missing="$$missing fsverity"; \
	command -v openssl >/dev/null 2>&1 || missing="$$missing openssl"; \
	command -v $(CORE_CC) >/dev/null 2>&1 || missing="$$missing gcc"; \
	if ! command -v $(CORE_CLANG) >/dev/null 2>&1; then missing="$$missing clang-14"; \
	elif ! echo 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n) { return 0; }' | \
		$(CORE_CLANG) -fsanitize=fuzzer -x c - -o /dev/null >/dev/null 2>&1; then \
		missing="$$missing libclang-rt-14-dev"; fi; \
	if [ -n "$$missing" ]; then \
		echo "not ok - core host dependencies: missing apt packages:$$missing"; \
		echo "# install with: apt-get install$$missing"; exit 1; fi; \
	echo "ok - core host dependencies present ($(CORE_APT_PACKAGES))"

# One TAP line per stage or test group; every stage runs even after a failure.
check-core: core-deps ## the portable core alone: purity, gnu89, symbols, unit tests, ASAN/UBSAN, fuzzers
	@CORE_CC='$(CORE_CC)' CORE_GNU89='$(CORE_GNU89)' CORE_INC='$(CORE_INC)' CORE_OUT='$(CORE_OUT)' \
		CORE_LIB='$(CORE_LIB)' CORE_SRCS='$(CORE_SRCS)' CORE_TESTS='$(CORE_TESTS)' \
		CORE_CHECK_FUZZ_TIME='$(CORE_CHECK_FUZZ_TIME)' MAKE='$(MAKE)' $(CORE_TOP)/scripts/check-core.sh

fuzz-core: core-deps ## a longer fuzz run (CORE_FUZZ_TIME seconds per target)
	@$(MAKE) -s --no-print-directory -f $(CORE_TOP)/mk/core.mk $(CORE_FUZZERS) $(CORE_OUT)/fuzz/mkseeds
	@$(MAKE) -s --no-print-directory -f $(CORE_TOP)/mk/core.mk core-fuzz-run CORE_FUZZ_RUN_TIME=$(CORE_FUZZ_TIME)

# Seeds come from the known-answer vectors; the corpus grows under build/.
.PHONY: core-fuzz-run
core-fuzz-run: ## (internal) the fuzzers for CORE_FUZZ_RUN_TIME seconds each
	@rc=0; d=$(CORE_OUT)/fuzz; mkdir -p $$d/corpus-desc $$d/corpus-verify $$d/artifacts; \
	$$d/mkseeds $(CORE_TOP)/test/vectors $$d/corpus-desc $$d/corpus-verify; \
	for t in desc verify; do \
		if $$d/fuzz_$$t -max_total_time=$(CORE_FUZZ_RUN_TIME) -timeout=10 -rss_limit_mb=2048 \
			-artifact_prefix=$$d/artifacts/$$t- $$d/corpus-$$t >$$d/fuzz_$$t.log 2>&1; then \
			echo "ok - fuzz_$$t: $$(grep -o 'Done [0-9]* runs' $$d/fuzz_$$t.log) in $(CORE_FUZZ_RUN_TIME) s, no crash"; \
		else echo "not ok - fuzz_$$t crashed (see $$d/fuzz_$$t.log, $$d/artifacts)"; \
			grep -E 'ERROR|SUMMARY|Test unit written' $$d/fuzz_$$t.log | sed 's/^/#   /'; rc=1; fi; \
	done; exit $$rc

bench-core: core-deps $(CORE_OUT)/bench_core ## tree-build throughput vs fsverity digest and openssl (not a test)
	@$(CORE_TOP)/test/bench/bench-core.sh $(CORE_OUT)/bench_core $(CORE_BENCH_FILE)

core-update-vectors: $(CORE_OUT)/test_core ## regenerate test/vectors/libfsverity.txt from libfsverity
	$(CORE_OUT)/test_core --update $(CORE_TOP)/test/vectors

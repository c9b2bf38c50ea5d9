#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# The portable core stays portable: no kernel or libc headers outside the
# environment switch (include/verityfs/core_env.h), no logging, allocation or
# version checks.
# usage: check-core-purity.sh   (prints one TAP line; exit 1 on a violation)
# Copyright (C) 2026 The verityfs authors
cd "$(dirname "$0")/.." || exit 1
bad=

# Headers the core consists of: its own directory plus the public API header.
files=$(find src/core -name '*.[ch]' ! -path 'src/core/host/*' | sort)
files="$files include/verityfs/core.h"

# Only <verityfs/...> headers: the environment switch is the one door out.
for f in $files; do
	hits=$(grep -n '^[[:space:]]*#[[:space:]]*include[[:space:]]*[<"]' "$f" | grep -v '<verityfs/[a-z_]*\.h>' |
		grep -v '"core_private\.h"')
	[ -z "$hits" ] || bad="$bad
$f: system include: $hits"
done

# core_env.h may include system headers only inside its #ifdef __KERNEL__
# branches: nothing before the first #ifdef __KERNEL__ and after its #endif.
hits=$(awk '
	/^#ifdef __KERNEL__/ { inside = 1; depth = 0 }
	inside && /^#if/ { depth++ }
	inside && /^#endif/ { depth--; if (depth == 0) { inside = 0; next } }
	!inside && /^[[:space:]]*#[[:space:]]*include[[:space:]]*</ { print FILENAME ":" NR ": " $0 }
' include/verityfs/core_env.h)
[ -z "$hits" ] || bad="$bad
$hits"

# Words that mean logging, allocation or kernel-version coupling.
hits=$(grep -rnwE 'printk|pr_(err|warn|info|debug|notice)|kmalloc|kzalloc|kvmalloc|kcalloc|vmalloc|malloc|calloc|realloc|free|printf|fprintf|LINUX_VERSION_CODE|KERNEL_VERSION' \
	--include='*.[ch]' src/core include/verityfs/core.h | grep -v '^src/core/host/' |
	grep -vE '^[^:]+:[0-9]+:[[:space:]]*(/?\*|//)')
[ -z "$hits" ] || bad="$bad
$hits"

if [ -n "$bad" ]; then
	echo "not ok - core purity: src/core includes only <verityfs/...> headers, no logging/allocation/versions"
	echo "$bad" | sed '/^$/d; s/^/#   /'
	exit 1
fi
echo "ok - core purity: src/core includes only <verityfs/...> headers, no logging/allocation/versions"

# SPDX-License-Identifier: GPL-2.0-only
# Deliberately broken: the kernel crashes mid-case (as a WARN does under
# panic_on_warn). The host must report a missing verdict naming this case.
# Copyright (C) 2026 The verityfs authors
ok "about to crash the kernel"
echo c > /proc/sysrq-trigger

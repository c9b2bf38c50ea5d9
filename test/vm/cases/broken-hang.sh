# SPDX-License-Identifier: GPL-2.0-only
# Deliberately broken: the case never ends. The guest's per-case timeout
# (vx.timeout) or the host's outer timeout must turn the run red.
# Copyright (C) 2026 The verityfs authors
ok "about to hang"
sleep 100000

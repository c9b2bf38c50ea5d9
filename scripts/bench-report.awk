# SPDX-License-Identifier: GPL-2.0-only
# The tables of scripts/bench.sh from the guest's "# bench" lines (result.tap).
# Copyright (C) 2026 The verityfs authors
#
# Lines: "# bench info KEY VALUE", "# bench KIND VARIANT REP NS BYTES" (read),
# "# bench pass-KIND FS SIDE REP NS COUNT" (passthrough), "# bench mem-slab
# VARIANT STEP KB", "# bench mem-objs VARIANT STEP BYTES", "# bench mem-hc
# PASS HITS MISSES EVICTIONS BYTES". Every ratio is taken per repeat and
# reported as the median [min-max] across repeats.

function sortv(key, a,   n, i, j, t) {
	n = cnt[key]
	for (i = 1; i <= n; i++) a[i] = val[key, i]
	for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++)
		if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
	return n
}
function median(key,   n, a) {
	n = sortv(key, a)
	if (!n) return -1
	lo[key] = a[1]; hi[key] = a[n]
	return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}
function add(key, v) { val[key, ++cnt[key]] = v }
# per-repeat ratio of two read series
function ratio(kind, num, den, inv,   r, k, x) {
	k = kind "/" num "/" den
	if (k in made) return k
	made[k] = 1
	for (r = 1; r <= reps; r++) {
		if (!((kind, num, r) in raw) || !((kind, den, r) in raw)) continue
		x = inv ? raw[kind, den, r] / raw[kind, num, r] : raw[kind, num, r] / raw[kind, den, r]
		add(k, x)
	}
	return k
}
function line(label, k, goal, cmp,   m, ok) {
	m = median(k)
	if (m < 0) return
	ok = (cmp == ">=") ? (m >= goal) : (m <= goal)
	printf "  %-36s = %5.2f  [%4.2f-%4.2f]  n=%d  (goal %s %s%s)\n", label, m, lo[k], hi[k],
		cnt[k], cmp, goal, ok ? "" : ", not met"
}
function info(label, k,   m) {
	m = median(k)
	if (m < 0) return
	printf "  %-36s = %5.2f  [%4.2f-%4.2f]  n=%d\n", label, m, lo[k], hi[k], cnt[k]
}
function cell(kind, v, scale,   k, m) {
	k = kind "/" v
	m = median(k)
	if (m < 0) return sprintf("%22s", "-")
	return sprintf("%9.1f [%4.0f-%4.0f]", m * scale, lo[k] * scale, hi[k] * scale)
}
function row(label, kind,   s, v) {
	s = sprintf("%-22s", label)
	for (v = 1; v <= nvar; v++) s = s " " cell(kind, var[v], 1)
	print s
}

$1 == "#" && $2 == "bench" {
	if ($3 == "info") { inf[$4] = $5; next }
	if ($3 ~ /^pass-/) {
		k = substr($3, 6); fs = $4; side = $5; r = $6
		pns[k, fs, side, r] = $7; pcount[k, fs, side, r] = $8
		if (!((k, fs) in pseen)) { pseen[k, fs] = 1; pk[++npk] = k SUBSEP fs }
		if (r > preps) preps = r
		next
	}
	if ($3 == "mem-slab") { mslab[$4, $5] = $6; nmem++; next }
	if ($3 == "mem-objs") { mobjs[$4, $5] = $6; next }
	if ($3 == "mem-hc") { hc[$4] = $5 " " $6 " " $7 " " $8; next }
	if ($3 == "mem-hc-read" || $3 == "mem-hc-enable") { hct[$3, $5] = $6; next }
	kind = $3; v = $4; r = $5; if (r > reps) reps = r
	x = $6
	if (kind == "seq" || kind == "warm") x = ($7 / 1048576) / ($6 / 1e9)	# MiB/s
	else if (kind == "rand") x = ($7 / 4096) / ($6 / 1e9)			# IOPS
	else if (kind == "enable") x = $6 / 1e9					# s
	else if (kind == "cached" || kind ~ /_io$/) x = $6 / 1024		# MiB
	else if (kind == "hcache_bytes") x = $6 / 1048576			# MiB
	raw[kind, v, r] = x; add(kind "/" v, x)
	if (kind == "seq" && v == "e") have_e = 1
}

END {
	if (reps) read_tables()
	if (npk) pass_tables()
	if (nmem) mem_tables()
	printf "guest time per part:%s%s%s\n", ("secs_read" in inf) ? " read " inf["secs_read"] " s" : "",
		("secs_pass" in inf) ? " pass " inf["secs_pass"] " s" : "", ("secs_mem" in inf) ? " mem " inf["secs_mem"] " s" : ""
}

function read_tables(   size, m) {
	size = inf["size"] / 1048576
	printf "READ: %s, %d MiB file on ext4 (virtio disk), sha256 driver %s (sha_ni cpus: %s), %d repeats\n",
		inf["kernel"], size, inf["sha256"], inf["cpu_sha_ni"], reps
	printf "verityfs hashing: %s; cpus %s, L3 of cpu0 shared with %s, unbound work queue scope %s\n",
		inf["hash_info"], inf["cpus"], inf["llc_shared"], inf["wq_scope"]
	printf "median [min-max] over the repeats\n\n"
	nvar = 4; var[1] = "a"; var[2] = "b"; var[3] = "c"; var[4] = "d"
	if (have_e) { nvar = 5; var[5] = "e" }
	printf "%-22s %22s %22s %22s %22s%s\n", "", "(a) ext4", "(b) ext4 verity", "(c) verityfs verity",
		"(d) verityfs plain", have_e ? sprintf(" %22s", "(e) (c), 2-way off") : ""
	row("cold seq MiB/s", "seq")
	row("cold rand 4K IOPS", "rand")
	row("warm seq MiB/s", "warm")
	row("page cache held MiB", "cached")
	row("cold seq disk MiB", "seq_io")
	row("cold rand disk MiB", "rand_io")
	row("cold rand hash misses", "rand_hmiss")
	row("enable s", "enable")
	row("hash cache MiB", "hcache_bytes")
	printf "\nratios (throughput, higher is better; page cache and enable time: lower is better)\n"
	line("cold seq (c)/(b)", ratio("seq", "c", "b"), 1.2, ">=")
	line("cold random (c)/(b)", ratio("rand", "c", "b"), 1.0, ">=")
	m = median(ratio("rand", "c", "b"))
	if (m >= 0) {
		note = (lo["rand/c/b"] >= 0.9) ? "" : ", not met"
		printf "  %-36s = %5.2f  (goal >= 0.9%s)\n", "cold random (c)/(b), minimum repeat",
			lo["rand/c/b"], note
	}
	line("warm seq (c)/(a)", ratio("warm", "c", "a"), 0.98, ">=")
	for (r = 1; r <= reps; r++) if (("cached", "c", r) in raw) add("pc", raw["cached", "c", r] / size)
	line("page cache held (c)/file size", "pc", 1.05, "<=")
	line("enable time (c)/(b)", ratio("enable", "c", "b"), 0.8, "<=")
	line("enable from a tree (t)/(c)", ratio("enable", "t", "c"), 0.05, "<=")
	printf "\nother ratios\n"
	info("cold seq (b)/(a)", ratio("seq", "b", "a"))
	info("cold seq (c)/(a)", ratio("seq", "c", "a"))
	info("cold seq (d)/(a)", ratio("seq", "d", "a"))
	info("cold random (b)/(a)", ratio("rand", "b", "a"))
	info("cold random (c)/(a)", ratio("rand", "c", "a"))
	info("cold random (d)/(a)", ratio("rand", "d", "a"))
	info("warm seq (d)/(a)", ratio("warm", "d", "a"))
	if (have_e) {
		printf "\n2-way hashing on/off (c)/(e): %s\n", inf["hash_info"]
		info("cold seq (c)/(e)", ratio("seq", "c", "e"))
		info("cold random (c)/(e)", ratio("rand", "c", "e"))
		info("enable time (c)/(e)", ratio("enable", "c", "e"))
	}
	printf "\nhash cache (cumulative): hits %s, misses %s, evictions %s, verified blocks %s\n\n",
		inf["hcache_hits"], inf["hcache_misses"], inf["hcache_evictions"], inf["hcache_verified_blocks"]
}

# Goals of the passthrough rows: data >= 0.95, metadata >= 0.9
function pass_goal(k) { return k ~ /^(write|read|rread|rwrite)$/ ? 0.95 : 0.9 }
function pass_unit(k) { return k ~ /^(write|read)$/ ? "MiB/s" : k ~ /^(rread|rwrite)$/ ? "IOPS" : "ops/s" }
function pass_rate(k, ns, count) {
	if (k ~ /^(write|read)$/) return (count / 1048576) / (ns / 1e9)
	if (k ~ /^(rread|rwrite)$/) return (count / 4096) / (ns / 1e9)
	return count / (ns / 1e9)
}

function pass_tables(   i, n, parts, k, fs, r, key, kl, kv, lowname, lastfs) {
	printf "PASSTHROUGH: verityfs (v) against the lower directly (l), %d repeats; a plain file of %s MiB, %s plain files, %s verity files\n",
		preps, inf["pass_mb"], inf["meta_files"], inf["vmeta_files"]
	printf "(vmeta: ext4's lower side is native ext4 fs-verity; xfs has none, its lower side stays plain)\n"
	printf "median [min-max] over the repeats; ratio = (v)/(l) throughput, per repeat\n\n"
	printf "%-5s %-16s %24s %24s %24s\n", "fs", "operation", "(l) lower", "(v) verityfs", "ratio (v)/(l)"
	for (i = 1; i <= npk; i++) {
		split(pk[i], parts, SUBSEP); k = parts[1]; fs = parts[2]
		kl = "pl/" k "/" fs; kv = "pv/" k "/" fs; key = "pr/" k "/" fs
		for (r = 1; r <= preps; r++) {
			if ((k, fs, "l", r) in pns)
				add(kl, pass_rate(k, pns[k, fs, "l", r], pcount[k, fs, "l", r]))
			if ((k, fs, "v", r) in pns)
				add(kv, pass_rate(k, pns[k, fs, "v", r], pcount[k, fs, "v", r]))
			if ((k SUBSEP fs SUBSEP "l" SUBSEP r) in pns && (k SUBSEP fs SUBSEP "v" SUBSEP r) in pns)
				add(key, (pns[k, fs, "l", r] / pcount[k, fs, "l", r]) / (pns[k, fs, "v", r] / pcount[k, fs, "v", r]))
		}
		printf "%-5s %-16s %s %s", fs, k " " pass_unit(k), pcell(kl), pcell(kv)
		if (cnt[key]) {
			m = median(key)
			note = (k ~ /-create$|-enable$/ || m >= pass_goal(k)) ? "" : "  below goal " pass_goal(k)
			printf "   %5.2f [%4.2f-%4.2f]%s", m, lo[key], hi[key], note
		}
		printf "\n"
	}
	printf "\n"
}
function pcell(k,   m) {
	m = median(k)
	if (m < 0) return sprintf("%24s", "-")
	return sprintf("%10.0f [%5.0f-%5.0f]", m, lo[k], hi[k])
}

function mem_tables(   n, v, names, i, s1, s2, s3, o1, o2, o3) {
	n = inf["mem_files"]
	names["n"] = "native ext4 verity"; names["v"] = "verityfs verity"
	names["p"] = "plain ext4"; names["q"] = "verityfs plain"
	printf "MEMORY: kernel memory per file, %d files of 4 KiB per variant, from cold caches\n", n
	printf "bytes per file: slab pages (Slab: of /proc/meminfo) / active slab objects (/proc/slabinfo)\n\n"
	printf "%-20s %22s %22s %22s\n", "", "looked up (stat)", "+ held open", "closed, still cached"
	split("n v p q", order, " ")
	for (i = 1; i <= 4; i++) {
		v = order[i]
		if (!((v, 0) in mslab)) continue
		s1 = (mslab[v, 1] - mslab[v, 0]) * 1024 / n; o1 = (mobjs[v, 1] - mobjs[v, 0]) / n
		s2 = (mslab[v, 2] - mslab[v, 1]) * 1024 / n; o2 = (mobjs[v, 2] - mobjs[v, 1]) / n
		s3 = (mslab[v, 3] - mslab[v, 0]) * 1024 / n; o3 = (mobjs[v, 3] - mobjs[v, 0]) / n
		printf "%-20s %10.0f / %9.0f %10.0f / %9.0f %10.0f / %9.0f\n", names[v], s1, o1, s2, o2, s3, o3
		printf "  grew most when opened: %s\n", inf["mem_top_open_" v]
	}
	printf "\nhash-block cache, a sparse %s MiB verity file read twice from cold, budget %s MiB (enable took %.0f s):\n",
		inf["hcache_file_mb"], inf["hcache_budget_mb"], hct["mem-hc-enable", 1] / 1e9
	for (i = 1; i <= 2; i++) {
		if (!(i in hc)) continue
		split(hc[i], f, " ")
		printf "  read %d: hits %d, misses %d, hit rate %.4f, evictions %d, cache %.1f MiB after, %.0f s\n",
			i, f[1], f[2], f[1] + f[2] ? f[1] / (f[1] + f[2]) : 0, f[3], f[4] / 1048576,
			hct["mem-hc-read", i] / 1e9
	}
	printf "\n"
}

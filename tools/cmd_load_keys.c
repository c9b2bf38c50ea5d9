// SPDX-License-Identifier: GPL-2.0-only
/*
 * verityfs tool: `verityfs load-keys [--kmsg] [DIR...]`, the certificates
 * of DIRs (default /etc/verityfs/keys) into the module's .verityfs keyring.
 *
 * The package runs it from a modprobe.d install command whenever modprobe
 * loads verityfs (at boot by systemd-modules-load, or by the first mount),
 * because the keyring starts empty at every load. Files named *.der, *.crt,
 * *.cer or *.pem are read in byte order of their names: a file that starts
 * with "-----BEGIN" is PEM and every CERTIFICATE block in it is added, any
 * other is one DER certificate. Each is added as an "asymmetric" key the
 * way `keyctl padd asymmetric '' %keyring:.verityfs` would, without needing
 * keyutils; adding a certificate that is already there replaces it.
 *
 * Exit status: 0 (also when DIR is missing or empty), 1 some certificate was
 * refused, 2 usage, 4 no .verityfs keyring (the module is not loaded).
 *
 * Copyright (C) 2026 The verityfs authors
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "verityfs.h"

#define KEYS_DIR	"/etc/verityfs/keys"
#define KEYRING		".verityfs"
#define MAX_FILE	(1 << 20)
#define LOAD_REFUSED	1
#define LOAD_NO_KEYRING	4

static bool to_kmsg;

/* A line for the administrator: stderr, and with --kmsg the kernel log too. */
__attribute__((format(printf, 2, 3)))
static void say(bool error, const char *fmt, ...)
{
	char line[512], rec[600];
	va_list ap;
	int fd, n;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	fprintf(stderr, "%s: %s\n", vt_prog, line);
	if (!to_kmsg)
		return;
	fd = open("/dev/kmsg", O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	/*
	 * <3> err, <5> notice, as the kernel's own levels. One write() is one
	 * record; not dprintf(), whose stdio stream asks /dev/kmsg for its
	 * position first and gives up when the kernel refuses (5.10, 6.1).
	 */
	n = snprintf(rec, sizeof(rec), "<%d>verityfs load-keys: %s\n", error ? 3 : 5, line);
	if (write(fd, rec, n) != n)
		fprintf(stderr, "%s: cannot write to /dev/kmsg\n", vt_prog);
	close(fd);
}

/*
 * The keyring's serial from /proc/keys, as keyctl's %keyring:NAME finds it.
 * A keyring of an earlier load of the module may still be listed until the
 * key garbage collector runs; it is invalidated ('i' in the flags), so
 * only an instantiated keyring without that flag counts.
 */
static long find_keyring(void)
{
	FILE *f = fopen("/proc/keys", "re");
	char line[512];
	long found = -1;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		char flags[16], type[32], desc[256];
		unsigned long id;

		if (sscanf(line, "%lx %15s %*s %*s %*s %*s %*s %31s %255[^:]", &id, flags, type,
			   desc) != 4)
			continue;
		if (strcmp(type, "keyring") || strcmp(desc, KEYRING))
			continue;
		if (flags[0] != 'I' || strpbrk(flags + 1, "RDi"))
			continue;
		found = (long)id;
		break;
	}
	fclose(f);
	return found;
}

static int b64_value(int c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

/* Decode base64 text [in, end) into out; whitespace is skipped. Returns bytes or -1. */
static ssize_t b64_decode(const char *in, const char *end, unsigned char *out)
{
	unsigned int acc = 0, bits = 0;
	ssize_t n = 0;

	for (; in < end; in++) {
		int v;

		if (*in == '=' )
			break;
		if (*in == '\n' || *in == '\r' || *in == ' ' || *in == '\t')
			continue;
		v = b64_value((unsigned char)*in);
		if (v < 0)
			return -1;
		acc = (acc << 6) | v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[n++] = (acc >> bits) & 0xff;
		}
	}
	return n;
}

static int add_cert(long keyring, const char *file, int index, const void *der, size_t len)
{
	long key = syscall(SYS_add_key, "asymmetric", "", der, len, keyring);

	if (key < 0) {
		say(true, "%s: certificate %d refused: %s", file, index, strerror(errno));
		return -1;
	}
	say(false, "%s: certificate %d added to %s as key %lx", file, index, KEYRING, key);
	return 0;
}

/* Every CERTIFICATE block of a PEM file. Returns -1 if any was refused or none was found. */
static int add_pem(long keyring, const char *file, char *text, size_t len)
{
	static const char begin[] = "-----BEGIN CERTIFICATE-----";
	static const char end[] = "-----END CERTIFICATE-----";
	unsigned char *der = malloc(len);
	char *p = text, *b, *e;
	int index = 0, ret = 0;

	if (!der)
		return -1;
	text[len] = 0;
	while ((b = strstr(p, begin))) {
		ssize_t n;

		b += sizeof(begin) - 1;
		e = strstr(b, end);
		if (!e)
			break;
		index++;
		n = b64_decode(b, e, der);
		if (n <= 0) {
			say(true, "%s: certificate %d is not valid base64", file, index);
			ret = -1;
		} else if (add_cert(keyring, file, index, der, n)) {
			ret = -1;
		}
		p = e + sizeof(end) - 1;
	}
	free(der);
	if (!index) {
		say(true, "%s: no CERTIFICATE block in this PEM file", file);
		return -1;
	}
	return ret;
}

static bool is_cert_name(const char *name)
{
	static const char *const exts[] = { ".der", ".crt", ".cer", ".pem" };
	size_t len = strlen(name), i;

	if (name[0] == '.')
		return false;
	for (i = 0; i < sizeof(exts) / sizeof(exts[0]); i++)
		if (len > 4 && !strcmp(name + len - 4, exts[i]))
			return true;
	return false;
}

static int load_file(long keyring, const char *file)
{
	char *buf;
	ssize_t n;
	size_t len = 0;
	int fd, ret;

	fd = open(file, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0) {
		say(true, "%s: %s", file, strerror(errno));
		return -1;
	}
	buf = malloc(MAX_FILE + 1);
	if (!buf) {
		close(fd);
		return -1;
	}
	while (len < MAX_FILE && (n = read(fd, buf + len, MAX_FILE - len)) > 0)
		len += n;
	close(fd);
	if (!len) {
		say(true, "%s: empty file", file);
		free(buf);
		return -1;
	}
	if (len >= 10 && !memcmp(buf + strspn(buf, " \t\r\n"), "-----BEGIN", 10))
		ret = add_pem(keyring, file, buf, len);
	else
		ret = add_cert(keyring, file, 1, buf, len);
	free(buf);
	return ret;
}

static int byte_order(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

static int cert_entry(const struct dirent *d)
{
	return is_cert_name(d->d_name);
}

/* Returns the number of certificates files that failed, or -1 when DIR is unreadable. */
static int load_dir(long keyring, const char *dir, int *files)
{
	struct dirent **names;
	int n, i, failed = 0;

	n = scandir(dir, &names, cert_entry, byte_order);
	if (n < 0) {
		if (errno == ENOENT)
			return 0;
		say(true, "%s: %s", dir, strerror(errno));
		return -1;
	}
	for (i = 0; i < n; i++) {
		char path[4096];

		snprintf(path, sizeof(path), "%s/%s", dir, names[i]->d_name);
		free(names[i]);
		(*files)++;
		if (load_file(keyring, path))
			failed++;
	}
	free(names);
	return failed;
}

int vt_cmd_load_keys(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "kmsg", no_argument, NULL, 'k' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char *default_dir[] = { (char *)KEYS_DIR };
	char **dirs = default_dir;
	int ndirs = 1, c, i, files = 0, failed = 0;
	long keyring;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "kh", opts, NULL)) != -1) {
		switch (c) {
		case 'k':
			to_kmsg = true;
			break;
		case 'h':
			printf("usage: verityfs load-keys [--kmsg] [DIR...]\n");
			return VT_EXIT_OK;
		default:
			vt_usage_err("unknown option '%s'", argv[optind - 1]);
			return VT_EXIT_USAGE;
		}
	}
	if (optind < argc) {
		dirs = argv + optind;
		ndirs = argc - optind;
	}
	keyring = find_keyring();
	if (keyring < 0) {
		say(true, "no %s keyring in /proc/keys: is the verityfs module loaded?", KEYRING);
		return LOAD_NO_KEYRING;
	}
	for (i = 0; i < ndirs; i++) {
		int r = load_dir(keyring, dirs[i], &files);

		failed += r < 0 ? 1 : r;
	}
	if (failed)
		say(true, "%d of %d certificate files from %s refused", failed, files,
		    ndirs == 1 ? dirs[0] : "the directories");
	else
		say(false, "%d certificate files from %s loaded", files,
		    ndirs == 1 ? dirs[0] : "the directories");
	return failed ? LOAD_REFUSED : VT_EXIT_OK;
}

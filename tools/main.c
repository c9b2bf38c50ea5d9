// SPDX-License-Identifier: GPL-2.0-only
/*
 * verityfs tool: `verityfs COMMAND [ARGS]`, the command table and dispatch.
 *
 * Copyright (C) 2026 The verityfs authors
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "verityfs.h"

#ifndef VERITYFS_VERSION
#define VERITYFS_VERSION "unknown"
#endif

/* One line per command, each in its own cmd_*.c. */
static const struct vt_command commands[] = {
	{ "list", vt_cmd_list, "list [-x] PATH...",
	  "print the verity files under PATHs: digest, block size, signed or not" },
	{ "scrub", vt_cmd_scrub, "scrub [-x] [-q] [-v] [--paths-from FILE] [PATH...]",
	  "read every verity file under PATHs, report corrupt blocks" },
	{ "load-keys", vt_cmd_load_keys, "load-keys [--kmsg] [DIR...]",
	  "add the certificates in DIRs (default /etc/verityfs/keys) to .verityfs" },
	{ "enable", vt_cmd_enable, "enable --descriptor=DESC [--tree=TREE] [--signature=SIG] FILE",
	  "make FILE verity from a descriptor (and tree) made by fsverity digest" },
	{ "export", vt_cmd_export, "export [--tree] [-v] -f ARCHIVE|- -C DIR [PATH...]",
	  "write a tar archive of PATHs in DIR that carries the verity metadata" },
	{ "import", vt_cmd_import, "import [-v] -f ARCHIVE|- -C DIR",
	  "extract such an archive into DIR and make its verity files verity again" },
	{ "gc", vt_cmd_gc, "gc [--delete] [--min-age=SECONDS] LOWER_ROOT",
	  "list (or delete) the objects of a lower filesystem's store no file names" },
};

#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

const char *vt_prog = "verityfs";

static void vt_vmsg(const char *fmt, va_list ap)
{
	fprintf(stderr, "%s: ", vt_prog);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

/* An error message on stderr: "verityfs COMMAND: ...". */
void vt_err(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vt_vmsg(fmt, ap);
	va_end(ap);
}

/* A usage error: the message, then a hint. The caller returns VT_EXIT_USAGE. */
void vt_usage_err(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vt_vmsg(fmt, ap);
	va_end(ap);
	fprintf(stderr, "Try 'verityfs help' or 'man 8 verityfs'.\n");
}

static void print_help(FILE *f)
{
	size_t i;

	fprintf(f, "usage: verityfs COMMAND [ARGS]\n\ncommands:\n");
	for (i = 0; i < NCOMMANDS; i++)
		fprintf(f, "  verityfs %s\n      %s\n", commands[i].usage, commands[i].summary);
	fprintf(f, "  verityfs help | --help\n  verityfs version | --version\n"
		   "\nSee verityfs(8) for the output formats and exit statuses.\n");
}

int main(int argc, char **argv)
{
	static char prog[64];
	const char *cmd;
	size_t i;

	if (argc < 2) {
		print_help(stderr);
		return VT_EXIT_USAGE;
	}
	cmd = argv[1];
	if (!strcmp(cmd, "help") || !strcmp(cmd, "--help") || !strcmp(cmd, "-h")) {
		print_help(stdout);
		return VT_EXIT_OK;
	}
	if (!strcmp(cmd, "version") || !strcmp(cmd, "--version")) {
		printf("verityfs %s\n", VERITYFS_VERSION);
		return VT_EXIT_OK;
	}
	for (i = 0; i < NCOMMANDS; i++) {
		if (strcmp(cmd, commands[i].name))
			continue;
		snprintf(prog, sizeof(prog), "verityfs %s", commands[i].name);
		vt_prog = prog;
		return commands[i].run(argc - 1, argv + 1);
	}
	vt_usage_err("unknown command '%s'", cmd);
	return VT_EXIT_USAGE;
}

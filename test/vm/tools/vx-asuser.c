// SPDX-License-Identifier: GPL-2.0-only
/*
 * vx-asuser: run a command as another user, for the non-root test cases.
 *
 *   vx-asuser UID GID CMD [ARGS...]
 *
 * Drops the supplementary groups, then the group and the user ids (real,
 * effective, saved and so the filesystem ids), and execs CMD from PATH. The
 * guest's busybox su would do too, but needs a passwd entry and a shell per
 * user; this needs neither.
 *
 * Copyright (C) 2026 The verityfs authors
 */
#define _GNU_SOURCE
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	uid_t uid;
	gid_t gid;

	if (argc < 4) {
		fprintf(stderr, "usage: vx-asuser UID GID CMD [ARGS...]\n");
		return 2;
	}
	uid = (uid_t)strtoul(argv[1], NULL, 10);
	gid = (gid_t)strtoul(argv[2], NULL, 10);
	if (setgroups(0, NULL) || setresgid(gid, gid, gid) || setresuid(uid, uid, uid)) {
		perror("vx-asuser: drop privileges");
		return 2;
	}
	execvp(argv[3], argv + 3);
	perror("vx-asuser: exec");
	return 127;
}

// SPDX-License-Identifier: GPL-2.0-only
/*
 * verityfs tool: running GNU tar beside the pax filter, for export and
 * import. tar does the archiving; the filter sits on the pipe between tar
 * and the archive.
 *
 * Copyright (C) 2026 The verityfs authors
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "verityfs.h"

/**
 * vt_tar_start() - run tar with one end of a pipe as its archive
 * @argv: tar's arguments, argv[0] "tar" (VERITYFS_TAR names another program)
 * @writes: true: tar writes the archive (its stdout is the pipe);
 *	false: tar reads it (its stdin)
 * @pid: set to tar's process id
 *
 * Return: our end of the pipe, or -1 (reported).
 */
int vt_tar_start(char **argv, bool writes, pid_t *pid)
{
	const char *tar = getenv("VERITYFS_TAR");
	int p[2];

	if (pipe2(p, O_CLOEXEC)) {
		vt_err("pipe: %s", strerror(errno));
		return -1;
	}
	*pid = fork();
	if (*pid < 0) {
		vt_err("fork: %s", strerror(errno));
		close(p[0]);
		close(p[1]);
		return -1;
	}
	if (*pid == 0) {
		if (dup2(writes ? p[1] : p[0], writes ? 1 : 0) < 0)
			_exit(127);
		signal(SIGPIPE, SIG_DFL);
		execvp(tar && *tar ? tar : "tar", argv);
		vt_err("cannot run %s: %s", tar && *tar ? tar : "tar", strerror(errno));
		_exit(127);
	}
	close(writes ? p[1] : p[0]);
	return writes ? p[0] : p[1];
}

/* Return: 0 when tar exited 0; else 1, reported. */
int vt_tar_wait(pid_t pid)
{
	int status;

	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			vt_err("waitpid: %s", strerror(errno));
			return 1;
		}
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	if (WIFEXITED(status))
		vt_err("tar exited with status %d", WEXITSTATUS(status));
	else
		vt_err("tar was killed by signal %d", WTERMSIG(status));
	return 1;
}

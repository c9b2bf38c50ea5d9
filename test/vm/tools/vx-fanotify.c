// SPDX-License-Identifier: GPL-2.0-only
/*
 * vx-fanotify: watch a filesystem for FAN_FS_ERROR, make it fail, print the
 * error record.
 *
 *   vx-fanotify MNT FILE [SECONDS]
 *
 * Marks the filesystem of MNT (FAN_MARK_FILESYSTEM, FAN_FS_ERROR, a group
 * reporting file ids), reads FILE to its end (the read is expected to fail),
 * then waits up to SECONDS (default 10) for the event, which the kernel may
 * deliver from a worker (7.0+). Prints one line:
 *
 *   read=<errno name or ok> error=<errno> error_count=<n> handle_type=<t> ino=<i>
 *
 * ino is decoded only from the generic FILEID_INO32_GEN handle (type 1) and
 * is -1 otherwise. Exit status: 0 event printed, 1 failure or no event,
 * 2 the kernel cannot watch this filesystem for FAN_FS_ERROR (the reason,
 * fanotify_init's or fanotify_mark's errno, goes to stdout as "unsupported:").
 *
 * Copyright (C) 2026 The verityfs authors
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/fanotify.h>
#include <unistd.h>

#ifndef FAN_FS_ERROR
#define FAN_FS_ERROR		0x00008000
#endif
#ifndef FAN_EVENT_INFO_TYPE_ERROR
#define FAN_EVENT_INFO_TYPE_ERROR	5
#endif

/* Our own copies of the record layouts (uapi linux/fanotify.h, 5.16). */
struct vx_info_error {
	struct fanotify_event_info_header hdr;
	int32_t error;
	uint32_t error_count;
};

struct vx_info_fid {
	struct fanotify_event_info_header hdr;
	int32_t fsid[2];
	uint32_t handle_bytes;
	int32_t handle_type;
	unsigned char f_handle[];
};

static const char *errname(int e)
{
	switch (e) {
	case 0: return "ok";
	case EIO: return "EIO";
	case EBADMSG: return "EBADMSG";
	case EUCLEAN: return "EUCLEAN";
	case EINVAL: return "EINVAL";
	case EOPNOTSUPP: return "EOPNOTSUPP";
	case ENODEV: return "ENODEV";
	case EPERM: return "EPERM";
	case EXDEV: return "EXDEV";
	default: return strerror(e);
	}
}

static int read_file(const char *path)
{
	char buf[65536];
	ssize_t n;
	int fd, err = 0;

	fd = open(path, O_RDONLY);
	if (fd < 0)
		return errno;
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		;
	if (n < 0)
		err = errno;
	close(fd);
	return err;
}

int main(int argc, char **argv)
{
	char buf[4096] __attribute__((aligned(8)));
	struct fanotify_event_metadata *ev;
	int fan, rerr, seconds = 10;
	struct pollfd pfd;
	ssize_t len;

	if (argc < 3) {
		fprintf(stderr, "usage: vx-fanotify MNT FILE [SECONDS]\n");
		return 1;
	}
	if (argc > 3)
		seconds = atoi(argv[3]);
	fan = fanotify_init(FAN_CLASS_NOTIF | FAN_REPORT_FID | FAN_NONBLOCK, O_RDONLY);
	if (fan < 0) {
		printf("unsupported: fanotify_init(FAN_REPORT_FID): %s\n", errname(errno));
		return 2;
	}
	if (fanotify_mark(fan, FAN_MARK_ADD | FAN_MARK_FILESYSTEM, FAN_FS_ERROR,
			  AT_FDCWD, argv[1]) < 0) {
		printf("unsupported: fanotify_mark(FAN_MARK_FILESYSTEM, FAN_FS_ERROR) on %s: %s\n",
		       argv[1], errname(errno));
		return 2;
	}
	rerr = read_file(argv[2]);

	pfd.fd = fan;
	pfd.events = POLLIN;
	if (poll(&pfd, 1, seconds * 1000) <= 0) {
		printf("read=%s no FAN_FS_ERROR event within %d s\n", errname(rerr), seconds);
		return 1;
	}
	len = read(fan, buf, sizeof(buf));
	if (len < (ssize_t)sizeof(*ev)) {
		printf("read=%s reading the event failed: %s\n", errname(rerr), errname(errno));
		return 1;
	}
	for (ev = (void *)buf; FAN_EVENT_OK(ev, len); ev = FAN_EVENT_NEXT(ev, len)) {
		int error = -1, type = -1;
		unsigned int count = 0;
		long long ino = -1;
		size_t off;

		if (!(ev->mask & FAN_FS_ERROR))
			continue;
		for (off = ev->metadata_len; off + sizeof(struct fanotify_event_info_header) <= ev->event_len;) {
			struct fanotify_event_info_header *h = (void *)((char *)ev + off);

			if (h->len == 0)
				break;
			if (h->info_type == FAN_EVENT_INFO_TYPE_ERROR) {
				struct vx_info_error *e = (void *)h;

				error = e->error;
				count = e->error_count;
			} else if (h->info_type == FAN_EVENT_INFO_TYPE_FID) {
				struct vx_info_fid *f = (void *)h;
				uint32_t ino32;

				type = f->handle_type;
				if (type == 1 && f->handle_bytes >= 8) {
					memcpy(&ino32, f->f_handle, sizeof(ino32));
					ino = ino32;
				}
			}
			off += h->len;
		}
		printf("read=%s error=%d error_count=%u handle_type=%d ino=%lld\n",
		       errname(rerr), error, count, type, ino);
		return 0;
	}
	printf("read=%s an event arrived but none was FAN_FS_ERROR\n", errname(rerr));
	return 1;
}

// SPDX-License-Identifier: GPL-2.0-only
/*
 * vx-trust: system calls and races for the trust-boundary cases (trust-*,
 * mntflags-*, race-*). Every command prints one line, "ok", an errno name or
 * the value asked for, so that a case can compare verityfs with native ext4
 * or with a bind mount of the lower line by line.
 *
 * On a file descriptor the shell opened (exec 5< FILE), so that "an fd
 * opened before enable" is one open file shared by several commands:
 *   vx-trust enable-fd FD                FS_IOC_ENABLE_VERITY (SHA-256, 4 KiB)
 *   vx-trust measure-fd FD               FS_IOC_MEASURE_VERITY: sha256:HEX
 *   vx-trust pread-fd FD OFF LEN [REF]   pread(2); with REF, "differs" when the
 *                                        bytes are not REF's at OFF
 *   vx-trust read-fd FD OFF LEN [REF]    lseek(2) + read(2), same report
 *   vx-trust splice-fd FD OFF LEN        splice(2) into a pipe
 *   vx-trust sendfile-fd FD OFF LEN      sendfile(2) to /dev/null
 *   vx-trust mmap-fd FD OFF LEN [REF]    a fresh shared mapping, every page
 *                                        touched: SIGBUS, differs or ok
 *   vx-trust fadvise-fd FD               POSIX_FADV_WILLNEED over the file
 *   vx-trust readahead-fd FD             readahead(2) over the file
 * On paths:
 *   vx-trust openw FILE                  open(O_WRONLY), nothing written
 *   vx-trust truncate FILE SIZE          truncate(2)
 *   vx-trust enable-vs-truncate A B      FS_IOC_ENABLE_VERITY on A in a child; while
 *                                        it runs (A refuses writers), truncate B to
 *                                        its size + 4096 and open it for writing:
 *                                        "truncate=.. openw=.. enable=.."
 *   vx-trust poke64 FILE OFF VALUE       write VALUE as a little-endian u64 at OFF
 *   vx-trust setflags-ro FILE            FS_IOC_SETFLAGS of the file's own flags
 *                                        from a read-only buffer
 *   vx-trust setflags-buf FILE           the same from a writable buffer: "kept"
 *                                        when the call left the buffer alone
 *   vx-trust chflags FILE HEX            FS_IOC_SETFLAGS of the file's flags | HEX
 *   vx-trust fssetxattr FILE             FS_IOC_FSSETXATTR of what FSGETXATTR gave
 *   vx-trust getflags32 FILE             FS_IOC32_GETFLAGS as a 32-bit caller
 *                                        (int $0x80): "verity" or "plain"
 *   vx-trust setflags32 FILE             FS_IOC32_SETFLAGS of its own flags, 32-bit
 *   vx-trust create|mkdir|unlink|rmdir PATH
 *   vx-trust stat PATH                   "ok INO" or errno (lstat)
 *   vx-trust rename OLD NEW
 *   vx-trust ids                         "euid=N" (run as a set-user-id copy)
 *   vx-trust mmapexec FILE               mmap(PROT_READ|PROT_EXEC)
 *   vx-trust mmap-touch FILE             map the first page and read a byte
 *   vx-trust atime PATH                  lstat's atime, SEC.NSEC
 *   vx-trust setatime PATH A M           utimensat without following: atime and
 *                                        mtime now-A and now-M seconds
 *   vx-trust syncfs PATH                 syncfs(2) on an open of PATH
 * Races (one line: "ok COUNTERS" or "FAIL WHAT"):
 *   vx-trust race-enable-open MNT LOWER N LINKS
 *                                        N files enabled through MNT while a
 *                                        child opens fresh hard links made on
 *                                        LOWER the moment the record appears
 *   vx-trust evict-race MNT N RT         N times: a new 64 KiB verity file through
 *                                        MNT read ahead, unlinked and closed at once
 *                                        (its evict waits for the readahead's pages);
 *                                        RT=1 does that as a SCHED_FIFO task, which
 *                                        the filling work item's last unlock_page()
 *                                        wakes and, with full preemption on one
 *                                        CPU, lets run before the work item goes on
 *   vx-trust stress MNT_A MNT_B LOWER SECONDS [mixed]
 *                                        readers (read, mmap, readahead), close
 *                                        and unlink right after readahead,
 *                                        drop_caches, MNT_B mounted and
 *                                        unmounted over LOWER; "mixed" adds
 *                                        enables through MNT_A racing with opens
 *                                        of hard links and old fds on MNT_B
 *
 * Copyright (C) 2026 The verityfs authors
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <sched.h>
#include <time.h>
#include <unistd.h>

#include "vx-abi.h"

/* The ABI, written out so that no kernel header is needed. */
#define VX_ENABLE		0x40806685u
#define VX_MEASURE		0xC0046686u
#define VX_GETFLAGS		_IOR('f', 1, long)
#define VX_SETFLAGS		_IOW('f', 2, long)
#define VX_GETFLAGS32		_IOR('f', 1, int)
#define VX_SETFLAGS32		_IOW('f', 2, int)
#define VX_VERITY_FL		0x00100000
#define VX_FSGETXATTR		_IOR('X', 31, struct vx_fsxattr)
#define VX_FSSETXATTR		_IOW('X', 32, struct vx_fsxattr)
#define VX_NR32_IOCTL		54	/* i386 system call number */
#define VX_MNT_DETACH		2


struct vx_fsxattr {
	uint32_t xflags, extsize, nextents, projid, cowextsize;
	unsigned char pad[8];
};

static const struct { int e; const char *name; } errnames[] = {
	{ EPERM, "EPERM" }, { ENOENT, "ENOENT" }, { EIO, "EIO" }, { EBADF, "EBADF" },
	{ EAGAIN, "EAGAIN" }, { ENOMEM, "ENOMEM" }, { EACCES, "EACCES" }, { EFAULT, "EFAULT" },
	{ EBUSY, "EBUSY" }, { EEXIST, "EEXIST" }, { EXDEV, "EXDEV" }, { ENODEV, "ENODEV" },
	{ ENOTDIR, "ENOTDIR" }, { EISDIR, "EISDIR" }, { EINVAL, "EINVAL" }, { ENFILE, "ENFILE" },
	{ ENOTTY, "ENOTTY" }, { ETXTBSY, "ETXTBSY" }, { EFBIG, "EFBIG" }, { ENOSPC, "ENOSPC" },
	{ ESPIPE, "ESPIPE" }, { EROFS, "EROFS" }, { EMLINK, "EMLINK" }, { ENAMETOOLONG, "ENAMETOOLONG" },
	{ ENOSYS, "ENOSYS" }, { ENOTEMPTY, "ENOTEMPTY" }, { ELOOP, "ELOOP" }, { ENODATA, "ENODATA" },
	{ EOVERFLOW, "EOVERFLOW" }, { EBADMSG, "EBADMSG" }, { EOPNOTSUPP, "EOPNOTSUPP" },
	{ ESTALE, "ESTALE" }, { EINTR, "EINTR" }, { EMSGSIZE, "EMSGSIZE" }, { ENOKEY, "ENOKEY" },
	{ EKEYREJECTED, "EKEYREJECTED" }, { EUCLEAN, "EUCLEAN" },
};

static const char *errname(int e)
{
	static char buf[32];
	size_t i;

	for (i = 0; i < sizeof(errnames) / sizeof(errnames[0]); i++)
		if (errnames[i].e == e)
			return errnames[i].name;
	snprintf(buf, sizeof(buf), "E%d", e);
	return buf;
}

/* Print "ok" or the errno's name; exit status 0 only for "ok". */
static int report(long rc)
{
	if (rc < 0) {
		printf("%s\n", errname(errno));
		return 1;
	}
	printf("ok\n");
	return 0;
}

static long long num(const char *s)
{
	return strtoll(s, NULL, 0);
}

/* ---------------------------------------------------------------- fds --- */

static int do_enable_fd(int fd)
{
	struct vx_enable_arg arg;

	memset(&arg, 0, sizeof(arg));
	arg.version = 1;
	arg.hash_algorithm = 1;
	arg.block_size = 4096;
	return report(ioctl(fd, VX_ENABLE, &arg));
}

static int do_measure_fd(int fd)
{
	struct { uint16_t alg, size; uint8_t digest[64]; } d;
	int i;

	d.size = sizeof(d.digest);
	if (ioctl(fd, VX_MEASURE, &d) < 0)
		return report(-1);
	printf("%s:", d.alg == 2 ? "sha512" : "sha256");
	for (i = 0; i < d.size; i++)
		printf("%02x", d.digest[i]);
	printf("\n");
	return 0;
}

/* Compare @len bytes of @buf with file @ref at @off: 0 when equal. */
static int differs(const char *ref, const void *buf, size_t len, off_t off)
{
	char *want = malloc(len);
	int fd = open(ref, O_RDONLY), rc;

	if (!want || fd < 0 || pread(fd, want, len, off) != (ssize_t)len)
		return 1;
	rc = memcmp(want, buf, len) != 0;
	close(fd);
	free(want);
	return rc;
}

static int do_read_fd(int fd, off_t off, size_t len, const char *ref, int positional)
{
	char *buf = malloc(len);
	size_t done = 0;
	ssize_t n;

	if (!buf)
		return 2;
	if (!positional && lseek(fd, off, SEEK_SET) < 0)
		return report(-1);
	while (done < len) {
		n = positional ? pread(fd, buf + done, len - done, off + done) :
				 read(fd, buf + done, len - done);
		if (n < 0)
			return report(-1);
		if (n == 0)
			break;
		done += n;
	}
	if (done != len) {
		printf("short %zu\n", done);
		return 1;
	}
	if (ref && differs(ref, buf, len, off)) {
		printf("differs\n");
		return 1;
	}
	return report(0);
}

static int do_splice_fd(int fd, off_t off, size_t len)
{
	loff_t pos = off;
	char sink[65536];
	int p[2];
	ssize_t n;

	if (pipe(p))
		return report(-1);
	while (len > 0) {
		n = splice(fd, &pos, p[1], NULL, len < sizeof(sink) ? len : sizeof(sink), 0);
		if (n < 0)
			return report(-1);
		if (n == 0)
			break;
		len -= n;
		while (n > 0) {
			ssize_t m = read(p[0], sink, n);

			if (m <= 0)
				return report(-1);
			n -= m;
		}
	}
	return report(0);
}

static int do_sendfile_fd(int fd, off_t off, size_t len)
{
	int out = open("/dev/null", O_WRONLY);
	ssize_t n;

	if (out < 0)
		return report(-1);
	while (len > 0) {
		n = sendfile(out, fd, &off, len);
		if (n < 0)
			return report(-1);
		if (n == 0)
			break;
		len -= n;
	}
	return report(0);
}

static sigjmp_buf bus_jmp;

static void on_sigbus(int sig)
{
	siglongjmp(bus_jmp, sig);
}

/* Touch every page of a fresh mapping of @fd; "SIGBUS" if one fails. */
static int map_and_touch(int fd, off_t off, size_t len, const char *ref, int prot)
{
	volatile unsigned char sum = 0;
	unsigned char *p;
	size_t i;

	p = mmap(NULL, len, prot, MAP_SHARED, fd, off);
	if (p == MAP_FAILED)
		return report(-1);
	signal(SIGBUS, on_sigbus);
	if (sigsetjmp(bus_jmp, 1)) {
		printf("SIGBUS\n");
		return 1;
	}
	for (i = 0; i < len; i += 4096)
		sum += p[i];
	(void)sum;
	if (ref && differs(ref, p, len, off)) {
		printf("differs\n");
		return 1;
	}
	munmap(p, len);
	return report(0);
}

static int do_fadvise_fd(int fd)
{
	errno = posix_fadvise(fd, 0, 0, POSIX_FADV_WILLNEED);
	return report(errno ? -1 : 0);
}

static int do_readahead_fd(int fd)
{
	struct stat st;

	if (fstat(fd, &st))
		return report(-1);
	return report(readahead(fd, 0, st.st_size));
}

/* -------------------------------------------------------------- paths --- */

static int do_openw(const char *path)
{
	int fd = open(path, O_WRONLY);

	return report(fd < 0 ? -1 : close(fd));
}

static int enable_path(const char *path)
{
	struct vx_enable_arg arg;
	int fd = open(path, O_RDONLY), rc;

	if (fd < 0)
		return -errno;
	memset(&arg, 0, sizeof(arg));
	arg.version = 1;
	arg.hash_algorithm = 1;
	arg.block_size = 4096;
	rc = ioctl(fd, VX_ENABLE, &arg) ? -errno : 0;
	close(fd);
	return rc;
}

/* A refuses new writers while its enable runs (deny_write_access). */
static int enable_running(const char *a)
{
	int fd = open(a, O_WRONLY);

	if (fd >= 0) {
		close(fd);
		return 0;
	}
	return errno == ETXTBSY;
}

static int do_enable_vs_truncate(const char *a, const char *b)
{
	int *res = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	int st, i, tr_err, ow_err, fd, inside;
	struct stat sb;
	pid_t pid;

	if (res == MAP_FAILED || stat(b, &sb))
		return report(-1);
	res[0] = 1;
	res[1] = 0;
	pid = fork();
	if (pid == 0) {
		res[1] = 1;	/* the enable starts now */
		res[0] = enable_path(a);
		_exit(0);
	}
	/*
	 * Probing with an open for writing while the enable starts would make
	 * the enable fail (ETXTBSY): give it time to shut writers out first.
	 */
	while (!res[1])
		usleep(1000);
	usleep(300000);
	for (i = 0; i < 200 && !enable_running(a); i++)
		usleep(10000);
	tr_err = truncate(b, sb.st_size + 4096) ? errno : 0;
	fd = open(b, O_WRONLY);
	ow_err = fd < 0 ? errno : 0;
	if (fd >= 0)
		close(fd);
	inside = enable_running(a);
	waitpid(pid, &st, 0);
	if (!inside) {
		printf("window missed (the enable ended before the truncate)\n");
		return 1;
	}
	printf("truncate=%s openw=%s enable=%s\n", tr_err ? errname(tr_err) : "ok",
	       ow_err ? errname(ow_err) : "ok", res[0] ? errname(-res[0]) : "ok");
	return 0;
}

static int do_poke64(const char *path, off_t off, uint64_t v)
{
	unsigned char b[8];
	int fd = open(path, O_WRONLY), i;

	for (i = 0; i < 8; i++)
		b[i] = v >> (8 * i);
	if (fd < 0 || pwrite(fd, b, 8, off) != 8)
		return report(-1);
	return report(close(fd));
}

/* FS_IOC_SETFLAGS of the file's current flags from a buffer of @prot. */
static int setflags_from(const char *path, int prot)
{
	int fd = open(path, O_RDONLY), flags = 0, before;
	int *buf = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (fd < 0 || buf == MAP_FAILED)
		return report(-1);
	if (ioctl(fd, VX_GETFLAGS, &flags))
		return report(-1);
	buf[0] = flags;
	before = flags;
	if (mprotect(buf, 4096, prot))
		return report(-1);
	if (ioctl(fd, VX_SETFLAGS, buf))
		return report(-1);
	if (prot & PROT_WRITE) {
		if (buf[0] != before) {
			printf("changed 0x%x -> 0x%x\n", before, buf[0]);
			return 1;
		}
		printf("kept\n");
		return 0;
	}
	return report(0);
}

static int do_chflags(const char *path, int add)
{
	int fd = open(path, O_RDONLY), flags = 0;

	if (fd < 0 || ioctl(fd, VX_GETFLAGS, &flags))
		return report(-1);
	flags |= add;
	return report(ioctl(fd, VX_SETFLAGS, &flags));
}

static int do_fssetxattr(const char *path)
{
	struct vx_fsxattr fa;
	int fd = open(path, O_RDONLY);

	if (fd < 0 || ioctl(fd, VX_FSGETXATTR, &fa))
		return report(-1);
	return report(ioctl(fd, VX_FSSETXATTR, &fa));
}

/*
 * An ioctl as a 32-bit process makes it: int $0x80 from 64-bit code enters
 * the kernel through the ia32 system call table (in_compat_syscall() is
 * true), so the VFS sees a compat ioctl. The argument must be below 4 GiB.
 */
static long ioctl32(int fd, unsigned int cmd, uint32_t arg)
{
	long ret;

	__asm__ volatile("int $0x80"
			 : "=a"(ret)
			 : "a"(VX_NR32_IOCTL), "b"(fd), "c"(cmd), "d"(arg)
			 : "r8", "r9", "r10", "r11", "memory");
	if (ret < 0 && ret > -4096) {
		errno = -ret;
		return -1;
	}
	return ret;
}

static int do_flags32(const char *path, int set)
{
	int fd = open(path, O_RDONLY);
	int *buf = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);

	if (fd < 0 || buf == MAP_FAILED)
		return report(-1);
	buf[0] = 0;
	if (ioctl32(fd, VX_GETFLAGS32, (uint32_t)(uintptr_t)buf) < 0)
		return report(-1);
	if (!set) {
		printf("%s\n", buf[0] & VX_VERITY_FL ? "verity" : "plain");
		return 0;
	}
	return report(ioctl32(fd, VX_SETFLAGS32, (uint32_t)(uintptr_t)buf));
}

static int do_create(const char *path)
{
	int fd = open(path, O_CREAT | O_EXCL | O_WRONLY, 0644);

	return report(fd < 0 ? -1 : close(fd));
}

static int do_stat(const char *path)
{
	struct stat st;

	if (lstat(path, &st))
		return report(-1);
	printf("ok %llu\n", (unsigned long long)st.st_ino);
	return 0;
}

static int do_mmapexec(const char *path)
{
	int fd = open(path, O_RDONLY);
	void *p;

	if (fd < 0)
		return report(-1);
	p = mmap(NULL, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE, fd, 0);
	return report(p == MAP_FAILED ? -1 : 0);
}

static int do_mmap_touch(const char *path)
{
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return report(-1);
	return map_and_touch(fd, 0, 4096, NULL, PROT_READ);
}

static int do_atime(const char *path)
{
	struct stat st;

	if (lstat(path, &st))
		return report(-1);
	printf("%lld.%09ld\n", (long long)st.st_atim.tv_sec, st.st_atim.tv_nsec);
	return 0;
}

static int do_setatime(const char *path, long a, long m)
{
	struct timespec ts[2];
	time_t now = time(NULL);

	ts[0].tv_sec = now - a;
	ts[0].tv_nsec = 0;
	ts[1].tv_sec = now - m;
	ts[1].tv_nsec = 0;
	return report(utimensat(AT_FDCWD, path, ts, AT_SYMLINK_NOFOLLOW));
}

static int do_syncfs(const char *path)
{
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return report(-1);
	return report(syncfs(fd));
}

/* -------------------------------------------------------------- races --- */

/* State shared by the processes of a race, in one anonymous shared page. */
struct shared {
	volatile int stop;
	volatile int cur;		/* race-enable-open: file being enabled */
	volatile int enabled;		/* ... its enable returned */
	volatile int owner;		/* mixed stress: whose file "cur" is */
	volatile long count[16];
	volatile int failed;
	char why[256];
};

static struct shared *sh;

enum { C_READ, C_MMAP, C_RA, C_FADV, C_CHURN, C_DROP, C_MOUNT, C_UMOUNT_BUSY, C_ENABLE,
       C_LINKOPEN, C_OLDFD, C_WINDOW, C_SKIP, C_NR };
static const char *const cname[C_NR] = {
	"reads", "mmaps", "readaheads", "fadvises", "churned", "drops", "mounts",
	"umount_busy", "enables", "link_opens", "oldfd_reads", "window_opens", "skipped",
};

static void fail(const char *fmt, ...)
{
	va_list ap;

	if (__sync_lock_test_and_set(&sh->failed, 1))
		return;
	va_start(ap, fmt);
	vsnprintf(sh->why, sizeof(sh->why), fmt, ap);
	va_end(ap);
}

static uint64_t mix64(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ull;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

/* The content of file @id: a word of mix64 per 8 bytes. @off is 8-aligned. */
static void pattern(uint32_t id, uint64_t off, void *buf, size_t len)
{
	uint64_t *w = buf;
	size_t i;

	for (i = 0; i < len / 8; i++)
		w[i] = mix64(((uint64_t)id << 40) ^ ((off >> 3) + i));
}

static int pattern_ok(uint32_t id, uint64_t off, const void *buf, size_t len)
{
	const uint64_t *w = buf;
	size_t i;

	for (i = 0; i < len / 8; i++)
		if (w[i] != mix64(((uint64_t)id << 40) ^ ((off >> 3) + i)))
			return 0;
	return 1;
}

static uint64_t rng_state;

static uint32_t rnd(uint32_t n)
{
	rng_state = mix64(rng_state);
	return n ? (uint32_t)(rng_state % n) : 0;
}

/* Write file @path with @size bytes of pattern @id. Returns 0 or -errno. */
static int write_pattern(const char *path, uint32_t id, size_t size)
{
	static uint64_t buf[65536 / 8];
	size_t done = 0, n;
	int fd = open(path, O_CREAT | O_TRUNC | O_WRONLY, 0644);

	if (fd < 0)
		return -errno;
	while (done < size) {
		n = size - done < sizeof(buf) ? size - done : sizeof(buf);
		pattern(id, done, buf, sizeof(buf));
		if (write(fd, buf, n) != (ssize_t)n) {
			close(fd);
			return -EIO;
		}
		done += n;
	}
	return close(fd) ? -errno : 0;
}

static double now_s(void)
{
	struct timeval tv;

	gettimeofday(&tv, NULL);
	return tv.tv_sec + tv.tv_usec / 1e6;
}

/* Fork @fn as a worker; it runs until sh->stop. */
static pid_t spawn(void (*fn)(void *), void *arg, int seed)
{
	pid_t pid = fork();

	if (pid == 0) {
		rng_state = mix64(seed * 7919ull + getpid());
		fn(arg);
		_exit(0);
	}
	return pid;
}

static void print_counts(void)
{
	int i;

	printf("ok");
	for (i = 0; i < C_NR; i++)
		if (sh->count[i])
			printf(" %s=%ld", cname[i], sh->count[i]);
	printf("\n");
}

static struct shared *map_shared(void)
{
	struct shared *s = mmap(NULL, sizeof(*s), PROT_READ | PROT_WRITE,
				MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	if (s == MAP_FAILED) {
		perror("mmap");
		exit(2);
	}
	memset(s, 0, sizeof(*s));
	return s;
}

/*
 * M3: enable writes the record (the commit), syncs the data file, then
 * publishes its state. An open through another hard link that looks the
 * file up after the record appeared installs its own state; the child opens
 * fresh link names (each a new lookup) from the moment the record appears
 * until the enable returns.
 */
static int do_race_enable_open(const char *mnt, const char *lower, int n, int links)
{
	char path[4096], lpath[4096], rec[128];
	int i, k, fd, st;
	pid_t pid;

	sh = map_shared();
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/e%d", mnt, i);
		if (write_pattern(path, i, 256 * 1024)) {
			fail("write %s", path);
			break;
		}
		snprintf(lpath, sizeof(lpath), "%s/e%d", lower, i);
		for (k = 0; k < links; k++) {
			char l[4096];

			snprintf(l, sizeof(l), "%s/e%d.l%d", lower, i, k);
			if (link(lpath, l)) {
				fail("link %s: %s", l, errname(errno));
				break;
			}
		}
		sh->enabled = 0;
		pid = fork();
		if (pid == 0) {
			char buf[4096];

			/* Wait for the commit, then open names never looked up before. */
			while (!sh->enabled && getxattr(lpath, "trusted.verityfs", rec,
							sizeof(rec)) <= 0)
				;
			for (k = 0; k < links && !sh->enabled; k++) {
				snprintf(path, sizeof(path), "%s/e%d.l%d", mnt, i, k);
				fd = open(path, O_RDONLY);
				if (fd < 0) {
					fail("open %s: %s", path, errname(errno));
					_exit(1);
				}
				if (pread(fd, buf, sizeof(buf), 0) != sizeof(buf) ||
				    !pattern_ok(i, 0, buf, sizeof(buf)))
					fail("read %s: wrong data or %s", path, errname(errno));
				close(fd);
				if (!sh->enabled)
					__sync_fetch_and_add(&sh->count[C_WINDOW], 1);
			}
			_exit(0);
		}
		snprintf(path, sizeof(path), "%s/e%d", mnt, i);
		st = enable_path(path);
		sh->enabled = 1;
		waitpid(pid, NULL, 0);
		if (st) {
			fail("enable %s: %s", path, errname(-st));
			break;
		}
		sh->count[C_ENABLE]++;
	}
	if (sh->failed) {
		printf("FAIL %s\n", sh->why);
		return 1;
	}
	print_counts();
	return 0;
}

/*
 * H2: the evict of a file whose readahead is still being filled must not
 * free its verity state under the work item. The evicting task waits for
 * each page of the batch; as a real-time task it runs as soon as the last
 * page is unlocked, finishes the evict and frees the state, and only then,
 * when it sleeps, does the work item go on.
 */
static int do_evict_race(const char *mnt, int n, int rt)
{
	struct sched_param rt_param = { .sched_priority = 50 }, normal = { 0 };
	char path[4096];
	int i, fd, err;

	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/h%d", mnt, i);
		err = write_pattern(path, 300000 + i, 65536);
		if (!err)
			err = enable_path(path);
		if (err) {
			printf("FAIL %s: %s\n", path, errname(-err));
			return 1;
		}
		if (rt && sched_setscheduler(0, SCHED_FIFO, &rt_param))
			return report(-1);
		fd = open(path, O_RDONLY);
		if (fd < 0)
			return report(-1);
		posix_fadvise(fd, 0, 0, POSIX_FADV_WILLNEED);
		unlink(path);
		close(fd);
		/* Sleep, so that a preempted work item runs on now. */
		usleep(2000);
		if (rt && sched_setscheduler(0, SCHED_OTHER, &normal))
			return report(-1);
	}
	printf("ok iterations=%d\n", n);
	return 0;
}

/* The stress: a pool of verity files, made before the workers start. */
#define POOL_MAX 32
struct pool {
	int n;
	uint32_t id[POOL_MAX];
	size_t size[POOL_MAX];
	char name[POOL_MAX][64];
};

struct stress {
	const char *a, *b, *lower;
	struct pool pool;
	int mixed;
};

/* Open a pool file on A or B; B may be unmounted (ENOENT): skip. */
static int open_pool(struct stress *s, int *idx, const char **where)
{
	char path[4096];
	int i = rnd(s->pool.n), fd;

	*where = rnd(2) ? s->a : s->b;
	snprintf(path, sizeof(path), "%s/%s", *where, s->pool.name[i]);
	fd = open(path, O_RDONLY);
	if (fd < 0) {
		if (*where == s->b && (errno == ENOENT || errno == ENOTDIR)) {
			__sync_fetch_and_add(&sh->count[C_SKIP], 1);
			return -1;
		}
		fail("open %s: %s", path, errname(errno));
		return -1;
	}
	*idx = i;
	return fd;
}

static void reader(void *arg)
{
	struct stress *s = arg;
	static char buf[131072];
	const char *where;
	int fd, i;

	signal(SIGBUS, on_sigbus);
	while (!sh->stop) {
		size_t size, off, len, done;
		int mode = rnd(4);

		fd = open_pool(s, &i, &where);
		if (fd < 0) {
			usleep(2000);
			continue;
		}
		size = s->pool.size[i];
		off = (size_t)rnd(size / 4096 + 1) * 4096;
		if (off >= size)
			off = 0;
		len = size - off;
		if (len > 2 << 20)
			len = 2 << 20;
		switch (mode) {
		case 0:	/* read(2), checked */
			for (done = 0; done < len; ) {
				size_t want = len - done < sizeof(buf) ? len - done : sizeof(buf);
				ssize_t got = pread(fd, buf, want, off + done);

				if (got <= 0) {
					fail("%s/%s: read at %zu: %s", where, s->pool.name[i],
					     off + done, got ? errname(errno) : "EOF");
					break;
				}
				if (!pattern_ok(s->pool.id[i], off + done, buf, got & ~7)) {
					fail("%s/%s: wrong data at %zu", where, s->pool.name[i],
					     off + done);
					break;
				}
				done += got;
			}
			__sync_fetch_and_add(&sh->count[C_READ], 1);
			break;
		case 1: {	/* mmap faults, checked */
			volatile uint64_t *p = mmap(NULL, len, PROT_READ, MAP_SHARED, fd, off);

			if (p == (void *)MAP_FAILED) {
				fail("mmap %s: %s", s->pool.name[i], errname(errno));
				break;
			}
			if (sigsetjmp(bus_jmp, 1)) {
				fail("%s/%s: SIGBUS in a mapping", where, s->pool.name[i]);
			} else {
				for (done = 0; done + 8 <= len; done += 4096 * (1 + rnd(4))) {
					uint64_t w = p[done / 8];

					if (!pattern_ok(s->pool.id[i], off + done, &w, 8)) {
						fail("%s/%s: wrong mapped data at %zu", where,
						     s->pool.name[i], off + done);
						break;
					}
				}
			}
			munmap((void *)p, len);
			__sync_fetch_and_add(&sh->count[C_MMAP], 1);
			break;
		}
		case 2:	/* readahead(2), then one page */
			readahead(fd, off, len);
			if (pread(fd, buf, 4096, off) != (ssize_t)(len < 4096 ? len : 4096) ||
			    !pattern_ok(s->pool.id[i], off, buf, (len < 4096 ? len : 4096) & ~7))
				fail("%s/%s: read after readahead at %zu", where, s->pool.name[i], off);
			__sync_fetch_and_add(&sh->count[C_RA], 1);
			break;
		default:	/* readahead in flight when the file is closed */
			posix_fadvise(fd, 0, 0, POSIX_FADV_WILLNEED);
			__sync_fetch_and_add(&sh->count[C_FADV], 1);
			break;
		}
		close(fd);
	}
}

/* New verity files, read ahead and unlinked (their last name) at once. */
static void churner(void *arg)
{
	struct stress *s = arg;
	char path[4096];
	uint32_t id;
	int fd, err, n = 0;

	while (!sh->stop) {
		id = 100000 + getpid() * 1000 + (n++ % 1000);
		snprintf(path, sizeof(path), "%s/churn.%d.%d", s->a, getpid(), n);
		err = write_pattern(path, id, (64 + rnd(256)) * 1024);
		if (!err)
			err = enable_path(path);
		if (err) {
			fail("churn %s: %s", path, errname(-err));
			break;
		}
		fd = open(path, O_RDONLY);
		if (fd < 0) {
			fail("churn open %s: %s", path, errname(errno));
			break;
		}
		posix_fadvise(fd, 0, 0, POSIX_FADV_WILLNEED);
		if (rnd(2)) {
			close(fd);
			unlink(path);
		} else {
			unlink(path);
			close(fd);
		}
		__sync_fetch_and_add(&sh->count[C_CHURN], 1);
	}
}

static void dropper(void *arg)
{
	int fd;

	(void)arg;
	while (!sh->stop) {
		usleep(100000 + rnd(300000));
		fd = open("/proc/sys/vm/drop_caches", O_WRONLY);
		if (fd < 0 || write(fd, rnd(2) ? "3" : "2", 1) != 1)
			fail("drop_caches: %s", errname(errno));
		if (fd >= 0)
			close(fd);
		__sync_fetch_and_add(&sh->count[C_DROP], 1);
	}
}

/* Mount B, start readahead there, unmount it while that may still run. */
static void cycler(void *arg)
{
	struct stress *s = arg;
	char path[4096];
	int tries, fd, k;

	while (!sh->stop) {
		if (mount(s->lower, s->b, "verityfs", 0, NULL)) {
			fail("mount %s: %s", s->b, errname(errno));
			break;
		}
		__sync_fetch_and_add(&sh->count[C_MOUNT], 1);
		for (k = 0; k < 3; k++) {
			snprintf(path, sizeof(path), "%s/%s", s->b, s->pool.name[rnd(s->pool.n)]);
			fd = open(path, O_RDONLY);
			if (fd < 0) {
				fail("open %s: %s", path, errname(errno));
				continue;
			}
			posix_fadvise(fd, 0, 0, POSIX_FADV_WILLNEED);
			close(fd);
		}
		usleep(rnd(50000));
		for (tries = 0; umount2(s->b, 0); tries++) {
			if (errno != EBUSY || tries == 100) {
				/* Busy for long: detach; the last close ends the mount. */
				if (umount2(s->b, VX_MNT_DETACH))
					fail("umount %s: %s", s->b, errname(errno));
				break;
			}
			__sync_fetch_and_add(&sh->count[C_UMOUNT_BUSY], 1);
			usleep(1000);
		}
		usleep(rnd(20000));
	}
}

/*
 * The mixed stress: a plain file made through A, hard links made on the
 * lower, an fd open on B before the enable through A, opens of fresh link
 * names on A and B while it runs, then reads and readahead through B's old
 * fd, and the file and its links unlinked again.
 */
static void enabler(void *arg)
{
	struct stress *s = arg;
	char path[2048], l[4096], buf[4096];
	int n = 0, k, fdb, err;
	uint32_t id;

	while (!sh->stop) {
		n++;
		id = 200000 + getpid() * 1000 + (n % 1000);
		snprintf(path, sizeof(path), "%s/mix.%d.%d", s->a, getpid(), n);
		err = write_pattern(path, id, (16 + rnd(512)) * 1024);
		if (err) {
			fail("mixed write %s: %s", path, errname(-err));
			break;
		}
		for (k = 0; k < 8; k++) {
			char lp[2048];

			snprintf(lp, sizeof(lp), "%s/mix.%d.%d", s->lower, getpid(), n);
			snprintf(l, sizeof(l), "%s.l%d", lp, k);
			if (link(lp, l))
				fail("link %s: %s", l, errname(errno));
		}
		snprintf(l, sizeof(l), "%s/mix.%d.%d", s->b, getpid(), n);
		fdb = open(l, O_RDONLY);
		sh->cur = n;
		sh->enabled = 0;
		sh->owner = getpid();
		err = enable_path(path);
		sh->enabled = 1;
		if (err) {
			fail("mixed enable %s: %s", path, errname(-err));
			break;
		}
		__sync_fetch_and_add(&sh->count[C_ENABLE], 1);
		if (fdb >= 0) {
			ssize_t got;

			posix_fadvise(fdb, 0, 0, POSIX_FADV_WILLNEED);
			got = pread(fdb, buf, sizeof(buf), 0);
			if (got != sizeof(buf) || !pattern_ok(id, 0, buf, sizeof(buf)))
				fail("old fd on B of %s: %s", path, got < 0 ? errname(errno) : "wrong data");
			close(fdb);
			__sync_fetch_and_add(&sh->count[C_OLDFD], 1);
		}
		usleep(rnd(20000));
		unlink(path);
		for (k = 0; k < 8; k++) {
			snprintf(l, sizeof(l), "%s.l%d", path, k);
			unlink(l);
		}
	}
}

/* Opens of the current mixed file's link names on A and B, each a fresh lookup. */
static void link_opener(void *arg)
{
	struct stress *s = arg;
	char path[4096], buf[4096];
	int k, fd, n;
	ssize_t got;
	pid_t owner;

	while (!sh->stop) {
		n = sh->cur;
		owner = sh->owner;
		if (!n || sh->enabled) {
			usleep(500);
			continue;
		}
		for (k = 0; k < 8 && !sh->enabled; k++) {
			snprintf(path, sizeof(path), "%s/mix.%d.%d.l%d", k & 1 ? s->b : s->a,
				 owner, n, k);
			fd = open(path, O_RDONLY);
			if (fd < 0)
				continue;	/* B unmounted, or the file already gone */
			got = pread(fd, buf, sizeof(buf), 0);
			if (got != sizeof(buf) ||
			    !pattern_ok(200000 + owner * 1000 + (n % 1000), 0, buf, sizeof(buf)))
				fail("read %s: %s", path, got < 0 ? errname(errno) : "wrong data");
			close(fd);
			__sync_fetch_and_add(&sh->count[C_LINKOPEN], 1);
		}
		while (sh->cur == n && !sh->stop)
			usleep(500);
	}
}

/* The pool: verity files of 1, 2 and 3 tree levels, made and enabled through A. */
static int make_pool(struct stress *s)
{
	static const size_t sizes[] = {
		8192, 65536, 200000, 1048576, 3 << 20, 8192 + 4096, 1048576 + 100, 70 << 20,
	};
	char path[4096];
	int i, err;

	for (i = 0; i < (int)(sizeof(sizes) / sizeof(sizes[0])); i++) {
		struct pool *p = &s->pool;

		p->id[i] = i + 1;
		p->size[i] = sizes[i];
		snprintf(p->name[i], sizeof(p->name[i]), "pool%d", i);
		snprintf(path, sizeof(path), "%s/%s", s->a, p->name[i]);
		err = write_pattern(path, p->id[i], p->size[i]);
		if (!err)
			err = enable_path(path);
		if (err) {
			printf("FAIL making %s: %s\n", path, errname(-err));
			return 1;
		}
		p->n++;
	}
	return 0;
}

static int do_stress(struct stress *s, int seconds)
{
	pid_t pids[16];
	int n = 0, i, st;
	double t0, deadline;

	sh = map_shared();
	if (make_pool(s))
		return 1;
	pids[n++] = spawn(reader, s, 1);
	pids[n++] = spawn(reader, s, 2);
	pids[n++] = spawn(reader, s, 3);
	pids[n++] = spawn(churner, s, 4);
	pids[n++] = spawn(dropper, s, 5);
	pids[n++] = spawn(cycler, s, 6);
	if (s->mixed) {
		pids[n++] = spawn(enabler, s, 7);
		pids[n++] = spawn(link_opener, s, 8);
	}
	t0 = now_s();
	while (now_s() - t0 < seconds && !sh->failed)
		sleep(1);
	sh->stop = 1;
	/* A worker stuck in the kernel for a minute is a hang. */
	deadline = now_s() + 60;
	for (i = 0; i < n; i++) {
		while (waitpid(pids[i], &st, WNOHANG) == 0) {
			if (now_s() > deadline) {
				printf("FAIL a worker is stuck in the kernel (pid %d)\n", pids[i]);
				return 1;
			}
			usleep(100000);
		}
	}
	umount2(s->b, 0);
	if (sh->failed) {
		printf("FAIL %s\n", sh->why);
		return 1;
	}
	print_counts();
	return 0;
}

/* --------------------------------------------------------------- main --- */

static int usage(void)
{
	fprintf(stderr, "usage: vx-trust COMMAND ARGS... (see the source)\n");
	return 2;
}

int main(int argc, char **argv)
{
	const char *c = argc > 1 ? argv[1] : "";
	int fd = argc > 2 ? atoi(argv[2]) : -1;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!strcmp(c, "enable-fd") && argc == 3)
		return do_enable_fd(fd);
	if (!strcmp(c, "measure-fd") && argc == 3)
		return do_measure_fd(fd);
	if (!strcmp(c, "pread-fd") && argc >= 5)
		return do_read_fd(fd, num(argv[3]), num(argv[4]), argc > 5 ? argv[5] : NULL, 1);
	if (!strcmp(c, "read-fd") && argc >= 5)
		return do_read_fd(fd, num(argv[3]), num(argv[4]), argc > 5 ? argv[5] : NULL, 0);
	if (!strcmp(c, "splice-fd") && argc == 5)
		return do_splice_fd(fd, num(argv[3]), num(argv[4]));
	if (!strcmp(c, "sendfile-fd") && argc == 5)
		return do_sendfile_fd(fd, num(argv[3]), num(argv[4]));
	if (!strcmp(c, "mmap-fd") && argc >= 5)
		return map_and_touch(fd, num(argv[3]), num(argv[4]), argc > 5 ? argv[5] : NULL,
				     PROT_READ);
	if (!strcmp(c, "fadvise-fd") && argc == 3)
		return do_fadvise_fd(fd);
	if (!strcmp(c, "readahead-fd") && argc == 3)
		return do_readahead_fd(fd);
	if (!strcmp(c, "openw") && argc == 3)
		return do_openw(argv[2]);
	if (!strcmp(c, "truncate") && argc == 4)
		return report(truncate(argv[2], num(argv[3])));
	if (!strcmp(c, "enable-vs-truncate") && argc == 4)
		return do_enable_vs_truncate(argv[2], argv[3]);
	if (!strcmp(c, "poke64") && argc == 5)
		return do_poke64(argv[2], num(argv[3]), strtoull(argv[4], NULL, 0));
	if (!strcmp(c, "setflags-ro") && argc == 3)
		return setflags_from(argv[2], PROT_READ);
	if (!strcmp(c, "setflags-buf") && argc == 3)
		return setflags_from(argv[2], PROT_READ | PROT_WRITE);
	if (!strcmp(c, "chflags") && argc == 4)
		return do_chflags(argv[2], (int)strtol(argv[3], NULL, 16));
	if (!strcmp(c, "fssetxattr") && argc == 3)
		return do_fssetxattr(argv[2]);
	if (!strcmp(c, "getflags32") && argc == 3)
		return do_flags32(argv[2], 0);
	if (!strcmp(c, "setflags32") && argc == 3)
		return do_flags32(argv[2], 1);
	if (!strcmp(c, "create") && argc == 3)
		return do_create(argv[2]);
	if (!strcmp(c, "mkdir") && argc == 3)
		return report(mkdir(argv[2], 0755));
	if (!strcmp(c, "unlink") && argc == 3)
		return report(unlink(argv[2]));
	if (!strcmp(c, "rmdir") && argc == 3)
		return report(rmdir(argv[2]));
	if (!strcmp(c, "stat") && argc == 3)
		return do_stat(argv[2]);
	if (!strcmp(c, "rename") && argc == 4)
		return report(rename(argv[2], argv[3]));
	if (!strcmp(c, "ids") && argc == 2) {
		printf("euid=%d\n", (int)geteuid());
		return 0;
	}
	if (!strcmp(c, "mmapexec") && argc == 3)
		return do_mmapexec(argv[2]);
	if (!strcmp(c, "mmap-touch") && argc == 3)
		return do_mmap_touch(argv[2]);
	if (!strcmp(c, "atime") && argc == 3)
		return do_atime(argv[2]);
	if (!strcmp(c, "setatime") && argc == 5)
		return do_setatime(argv[2], num(argv[3]), num(argv[4]));
	if (!strcmp(c, "syncfs") && argc == 3)
		return do_syncfs(argv[2]);
	if (!strcmp(c, "race-enable-open") && argc == 6)
		return do_race_enable_open(argv[2], argv[3], num(argv[4]), num(argv[5]));
	if (!strcmp(c, "evict-race") && argc == 5)
		return do_evict_race(argv[2], num(argv[3]), num(argv[4]));
	if (!strcmp(c, "stress") && argc >= 6) {
		static struct stress s;

		s.a = argv[2];
		s.b = argv[3];
		s.lower = argv[4];
		s.mixed = argc > 6 && !strcmp(argv[6], "mixed");
		return do_stress(&s, num(argv[5]));
	}
	return usage();
}

// SPDX-License-Identifier: GPL-2.0-only
/*
 * vx-perm: permission parity of verityfs with its lower filesystem.
 *
 *   vx-perm [-k KID] [-l LOWER] [-a ALLOW] [-u USERS] [-o OPS] [-O OBJS]
 *           [-t state|result] [-v] [-T] A B_MNT B_LOWER
 *   vx-perm --euid        print the effective uid (run as a setuid copy)
 *
 * Builds the same fixture tree (test/vm/perm/README.md) in the lower
 * directories A and B_LOWER, then runs every operation of the table below
 * as every user (USERS: comma-separated names; OPS, OBJS: comma-separated
 * fnmatch patterns) on A directly and on B through the verityfs mount
 * B_MNT of B_LOWER. Each run is compared: the result ("ok", "ok:DATA" or
 * the errno's name, prefixed by the failing step) and the state of every
 * object the operation may touch (type, mode incl. suid/sgid/sticky,
 * owner, size, links, content, mtime, inode flags, xattrs, ACLs, directory
 * entries), read as root from the lower after the run. Touched objects that
 * differ from their pristine state are put back before the next operation
 * (fixed in place, or built again).
 *
 * Output, one line each:
 *   same USER N                       N operations of USER agreed
 *   diff USER OP OBJ: lower R [S] verityfs R [S]
 *   allow USER OP OBJ: ... # REASON   a difference listed in ALLOW
 *   allowed N ENTRY # REASON          an ALLOW entry matched N times
 *   unused 0 ENTRY # REASON           an ALLOW entry for this kernel and
 *                                     lower matched nothing
 *   error MESSAGE                     the tool itself failed (fixture, ids)
 * S are the state items of one side missing on the other. -t tampers with
 * B after its pristine state is taken (the negative control,
 * test/vm/cases/perm-00-oracle.sh); -v prints every run ("run USER OP OBJ:
 * RESULT | STATE"), -T the time taken per operation.
 *
 * The process stays root and changes only its own thread's ids (raw
 * syscalls): setgroups, setresgid, then setresuid with the saved uid kept
 * at 0, which clears the effective capabilities; setresuid(0,0,0) takes
 * them back. Exit status: 0 when nothing differed, 1 on a difference, 2 on
 * an error.
 *
 * Copyright (C) 2026 The verityfs authors
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <linux/fs.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <time.h>
#include <unistd.h>

#ifndef RENAME_WHITEOUT
#define RENAME_WHITEOUT (1 << 2)
#endif

#define T0	1000000000	/* mtime of every fixture object */
#define T1	1234567890	/* mtime set by the utimes operation */

/* ---------------------------------------------------------------- users */

struct user {
	const char *name;
	uid_t uid;
	gid_t gid;
	int ngroups;
	gid_t groups[2];
};

static const struct user users[] = {
	{ "root", 0, 0, 0, { 0 } },
	{ "alice", 1000, 1000, 1, { 1000 } },		/* owns the a* objects */
	{ "bob", 1001, 1001, 1, { 1001 } },		/* owns b*, not in group 1000 */
	{ "bob+g", 1001, 1001, 2, { 1001, 1000 } },	/* bob, member of alice's group */
};
#define NUSERS (int)(sizeof(users) / sizeof(users[0]))

static void die(const char *what)
{
	printf("error %s: %s\n", what, strerrorname_np(errno) ? strerrorname_np(errno) : "?");
	exit(2);
}

/* Only this thread's ids change: the raw syscalls, not glibc's broadcast. */
static void become(const struct user *u)
{
	if (!u->uid)
		return;
	if (syscall(SYS_setgroups, u->ngroups, u->groups) ||
	    syscall(SYS_setresgid, u->gid, u->gid, u->gid) ||
	    syscall(SYS_setresuid, u->uid, u->uid, 0))
		die("become");
}

static void unbecome(void)
{
	if (syscall(SYS_setresuid, 0, 0, 0) || syscall(SYS_setresgid, 0, 0, 0) ||
	    syscall(SYS_setgroups, 0, NULL))
		die("unbecome");
}

/* ------------------------------------------------------------- strings */

struct sbuf {
	char *s;
	size_t len, cap;
};

static void sb_add(struct sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sb_add(struct sbuf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(b->s ? b->s + b->len : NULL, b->s ? b->cap - b->len : 0, fmt, ap);
		va_end(ap);
		if (b->s && b->len + n < b->cap)
			break;
		b->cap = (b->cap + n + 1) * 2;
		b->s = realloc(b->s, b->cap);
		if (!b->s)
			die("realloc");
	}
	b->len += n;
}

static void sb_reset(struct sbuf *b)
{
	b->len = 0;
	if (b->s)
		b->s[0] = 0;
}

/* Printable bytes as they are, the others (and space, ',', '%') as %XX. */
static void sb_escape(struct sbuf *b, const unsigned char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (p[i] > ' ' && p[i] < 0x7f && p[i] != ',' && p[i] != '%')
			sb_add(b, "%c", p[i]);
		else
			sb_add(b, "%%%02x", p[i]);
	}
}

static const char *errname(int e)
{
	const char *s = strerrorname_np(e);

	return s ? s : "E?";
}

/* -------------------------------------------------------------- fixture */

enum { T_REG, T_DIR, T_LNK, T_FIFO, T_CHR };

#define X_STD		0x001	/* user.u, trusted.t, security.s */
#define X_TS		0x002	/* trusted.t, security.s (no user.* on these types) */
#define X_ACL		0x004	/* an access ACL naming user 1001 */
#define X_DACL		0x008	/* a default ACL */
#define X_CAP		0x010	/* security.capability */
#define X_APPEND	0x020	/* FS_APPEND_FL */
#define X_IMMUT		0x040	/* FS_IMMUTABLE_FL */
#define X_SRC		0x080	/* other content than the rest */
#define X_OBJ		0x100	/* operations run on it */
#define X_NS		0x200	/* namespace directory: children and namespace ops */

struct node {
	char path[48];
	int type;
	mode_t mode;
	uid_t uid;
	gid_t gid;
	unsigned int x;
	const char *target;	/* of a symlink */
};

static struct node nodes[160];
static int nnodes;

static void add(const char *path, int type, mode_t mode, uid_t uid, gid_t gid, unsigned int x,
		const char *target)
{
	struct node *n = &nodes[nnodes++];

	snprintf(n->path, sizeof(n->path), "%s", path);
	n->type = type;
	n->mode = mode;
	n->uid = uid;
	n->gid = gid;
	n->x = x;
	n->target = target;
}

/*
 * f/: files of three owners with the usual modes, suid/sgid bits, an ACL,
 * file capabilities and inode flags. Namespace directories of several
 * owners and modes (sticky, sgid, group-writable, default ACL), each with
 * the same children: files and directories of alice, bob and root (bob's
 * file world-writable, for fs.protected_regular), and a symlink of bob's
 * (fs.protected_symlinks). x777/: the target of cross-directory renames.
 */
static void make_fixture_table(void)
{
	static const struct {
		const char *name;
		mode_t mode;
		uid_t uid;
		gid_t gid;
		unsigned int x;
	} files[] = {
		{ "a600", 0600, 1000, 1000, X_STD },
		{ "a644", 0644, 1000, 1000, X_STD },
		{ "a664", 0664, 1000, 1000, X_STD },
		{ "a4777", 04777, 1000, 1000, X_STD },
		{ "a6775", 06775, 1000, 1000, X_STD },
		{ "a2770z", 02770, 1000, 0, X_STD },	/* sgid, a group alice is not in */
		{ "b640", 0640, 1001, 1000, X_STD },
		{ "r644", 0644, 0, 0, X_STD | X_SRC },
		{ "r666", 0666, 0, 0, X_STD },
		{ "r4777", 04777, 0, 0, X_STD },
		{ "r6777", 06777, 0, 0, X_STD },
		{ "aacl", 0660, 1000, 1000, X_STD | X_ACL },
		{ "acap", 0755, 1000, 1000, X_STD | X_CAP },
		{ "rapp", 0666, 0, 0, X_STD | X_APPEND },
		{ "rimm", 0666, 0, 0, X_STD | X_IMMUT },
	};
	static const struct {
		const char *name;
		mode_t mode;
		uid_t uid;
		gid_t gid;
		unsigned int x;
	} dirs[] = {
		{ "d755", 0755, 0, 0, 0 },
		{ "d777", 0777, 0, 0, 0 },
		{ "d1777", 01777, 0, 0, 0 },
		{ "d1777a", 01777, 1000, 1000, 0 },
		{ "d775a", 0775, 1000, 1000, 0 },
		{ "d2775a", 02775, 1000, 1000, 0 },
		{ "d2777r", 02777, 0, 0, 0 },
		{ "d700a", 0700, 1000, 1000, 0 },
		{ "dacl", 0770, 1000, 1000, X_ACL | X_DACL },
	};
	char p[48];
	size_t i;

	add("f", T_DIR, 0755, 0, 0, 0, NULL);
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(p, sizeof(p), "f/%s", files[i].name);
		add(p, T_REG, files[i].mode, files[i].uid, files[i].gid, files[i].x | X_OBJ, NULL);
	}
	add("f/la", T_LNK, 0777, 1000, 1000, X_TS | X_OBJ, "a644");
	add("f/pa", T_FIFO, 0666, 1000, 1000, X_TS | X_OBJ, NULL);
	add("f/cr", T_CHR, 0666, 0, 0, X_TS | X_OBJ, NULL);
	add("x777", T_DIR, 0777, 0, 0, 0, NULL);
	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		const char *d = dirs[i].name;

		add(d, T_DIR, dirs[i].mode, dirs[i].uid, dirs[i].gid,
		    dirs[i].x | X_STD | X_OBJ | X_NS, NULL);
#define CHILD(n, t, m, u, g, tg) do { \
		snprintf(p, sizeof(p), "%s/%s", d, n); \
		add(p, t, m, u, g, 0, tg); \
	} while (0)
		CHILD("fa", T_REG, 0644, 1000, 1000, NULL);
		CHILD("fb", T_REG, 0666, 1001, 1001, NULL);
		CHILD("fr", T_REG, 0644, 0, 0, NULL);
		CHILD("sa", T_DIR, 0755, 1000, 1000, NULL);
		CHILD("sr", T_DIR, 0755, 0, 0, NULL);
		CHILD("lb", T_LNK, 0777, 1001, 1001, "fa");
#undef CHILD
	}
}

static const struct node *find_node(const char *rel)
{
	int i;

	for (i = 0; i < nnodes; i++)
		if (!strcmp(nodes[i].path, rel))
			return &nodes[i];
	return NULL;
}

/* Whether @path is @dir or below it. */
static int is_under(const char *path, const char *dir)
{
	size_t n = strlen(dir);

	return !strncmp(path, dir, n) && (path[n] == '/' || !path[n]);
}

/* ACLs in the kernel's xattr form: a version 2 header, then entries. */
struct acl_ent {
	uint16_t tag, perm;
	uint32_t id;
};

#define A_UO	0x01
#define A_U	0x02
#define A_GO	0x04
#define A_G	0x08
#define A_M	0x10
#define A_O	0x20
#define NOID	0xffffffffu

static const struct acl_ent acl_file[] = {	/* the fixture's, on f/aacl */
	{ A_UO, 6, NOID }, { A_U, 6, 1001 }, { A_GO, 4, NOID }, { A_M, 6, NOID }, { A_O, 0, NOID },
};
static const struct acl_ent acl_dir[] = {	/* the fixture's, on dacl */
	{ A_UO, 7, NOID }, { A_U, 7, 1001 }, { A_GO, 7, NOID }, { A_M, 7, NOID }, { A_O, 0, NOID },
};
static const struct acl_ent acl_dirdef[] = {	/* the fixture's default, on dacl */
	{ A_UO, 7, NOID }, { A_U, 7, 1001 }, { A_GO, 5, NOID }, { A_M, 7, NOID }, { A_O, 0, NOID },
};
static const struct acl_ent acl_set[] = {	/* what the operations set */
	{ A_UO, 6, NOID }, { A_U, 4, 1001 }, { A_GO, 4, NOID }, { A_M, 4, NOID }, { A_O, 4, NOID },
};
static const struct acl_ent acl_min[] = {	/* equivalent to mode 0770 */
	{ A_UO, 7, NOID }, { A_GO, 7, NOID }, { A_O, 0, NOID },
};
static const struct acl_ent acl_def[] = {	/* default ACL the operations set */
	{ A_UO, 7, NOID }, { A_U, 7, 1000 }, { A_GO, 5, NOID }, { A_M, 7, NOID }, { A_O, 5, NOID },
};

static size_t acl_encode(const struct acl_ent *e, int n, unsigned char *buf)
{
	uint32_t v = 2;
	int i;

	memcpy(buf, &v, 4);
	for (i = 0; i < n; i++) {
		memcpy(buf + 4 + 8 * i, &e[i].tag, 2);
		memcpy(buf + 6 + 8 * i, &e[i].perm, 2);
		memcpy(buf + 8 + 8 * i, &e[i].id, 4);
	}
	return 4 + 8 * n;
}
#define ACL_SET(path, name, a) do { \
	unsigned char _b[4 + 8 * 8]; \
	size_t _n = acl_encode(a, sizeof(a) / sizeof(a[0]), _b); \
	lsetxattr(path, name, _b, _n, 0); \
} while (0)

/* "u::rw-,u:1001:r--,g::r--,m::r--,o::r--" */
static void acl_text(struct sbuf *b, const unsigned char *p, ssize_t n)
{
	uint32_t v;
	ssize_t i;

	memcpy(&v, p, 4);
	if (n < 4 || v != 2 || (n - 4) % 8) {
		sb_add(b, "bad");
		return;
	}
	for (i = 4; i < n; i += 8) {
		uint16_t tag, perm;
		uint32_t id;
		char t;

		memcpy(&tag, p + i, 2);
		memcpy(&perm, p + i + 2, 2);
		memcpy(&id, p + i + 4, 4);
		switch (tag) {
		case A_UO: case A_U: t = 'u'; break;
		case A_GO: case A_G: t = 'g'; break;
		case A_M: t = 'm'; break;
		case A_O: t = 'o'; break;
		default: t = '?'; break;
		}
		sb_add(b, "%s%c:", i > 4 ? "," : "", t);
		if (tag == A_U || tag == A_G)
			sb_add(b, "%u", id);
		sb_add(b, ":%c%c%c", perm & 4 ? 'r' : '-', perm & 2 ? 'w' : '-', perm & 1 ? 'x' : '-');
	}
}

/* security.capability, revision 2: CAP_NET_RAW permitted and effective. */
static const uint32_t cap_v2[5] = { 0x02000001, 1u << 13, 0, 0, 0 };

static unsigned char content_base[4096], content_src[4096];

static void make_content(void)
{
	int i;

	for (i = 0; i < 4096; i++) {
		content_base[i] = (unsigned char)('a' + i % 26);
		content_src[i] = (unsigned char)('A' + (i * 7) % 26);
	}
}

static int set_flags_path(const char *path, int set, int clear)
{
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC), flags, rc = -1;

	if (fd < 0)
		return -1;
	if (!ioctl(fd, FS_IOC_GETFLAGS, &flags)) {
		flags = (flags | set) & ~clear;
		rc = ioctl(fd, FS_IOC_SETFLAGS, &flags);
	}
	close(fd);
	return rc;
}

#define LOCK_FLAGS (FS_APPEND_FL | FS_IMMUTABLE_FL)

/* rm -rf, also through append-only and immutable flags. */
static int remove_tree(const char *path)
{
	struct stat st;

	if (lstat(path, &st))
		return errno == ENOENT ? 0 : -1;
	if (S_ISDIR(st.st_mode)) {
		struct dirent *de;
		char sub[4096];
		DIR *d;

		set_flags_path(path, 0, LOCK_FLAGS);
		d = opendir(path);
		if (!d)
			return -1;
		while ((de = readdir(d))) {
			if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
				continue;
			snprintf(sub, sizeof(sub), "%s/%s", path, de->d_name);
			remove_tree(sub);
		}
		closedir(d);
		return rmdir(path);
	}
	if (!unlink(path))
		return 0;
	if (errno != EPERM || !S_ISREG(st.st_mode))
		return -1;
	set_flags_path(path, 0, LOCK_FLAGS);
	return unlink(path);
}

static int nerrors;

static void build_err(const char *step, const char *path)
{
	/* Unsupported features (user.* on old tmpfs, flags) are the same on both twins. */
	if (errno == EOPNOTSUPP || errno == ENOTTY || errno == ENOTSUP)
		return;
	printf("error build %s %s: %s\n", step, path, errname(errno));
	nerrors++;
}

/* Create one node with its owner, mode, xattrs and ACLs (not times, flags). */
static void create_node(const char *root, const struct node *n)
{
	char p[4096];
	int fd;

	snprintf(p, sizeof(p), "%s/%s", root, n->path);
	switch (n->type) {
	case T_REG:
		fd = open(p, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
		if (fd < 0) {
			build_err("create", p);
			return;
		}
		if (write(fd, n->x & X_SRC ? content_src : content_base, 4096) != 4096)
			build_err("write", p);
		close(fd);
		break;
	case T_DIR:
		if (mkdir(p, 0700))
			build_err("mkdir", p);
		break;
	case T_LNK:
		if (symlink(n->target, p))
			build_err("symlink", p);
		break;
	case T_FIFO:
		if (mknod(p, S_IFIFO | 0600, 0))
			build_err("mkfifo", p);
		break;
	case T_CHR:
		if (mknod(p, S_IFCHR | 0600, makedev(1, 3)))
			build_err("mknod", p);
		break;
	}
	if (lchown(p, n->uid, n->gid))
		build_err("chown", p);
	if (n->type != T_LNK && chmod(p, n->mode))
		build_err("chmod", p);
	if ((n->x & X_STD) && lsetxattr(p, "user.u", "1", 1, 0))
		build_err("user.u", p);
	if ((n->x & (X_STD | X_TS)) && lsetxattr(p, "trusted.t", "2", 1, 0))
		build_err("trusted.t", p);
	if ((n->x & (X_STD | X_TS)) && lsetxattr(p, "security.s", "3", 1, 0))
		build_err("security.s", p);
	if (n->x & X_ACL) {
		if (n->type == T_DIR)
			ACL_SET(p, "system.posix_acl_access", acl_dir);
		else
			ACL_SET(p, "system.posix_acl_access", acl_file);
	}
	if (n->x & X_DACL)
		ACL_SET(p, "system.posix_acl_default", acl_dirdef);
	if ((n->x & X_CAP) && lsetxattr(p, "security.capability", cap_v2, sizeof(cap_v2), 0))
		build_err("security.capability", p);
}

static void finish_node(const char *root, const struct node *n)
{
	struct timespec ts[2] = { { T0, 0 }, { T0, 0 } };
	char p[4096];

	snprintf(p, sizeof(p), "%s/%s", root, n->path);
	if (utimensat(AT_FDCWD, p, ts, AT_SYMLINK_NOFOLLOW))
		build_err("utimes", p);
	if ((n->x & X_APPEND) && set_flags_path(p, FS_APPEND_FL, 0))
		build_err("chattr +a", p);
	if ((n->x & X_IMMUT) && set_flags_path(p, FS_IMMUTABLE_FL, 0))
		build_err("chattr +i", p);
}

/* (Re)build node @i and everything below it; the parent's mtime back to T0. */
static void build_node(const char *root, int i)
{
	const struct node *n = &nodes[i];
	char p[4096];
	int j, last = i;

	snprintf(p, sizeof(p), "%s/%s", root, n->path);
	if (remove_tree(p))
		build_err("remove", p);
	for (j = i; j < nnodes && is_under(nodes[j].path, n->path); j++) {
		create_node(root, &nodes[j]);
		last = j;
	}
	/* Children before parents: making a child changes its parent's mtime. */
	for (j = last; j >= i; j--)
		finish_node(root, &nodes[j]);
	if (strchr(n->path, '/')) {
		struct timespec ts[2] = { { T0, 0 }, { T0, 0 } };

		snprintf(p, sizeof(p), "%s/%.*s", root, (int)(strrchr(n->path, '/') - n->path),
			 n->path);
		utimensat(AT_FDCWD, p, ts, 0);
	}
}

static void items_missing(const char *a, const char *b, struct sbuf *out);

static const struct node *parent_node_of(const char *rel)
{
	char dir[64];
	const char *slash = strrchr(rel, '/');

	if (!slash)
		return NULL;
	snprintf(dir, sizeof(dir), "%.*s", (int)(slash - rel), rel);
	return find_node(dir);
}

static const struct node *parent_node(const struct node *n)
{
	return parent_node_of(n->path);
}

/* Set xattr @name to @val unless it has that value already. */
static void fix_xattr(const char *p, const char *name, const void *val, size_t n)
{
	unsigned char cur[128];
	ssize_t len = lgetxattr(p, name, cur, sizeof(cur));

	if (len == (ssize_t)n && !memcmp(cur, val, n))
		return;
	if (lsetxattr(p, name, val, n, 0))
		build_err(name, p);
}

static void fix_acl(const char *p, const char *name, const struct acl_ent *e, int n)
{
	unsigned char b[4 + 8 * 8];

	if (e)
		fix_xattr(p, name, b, acl_encode(e, n, b));
	else if (lgetxattr(p, name, NULL, 0) >= 0 && lremovexattr(p, name))
		build_err(name, p);
}

/* What differs between two states, as far as putting it back goes. */
#define D_FLAGS		0x01	/* flags, xflags */
#define D_LS		0x02	/* directory entries */
#define D_XATTR		0x04	/* xattrs, ACLs */
#define D_DATA		0x08	/* size, content */
#define D_OTHER		0x10	/* type, symlink target, device: build again */

/*
 * Put node @i back in place, cheaper than building it again: only the
 * parts @what names, and owner, mode and mtime where they differ. The
 * caller checks the result against the pristine state and builds the node
 * again when it still differs.
 */
static void fix_node(const char *root, int i, unsigned int what)
{
	const struct node *n = &nodes[i], *up = parent_node(n);
	static const mode_t type_bits[] = { S_IFREG, S_IFDIR, S_IFLNK, S_IFIFO, S_IFCHR };
	int j, fd, chowned = 0;
	struct stat st;
	char p[4096];

	snprintf(p, sizeof(p), "%s/%s", root, n->path);
	if ((what & D_OTHER) || lstat(p, &st) || (st.st_mode & S_IFMT) != type_bits[n->type]) {
		build_node(root, i);
		return;
	}
	/* Locked files take no change at all: unlock them first. */
	if (n->x & (X_APPEND | X_IMMUT))
		what |= D_FLAGS;
	if ((what & D_FLAGS) && (n->type == T_REG || n->type == T_DIR)) {
		fd = open(p, O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC);
		if (fd >= 0) {
			struct fsxattr fsx;
			int flags;

			if (!ioctl(fd, FS_IOC_GETFLAGS, &flags) &&
			    (flags & (LOCK_FLAGS | FS_NOATIME_FL))) {
				flags &= ~(LOCK_FLAGS | FS_NOATIME_FL);
				ioctl(fd, FS_IOC_SETFLAGS, &flags);
			}
			/*
			 * xfs's FS_XFLAG_PREALLOC (fallocated files) cannot be
			 * cleared this way: such files are built again.
			 */
			if (!ioctl(fd, FS_IOC_FSGETXATTR, &fsx) && fsx.fsx_projid) {
				fsx.fsx_projid = 0;
				ioctl(fd, FS_IOC_FSSETXATTR, &fsx);
			}
			close(fd);
		}
	}
	if ((what & D_LS) && n->type == T_DIR) {
		struct dirent *de;
		char sub[4400];
		DIR *d = opendir(p);

		while (d && (de = readdir(d))) {
			if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
				continue;
			snprintf(sub, sizeof(sub), "%s/%s", n->path, de->d_name);
			if (!find_node(sub)) {
				snprintf(sub, sizeof(sub), "%s/%s", p, de->d_name);
				remove_tree(sub);
			}
		}
		if (d)
			closedir(d);
		for (j = i + 1; j < nnodes && is_under(nodes[j].path, n->path); j++) {
			if (parent_node(&nodes[j]) != n)
				continue;
			snprintf(sub, sizeof(sub), "%s/%s", root, nodes[j].path);
			if (lstat(sub, &st))
				build_node(root, j);
		}
	}
	/* Content first: root's write still drops security.capability. */
	if ((what & D_DATA) && n->type == T_REG) {
		const unsigned char *want = n->x & X_SRC ? content_src : content_base;

		fd = open(p, O_WRONLY | O_TRUNC | O_CLOEXEC);
		if (fd < 0 || write(fd, want, 4096) != 4096)
			build_err("rewrite", p);
		if (fd >= 0)
			close(fd);
		what |= D_XATTR;
	}
	if (lstat(p, &st))
		return;
	/* chown drops suid, sgid and security.capability. */
	if (st.st_uid != n->uid || st.st_gid != n->gid) {
		if (lchown(p, n->uid, n->gid))
			build_err("chown", p);
		chowned = 1;
		what |= D_XATTR;
	}
	if (n->type != T_LNK && (chowned || (st.st_mode & 07777) != n->mode) && chmod(p, n->mode))
		build_err("chmod", p);
	if ((what & D_XATTR) && (n->x & (X_STD | X_TS | X_CAP))) {
		char names[4096];
		ssize_t len = llistxattr(p, names, sizeof(names)), k;

		for (k = 0; len > 0 && k < len; k += strlen(names + k) + 1) {
			const char *x = names + k;

			if (!strncmp(x, "system.", 7) ||
			    ((n->x & X_STD) && !strcmp(x, "user.u")) ||
			    ((n->x & (X_STD | X_TS)) && (!strcmp(x, "trusted.t") ||
							 !strcmp(x, "security.s"))) ||
			    ((n->x & X_CAP) && !strcmp(x, "security.capability")))
				continue;
			lremovexattr(p, x);
		}
		if (n->x & X_STD)
			fix_xattr(p, "user.u", "1", 1);
		fix_xattr(p, "trusted.t", "2", 1);
		fix_xattr(p, "security.s", "3", 1);
		if (n->x & X_CAP)
			fix_xattr(p, "security.capability", cap_v2, sizeof(cap_v2));
	} else if (what & D_XATTR) {
		char names[4096];
		ssize_t len = llistxattr(p, names, sizeof(names)), k;

		for (k = 0; len > 0 && k < len; k += strlen(names + k) + 1)
			if (strncmp(names + k, "system.", 7))
				lremovexattr(p, names + k);
	}
	/* ACLs inherited from a default ACL are left to the rebuild. */
	if ((what & D_XATTR) && (!up || !(up->x & X_DACL))) {
		if (n->type == T_DIR)
			fix_acl(p, "system.posix_acl_access", n->x & X_ACL ? acl_dir : NULL, 5);
		else if (n->type != T_LNK)
			fix_acl(p, "system.posix_acl_access", n->x & X_ACL ? acl_file : NULL, 5);
		if (n->type == T_DIR)
			fix_acl(p, "system.posix_acl_default", n->x & X_DACL ? acl_dirdef : NULL, 5);
	}
	/* What finish_node() does, but only where needed: each write costs. */
	if (!lstat(p, &st) && st.st_mtime != T0) {
		struct timespec ts[2] = { { T0, 0 }, { T0, 0 } };

		if (utimensat(AT_FDCWD, p, ts, AT_SYMLINK_NOFOLLOW))
			build_err("utimes", p);
	}
	if (n->x & (X_APPEND | X_IMMUT))
		set_flags_path(p, n->x & X_APPEND ? FS_APPEND_FL : FS_IMMUTABLE_FL, 0);
}

/* Which parts differ between the states @a and @b of one path (D_*). */
static unsigned int differing(const char *a, const char *b)
{
	const char *pair[2] = { a, b };
	unsigned int what = 0;
	int side;

	for (side = 0; side < 2; side++) {
		struct sbuf miss = { 0 };
		char *tok, *save;

		items_missing(pair[side], pair[!side], &miss);
		for (tok = miss.s ? strtok_r(miss.s, " ", &save) : NULL; tok;
		     tok = strtok_r(NULL, " ", &save)) {
			const char *key = strchr(tok, ':');

			key = key ? key + 1 : tok;
			if (!strncmp(key, "flags=", 6) || !strncmp(key, "xflags=", 7))
				what |= D_FLAGS;
			else if (!strncmp(key, "ls=", 3))
				what |= D_LS;
			else if (!strncmp(key, "x.", 2) || !strncmp(key, "acl=", 4) ||
				 !strncmp(key, "dacl=", 5))
				what |= D_XATTR;
			else if (!strncmp(key, "size=", 5) || !strncmp(key, "data=", 5))
				what |= D_DATA;
			else if (strncmp(key, "mode=", 5) && strncmp(key, "owner=", 6) &&
				 strncmp(key, "mtime=", 6) && strncmp(key, "nlink=", 6))
				what |= D_OTHER;
		}
		free(miss.s);
	}
	return what;
}

static void build_all(const char *root)
{
	int i;

	for (i = 0; i < nnodes; i++)
		if (!strchr(nodes[i].path, '/'))
			build_node(root, i);
}

/* ---------------------------------------------------------------- state */

static uint64_t fnv(const unsigned char *p, size_t n, uint64_t h)
{
	while (n--)
		h = (h ^ *p++) * 0x100000001b3ull;
	return h;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void capture_xattrs(struct sbuf *b, const char *rel, const char *p)
{
	char names[4096], *v[64];
	unsigned char val[512];
	ssize_t n, len;
	int k = 0, i, acl = 0, dacl = 0;

	/* ACLs are listed as system.posix_acl_* by all four lowers. */
	len = llistxattr(p, names, sizeof(names));
	for (n = 0; len > 0 && n < len && k < 64; n += strlen(names + n) + 1) {
		if (!strcmp(names + n, "system.posix_acl_access"))
			acl = 1;
		else if (!strcmp(names + n, "system.posix_acl_default"))
			dacl = 1;
		else if (strncmp(names + n, "system.", 7))
			v[k++] = names + n;
	}
	qsort(v, k, sizeof(v[0]), cmp_str);
	for (i = 0; i < k; i++) {
		sb_add(b, " %s:x.%s=", rel, v[i]);
		n = lgetxattr(p, v[i], val, sizeof(val));
		if (n < 0)
			sb_add(b, "%s", errname(errno));
		else
			sb_escape(b, val, n);
	}
	n = acl ? lgetxattr(p, "system.posix_acl_access", val, sizeof(val)) : 0;
	if (n > 0) {
		sb_add(b, " %s:acl=", rel);
		acl_text(b, val, n);
	}
	n = dacl ? lgetxattr(p, "system.posix_acl_default", val, sizeof(val)) : 0;
	if (n > 0) {
		sb_add(b, " %s:dacl=", rel);
		acl_text(b, val, n);
	}
}

static void capture_entries(struct sbuf *b, const char *rel, const char *p)
{
	char *v[256];
	struct dirent *de;
	int k = 0, i;
	DIR *d = opendir(p);

	sb_add(b, " %s:ls=", rel);
	if (!d) {
		sb_add(b, "%s", errname(errno));
		return;
	}
	while ((de = readdir(d)) && k < 256)
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			v[k++] = strdup(de->d_name);
	closedir(d);
	qsort(v, k, sizeof(v[0]), cmp_str);
	for (i = 0; i < k; i++) {
		sb_add(b, "%s%s", i ? "," : "", v[i]);
		free(v[i]);
	}
}

/*
 * The state of one path of a twin, as root, from the lower: items
 * "REL:KEY=VALUE" separated by spaces. @view, when set, is the same path
 * through the mount; its stat must agree with the lower's.
 */
static void capture(struct sbuf *b, const char *low, const char *view, const char *rel)
{
	char p[4096], lnk[256];
	struct stat st, vs;
	ssize_t n;
	int fd;

	snprintf(p, sizeof(p), "%s/%s", low, rel);
	if (lstat(p, &st)) {
		sb_add(b, " %s:%s", rel, errno == ENOENT ? "absent" : errname(errno));
		return;
	}
	sb_add(b, " %s:mode=%o %s:owner=%u:%u", rel, st.st_mode, rel, st.st_uid, st.st_gid);
	if (!S_ISDIR(st.st_mode))
		sb_add(b, " %s:nlink=%lu", rel, (unsigned long)st.st_nlink);
	sb_add(b, " %s:mtime=%s", rel, st.st_mtime == T0 ? "T0" : st.st_mtime == T1 ? "T1" : "new");
	if (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode))
		sb_add(b, " %s:rdev=%u:%u", rel, major(st.st_rdev), minor(st.st_rdev));
	if (S_ISLNK(st.st_mode)) {
		n = readlink(p, lnk, sizeof(lnk) - 1);
		lnk[n < 0 ? 0 : n] = 0;
		sb_add(b, " %s:target=%s", rel, lnk);
	}
	if (S_ISREG(st.st_mode) || S_ISDIR(st.st_mode)) {
		fd = open(p, O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC);
		if (fd >= 0) {
			struct fsxattr fsx;
			int flags;

			if (!ioctl(fd, FS_IOC_GETFLAGS, &flags))
				sb_add(b, " %s:flags=%x", rel, flags);
			if (!ioctl(fd, FS_IOC_FSGETXATTR, &fsx))
				sb_add(b, " %s:xflags=%x/%u", rel, fsx.fsx_xflags & ~FS_XFLAG_HASATTR,
				       fsx.fsx_projid);
			if (S_ISREG(st.st_mode)) {
				static unsigned char buf[65536];
				uint64_t h = 0xcbf29ce484222325ull;

				while ((n = read(fd, buf, sizeof(buf))) > 0)
					h = fnv(buf, n, h);
				sb_add(b, " %s:size=%lld %s:data=%016llx", rel,
				       (long long)st.st_size, rel, (unsigned long long)h);
			}
			close(fd);
		}
	}
	if (S_ISDIR(st.st_mode))
		capture_entries(b, rel, p);
	capture_xattrs(b, rel, p);
	if (view) {
		snprintf(p, sizeof(p), "%s/%s", view, rel);
		if (lstat(p, &vs))
			sb_add(b, " %s:view=%s", rel, errname(errno));
		else if (vs.st_mode != st.st_mode || vs.st_uid != st.st_uid ||
			 vs.st_gid != st.st_gid || vs.st_ino != st.st_ino ||
			 (!S_ISDIR(st.st_mode) && (vs.st_size != st.st_size ||
						   vs.st_nlink != st.st_nlink)))
			sb_add(b, " %s:view=mode:%o,owner:%u:%u,size:%lld,nlink:%lu", rel,
			       vs.st_mode, vs.st_uid, vs.st_gid, (long long)vs.st_size,
			       (unsigned long)vs.st_nlink);
	}
}

/* ----------------------------------------------------------- operations */

struct ctx {
	const char *root;		/* where the operation runs: A or the mount */
	const struct node *n;
	struct sbuf res;
};

/* The object's path, or a path relative to it ("" for the object itself). */
static const char *P(struct ctx *c, const char *rel)
{
	static char buf[2][4096];
	static int k;

	k ^= 1;
	if (rel[0] == '/')
		snprintf(buf[k], sizeof(buf[k]), "%s%s", c->root, rel);
	else if (rel[0])
		snprintf(buf[k], sizeof(buf[k]), "%s/%s/%s", c->root, c->n->path, rel);
	else
		snprintf(buf[k], sizeof(buf[k]), "%s/%s", c->root, c->n->path);
	return buf[k];
}

/* The result of one step: "ok", or "STEP:ERRNO" (bare errno when STEP is NULL). */
static void res(struct ctx *c, const char *step, long rc)
{
	if (rc >= 0)
		sb_add(&c->res, "ok");
	else if (step)
		sb_add(&c->res, "%s:%s", step, errname(errno));
	else
		sb_add(&c->res, "%s", errname(errno));
}

#define OPEN_BASE	(O_NONBLOCK | O_CLOEXEC)

static int op_open(struct ctx *c, long flags)
{
	int fd = open(P(c, ""), flags | OPEN_BASE, 0644);

	res(c, NULL, fd);
	return fd < 0 ? 0 : close(fd);
}

/* Open the object (step "open" when that fails), return the fd or -1. */
static int open_obj(struct ctx *c, int flags)
{
	int fd = open(P(c, ""), flags | OPEN_BASE, 0644);

	if (fd < 0)
		res(c, "open", -1);
	return fd;
}

static int op_read(struct ctx *c, long arg)
{
	static unsigned char buf[65536];
	int fd = open_obj(c, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf));
	if (n < 0)
		res(c, "read", -1);
	else
		sb_add(&c->res, "ok:%zd:%016llx", n,
		       (unsigned long long)fnv(buf, n, 0xcbf29ce484222325ull));
	return close(fd);
}

/* arg: 0 pwrite at 0, 1 append, 2 pwrite at 6000 (extends) */
static int op_write(struct ctx *c, long arg)
{
	int fd = open_obj(c, arg == 1 ? O_WRONLY | O_APPEND : arg == 2 ? O_RDWR : O_WRONLY);

	if (fd < 0)
		return 0;
	if (arg == 1)
		res(c, "write", write(fd, "XY", 2));
	else
		res(c, "write", pwrite(fd, "XY", 2, arg == 2 ? 6000 : 0));
	return close(fd);
}

static int op_mmap_write(struct ctx *c, long arg)
{
	int fd = open_obj(c, O_RDWR);
	char *m;

	if (fd < 0)
		return 0;
	m = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (m == MAP_FAILED) {
		res(c, "mmap", -1);
	} else {
		m[10] = 'M';
		res(c, "munmap", munmap(m, 4096));
	}
	return close(fd);
}

static int op_truncate(struct ctx *c, long arg)
{
	res(c, NULL, truncate(P(c, ""), arg));
	return 0;
}

static int op_ftruncate(struct ctx *c, long arg)
{
	int fd = open_obj(c, O_WRONLY);

	if (fd < 0)
		return 0;
	res(c, "ftruncate", ftruncate(fd, arg));
	return close(fd);
}

/* arg: 0 allocate 0-8192 (extends), 1 keep size, 2 punch the first block */
static int op_fallocate(struct ctx *c, long arg)
{
	static const int mode[] = { 0, FALLOC_FL_KEEP_SIZE,
				    FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE };
	int fd = open_obj(c, O_WRONLY);

	if (fd < 0)
		return 0;
	res(c, "fallocate", fallocate(fd, mode[arg], arg == 1 ? 4096 : 0, arg == 1 ? 8192 : 4096 + 4096 * !arg));
	return close(fd);
}

/* arg 0: f/r644 -> object at 0 (100 bytes); 1: object -> f/r666 at 4096 */
static int op_copy_range(struct ctx *c, long arg)
{
	int in, out, fd = open_obj(c, arg ? O_RDONLY : O_WRONLY);
	loff_t pi = 0, po = arg ? 4096 : 0;
	int other;

	if (fd < 0)
		return 0;
	other = open(P(c, arg ? "/f/r666" : "/f/r644"), (arg ? O_WRONLY : O_RDONLY) | OPEN_BASE);
	if (other < 0) {
		res(c, "open2", -1);
		return close(fd);
	}
	in = arg ? fd : other;
	out = arg ? other : fd;
	res(c, "copy_file_range", copy_file_range(in, &pi, out, &po, 100, 0));
	close(other);
	return close(fd);
}

/* arg 0: FICLONERANGE of f/r644's block into the object; 1: FICLONE (whole) */
static int op_clone(struct ctx *c, long arg)
{
	int fd = open_obj(c, O_WRONLY), src;

	if (fd < 0)
		return 0;
	src = open(P(c, "/f/r644"), O_RDONLY | OPEN_BASE);
	if (src < 0) {
		res(c, "open2", -1);
	} else if (arg) {
		res(c, "ficlone", ioctl(fd, FICLONE, src));
	} else {
		struct file_clone_range r = { .src_fd = src, .src_length = 4096 };

		res(c, "ficlonerange", ioctl(fd, FICLONERANGE, &r));
	}
	if (src >= 0)
		close(src);
	return close(fd);
}

/* Dedupe f/a644's block (the same bytes) into the object opened with @arg. */
static int op_dedupe(struct ctx *c, long arg)
{
	struct {
		struct file_dedupe_range r;
		struct file_dedupe_range_info i;
	} d;
	int fd = open_obj(c, arg), src;

	if (fd < 0)
		return 0;
	src = open(P(c, "/f/a644"), O_RDONLY | OPEN_BASE);
	if (src < 0) {
		res(c, "open2", -1);
		return close(fd);
	}
	memset(&d, 0, sizeof(d));
	d.r.src_length = 4096;
	d.r.dest_count = 1;
	d.i.dest_fd = fd;
	if (ioctl(src, FIDEDUPERANGE, &d) < 0)
		res(c, "fideduperange", -1);
	else if (d.i.status < 0)
		sb_add(&c->res, "status:%s", errname(-d.i.status));
	else
		sb_add(&c->res, "ok:%s:%llu", d.i.status == FILE_DEDUPE_RANGE_SAME ? "same" : "differs",
		       (unsigned long long)d.i.bytes_deduped);
	close(src);
	return close(fd);
}

static int op_chmod(struct ctx *c, long mode)
{
	res(c, NULL, fchmodat(AT_FDCWD, P(c, ""), mode, 0));
	return 0;
}

/* arg: uid << 32 | gid, each 0xffffffff for "leave" */
static int op_chown(struct ctx *c, long arg)
{
	res(c, NULL, fchownat(AT_FDCWD, P(c, ""), (uid_t)(arg >> 32), (gid_t)arg,
			       AT_SYMLINK_NOFOLLOW));
	return 0;
}
#define OWN(u, g) (((long)(uint32_t)(u) << 32) | (uint32_t)(g))

/* arg 0: utimensat(NULL) (now, owner or writer); 1: T1 (owner only) */
static int op_utimes(struct ctx *c, long arg)
{
	struct timespec ts[2] = { { T1, 0 }, { T1, 0 } };

	res(c, NULL, utimensat(AT_FDCWD, P(c, ""), arg ? ts : NULL, AT_SYMLINK_NOFOLLOW));
	return 0;
}

/* xattr operations: the name and what to do are in the table's string. */
static int op_xattr(struct ctx *c, long arg);

static int op_acl(struct ctx *c, long arg)
{
	unsigned char b[4 + 8 * 8];
	size_t n;

	switch (arg) {
	case 0:
		n = acl_encode(acl_set, 5, b);
		res(c, NULL, lsetxattr(P(c, ""), "system.posix_acl_access", b, n, 0));
		break;
	case 1:
		n = acl_encode(acl_min, 3, b);
		res(c, NULL, lsetxattr(P(c, ""), "system.posix_acl_access", b, n, 0));
		break;
	case 2:
		n = acl_encode(acl_def, 5, b);
		res(c, NULL, lsetxattr(P(c, ""), "system.posix_acl_default", b, n, 0));
		break;
	}
	return 0;
}

static int op_setcap(struct ctx *c, long arg)
{
	res(c, NULL, lsetxattr(P(c, ""), "security.capability", cap_v2, sizeof(cap_v2), 0));
	return 0;
}

/* arg: what to do with the flags read: 0 report, else set (arg > 0) or clear (-arg) */
static int op_flags(struct ctx *c, long arg)
{
	int fd = open_obj(c, O_RDONLY), flags;

	if (fd < 0)
		return 0;
	if (ioctl(fd, FS_IOC_GETFLAGS, &flags) < 0) {
		res(c, "getflags", -1);
	} else if (!arg) {
		sb_add(&c->res, "ok:%x", flags);
	} else {
		flags = arg > 0 ? flags | (int)arg : flags & ~(int)-arg;
		res(c, "setflags", ioctl(fd, FS_IOC_SETFLAGS, &flags));
	}
	return close(fd);
}

/* arg: 0 report, 1 set FS_XFLAG_NOATIME, 2 project id 42 */
static int op_fsxattr(struct ctx *c, long arg)
{
	int fd = open_obj(c, O_RDONLY);
	struct fsxattr fsx;

	if (fd < 0)
		return 0;
	if (ioctl(fd, FS_IOC_FSGETXATTR, &fsx) < 0) {
		res(c, "fsgetxattr", -1);
	} else if (!arg) {
		sb_add(&c->res, "ok:%x/%u", fsx.fsx_xflags & ~FS_XFLAG_HASATTR, fsx.fsx_projid);
	} else {
		if (arg == 1)
			fsx.fsx_xflags |= FS_XFLAG_NOATIME;
		else
			fsx.fsx_projid = 42;
		res(c, "fssetxattr", ioctl(fd, FS_IOC_FSSETXATTR, &fsx));
	}
	return close(fd);
}

static int op_readdir(struct ctx *c, long arg)
{
	struct sbuf b = { 0 };
	DIR *d = opendir(P(c, ""));
	char *v[64];
	struct dirent *de;
	int k = 0, i;

	if (!d) {
		res(c, "opendir", -1);
		return 0;
	}
	errno = 0;
	while ((de = readdir(d)) && k < 64)
		v[k++] = strdup(de->d_name);
	if (errno) {
		res(c, "readdir", -1);
		k = 0;
	}
	closedir(d);
	qsort(v, k, sizeof(v[0]), cmp_str);
	for (i = 0; i < k; i++)
		sb_add(&b, "%s%s", i ? "," : "ok:", v[i]);
	sb_add(&c->res, "%s", b.s ? b.s : "");
	for (i = 0; i < k; i++)
		free(v[i]);
	free(b.s);
	return 0;
}

static int op_access(struct ctx *c, long mode)
{
	res(c, NULL, faccessat(AT_FDCWD, P(c, ""), mode, AT_SYMLINK_NOFOLLOW));
	return 0;
}

static int op_readlink(struct ctx *c, long arg)
{
	char buf[256];
	ssize_t n = readlink(P(c, ""), buf, sizeof(buf) - 1);

	if (n < 0) {
		res(c, NULL, -1);
	} else {
		buf[n] = 0;
		sb_add(&c->res, "ok:%s", buf);
	}
	return 0;
}

static int op_stat(struct ctx *c, long arg)
{
	struct stat st;

	res(c, NULL, fstatat(AT_FDCWD, P(c, "fa"), &st, AT_SYMLINK_NOFOLLOW));
	return 0;
}

/* Namespace operations inside a directory object. */
static int op_create(struct ctx *c, long mode)
{
	int fd = open(P(c, "new"), O_WRONLY | O_CREAT | O_EXCL | OPEN_BASE, mode);

	res(c, NULL, fd);
	return fd < 0 ? 0 : close(fd);
}

static int op_tmpfile(struct ctx *c, long mode)
{
	int fd = open(P(c, ""), O_TMPFILE | O_WRONLY | OPEN_BASE, mode);

	res(c, NULL, fd);
	return fd < 0 ? 0 : close(fd);
}

/* open an existing child with O_CREAT (fs.protected_regular) or follow lb */
static int op_open_child(struct ctx *c, long arg)
{
	static const char *const child[] = { "fb", "fr", "lb" };
	int fd = open(P(c, child[arg]), (arg == 2 ? O_RDONLY : O_WRONLY | O_CREAT) | OPEN_BASE, 0644);

	res(c, NULL, fd);
	return fd < 0 ? 0 : close(fd);
}

static int op_mkdir(struct ctx *c, long mode)
{
	res(c, NULL, mkdir(P(c, "newd"), mode));
	return 0;
}

/* A character device without permission bits is a whiteout (0:0). */
static int op_mknod(struct ctx *c, long mode)
{
	res(c, NULL, mknod(P(c, "newp"), mode, S_ISCHR(mode) && (mode & 0777) ? makedev(1, 3) : 0));
	return 0;
}

static int op_symlink(struct ctx *c, long arg)
{
	res(c, NULL, symlink("fa", P(c, "newl")));
	return 0;
}

static int op_link(struct ctx *c, long arg)
{
	static const char *const from[] = { "fa", "fb", "fr" };

	res(c, NULL, link(P(c, from[arg]), P(c, "newh")));
	return 0;
}

static int op_unlink(struct ctx *c, long arg)
{
	static const char *const name[] = { "fa", "fb", "fr" };

	res(c, NULL, unlink(P(c, name[arg])));
	return 0;
}

static int op_rmdir(struct ctx *c, long arg)
{
	res(c, NULL, rmdir(P(c, arg ? "sr" : "sa")));
	return 0;
}

/* The rename table: from, to, flags. */
static const struct {
	const char *from, *to;
	unsigned int flags;
} renames[] = {
	{ "fa", "new", 0 }, { "fb", "new", 0 }, { "fr", "new", 0 },
	{ "fa", "fb", 0 }, { "fb", "fa", 0 }, { "fr", "fa", 0 },
	{ "fa", "fb", RENAME_NOREPLACE }, { "fa", "fr", RENAME_EXCHANGE },
	{ "fa", "new", RENAME_WHITEOUT },
	{ "sa", "newd", 0 }, { "sr", "newd", 0 },
	{ "fa", "/x777/newx", 0 }, { "fb", "/x777/newx", 0 },
	{ "sa", "/x777/newx", 0 }, { "sr", "/x777/newx", 0 },
};

static int op_rename(struct ctx *c, long arg)
{
	res(c, NULL, renameat2(AT_FDCWD, P(c, renames[arg].from), AT_FDCWD, P(c, renames[arg].to),
			       renames[arg].flags));
	return 0;
}

#define K_REG	0x01
#define K_DIR	0x02
#define K_LNK	0x04
#define K_FIFO	0x08
#define K_CHR	0x10
#define K_ALL	0x1f
#define K_FILE	(K_REG | K_FIFO | K_CHR)

struct op {
	const char *name;
	unsigned int kinds;
	int (*fn)(struct ctx *c, long arg);
	long arg;
	const char *scope;	/* more paths the operation may touch, space-separated */
	const char *xattr;	/* op_xattr: "NAME" and the action in arg */
};

enum { XA_CREATE, XA_REPLACE, XA_GET, XA_REMOVE, XA_LIST };

static const struct op ops[] = {
	/* every open mode (plus O_NONBLOCK | O_CLOEXEC) */
	{ "open-r", K_ALL & ~K_LNK, op_open, O_RDONLY },
	{ "open-w", K_ALL & ~K_LNK, op_open, O_WRONLY },
	{ "open-rw", K_ALL & ~K_LNK, op_open, O_RDWR },
	{ "open-wa", K_REG, op_open, O_WRONLY | O_APPEND },
	{ "open-rt", K_REG, op_open, O_RDONLY | O_TRUNC },
	{ "open-wt", K_FILE, op_open, O_WRONLY | O_TRUNC },
	{ "open-rwc", K_REG | K_DIR, op_open, O_RDWR | O_CREAT },
	{ "open-wce", K_REG, op_open, O_WRONLY | O_CREAT | O_EXCL },
	{ "open-noatime", K_REG | K_DIR, op_open, O_RDONLY | O_NOATIME },
	{ "open-3", K_REG, op_open, O_ACCMODE },
	{ "open-path", K_ALL, op_open, O_PATH },
	{ "open-dir", K_REG | K_DIR, op_open, O_RDONLY | O_DIRECTORY },
	{ "open-nofollow", K_LNK, op_open, O_RDONLY | O_NOFOLLOW },
	{ "open-direct", K_REG, op_open, O_RDWR | O_DIRECT },
	{ "open-sync", K_REG, op_open, O_WRONLY | O_SYNC },
	/* data */
	{ "read", K_REG | K_FIFO | K_CHR, op_read, 0 },
	{ "write", K_REG | K_CHR, op_write, 0 },
	{ "append", K_REG, op_write, 1 },
	{ "write-extend", K_REG, op_write, 2 },
	{ "mmap-write", K_REG, op_mmap_write, 0 },
	{ "truncate", K_REG | K_DIR, op_truncate, 100 },
	{ "ftruncate", K_REG, op_ftruncate, 10000 },
	{ "fallocate", K_REG, op_fallocate, 0 },
	{ "fallocate-keep", K_REG, op_fallocate, 1 },
	{ "punch", K_REG, op_fallocate, 2 },
	{ "copy-in", K_REG, op_copy_range, 0 },
	{ "copy-out", K_REG, op_copy_range, 1, "/f/r666" },
	{ "clone-range", K_REG, op_clone, 0 },
	{ "clone", K_REG, op_clone, 1 },
	{ "dedupe-ro", K_REG, op_dedupe, O_RDONLY },
	{ "dedupe-rw", K_REG, op_dedupe, O_RDWR },
	/* permission probes (real ids) */
	{ "access-r", K_ALL, op_access, R_OK },
	{ "access-w", K_ALL, op_access, W_OK },
	{ "access-x", K_ALL, op_access, X_OK },
	{ "readlink", K_LNK, op_readlink, 0 },
	/* attributes */
	{ "chmod-640", K_ALL, op_chmod, 0640 },
	{ "chmod-6755", K_ALL, op_chmod, 06755 },
	{ "chmod-3777", K_DIR, op_chmod, 03777 },
	{ "chown-g1000", K_ALL, op_chown, OWN(-1, 1000) },
	{ "chown-g1001", K_ALL, op_chown, OWN(-1, 1001) },
	{ "chown-u1000", K_ALL, op_chown, OWN(1000, -1) },
	{ "chown-u1001", K_ALL, op_chown, OWN(1001, -1) },
	{ "chown-none", K_ALL, op_chown, OWN(-1, -1) },
	{ "utimes-now", K_ALL, op_utimes, 0 },
	{ "utimes-set", K_ALL, op_utimes, 1 },
	/* xattrs and ACLs */
	{ "set-user.n", K_ALL, op_xattr, XA_CREATE, NULL, "user.n" },
	{ "replace-user.u", K_ALL, op_xattr, XA_REPLACE, NULL, "user.u" },
	{ "get-user.u", K_ALL, op_xattr, XA_GET, NULL, "user.u" },
	{ "remove-user.u", K_ALL, op_xattr, XA_REMOVE, NULL, "user.u" },
	{ "set-trusted.n", K_ALL, op_xattr, XA_CREATE, NULL, "trusted.n" },
	{ "replace-trusted.t", K_ALL, op_xattr, XA_REPLACE, NULL, "trusted.t" },
	{ "get-trusted.t", K_ALL, op_xattr, XA_GET, NULL, "trusted.t" },
	{ "remove-trusted.t", K_ALL, op_xattr, XA_REMOVE, NULL, "trusted.t" },
	{ "set-security.n", K_ALL, op_xattr, XA_CREATE, NULL, "security.n" },
	{ "replace-security.s", K_ALL, op_xattr, XA_REPLACE, NULL, "security.s" },
	{ "get-security.s", K_ALL, op_xattr, XA_GET, NULL, "security.s" },
	{ "remove-security.s", K_ALL, op_xattr, XA_REMOVE, NULL, "security.s" },
	{ "set-security.capability", K_REG, op_setcap, 0 },
	{ "get-security.capability", K_REG, op_xattr, XA_GET, NULL, "security.capability" },
	{ "listxattr", K_ALL, op_xattr, XA_LIST },
	{ "set-acl", K_ALL, op_acl, 0 },
	{ "set-acl-minimal", K_ALL, op_acl, 1 },
	{ "get-acl", K_ALL, op_xattr, XA_GET, NULL, "system.posix_acl_access" },
	{ "remove-acl", K_ALL, op_xattr, XA_REMOVE, NULL, "system.posix_acl_access" },
	{ "set-default-acl", K_REG | K_DIR, op_acl, 2 },
	{ "get-default-acl", K_DIR, op_xattr, XA_GET, NULL, "system.posix_acl_default" },
	{ "remove-default-acl", K_DIR, op_xattr, XA_REMOVE, NULL, "system.posix_acl_default" },
	/* inode flags */
	{ "getflags", K_REG | K_DIR, op_flags, 0 },
	{ "setflags+noatime", K_REG | K_DIR, op_flags, FS_NOATIME_FL },
	{ "setflags+append", K_REG | K_DIR, op_flags, FS_APPEND_FL },
	{ "setflags-lock", K_REG, op_flags, -LOCK_FLAGS },
	{ "fsgetxattr", K_REG | K_DIR, op_fsxattr, 0 },
	{ "fssetxattr+noatime", K_REG | K_DIR, op_fsxattr, 1 },
	{ "fssetxattr-projid", K_REG | K_DIR, op_fsxattr, 2 },
	/* namespace operations in a directory */
	{ "readdir", K_DIR, op_readdir, 0 },
	{ "stat-child", K_DIR, op_stat, 0 },
	{ "create", K_DIR, op_create, 0644, "new" },
	{ "create-2755", K_DIR, op_create, 02755, "new" },
	{ "create-4755", K_DIR, op_create, 04755, "new" },
	{ "tmpfile", K_DIR, op_tmpfile, 02755 },
	{ "open-creat-fb", K_DIR, op_open_child, 0, "fb" },
	{ "open-creat-fr", K_DIR, op_open_child, 1, "fr" },
	{ "follow-lb", K_DIR, op_open_child, 2 },
	{ "mkdir", K_DIR, op_mkdir, 0777, "newd" },
	{ "mkdir-2777", K_DIR, op_mkdir, 02777, "newd" },
	{ "mknod-fifo", K_DIR, op_mknod, S_IFIFO | 0666, "newp" },
	{ "mknod-reg-2755", K_DIR, op_mknod, S_IFREG | 02755, "newp" },
	{ "mknod-chr", K_DIR, op_mknod, S_IFCHR | 0666, "newp" },
	{ "mknod-sock", K_DIR, op_mknod, S_IFSOCK | 0666, "newp" },
	{ "mknod-whiteout", K_DIR, op_mknod, S_IFCHR, "newp" },
	{ "symlink", K_DIR, op_symlink, 0, "newl" },
	{ "link-fa", K_DIR, op_link, 0, "fa newh" },
	{ "link-fb", K_DIR, op_link, 1, "fb newh" },
	{ "link-fr", K_DIR, op_link, 2, "fr newh" },
	{ "unlink-fa", K_DIR, op_unlink, 0, "fa" },
	{ "unlink-fb", K_DIR, op_unlink, 1, "fb" },
	{ "unlink-fr", K_DIR, op_unlink, 2, "fr" },
	{ "rmdir-sa", K_DIR, op_rmdir, 0, "sa" },
	{ "rmdir-sr", K_DIR, op_rmdir, 1, "sr" },
	{ "rename-fa-new", K_DIR, op_rename, 0, "fa new" },
	{ "rename-fb-new", K_DIR, op_rename, 1, "fb new" },
	{ "rename-fr-new", K_DIR, op_rename, 2, "fr new" },
	{ "rename-fa-fb", K_DIR, op_rename, 3, "fa fb" },
	{ "rename-fb-fa", K_DIR, op_rename, 4, "fa fb" },
	{ "rename-fr-fa", K_DIR, op_rename, 5, "fa fr" },
	{ "rename-noreplace", K_DIR, op_rename, 6, "fa fb" },
	{ "rename-exchange", K_DIR, op_rename, 7, "fa fr" },
	{ "rename-whiteout", K_DIR, op_rename, 8, "fa new" },
	{ "rename-dir-sa", K_DIR, op_rename, 9, "sa newd" },
	{ "rename-dir-sr", K_DIR, op_rename, 10, "sr newd" },
	{ "rename-out-fa", K_DIR, op_rename, 11, "fa /x777 /x777/newx" },
	{ "rename-out-fb", K_DIR, op_rename, 12, "fb /x777 /x777/newx" },
	{ "rename-out-sa", K_DIR, op_rename, 13, "sa /x777 /x777/newx" },
	{ "rename-out-sr", K_DIR, op_rename, 14, "sr /x777 /x777/newx" },
};
#define NOPS (int)(sizeof(ops) / sizeof(ops[0]))

static const struct op *cur_op;
static double op_ms[256], phase_ms[3];	/* per op; running, capturing, putting back */
static int nfixes, nrebuilds;

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int op_xattr(struct ctx *c, long arg)
{
	const char *name = cur_op->xattr;
	unsigned char val[512];
	char names[4096], *v[64];
	ssize_t n, len;
	int k = 0, i;

	switch (arg) {
	case XA_CREATE:
		res(c, NULL, lsetxattr(P(c, ""), name, "new", 3, XATTR_CREATE));
		break;
	case XA_REPLACE:
		res(c, NULL, lsetxattr(P(c, ""), name, "changed", 7, XATTR_REPLACE));
		break;
	case XA_REMOVE:
		res(c, NULL, lremovexattr(P(c, ""), name));
		break;
	case XA_GET:
		n = lgetxattr(P(c, ""), name, val, sizeof(val));
		if (n < 0) {
			res(c, NULL, -1);
		} else {
			sb_add(&c->res, "ok:");
			if (!strncmp(name, "system.posix_acl", 16))
				acl_text(&c->res, val, n);
			else
				sb_escape(&c->res, val, n);
		}
		break;
	case XA_LIST:
		len = llistxattr(P(c, ""), names, sizeof(names));
		if (len < 0) {
			res(c, NULL, -1);
			break;
		}
		for (n = 0; n < len && k < 64; n += strlen(names + n) + 1)
			v[k++] = names + n;
		qsort(v, k, sizeof(v[0]), cmp_str);
		sb_add(&c->res, "ok:");
		for (i = 0; i < k; i++)
			sb_add(&c->res, "%s%s", i ? "," : "", v[i]);
		break;
	}
	return 0;
}

static unsigned int kind_of(const struct node *n)
{
	static const unsigned int k[] = { K_REG, K_DIR, K_LNK, K_FIFO, K_CHR };

	return k[n->type];
}

/* ------------------------------------------------------------------ run */

struct twin {
	const char *op_root;	/* where the user's operation runs */
	const char *low;	/* the same tree on the lower: state and resets */
	const char *view;	/* the mount, whose stat must agree with the lower's */
	char **pristine;	/* per node: its state after the build */
};

/* The paths an operation on @n may touch, relative to the twin's root. */
static int scope_of(const struct op *o, const struct node *n, char out[][64], int max)
{
	char buf[128], *tok, *save;
	int k = 0;

	snprintf(out[k++], 64, "%s", n->path);
	if (n->type == T_LNK)
		snprintf(out[k++], 64, "%.*s/%s", (int)(strrchr(n->path, '/') - n->path), n->path,
			 n->target);
	if (!o->scope)
		return k;
	snprintf(buf, sizeof(buf), "%s", o->scope);
	for (tok = strtok_r(buf, " ", &save); tok && k < max; tok = strtok_r(NULL, " ", &save)) {
		if (tok[0] == '/')
			snprintf(out[k++], 64, "%s", tok + 1);
		else
			snprintf(out[k++], 64, "%s/%s", n->path, tok);
	}
	return k;
}

static void pristine_of(struct twin *t, const char *rel, struct sbuf *b)
{
	const struct node *n = find_node(rel);

	if (n)
		sb_add(b, "%s", t->pristine[n - nodes]);
	else
		sb_add(b, " %s:absent", rel);
}

/*
 * Run @o on @n as @u in twin @t: the result into @r, the state of the
 * scope into @s; then put back what changed.
 */
static void run_one(struct twin *t, const struct op *o, const struct node *n,
		    const struct user *u, struct sbuf *r, struct sbuf *s)
{
	char scope[8][64];
	int k, i, j, pass, changed[8];
	unsigned int what[8];
	struct ctx c = { .root = t->op_root, .n = n };
	struct sbuf one = { 0 }, want = { 0 };
	double t0 = now_ms(), t1, t2;

	k = scope_of(o, n, scope, 8);
	cur_op = o;
	become(u);
	o->fn(&c, o->arg);
	unbecome();
	t1 = now_ms();
	sb_reset(r);
	sb_add(r, "%s", c.res.s ? c.res.s : "?");
	free(c.res.s);

	sb_reset(s);
	for (i = 0; i < k; i++) {
		sb_reset(&one);
		sb_reset(&want);
		capture(&one, t->low, t->view, scope[i]);
		pristine_of(t, scope[i], &want);
		changed[i] = strcmp(one.s, want.s) != 0;
		what[i] = changed[i] ? differing(one.s, want.s) : 0;
		sb_add(s, "%s", one.s);
	}
	t2 = now_ms();
	/*
	 * Put back what changed, parents first (a new name just goes; the
	 * scope lists parents before their children), then
	 * check: what still differs is built again, and what differs after
	 * that is an error of the fixture.
	 */
	for (pass = 0; pass < 3; pass++) {
		int more = 0;

		for (i = 0; i < k; i++) {
			const struct node *m;
			char p[4096];

			if (!changed[i])
				continue;
			for (j = 0; pass && j < k; j++)
				if (j != i && changed[j] && is_under(scope[i], scope[j]) &&
				    strcmp(scope[i], scope[j]))
					break;
			if (pass && j < k)
				continue;	/* built again with its parent */
			m = find_node(scope[i]);
			if (pass)
				nrebuilds++;
			else
				nfixes++;
			if (m && !pass) {
				fix_node(t->low, m - nodes, what[i]);
			} else if (m && pass == 1) {
				if (getenv("VX_PERM_DEBUG")) {
					sb_reset(&one);
					sb_reset(&want);
					capture(&one, t->low, t->view, scope[i]);
					pristine_of(t, scope[i], &want);
					printf("rebuild %s %s %s: now%s | pristine%s\n", u->name,
					       o->name, scope[i], one.s, want.s);
				}
				build_node(t->low, m - nodes);
			} else if (m) {
				sb_reset(&one);
				capture(&one, t->low, t->view, scope[i]);
				printf("error %s: cannot put %s back, it stays%s\n", t->low,
				       scope[i], one.s);
				nerrors++;
			} else {
				snprintf(p, sizeof(p), "%s/%s", t->low, scope[i]);
				remove_tree(p);
				m = parent_node_of(scope[i]);
				if (m)
					finish_node(t->low, m);
			}
		}
		for (i = 0; i < k; i++) {
			if (!changed[i])
				continue;
			sb_reset(&one);
			sb_reset(&want);
			capture(&one, t->low, t->view, scope[i]);
			pristine_of(t, scope[i], &want);
			changed[i] = strcmp(one.s, want.s) != 0;
			more |= changed[i];
		}
		if (!more)
			break;
	}
	free(one.s);
	free(want.s);
	phase_ms[0] += t1 - t0;
	phase_ms[1] += t2 - t1;
	phase_ms[2] += now_ms() - t2;
}

/* Items of @a not in @b, into @out. */
static void items_missing(const char *a, const char *b, struct sbuf *out)
{
	char *copy = strdup(a), *tok, *save;
	size_t n;

	for (tok = strtok_r(copy, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
		const char *p = b;
		int found = 0;

		n = strlen(tok);
		while ((p = strstr(p, tok))) {
			if ((p == b || p[-1] == ' ') && (p[n] == ' ' || !p[n])) {
				found = 1;
				break;
			}
			p += n;
		}
		if (!found)
			sb_add(out, "%s%s", out->len ? " " : "", tok);
	}
	free(copy);
}

/* ---------------------------------------------------------- allow list */

struct allow {
	char kernels[16], lowers[32], user[16], op[48], obj[48], result[48];
	char reason[256];
	int hits;
};

static struct allow allows[64];
static int nallows;

static int version_cmp(const char *a, const char *b)
{
	int amaj = 0, amin = 0, bmaj = 0, bmin = 0;

	sscanf(a, "%d.%d", &amaj, &amin);
	sscanf(b, "%d.%d", &bmaj, &bmin);
	return amaj != bmaj ? amaj - bmaj : amin - bmin;
}

static int kernel_matches(const char *pat, const char *kid)
{
	if (!strcmp(pat, "*"))
		return 1;
	if (!strncmp(pat, ">=", 2))
		return version_cmp(kid, pat + 2) >= 0;
	if (pat[0] == '<')
		return version_cmp(kid, pat + 1) < 0;
	return !strcmp(pat, kid);
}

static void load_allow(const char *file)
{
	char line[512];
	FILE *f = fopen(file, "r");

	if (!f)
		die(file);
	while (fgets(line, sizeof(line), f) && nallows < 64) {
		struct allow *a = &allows[nallows];
		int off = 0;

		if (line[0] == '#' || line[0] == '\n')
			continue;
		line[strcspn(line, "\n")] = 0;
		if (sscanf(line, "%15s %31s %15s %47s %47s %47s %n", a->kernels, a->lowers, a->user,
			   a->op, a->obj, a->result, &off) < 6 || !off) {
			printf("error allow file: bad line: %s\n", line);
			nerrors++;
			continue;
		}
		snprintf(a->reason, sizeof(a->reason), "%s", line + off);
		nallows++;
	}
	fclose(f);
}

/*
 * The entry that allows verityfs's result @res for this run, if any. An
 * entry allows a difference in the result, never in state; the one
 * exception is only_privs_removed(), asked for as @res "privs-removed".
 */
static const struct allow *allowed(const char *kid, const char *lower, const char *user,
				   const char *op, const char *obj, const char *res)
{
	int i;

	for (i = 0; i < nallows; i++) {
		struct allow *a = &allows[i];

		if (kernel_matches(a->kernels, kid) && !fnmatch(a->lowers, lower, 0) &&
		    !fnmatch(a->user, user, 0) && !fnmatch(a->op, op, 0) &&
		    !fnmatch(a->obj, obj, 0) && !fnmatch(a->result, res, 0))
			return a;
	}
	return NULL;
}

/*
 * Whether the two states differ only by privileges that verityfs removed
 * and the lower kept: @da holds the lower's items missing through verityfs,
 * @db verityfs's items missing on the lower. Allowed only by an entry whose
 * RESULT is "privs-removed": a stricter state, never a laxer one.
 */
static int only_privs_removed(const char *da, const char *db)
{
	char *copy = strdup(da), *tok, *save, *eq, want[160];
	int ok = 1, modes = 0, n = 0;
	unsigned int mode;

	for (tok = strtok_r(copy, " ", &save); tok && ok; tok = strtok_r(NULL, " ", &save)) {
		eq = strstr(tok, ":x.security.capability=");
		if (eq)
			continue;
		eq = strstr(tok, ":mode=");
		if (!eq || sscanf(eq + 6, "%o", &mode) != 1 || !(mode & 06000)) {
			ok = 0;
			break;
		}
		snprintf(want, sizeof(want), "%.*s:mode=%o", (int)(eq - tok), tok, mode & ~06000u);
		ok = strstr(db, want) != NULL;
		modes++;
	}
	free(copy);
	/* Nothing else of verityfs's state may differ. */
	for (tok = (char *)db; ok && *tok; tok++)
		n += *tok == ' ';
	return ok && (*db ? n + 1 : 0) == modes;
}

/* Whether @s matches one of the comma-separated fnmatch patterns (NULL: all). */
static int selected(const char *list, const char *s)
{
	char buf[512], *tok, *save;

	if (!list)
		return 1;
	snprintf(buf, sizeof(buf), "%s", list);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
		if (!fnmatch(tok, s, 0))
			return 1;
	return 0;
}

static void check_ids(void)
{
	struct __user_cap_header_struct {
		uint32_t version;
		int pid;
	} h = { 0x20080522, 0 };
	struct {
		uint32_t effective, permitted, inheritable;
	} d[2];

	if (geteuid())
		die("must run as root");
	become(&users[1]);
	if (syscall(SYS_capget, &h, d) || d[0].effective || d[1].effective ||
	    geteuid() != users[1].uid) {
		unbecome();
		printf("error ids: effective capabilities left after becoming %s\n", users[1].name);
		exit(2);
	}
	unbecome();
	if (syscall(SYS_capget, &h, d) || !d[0].effective)
		die("capabilities not back after unbecome");
}

int main(int argc, char **argv)
{
	const char *kid = "?", *lower = "?", *ulist = NULL, *olist = NULL, *nlist = NULL;
	struct sbuf ra = { 0 }, rb = { 0 }, sa = { 0 }, sb = { 0 }, da = { 0 }, db = { 0 };
	struct twin tw[2];
	double t0;
	const char *tamper = NULL;
	int verbose = 0, timing = 0, opt, ui, oi, ni, t, i, ndiff = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	/* A setuid copy of this program tells who it runs as (nosuid checks). */
	if (argc == 2 && !strcmp(argv[1], "--euid")) {
		printf("euid %u\n", (unsigned int)geteuid());
		return 0;
	}
	while ((opt = getopt(argc, argv, "k:l:a:u:o:O:t:vT")) != -1) {
		switch (opt) {
		case 'k': kid = optarg; break;
		case 'l': lower = optarg; break;
		case 'a': load_allow(optarg); break;
		case 'u': ulist = optarg; break;
		case 'o': olist = optarg; break;
		case 'O': nlist = optarg; break;
		case 't': tamper = optarg; break;
		case 'v': verbose = 1; break;
		case 'T': timing = 1; break;
		default:
			fprintf(stderr, "usage: vx-perm [-k KID] [-l LOWER] [-a ALLOW] [-u USERS] "
				"[-o OPS] [-O OBJS] [-t] [-v] [-T] A B_MNT B_LOWER\n");
			return 2;
		}
	}
	if (argc - optind != 3) {
		fprintf(stderr, "vx-perm: need A B_MNT B_LOWER\n");
		return 2;
	}
	/* 022: creation under a default ACL must ignore it, elsewhere apply it. */
	umask(022);
	check_ids();
	make_content();
	make_fixture_table();
	tw[0] = (struct twin){ argv[optind], argv[optind], NULL, NULL };
	tw[1] = (struct twin){ argv[optind + 1], argv[optind + 2], argv[optind + 1], NULL };
	for (t = 0; t < 2; t++) {
		build_all(tw[t].low);
		tw[t].pristine = calloc(nnodes, sizeof(char *));
		for (i = 0; i < nnodes; i++) {
			struct sbuf b = { 0 };

			capture(&b, tw[t].low, tw[t].view, nodes[i].path);
			tw[t].pristine[i] = b.s;
		}
	}
	/* The twins must start equal (inode numbers are never compared). */
	for (i = 0; i < nnodes; i++)
		if (strcmp(tw[0].pristine[i], tw[1].pristine[i])) {
			printf("error twins differ before any operation: A%s | B%s\n",
			       tw[0].pristine[i], tw[1].pristine[i]);
			nerrors++;
		}
	/*
	 * The negative control, after the pristine states are taken. "state":
	 * B's f/a644 loses its read bits for others (an errno and a state
	 * difference), B's f/a664 gets an xattr (a state difference only); the
	 * first operation on each shows it and puts it back. "result": B's f/
	 * becomes 0700, so that others get EACCES in it with every state the
	 * same; f/ is in no operation's scope, so it stays so.
	 */
	if (tamper) {
		char p[4096];

		if (!strcmp(tamper, "state")) {
			snprintf(p, sizeof(p), "%s/f/a644", tw[1].low);
			if (chmod(p, 0600))
				die("tamper chmod");
			snprintf(p, sizeof(p), "%s/f/a664", tw[1].low);
			if (lsetxattr(p, "trusted.tamper", "1", 1, 0))
				die("tamper setxattr");
		} else if (!strcmp(tamper, "result")) {
			snprintf(p, sizeof(p), "%s/f", tw[1].low);
			if (chmod(p, 0700))
				die("tamper chmod");
		} else {
			die("tamper: state or result");
		}
	}

	for (ui = 0; ui < NUSERS; ui++) {
		const struct user *u = &users[ui];
		int same = 0;

		if (!selected(ulist, u->name))
			continue;
		for (oi = 0; oi < NOPS; oi++) {
			const struct op *o = &ops[oi];

			if (!selected(olist, o->name))
				continue;
			for (ni = 0; ni < nnodes; ni++) {
				const struct node *n = &nodes[ni];
				const struct allow *a;

				if (!(n->x & X_OBJ) || !(o->kinds & kind_of(n)) ||
				    !selected(nlist, n->path))
					continue;
				t0 = now_ms();
				run_one(&tw[0], o, n, u, &ra, &sa);
				run_one(&tw[1], o, n, u, &rb, &sb);
				op_ms[oi] += now_ms() - t0;
				if (verbose)
					printf("run %s %s %s: %s |%s\n", u->name, o->name, n->path,
					       ra.s, sa.s);
				if (!strcmp(ra.s, rb.s) && !strcmp(sa.s, sb.s)) {
					same++;
					continue;
				}
				sb_reset(&da);
				sb_reset(&db);
				items_missing(sa.s, sb.s, &da);
				items_missing(sb.s, sa.s, &db);
				if (!strcmp(sa.s, sb.s))
					a = allowed(kid, lower, u->name, o->name, n->path, rb.s);
				else if (!strcmp(ra.s, rb.s) &&
					 only_privs_removed(da.len ? da.s : "", db.len ? db.s : ""))
					a = allowed(kid, lower, u->name, o->name, n->path,
						    "privs-removed");
				else
					a = NULL;
				printf("%s %s %s %s: lower %s%s%s%s verityfs %s%s%s%s%s%s\n",
				       a ? "allow" : "diff", u->name, o->name, n->path,
				       ra.s, da.len ? " [" : "", da.len ? da.s : "", da.len ? "]" : "",
				       rb.s, db.len ? " [" : "", db.len ? db.s : "", db.len ? "]" : "",
				       a ? " # " : "", a ? a->reason : "");
				if (a)
					allows[a - allows].hits++;
				else
					ndiff++;
			}
		}
		printf("same %s %d\n", u->name, same);
	}
	for (oi = 0; timing && oi < NOPS; oi++)
		printf("time %s %.0f ms\n", ops[oi].name, op_ms[oi]);
	if (timing)
		printf("time phases: operations %.0f ms, state %.0f ms, putting back %.0f ms "
		       "(%d fixed, %d built again)\n", phase_ms[0], phase_ms[1], phase_ms[2],
		       nfixes, nrebuilds);
	/* Per entry that applies to this kernel and lower: how often it matched. */
	for (i = 0; i < nallows; i++) {
		const struct allow *a = &allows[i];

		if (kernel_matches(a->kernels, kid) && !fnmatch(a->lowers, lower, 0))
			printf("%s %d %s %s %s %s %s %s # %s\n", a->hits ? "allowed" : "unused",
			       a->hits, a->kernels, a->lowers, a->user, a->op, a->obj, a->result,
			       a->reason);
	}
	return nerrors ? 2 : ndiff ? 1 : 0;
}

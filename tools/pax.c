// SPDX-License-Identifier: GPL-2.0-only
/*
 * verityfs tool: a filter over a POSIX tar stream (pax, ustar and GNU tar's
 * long names) that hands each member's pax extended header records to a
 * callback and writes the stream out again with the records it left.
 *
 * Everything but the extended headers passes through byte for byte: the
 * member headers, their data, global headers ('g'), GNU long names ('L',
 * 'K'), the end-of-archive blocks and whatever padding follows them. An
 * extended header is written again only when its member has records left;
 * one is made for a member that had none and gained some. The stream is
 * read once, front to back, so it may come from a pipe. A record is held in
 * memory whole, whatever its size.
 *
 * Copyright (C) 2026 The verityfs authors
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pax.h"
#include "verityfs.h"

#define BLK		512
/* ustar header: offsets and sizes of the fields used here */
#define H_NAME		0
#define H_MODE		100
#define H_SIZE		124
#define H_CHKSUM	148
#define H_TYPE		156
#define H_LINKNAME	157
#define H_MAGIC		257
#define H_PREFIX	345
/* The largest size 11 octal digits hold. */
#define OCTAL_MAX	077777777777ULL

struct pax_state {
	int in, out;
	uint8_t xhdr[BLK];		/* the member's 'x' header, if any */
	int has_xhdr;
	uint8_t *raw;			/* 'L'/'K' headers and data, written after 'x' */
	size_t raw_len;
	char *longname, *longlink;
	struct vt_pax_member m;
};

/* Return: 1 a block read, 0 end of input before it, -EIO a partial block. */
static int read_block(int fd, uint8_t *b)
{
	size_t n = 0;

	while (n < BLK) {
		ssize_t r = read(fd, b + n, BLK - n);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -errno;
		if (r == 0)
			return n ? -EIO : 0;
		n += (size_t)r;
	}
	return 1;
}

static int write_out(int fd, const void *p, size_t len)
{
	return vt_write_all(fd, p, len) ? -errno : 0;
}

static uint64_t parse_number(const uint8_t *f, size_t n)
{
	uint64_t v = 0;
	size_t i = 0;

	if (f[0] & 0x80) {		/* GNU base-256 */
		v = f[0] & 0x3f;
		for (i = 1; i < n; i++)
			v = v << 8 | f[i];
		return v;
	}
	while (i < n && (f[i] == ' ' || f[i] == 0))
		i++;
	for (; i < n && f[i] >= '0' && f[i] <= '7'; i++)
		v = v * 8 + (uint64_t)(f[i] - '0');
	return v;
}

static unsigned int header_sum(const uint8_t *h)
{
	unsigned int s = 0, i;

	for (i = 0; i < BLK; i++)
		s += (i >= H_CHKSUM && i < H_CHKSUM + 8) ? ' ' : h[i];
	return s;
}

static void set_size_and_sum(uint8_t *h, uint64_t size)
{
	snprintf((char *)h + H_SIZE, 12, "%011llo", (unsigned long long)size);
	snprintf((char *)h + H_CHKSUM, 8, "%06o", header_sum(h));
	h[H_CHKSUM + 7] = ' ';
}

static int is_zero_block(const uint8_t *b)
{
	int i;

	for (i = 0; i < BLK; i++)
		if (b[i])
			return 0;
	return 1;
}

/* Reads @size bytes of member data plus padding; the data gets a NUL after it. */
static int read_data(int fd, uint64_t size, uint8_t **out)
{
	uint64_t padded = (size + BLK - 1) / BLK * BLK, i;
	uint8_t *b;
	int r;

	if (size > ((uint64_t)1 << 34))
		return -EFBIG;
	b = malloc(padded + 1);
	if (!b)
		return -ENOMEM;
	for (i = 0; i < padded; i += BLK) {
		r = read_block(fd, b + i);
		if (r <= 0) {
			free(b);
			return r ? r : -EIO;
		}
	}
	b[size] = 0;
	*out = b;
	return 0;
}

static int copy_data(int in, int out, uint64_t size)
{
	uint8_t buf[64 * BLK];
	uint64_t left = (size + BLK - 1) / BLK * BLK;

	while (left) {
		size_t want = left < sizeof(buf) ? (size_t)left : sizeof(buf);
		size_t i;
		int r;

		for (i = 0; i < want; i += BLK) {
			r = read_block(in, buf + i);
			if (r <= 0)
				return r ? r : -EIO;
		}
		r = write_out(out, buf, want);
		if (r)
			return r;
		left -= want;
	}
	return 0;
}

/**
 * vt_pax_add() - add a record to a member's extended header
 * @m: the member
 * @key: the keyword
 * @val: the value's bytes
 * @len: how many
 *
 * Return: 0 or -ENOMEM.
 */
int vt_pax_add(struct vt_pax_member *m, const char *key, const void *val, size_t len)
{
	struct vt_pax_rec *r = realloc(m->recs, (m->nrecs + 1) * sizeof(*r));

	if (!r)
		return -ENOMEM;
	m->recs = r;
	r += m->nrecs;
	r->key = strdup(key);
	r->val = malloc(len + 1);
	if (!r->key || !r->val) {
		free(r->key);
		free(r->val);
		return -ENOMEM;
	}
	memcpy(r->val, val, len);
	r->val[len] = 0;
	r->len = len;
	m->nrecs++;
	return 0;
}

/**
 * vt_pax_take() - remove the last record with a keyword and hand it over
 * @m: the member
 * @key: the keyword
 * @rec: the record (free its key and val); every other record with @key is
 *	removed too, the last one wins as in pax
 *
 * Return: 1 taken, 0 there was none.
 */
int vt_pax_take(struct vt_pax_member *m, const char *key, struct vt_pax_rec *rec)
{
	size_t i, j = 0;
	int found = 0;

	for (i = 0; i < m->nrecs; i++) {
		if (strcmp(m->recs[i].key, key)) {
			m->recs[j++] = m->recs[i];
			continue;
		}
		if (found) {
			free(rec->key);
			free(rec->val);
		}
		*rec = m->recs[i];
		found = 1;
	}
	m->nrecs = j;
	return found;
}

/* Removes every record whose keyword starts with @prefix. */
void vt_pax_drop_prefix(struct vt_pax_member *m, const char *prefix)
{
	size_t i, j = 0, n = strlen(prefix);

	for (i = 0; i < m->nrecs; i++) {
		if (strncmp(m->recs[i].key, prefix, n)) {
			m->recs[j++] = m->recs[i];
			continue;
		}
		free(m->recs[i].key);
		free(m->recs[i].val);
	}
	m->nrecs = j;
}

static void free_member(struct vt_pax_member *m)
{
	vt_pax_drop_prefix(m, "");
	free(m->recs);
	free(m->path);
	free(m->linkname);
	memset(m, 0, sizeof(*m));
}

/* "LEN KEY=VALUE\n" records of @len bytes at @p into m->recs. */
static int parse_records(struct vt_pax_member *m, const uint8_t *p, size_t len)
{
	while (len) {
		size_t rl = 0, i = 0;
		const uint8_t *eq;
		char *key;
		int r;

		while (i < len && p[i] >= '0' && p[i] <= '9' && rl < ((size_t)1 << 40))
			rl = rl * 10 + (size_t)(p[i++] - '0');
		if (!i || i >= len || p[i] != ' ' || rl <= i + 1 || rl > len || p[rl - 1] != '\n')
			return -EINVAL;
		eq = memchr(p + i + 1, '=', rl - i - 2);
		if (!eq)
			return -EINVAL;
		key = strndup((const char *)p + i + 1, (size_t)(eq - p) - i - 1);
		if (!key)
			return -ENOMEM;
		r = vt_pax_add(m, key, eq + 1, rl - (size_t)(eq + 1 - p) - 1);
		free(key);
		if (r)
			return r;
		p += rl;
		len -= rl;
	}
	return 0;
}

static size_t record_len(const struct vt_pax_rec *r)
{
	size_t base = strlen(r->key) + r->len + 3, d = 1, t;

	/* The length counts its own digits. */
	for (;;) {
		t = base + d;
		if (snprintf(NULL, 0, "%zu", t) == (int)d)
			return t;
		d++;
	}
}

/* The member's remaining records as an 'x' header and its data. */
static int write_extended(struct pax_state *s, const uint8_t *mhdr)
{
	size_t total = 0, i, off = 0;
	uint8_t h[BLK], *data;
	int r;

	for (i = 0; i < s->m.nrecs; i++)
		total += record_len(&s->m.recs[i]);
	if (total > OCTAL_MAX)
		return -EFBIG;
	if (s->has_xhdr) {
		memcpy(h, s->xhdr, BLK);
	} else {
		/* Made from the member's header, named as GNU tar names its own. */
		const char *base = strrchr(s->m.path, '/');

		base = base && base[1] ? base + 1 : s->m.path;
		memcpy(h, mhdr, BLK);
		memset(h + H_NAME, 0, 100);
		snprintf((char *)h + H_NAME, 100, "PaxHeaders/%.80s", base);
		memset(h + H_LINKNAME, 0, 100);
		memset(h + H_PREFIX, 0, 155);
		memcpy(h + H_MODE, "0000644", 8);
		memcpy(h + H_MAGIC, "ustar\0" "00", 8);
		h[H_TYPE] = 'x';
	}
	set_size_and_sum(h, total);
	data = calloc(1, (total + BLK - 1) / BLK * BLK + 1);
	if (!data)
		return -ENOMEM;
	for (i = 0; i < s->m.nrecs; i++) {
		const struct vt_pax_rec *rec = &s->m.recs[i];
		size_t rl = record_len(rec);
		int n = sprintf((char *)data + off, "%zu %s=", rl, rec->key);

		memcpy(data + off + n, rec->val, rec->len);
		data[off + rl - 1] = '\n';
		off += rl;
	}
	r = write_out(s->out, h, BLK);
	if (!r)
		r = write_out(s->out, data, (total + BLK - 1) / BLK * BLK);
	free(data);
	return r;
}

static char *ustar_path(const uint8_t *h)
{
	char name[101], prefix[156], *p;

	memcpy(name, h + H_NAME, 100);
	name[100] = 0;
	prefix[0] = 0;
	if (!memcmp(h + H_MAGIC, "ustar\0", 6)) {
		memcpy(prefix, h + H_PREFIX, 155);
		prefix[155] = 0;
	}
	if (!prefix[0])
		return strdup(name);
	if (asprintf(&p, "%s/%s", prefix, name) < 0)
		return NULL;
	return p;
}

static int take_string(struct vt_pax_member *m, const char *key, char **out)
{
	struct vt_pax_rec rec;
	size_t i;

	/* Kept in the header: only looked at. */
	for (i = m->nrecs; i-- > 0; ) {
		rec = m->recs[i];
		if (!strcmp(rec.key, key)) {
			*out = strndup((const char *)rec.val, rec.len);
			return *out ? 1 : -ENOMEM;
		}
	}
	return 0;
}

static int handle_member(struct pax_state *s, uint8_t *h, vt_pax_member_fn fn, void *ctx)
{
	char linkname[101];
	char *size_str = NULL;
	int r;

	s->m.type = (char)h[H_TYPE];
	s->m.size = parse_number(h + H_SIZE, 12);
	r = take_string(&s->m, "size", &size_str);
	if (r < 0)
		return r;
	if (r)
		s->m.size = strtoull(size_str, NULL, 10);
	free(size_str);
	r = take_string(&s->m, "path", &s->m.path);
	if (r < 0)
		return r;
	if (!r)
		s->m.path = s->longname ? strdup(s->longname) : ustar_path(h);
	r = take_string(&s->m, "linkpath", &s->m.linkname);
	if (r < 0)
		return r;
	if (!r) {
		memcpy(linkname, h + H_LINKNAME, 100);
		linkname[100] = 0;
		s->m.linkname = strdup(s->longlink ? s->longlink : linkname);
	}
	if (!s->m.path || !s->m.linkname)
		return -ENOMEM;

	r = fn(&s->m, ctx);
	if (!r && s->m.nrecs)
		r = write_extended(s, h);
	if (!r && s->raw_len)
		r = write_out(s->out, s->raw, s->raw_len);
	if (!r)
		r = write_out(s->out, h, BLK);
	if (!r)
		r = copy_data(s->in, s->out, s->m.size);
	return r;
}

static void reset_state(struct pax_state *s)
{
	free_member(&s->m);
	free(s->raw);
	free(s->longname);
	free(s->longlink);
	s->raw = NULL;
	s->raw_len = 0;
	s->longname = s->longlink = NULL;
	s->has_xhdr = 0;
}

/* Keeps an 'L' or 'K' header and its data to write after the 'x' header. */
static int keep_raw(struct pax_state *s, const uint8_t *h, const uint8_t *data, uint64_t size)
{
	size_t padded = (size_t)((size + BLK - 1) / BLK * BLK);
	uint8_t *n = realloc(s->raw, s->raw_len + BLK + padded);

	if (!n)
		return -ENOMEM;
	s->raw = n;
	memcpy(n + s->raw_len, h, BLK);
	memcpy(n + s->raw_len + BLK, data, padded);
	s->raw_len += BLK + padded;
	return 0;
}

/* After the first zero block: the rest, as it is. */
static int copy_rest(int in, int out)
{
	uint8_t buf[64 * BLK];
	ssize_t n;

	for (;;) {
		n = read(in, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n ? -errno : 0;
		if (vt_write_all(out, buf, (size_t)n))
			return -errno;
	}
}

/**
 * vt_pax_filter() - copy a tar stream, letting @fn change extended headers
 * @in: the archive, read to its end
 * @out: where the filtered archive goes
 * @fn: called once per member (not for 'x', 'g', 'L', 'K' headers)
 * @ctx: passed to @fn
 *
 * Return: 0; -EINVAL for a stream that is not a tar archive (bad header
 * checksum, bad record), -EIO for one cut short, the first error of @fn,
 * or the negative errno of a read or write.
 */
int vt_pax_filter(int in, int out, vt_pax_member_fn fn, void *ctx)
{
	struct pax_state s;
	uint8_t h[BLK], *data;
	uint64_t size;
	int r;

	memset(&s, 0, sizeof(s));
	s.in = in;
	s.out = out;
	for (;;) {
		r = read_block(in, h);
		if (r <= 0) {
			/* No end-of-archive blocks: GNU tar warns, and so do we. */
			r = r ? r : -EIO;
			break;
		}
		if (is_zero_block(h)) {
			r = s.has_xhdr || s.raw_len ? -EIO : write_out(out, h, BLK);
			if (!r)
				r = copy_rest(in, out);
			break;
		}
		if (parse_number(h + H_CHKSUM, 8) != header_sum(h)) {
			r = -EINVAL;
			break;
		}
		size = parse_number(h + H_SIZE, 12);
		switch (h[H_TYPE]) {
		case 'x':
			r = read_data(in, size, &data);
			if (r)
				break;
			r = parse_records(&s.m, data, (size_t)size);
			free(data);
			memcpy(s.xhdr, h, BLK);
			s.has_xhdr = 1;
			break;
		case 'g':
			r = write_out(out, h, BLK);
			if (!r)
				r = copy_data(in, out, size);
			break;
		case 'L':
		case 'K':
			r = read_data(in, size, &data);
			if (r)
				break;
			r = keep_raw(&s, h, data, size);
			if (!r) {
				char **dst = h[H_TYPE] == 'L' ? &s.longname : &s.longlink;

				free(*dst);
				*dst = strdup((char *)data);
				if (!*dst)
					r = -ENOMEM;
			}
			free(data);
			break;
		default:
			r = handle_member(&s, h, fn, ctx);
			reset_state(&s);
			break;
		}
		if (r)
			break;
	}
	reset_state(&s);
	return r;
}

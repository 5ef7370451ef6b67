/* Modelled on git's strbuf with curl's dynbuf cap. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"
#include "util.h"

char strbuf_empty[1];

void
strbuf_init(struct strbuf *sb, size_t cap)
{
	sb->buf = strbuf_empty;
	sb->len = sb->alloc = 0;
	sb->cap = cap;
}

void
strbuf_release(struct strbuf *sb)
{
	if (sb->alloc)
		free(sb->buf);
	strbuf_init(sb, sb->cap);
}

char *
strbuf_detach(struct strbuf *sb, size_t *len)
{
	char *r;

	if (len)
		*len = sb->len;
	r = sb->alloc ? sb->buf : xstrdup("");
	strbuf_init(sb, sb->cap);
	return r;
}

void
strbuf_reset(struct strbuf *sb)
{
	strbuf_setlen(sb, 0);
}

void
strbuf_setlen(struct strbuf *sb, size_t len)
{
	if (!sb->alloc)
		return;
	if (len > sb->len)
		len = sb->len;
	sb->len = len;
	sb->buf[len] = '\0';
}

static int
grow(struct strbuf *sb, size_t extra)
{
	size_t want;

	if (extra > SIZE_MAX - sb->len - 1)
		return -1;
	if (sb->cap && sb->len + extra > sb->cap)
		return -1;
	want = sb->len + extra + 1;
	if (want <= sb->alloc)
		return 0;
	if (want < sb->alloc * 2)
		want = sb->alloc * 2;
	if (want < 64)
		want = 64;
	if (!sb->alloc) {
		sb->buf = xmalloc(want);
		sb->buf[0] = '\0';
	} else {
		sb->buf = xrealloc(sb->buf, want);
	}
	sb->alloc = want;
	return 0;
}

/* p may point into sb's own bytes ("append this line again"): growing
 * moves them, so the offset is kept, not the pointer. */
int
strbuf_add(struct strbuf *sb, const void *p, size_t n)
{
	uintptr_t at = (uintptr_t)p, b = (uintptr_t)sb->buf;
	int self = sb->alloc && at >= b && at < b + sb->alloc;
	size_t off = self ? (size_t)(at - b) : 0;

	if (grow(sb, n) < 0)
		return -1;
	if (self)
		p = sb->buf + off;
	if (n)
		memmove(sb->buf + sb->len, p, n);
	sb->len += n;
	if (sb->alloc)
		sb->buf[sb->len] = '\0';
	return 0;
}

int
strbuf_addstr(struct strbuf *sb, const char *s)
{
	return strbuf_add(sb, s, strlen(s));
}

int
strbuf_addch(struct strbuf *sb, int c)
{
	char ch = (char)c;

	/* the normaliser appends byte by byte: skip the general path */
	if (sb->len + 1 < sb->alloc && (!sb->cap || sb->len < sb->cap)) {
		sb->buf[sb->len++] = ch;
		sb->buf[sb->len] = '\0';
		return 0;
	}
	return strbuf_add(sb, &ch, 1);
}

int
strbuf_vaddf(struct strbuf *sb, const char *fmt, va_list ap)
{
	va_list cp;
	int n;

	va_copy(cp, ap);
	n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0 || grow(sb, (size_t)n) < 0)
		return -1;
	vsnprintf(sb->buf + sb->len, (size_t)n + 1, fmt, ap);
	sb->len += (size_t)n;
	return 0;
}

int
strbuf_addf(struct strbuf *sb, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = strbuf_vaddf(sb, fmt, ap);
	va_end(ap);
	return r;
}

void
strbuf_trim(struct strbuf *sb)
{
	size_t b = 0, e = sb->len;

	while (b < e && strchr(" \t\r\n\f\v", sb->buf[b]))
		b++;
	while (e > b && strchr(" \t\r\n\f\v", sb->buf[e - 1]))
		e--;
	if (!sb->alloc)
		return;
	memmove(sb->buf, sb->buf + b, e - b);
	sb->len = e - b;
	sb->buf[sb->len] = '\0';
}

/* Checks on composed messages shared by test_mail.c and test_mime.c. */
#ifndef CW_MAILCHECK_H
#define CW_MAILCHECK_H
#include <criterion/criterion.h>
#include <string.h>
#include <strings.h>

#include "strbuf.h"
#include "util.h"

/* The header section (up to the first empty line), unfolded. */
static inline void
headers_of(const char *msg, struct strbuf *out)
{
	const char *end = strstr(msg, "\r\n\r\n");
	const char *p;

	cr_assert(end, "no end of headers");
	for (p = msg; p < end + 2; p++) {
		if (p[0] == '\r' && p[1] == '\n' && (p[2] == ' ' || p[2] == '\t')) {
			p += 1;
			continue;
		}
		strbuf_addch(out, *p);
	}
}

/* Value of an unfolded header (first occurrence), or NULL. */
static inline char *
header(const char *hdrs, const char *name)
{
	const char *p = hdrs;
	size_t n = strlen(name);

	while (p && *p) {
		if (!strncasecmp(p, name, n) && p[n] == ':') {
			const char *v = p + n + 1, *e = strstr(v, "\r\n");

			while (*v == ' ')
				v++;
			return xstrndup(v, e ? (size_t)(e - v) : strlen(v));
		}
		p = strstr(p, "\r\n");
		if (p)
			p += 2;
	}
	return NULL;
}

static inline void
assert_lines_ok(const char *msg, size_t len, size_t max)
{
	size_t i, col = 0;

	for (i = 0; i < len; i++) {
		if (msg[i] == '\n') {
			cr_assert(i > 0 && msg[i - 1] == '\r', "bare LF at %zu", i);
			col = 0;
			continue;
		}
		if (msg[i] == '\r')
			cr_assert(i + 1 < len && msg[i + 1] == '\n', "bare CR at %zu", i);
		else if (++col > max)
			cr_assert_fail("line longer than %zu at %zu", max, i);
	}
}

static inline int
b64val(int c)
{
	const char *t = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const char *p = c ? strchr(t, c) : NULL;

	return p ? (int)(p - t) : -1;
}

static inline void
b64dec(struct strbuf *out, const char *s, size_t n)
{
	unsigned v = 0;
	int bits = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		int d = b64val(s[i]);

		if (d < 0)
			continue;
		v = (v << 6) | (unsigned)d;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			strbuf_addch(out, (int)((v >> bits) & 0xff));
		}
	}
}

/* Decode a header value made of =?UTF-8?B?...?= words (or plain text). */
static inline void
rfc2047_decode(struct strbuf *out, const char *v)
{
	const char *p = v;

	while (*p) {
		const char *s = strstr(p, "=?UTF-8?B?"), *e;

		if (!s) {
			strbuf_addstr(out, p);
			return;
		}
		/* whitespace between adjacent encoded words is dropped */
		if (s > p && strspn(p, " ") != (size_t)(s - p))
			strbuf_add(out, p, (size_t)(s - p));
		s += 10;
		e = strstr(s, "?=");
		cr_assert(e, "unterminated encoded word");
		cr_assert(e - s + 12 <= 75, "encoded word longer than 75");
		b64dec(out, s, (size_t)(e - s));
		p = e + 2;
	}
}

/* Every header line of a composed message: "Name: value" with one space,
 * never "Name:" alone (a fold before the first token reads back as
 * " value", e.g. "Message-ID:  <...>" on screen), continuation lines one
 * space then text. */
static inline void
assert_header_spacing(const char *msg)
{
	const char *end = strstr(msg, "\r\n\r\n"), *line, *e;

	cr_assert(end);
	for (line = msg; line < end + 2; line = e + 2) {
		const char *colon;

		e = strstr(line, "\r\n");
		if (*line == ' ' || *line == '\t') {
			cr_assert(line[1] != ' ' && line[1] != '\t' && line + 1 < e,
			    "continuation with extra space: %.*s", (int)(e - line), line);
			continue;
		}
		colon = memchr(line, ':', (size_t)(e - line));
		cr_assert(colon, "not a header: %.*s", (int)(e - line), line);
		cr_assert(colon + 1 < e, "empty first line: %.*s", (int)(e - line), line);
		cr_assert(colon[1] == ' ' && colon[2] != ' ' && colon[2] != '\t',
		    "not one space after the colon: %.*s", (int)(e - line), line);
	}
}

#endif

/* mime: RFC 5322/2045/2047 encodings (see mime.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/evp.h>

#include "mime.h"
#include "text.h"
#include "util.h"

#define HEADER_MAX_CHARS 300	/* titles beyond this are cut with an ellipsis */

void
mime_clean(struct strbuf *out, const char *in, size_t maxchars, int oneline)
{
	const unsigned char *s = (const unsigned char *)(in ? in : "");
	size_t n = strlen((const char *)s), i = 0, chars = 0, start = out->len;
	int space = 1;	/* drop leading spaces */

	while (i < n) {
		ucs4_t cp;
		int status;
		size_t l = text_u8_next((const char *)s + i, n - i, &cp, &status);

		if (chars >= maxchars) {
			/* cut at the last space when it is close */
			while (out->len > start && out->buf[out->len - 1] == ' ')
				strbuf_setlen(out, out->len - 1);
			strbuf_addstr(out, "\xe2\x80\xa6");
			return;
		}
		if (status != TEXT_U8_OK) {
			strbuf_addch(out, '?');
			i++, chars++, space = 0;
			continue;
		}
		if (cp == '\n' && !oneline) {
			while (out->len > start && out->buf[out->len - 1] == ' ')
				strbuf_setlen(out, out->len - 1);
			strbuf_addch(out, '\n');
			space = 1;
		} else if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0) ||
		    cp == 0x2028 || cp == 0x2029 || cp == 0xfeff || cp == ' ' ||
		    cp == 0xa0) {
			if (!space || !oneline)
				strbuf_addch(out, ' ');
			space = 1;
		} else {
			strbuf_add(out, s + i, l);
			space = 0;
		}
		i += l;
		chars++;
	}
	while (out->len > start && out->buf[out->len - 1] == ' ')
		strbuf_setlen(out, out->len - 1);
}

/* ---- encoders --------------------------------------------------------- */

/* OpenSSL's encoder, a line (wrap / 4 * 3 input bytes) at a time. */
void
mime_base64(struct strbuf *out, const void *data, size_t n, size_t wrap)
{
	const unsigned char *p = data;
	size_t chunk = wrap >= 4 ? wrap / 4 * 3 : n, i = 0;
	/* 4 characters per 3 bytes, and EVP_EncodeBlock's NUL */
	unsigned char *enc = xmalloc((chunk + 2) / 3 * 4 + 1);

	do {
		size_t k = n - i < chunk ? n - i : chunk;

		strbuf_add(out, enc, (size_t)EVP_EncodeBlock(enc, p + i, (int)k));
		i += k;
		if (wrap)
			strbuf_addstr(out, "\r\n");
	} while (i < n);
	free(enc);
}

void
mime_qp(struct strbuf *out, const char *text, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t i, col = 0;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)text[i];
		char tok[4];
		size_t tl;
		int eol = (i + 1 == n || text[i + 1] == '\n');

		if (c == '\n') {
			strbuf_addstr(out, "\r\n");
			col = 0;
			continue;
		}
		if ((c >= 33 && c <= 126 && c != '=') ||
		    ((c == ' ' || c == '\t') && !eol)) {
			tok[0] = (char)c;
			tl = 1;
		} else {
			tok[0] = '=';
			tok[1] = hex[c >> 4];
			tok[2] = hex[c & 15];
			tl = 3;
		}
		/* keep room for a soft break "=" unless this ends the line */
		if (col + tl > (eol ? 76 : 75)) {
			strbuf_addstr(out, "=\r\n");
			col = 0;
		}
		strbuf_add(out, tok, tl);
		col += tl;
	}
	if (col)
		strbuf_addstr(out, "\r\n");
}

/* ---- headers ---------------------------------------------------------- */

static int
is_plain_ascii(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s > 0x7e)
			return 0;
	return 1;
}

/* A word that cannot be folded below 78 columns: encode instead. */
static int
long_word(const char *s, size_t max)
{
	size_t run = 0;

	for (; *s; s++)
		if (*s == ' ')
			run = 0;
		else if (++run > max)
			return 1;
	return 0;
}

void
mime_header(struct strbuf *out, const char *name, const char *value)
{
	struct strbuf v = STRBUF_INIT;
	size_t col, i;

	mime_clean(&v, value, HEADER_MAX_CHARS, 1);
	strbuf_addf(out, "%s:", name);
	col = strlen(name) + 1;
	if (is_plain_ascii(v.buf) && !strstr(v.buf, "=?") && !long_word(v.buf, 70)) {
		/* fold at spaces, below 78 columns where the words allow */
		const char *p = v.buf;

		while (*p) {
			const char *e = strchr(p, ' ');
			size_t wl = e ? (size_t)(e - p) : strlen(p);

			if (col > strlen(name) + 1 && col + 1 + wl > 78) {
				strbuf_addstr(out, "\r\n");
				col = 0;
			}
			strbuf_addch(out, ' ');
			strbuf_add(out, p, wl);
			col += 1 + wl;
			p += wl;
			if (*p == ' ')
				p++;
		}
	} else {
		/* RFC 2047 B words of at most 45 octets (60 base64 characters,
		 * 72 with the wrapper), never splitting a UTF-8 sequence */
		i = 0;
		while (i < v.len) {
			size_t chunk = 0, max = 45, nl = strlen(name);

			/* the first word shares its line with "Name: " */
			if (!i)
				max = nl < 52 ? 3 * ((64 - nl) / 4) : 3;
			if (max > 45)
				max = 45;

			while (i + chunk < v.len) {
				ucs4_t cp;
				size_t l = text_u8_next(v.buf + i + chunk,
				    v.len - i - chunk, &cp, NULL);

				if (chunk + l > max && chunk)
					break;
				chunk += l;
			}
			if (i)
				strbuf_addstr(out, "\r\n");
			strbuf_addstr(out, " =?UTF-8?B?");
			mime_base64(out, v.buf + i, chunk, 0);
			strbuf_addstr(out, "?=");
			i += chunk;
		}
	}
	strbuf_addstr(out, "\r\n");
	strbuf_release(&v);
}

int
mime_address_ok(const char *a)
{
	const char *at;

	if (!a || !*a || strlen(a) > 254)
		return 0;
	if (!(at = strchr(a, '@')) || at == a || !at[1] || strchr(at + 1, '@'))
		return 0;
	for (; *a; a++) {
		unsigned char c = (unsigned char)*a;

		if (c <= 0x20 || c >= 0x7f || strchr("<>()[],;:\"\\", c))
			return 0;
	}
	return 1;
}

void
mime_address_header(struct strbuf *out, const char *name, const char *const *v, size_t n)
{
	size_t i, col = strlen(name) + 1;

	strbuf_addf(out, "%s:", name);
	for (i = 0; i < n; i++) {
		size_t l = strlen(v[i]) + (i + 1 < n);

		if (i && col + 1 + l > 78) {
			strbuf_addstr(out, "\r\n");
			col = 0;
		}
		strbuf_addf(out, " %s%s", v[i], i + 1 < n ? "," : "");
		col += 1 + l;
	}
	strbuf_addstr(out, "\r\n");
}

void
mime_msgid_part(struct strbuf *out, const char *s)
{
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '-')
			strbuf_addch(out, c);
		else
			strbuf_addf(out, "=%02X", c);
	}
}

/* The right-hand side of every Message-ID: the From address's domain, so
 * two installs mailing one list (same document ids, same team names, same
 * dates: the same keys) give different ids, and a list or mail service
 * that drops duplicate ids drops neither. Lower case (a domain's case does
 * not matter, an id's bytes do); made a dot-atom whatever the config holds
 * (mime_address_ok leaves only atext and dots, but dots may be doubled or
 * at an end). */
void
mime_msgid_domain(struct strbuf *out, const char *from)
{
	const char *p = from ? strrchr(from, '@') : NULL;
	size_t start = out->len;

	for (p = p ? p + 1 : ""; *p; p++) {
		unsigned char c = (unsigned char)*p;

		if (c == '.') {
			if (out->len > start && out->buf[out->len - 1] != '.')
				strbuf_addch(out, '.');
		} else if (c > 0x20 && c < 0x7f && !strchr("<>()[],;:\"\\@", c))
			strbuf_addch(out, c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
	}
	if (out->len > start && out->buf[out->len - 1] == '.')
		strbuf_setlen(out, out->len - 1);
	if (out->len == start)
		strbuf_addstr(out, "clausewatch.invalid");
}

void
mime_msgid(struct strbuf *out, const char *key, const char *from)
{
	const char *p = key, *dot;

	/* keep the key's dots as separators, escape each part */
	strbuf_addch(out, '<');
	while ((dot = strchr(p, '.'))) {
		struct strbuf part = STRBUF_INIT;

		strbuf_add(&part, p, (size_t)(dot - p));
		mime_msgid_part(out, part.buf);
		if (dot[1])
			strbuf_addch(out, '.');
		strbuf_release(&part);
		p = dot + 1;
	}
	mime_msgid_part(out, p);
	strbuf_addch(out, '@');
	mime_msgid_domain(out, from);
	strbuf_addch(out, '>');
}

/* A msg-id cannot be folded inside. Folding before it only moves the
 * same long token to a line of its own, and "Name:" CRLF SP "<id>" reads
 * back as " <id>" in parsers that keep the folding space (Python's email,
 * hence "Message-ID:  <...>" on screen). So it stays on the name's line,
 * past 78 columns if need be (RFC 5322 2.1.1: SHOULD), and folds only when
 * the 998-octet limit (MUST) forces it. */
void
mime_msgid_header(struct strbuf *out, const char *name, const char *id)
{
	strbuf_addf(out, "%s:%s%s\r\n", name,
	    strlen(name) + 2 + strlen(id) > 998 ? "\r\n " : " ", id);
}

void
mime_date_header(struct strbuf *out, time_t t)
{
	struct tm tm;
	char d[64];

	/* %a and %b are English in the C locale, which clausewatch never
	 * leaves (it calls no setlocale) */
	gmtime_r(&t, &tm);
	strftime(d, sizeof(d), "%a, %d %b %Y %H:%M:%S +0000", &tm);
	strbuf_addf(out, "Date: %s\r\n", d);
}

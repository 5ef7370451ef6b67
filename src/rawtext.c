/* A reading of the page's constructs that follows htmlParseContentInternal
 * in libxml2 2.9 (HTMLparser.c): a comment ends at the first "-->" or
 * "--!>" after "<!--"; "<!DOCTYPE" and a processing instruction at the
 * next '>'; an end tag at the next '>'; a start tag as htmlParseStartTag
 * reads its attributes (start_tag_end).  script and style hold raw text up
 * to "</" and their name, in any case, with nothing after it checked
 * (libxml2's recovery mode). */
#include <string.h>
#include <strings.h>

#include "rawtext.h"

#define DOUBT ((size_t)-1)

static int
is_letter(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int
is_name(char c)
{
	return is_letter(c) || (c >= '0' && c <= '9') || c == ':' || c == '-' ||
	    c == '_' || c == '.';
}

static int
is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* The first of s (n bytes) at or after from, or DOUBT. */
static size_t
find(const char *b, size_t len, size_t from, const char *s, size_t n)
{
	const char *p;

	if (from > len || !(p = memmem(b + from, len - from, s, n)))
		return DOUBT;
	return (size_t)(p - b);
}

/* After a comment opened at k: "--!>" looked for only before the first
 * "-->", or a page of comments would be read to its end for each. */
static size_t
comment_end(const char *b, size_t len, size_t k)
{
	size_t a = find(b, len, k + 4, "-->", 3), c;

	c = find(b, a == DOUBT ? len : a + 3, k + 4, "--!>", 4);
	if (a == DOUBT && c == DOUBT)
		return DOUBT;
	return a < c ? a + 3 : c + 4;
}

static int
is_name_start(char c)
{
	return is_letter(c) || c == '_' || c == ':' || c == '.';
}

/* At "/>", which ends a start tag as '>' does. */
static int
slash_gt(const char *b, size_t len, size_t j)
{
	return b[j] == '/' && j + 1 < len && b[j + 1] == '>';
}

/* The '>' that ends the start tag whose attributes begin at j, read as
 * htmlParseStartTag reads them: a name, then '=' and a value quoted or
 * up to a blank or '>'; what does not start a name is skipped to a blank,
 * '>' or "/>", quotes and all.  *empty when it ends with "/>", which makes
 * an empty element of any. */
static size_t
start_tag_end(const char *b, size_t len, size_t j, int *empty)
{
	const char *q;

	for (;;) {
		while (j < len && is_blank(b[j]))
			j++;
		if (j >= len)
			return DOUBT;
		*empty = b[j] == '/';	/* "/>" here, not a value's last '/' */
		if (b[j] == '>' || slash_gt(b, len, j))
			return b[j] == '>' ? j : j + 1;
		if (!is_name_start(b[j])) {
			while (j < len && !is_blank(b[j]) && b[j] != '>' && !slash_gt(b, len, j))
				j++;
			continue;
		}
		while (j < len && is_name(b[j]))
			j++;
		while (j < len && is_blank(b[j]))
			j++;
		if (j >= len || b[j] != '=')
			continue;
		for (j++; j < len && is_blank(b[j]); j++)
			;
		if (j < len && (b[j] == '"' || b[j] == '\'')) {
			if (!(q = memchr(b + j + 1, b[j], len - j - 1)))
				return DOUBT;
			j = (size_t)(q - b) + 1;
		} else {
			while (j < len && !is_blank(b[j]) && b[j] != '>')
				j++;
		}
	}
}

/* Where the raw text of name, from from, ends: at "</" and name (any
 * case) not followed by another name character.  At an end tag of a
 * longer name (</scriptx>) libxml2 stops its raw text loop and reads the
 * tag: an element of that name open before closes the script with it,
 * else the tag is ignored and the script goes on, and then an end tag
 * right after it is read as one too: doubt. */
static size_t
raw_end(const char *b, size_t len, size_t from, const char *name, size_t n)
{
	size_t j = from;

	for (; (j = find(b, len, j, "</", 2)) != DOUBT; j += 2) {
		if (len - j - 2 < n || strncasecmp(b + j + 2, name, n) != 0)
			continue;
		return j + 2 + n == len || !is_name(b[j + 2 + n]) ? j : DOUBT;
	}
	return DOUBT;
}

/* A start tag at k: after it, and in *cut the start of raw text to drop
 * up to the returned position (no cut: *cut == the return). */
static size_t
start_tag(const char *b, size_t len, size_t k, size_t *cut)
{
	static const char *const raw[] = { "script", "style" };
	size_t n, e, c, i;
	int empty;

	for (n = k + 1; n < len && is_name(b[n]); n++)
		;
	if ((e = start_tag_end(b, len, n, &empty)) == DOUBT)
		return DOUBT;
	*cut = e + 1;
	for (i = 0; i < sizeof(raw) / sizeof(*raw); i++) {
		if (n - k - 1 != strlen(raw[i]) ||
		    strncasecmp(b + k + 1, raw[i], n - k - 1) != 0)
			continue;
		if (empty || e + 1 >= len)
			return e + 1;
		c = raw_end(b, len, e + 1, raw[i], n - k - 1);
		if (c == e + 1)
			return c;	/* no content: <script src=...></script> */
		/* another '<' first: libxml2 may read a tag there, or not */
		return b[e + 1] == '<' ? DOUBT : c;
	}
	return e + 1;
}

/* After a DOCTYPE at k.  One in the content is read and then, in the same
 * turn of libxml2's loop, a '<' after it only as a comment, a processing
 * instruction or a start tag (else as text): anything else right after
 * it is in doubt. */
static size_t
doctype_end(const char *b, size_t len, size_t k)
{
	size_t e = find(b, len, k, ">", 1);

	if (e == DOUBT || memchr(b + k, '"', e - k) || memchr(b + k, '\'', e - k))
		return DOUBT;
	if (e + 1 < len && b[e + 1] == '<' && !(e + 2 < len && (b[e + 2] == '?' ||
	    is_letter(b[e + 2]) || (len - e - 1 >= 4 && !memcmp(b + e + 1, "<!--", 4)))))
		return DOUBT;
	return e + 1;
}

/* The construct at '<' k: where reading goes on, DOUBT to stop, and the
 * raw text to drop in [*cut, return). */
static size_t
construct(const char *b, size_t len, size_t k, size_t *cut)
{
	size_t e;

	*cut = DOUBT;
	if (k + 1 >= len)
		return len;
	if (len - k >= 4 && memcmp(b + k, "<!--", 4) == 0)
		return comment_end(b, len, k);
	if (b[k + 1] == '!' && len - k >= 9 && strncasecmp(b + k + 2, "DOCTYPE", 7) == 0)
		return doctype_end(b, len, k);
	if (b[k + 1] == '?' && (k + 2 >= len || !is_letter(b[k + 2])))
		return DOUBT;
	/* an end tag without a name: libxml2 reads "</" only */
	if (b[k + 1] == '/' && (k + 2 >= len || !is_name_start(b[k + 2])))
		return k + 2;
	if (b[k + 1] == '?' || b[k + 1] == '/') {
		e = find(b, len, k, ">", 1);
		return e == DOUBT ? DOUBT : e + 1;
	}
	if (is_letter(b[k + 1]))
		return start_tag(b, len, k, cut);
	return k + 1;
}

size_t
rawtext_strip(char *buf, size_t len)
{
	size_t i = 0, w = 0, k, next, cut;
	const char *lt;

	if (memchr(buf, 0, len))
		return len;	/* the parser stops at a NUL byte */
	while (i < len && (lt = memchr(buf + i, '<', len - i))) {
		k = (size_t)(lt - buf);
		if ((next = construct(buf, len, k, &cut)) == DOUBT)
			break;
		if (cut == DOUBT)
			cut = next;
		if (w != i)
			memmove(buf + w, buf + i, cut - i);
		w += cut - i;
		i = next;
	}
	if (w != i)
		memmove(buf + w, buf + i, len - i);
	return w + len - i;
}

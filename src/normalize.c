/* normalize: fetched bytes -> stable Markdown.
 *
 * HTML goes: charset detection and iconv to UTF-8 (charset.c), libxml2's
 * HTML parser, a pass that drops noise (scripts, navigation, hidden and
 * decorative elements), `remove` then `select` by XPath (CSS translated in
 * css.c), or in auto mode a guess at the main block, then one walk that
 * writes Markdown, then the text normal form shared with normalize_text.
 * The parse and the walk stay within the page's memory budget
 * (PAGE_BUDGET_FACTOR): a page over it fails.
 *
 * Decisions that shape the output (the store diffs these bytes):
 * - Emphasis (b, strong, i, em, u, span, font...) is dropped, so that a
 *   re-styling is not a change.  Images are dropped.
 * - Links print as [text](url) with the URL resolved against the base,
 *   tracking parameters removed (text_is_tracking_param), and the fragment
 *   kept: a fragment on another page names a section of it.  Links to the
 *   same page (a bare "#x", or the base URL plus a fragment) are in-page
 *   navigation and print as their text only, as do javascript:, data: and
 *   vbscript: links.  mailto: links are percent-decoded and lose their
 *   ?subject=...; Cloudflare's obfuscated addresses are decoded.  A link
 *   whose text is its URL (or its address) prints the URL once.
 * - header and footer are dropped when they are page banners; inside
 *   article, main or section they are the document's own heading block
 *   (title, "last updated") and are kept, as ARIA defines the banner role.
 * - Tables with one column, or with paragraphs, lists, headings or tables
 *   inside cells, are layout: their cells render as blocks.  Others render
 *   as pipe tables, the first row being the header row.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#include <libxml/uri.h>
#include <libxml/xpath.h>
#include <uninorm.h>
#include <unistr.h>

#include "charset.h"
#include "css.h"
#include "normalize.h"
#include "text.h"
#include "util.h"
#include "rawtext.h"
#include "xmlmem.h"

/* ------------------------------------------------------------------ */
/* Text normal form                                                     */

/* Decode one code point (the text was sanitised: valid UTF-8). */
static uint32_t
u8next(const unsigned char *s, size_t n, size_t *len)
{
	ucs4_t c;

	*len = text_u8_next((const char *)s, n, &c, NULL);
	return c;
}

static int
is_break(uint32_t c)
{
	return c == '\r' || c == '\n' || c == 0x2028 || c == 0x2029 || c == 0x85;
}

/* Blanks within a line: U+3000 too, in Chinese typesetting it indents or
 * pads, it is not text; full-width punctuation is left alone.  The
 * zero-width ones are removed, not blanks. */
static int
is_blank(uint32_t c)
{
	return !is_break(c) && c != 0x200B && c != 0xFEFF && text_is_space(c);
}

static int
is_invisible(uint32_t c)
{
	return (c >= 0x200B && c <= 0x200D) || c == 0x2060 || c == 0xFEFF ||
	    c == 0xAD || (c < 0x20 && c != '\t' && c != '\n' && c != '\r') ||
	    (c >= 0x7F && c < 0xA0);
}

static uint32_t
map_quote(uint32_t c)
{
	if (c >= 0x2018 && c <= 0x201B)
		return '\'';
	if (c >= 0x201C && c <= 0x201F)
		return '"';
	return c;
}

/* What an ASCII byte is to the normal form, so the hot loops test a table
 * instead of calling the Unicode classes (which say the same for ASCII). */
enum { A_TEXT, A_BLANK, A_BREAK, A_INVISIBLE };

#define TX A_TEXT
#define BL A_BLANK
#define BR A_BREAK
#define IN A_INVISIBLE
static const unsigned char ascii_class[128] = {
	IN, IN, IN, IN, IN, IN, IN, IN,	/* 00 */
	IN, BL, BR, BL, BL, BR, IN, IN,	/* 08 */
	IN, IN, IN, IN, IN, IN, IN, IN,	/* 10 */
	IN, IN, IN, IN, IN, IN, IN, IN,	/* 18 */
	BL, TX, TX, TX, TX, TX, TX, TX,	/* 20 */
	TX, TX, TX, TX, TX, TX, TX, TX,	/* 28 */
	TX, TX, TX, TX, TX, TX, TX, TX,	/* 30 */
	TX, TX, TX, TX, TX, TX, TX, TX,	/* 38 */
	TX, TX, TX, TX, TX, TX, TX, TX,	/* 40 */
	TX, TX, TX, TX, TX, TX, TX, TX,	/* 48 */
	TX, TX, TX, TX, TX, TX, TX, TX,	/* 50 */
	TX, TX, TX, TX, TX, TX, TX, TX,	/* 58 */
	TX, TX, TX, TX, TX, TX, TX, TX,	/* 60 */
	TX, TX, TX, TX, TX, TX, TX, TX,	/* 68 */
	TX, TX, TX, TX, TX, TX, TX, TX,	/* 70 */
	TX, TX, TX, TX, TX, TX, TX, IN,	/* 78 */
};
#undef TX
#undef BL
#undef BR
#undef IN

/* The class of the character at s (its length in *cl, its code point in
 * *cp): A_TEXT for what is written. */
static int
char_class(const unsigned char *s, size_t n, size_t *cl, uint32_t *cp)
{
	uint32_t c;

	if (*s < 0x80) {
		*cl = 1;
		*cp = *s;
		return ascii_class[*s];
	}
	*cp = c = u8next(s, n, cl);
	if (is_break(c))
		return A_BREAK;
	if (is_blank(c))
		return A_BLANK;
	return is_invisible(c) ? A_INVISIBLE : A_TEXT;
}

/* A line's start: the blank line before it, if one was seen, and its
 * indentation. */
static int
open_line(struct strbuf *out, int blank, size_t indent)
{
	static const char spaces[] = "                                ";

	if (blank && strbuf_addch(out, '\n') < 0)
		return -1;
	while (indent) {
		size_t k = indent < sizeof(spaces) - 1 ? indent : sizeof(spaces) - 1;

		if (strbuf_add(out, spaces, k) < 0)
			return -1;
		indent -= k;
	}
	return 0;
}

/* A byte the loops copy as it is (the table's A_TEXT: 0x21..0x7E). */
static int
ascii_text(unsigned char c)
{
	return c < 0x80 && ascii_class[c] == A_TEXT;
}

/* Whether the byte at i goes on a run of plain ASCII: text, or (if spaces)
 * a single space before text, which the loops would write as it is. */
static int
ascii_in_run(const unsigned char *s, size_t i, size_t len, int spaces)
{
	return i < len && (ascii_text(s[i]) || (spaces && s[i] == ' ' &&
	    i + 1 < len && ascii_text(s[i + 1])));
}

/* Prose is mostly such runs, and testing them a byte at a time was the
 * largest cost of normalising a page (issue 15): 8 bytes are tested at
 * once in the lanes of a uint64_t.  Each lane is taken to 7 bits before
 * a constant of at most 0x80 is added, so no sum carries into the next
 * lane: the test is exact for every byte, in either byte order. */
#define LANES(b) ((uint64_t)(b) * 0x0101010101010101u)

/* The lanes of w (their 0x80 bit) holding text, 0x21..0x7E; *sp gets
 * those holding a space. */
static uint64_t
word_text(uint64_t w, uint64_t *sp)
{
	uint64_t x = w & LANES(0x7f), ascii = ~w & LANES(0x80);

	/* x ^ 0x20 is 0 only for a space; + 0x7f sets the bit for any other */
	*sp = ascii & ~((x ^ LANES(0x20)) + LANES(0x7f)) & LANES(0x80);
	/* + 0x5f sets the bit from 0x21 on, + 0x01 only for 0x7F (DEL) */
	return ascii & (x + LANES(0x5f)) & ~(x + LANES(0x01)) & LANES(0x80);
}

/* ascii_in_run for each of the 8 bytes from i (i + 8 <= len), together:
 * if it is false, the run ends within these 8 bytes. */
static int
word_in_run(const unsigned char *s, size_t i, size_t len, int spaces)
{
	uint64_t w, text, sp;

	memcpy(&w, s + i, 8);
	text = word_text(w, &sp);
	if (text == LANES(0x80))
		return 1;
	/* lanes next to each other are bytes next to each other in either
	 * byte order: sp & sp >> 8 is a double space */
	if (!spaces || (text | sp) != LANES(0x80) || (sp & (sp >> 8)))
		return 0;
	/* a space in the last byte needs text after it: that byte is read
	 * from memory, as the last lane depends on the byte order */
	return s[i + 7] != ' ' || (i + 8 < len && ascii_text(s[i + 8]));
}

#undef LANES

/* The end of the run of plain ASCII from i (ascii_in_run), with the
 * single spaces between its words if spaces: what the loops would write
 * for them one by one.  Whole words while they are in the run, then the
 * bytes of the word where it ends. */
static size_t
ascii_run_end(const unsigned char *s, size_t i, size_t len, int spaces)
{
	while (len - i >= 8 && word_in_run(s, i, len, spaces))
		i += 8;
	while (ascii_in_run(s, i, len, spaces))
		i++;
	return i;
}

/* Valid, NFC UTF-8 -> out in normal form.  Leading indentation is kept
 * (tab = to the next multiple of 4): it carries Markdown list nesting.
 * One pass; a run of plain ASCII is copied at once. */
static int
nf_lines(const char *buf, size_t len, struct strbuf *out)
{
	const unsigned char *s = (const unsigned char *)buf;
	size_t i = 0, cl, run, indent = 0, start = out->len;
	int lead = 1, sp = 0, started = 0, blank = 0, emitted = 0;
	uint32_t c;
	uint8_t enc[6];

	while (i < len) {
		switch (char_class(s + i, len - i, &cl, &c)) {
		case A_BREAK:
			i += cl;
			if (c == '\r' && i < len && s[i] == '\n')
				i++;
			if (started) {
				if (strbuf_addch(out, '\n') < 0)
					goto toolarge;
				emitted = 1;
				blank = 0;
			} else if (emitted) {
				blank = 1;
			}
			started = 0;
			lead = 1;
			sp = 0;
			indent = 0;
			continue;
		case A_BLANK:
			i += cl;
			if (lead)
				indent = c == '\t' ? (indent / 4 + 1) * 4 : indent + 1;
			else
				sp = 1;
			continue;
		case A_INVISIBLE:
			i += cl;
			continue;
		}
		if (!started) {
			if (open_line(out, blank, indent) < 0)
				goto toolarge;
			started = 1;
			lead = 0;
		} else if (sp) {
			if (strbuf_addch(out, ' ') < 0)
				goto toolarge;
		}
		sp = 0;
		if (c < 0x80) {
			/* the printable ASCII that follows, with the single
			 * spaces between its words (what the loop would write
			 * for them), in one copy */
			run = ascii_run_end(s, i + 1, len, 1);
			if (strbuf_add(out, s + i, run - i) < 0)
				goto toolarge;
			i = run;
			continue;
		}
		i += cl;
		c = map_quote(c);
		if (strbuf_add(out, enc, (size_t)u8_uctomb(enc, c, sizeof(enc))) < 0)
			goto toolarge;
	}
	if (started && strbuf_addch(out, '\n') < 0)
		goto toolarge;
	return 0;
toolarge:
	strbuf_setlen(out, start);
	util_seterr("normalised text larger than %zu bytes", out->cap);
	return -1;
}

/* Characters NFC leaves alone whatever surrounds them: starters without a
 * canonical decomposition that never compose with a neighbour (ASCII, CJK
 * punctuation but its combining tone marks, unified ideographs, full-width
 * forms). Most agreement text is made of them, so it skips u8_normalize. */
static int
nfc_inert(const unsigned char *p, size_t *len)
{
	uint32_t cp;

	if (p[0] < 0x80) {
		*len = 1;
		return 1;
	}
	if ((p[0] & 0xe0) == 0xc0) {
		*len = 2;
		return 0;
	}
	if ((p[0] & 0xf0) == 0xe0) {
		*len = 3;
		cp = (uint32_t)(p[0] & 0x0f) << 12 | (uint32_t)(p[1] & 0x3f) << 6 | (p[2] & 0x3f);
		return (cp >= 0x3000 && cp <= 0x303f && !(cp >= 0x302a && cp <= 0x302f)) ||
		    (cp >= 0x4e00 && cp <= 0x9fff) || (cp >= 0xff00 && cp <= 0xffef);
	}
	*len = 4;
	return 0;
}

/* NFC of valid UTF-8, normalising only the stretches that can change: a
 * stretch of other characters together with the inert one before it (a
 * base its combining marks may join); an inert character after a stretch
 * cannot interact with it. */
static int
nfc(const char *buf, size_t len, struct strbuf *out)
{
	const unsigned char *p = (const unsigned char *)buf;
	size_t i = 0, n, start, last = 0, copied = 0, nlen;
	uint8_t *seg;
	int r;

	while (i < len) {
		if ((n = text_ascii_len(buf + i, len - i))) {
			i += n;
			last = i - 1;
			continue;
		}
		if (nfc_inert(p + i, &n)) {
			last = i;
			i += n;
			continue;
		}
		start = i ? last : 0;	/* the inert character just before */
		while (i < len && !nfc_inert(p + i, &n))
			i += n;
		nlen = 0;
		seg = u8_normalize(UNINORM_NFC, p + start, i - start, NULL, &nlen);
		if (!seg)
			return -1;
		r = strbuf_add(out, buf + copied, start - copied) < 0 ||
		    strbuf_add(out, seg, nlen) < 0 ? -1 : 0;
		free(seg);
		if (r < 0)
			return -1;
		copied = i;
	}
	return strbuf_add(out, buf + copied, len - copied);
}

/* Any bytes -> normal form: invalid UTF-8 -> U+FFFD, NFC, then lines. */
static int
nf(const char *buf, size_t len, struct strbuf *out)
{
	struct strbuf clean = STRBUF_INIT, norm = STRBUF_INIT;
	int r;

	/* Invalid bytes, and a sequence cut short at the end, -> U+FFFD. */
	charset_utf8_sanitize(buf, len, &clean);
	if (nfc(clean.buf, clean.len, &norm) < 0)
		r = nf_lines(clean.buf, clean.len, out);
	else
		r = nf_lines(norm.buf, norm.len, out);
	strbuf_release(&norm);
	strbuf_release(&clean);
	return r;
}

int
normalize_text(const char *buf, size_t len, struct strbuf *out)
{
	return nf(buf, len, out);
}

/* ------------------------------------------------------------------ */
/* Sniffing                                                             */

static int
ends_with(const char *s, size_t n, const char *suf)
{
	size_t k = strlen(suf);

	return n >= k && strncasecmp(s + n - k, suf, k) == 0;
}

int
normalize_is_html(const char *name, const char *content_type,
    const char *buf, size_t len)
{
	static const char *const tags[] = { "<!doctype html", "<html",
	    "<head", "<body" };
	size_t i, n;

	if (name) {
		n = strcspn(name, "?#");
		if (ends_with(name, n, ".html") || ends_with(name, n, ".htm") ||
		    ends_with(name, n, ".xhtml"))
			return 1;
	}
	if (content_type) {
		n = strcspn(content_type, ";");
		while (n && isspace((unsigned char)content_type[n - 1]))
			n--;
		while (n && isspace((unsigned char)*content_type))
			content_type++, n--;
		if ((n == 9 && strncasecmp(content_type, "text/html", 9) == 0) ||
		    (n == 21 && strncasecmp(content_type,
		    "application/xhtml+xml", 21) == 0))
			return 1;
	}
	if (!buf)
		return 0;
	if (len > 512)
		len = 512;
	i = 0;
	if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
		i = 3;
	for (;;) {
		const char *e;

		while (i < len && isspace((unsigned char)buf[i]))
			i++;
		/* Skip an XML declaration and comments before the tag. */
		if (len - i >= 2 && buf[i] == '<' &&
		    (buf[i + 1] == '?' || (len - i >= 4 &&
		    memcmp(buf + i, "<!--", 4) == 0)) &&
		    (e = memchr(buf + i, '>', len - i)) != NULL) {
			i = (size_t)(e - buf) + 1;
			continue;
		}
		break;
	}
	for (n = 0; n < sizeof(tags) / sizeof(tags[0]); n++) {
		size_t k = strlen(tags[n]);

		if (len - i >= k && strncasecmp(buf + i, tags[n], k) == 0 &&
		    (len - i == k || !isalnum((unsigned char)buf[i + k])))
			return 1;
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* Selectors                                                            */

static int
is_xpath(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s[0] == '/' || s[0] == '(' || (s[0] == '.' && s[1] == '/');
}

static void
xpath_quiet(void *ctx, xmlErrorPtr err)
{
	(void)ctx;
	(void)err;
}

/* A range selector, Open Terms Archive's range object in one line:
 *   range(startBefore: SEL; endBefore: SEL)
 * with startAfter/endAfter for the other sides; the end may be left out
 * (to the end of the document).  SEL is CSS or XPath.  The points are
 * split at ';' outside quotes, brackets and parentheses. */
struct range {
	char *start, *end;	/* selectors; end may be NULL */
	int start_after, end_after;
};

static void
range_free(struct range *rg)
{
	free(rg->start);
	free(rg->end);
}

/* Whether sel is written as a range (then range_parse must succeed). */
static int
is_range(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	if (strncasecmp(s, "range", 5) != 0)
		return 0;
	s += 5;
	while (*s == ' ' || *s == '\t')
		s++;
	return *s == '(';
}

static int
range_part(const char *sel, const char *p, size_t n, struct range *rg)
{
	static const struct {
		const char *name;
		int end, after;
	} keys[] = {
		{ "startBefore", 0, 0 }, { "startAfter", 0, 1 },
		{ "endBefore", 1, 0 }, { "endAfter", 1, 1 },
	};
	size_t i, k;
	char **dst;

	while (n && isspace((unsigned char)*p))
		p++, n--;
	while (n && isspace((unsigned char)p[n - 1]))
		n--;
	if (!n)
		return 0;	/* "range(startBefore: h1;)" */
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		k = strlen(keys[i].name);
		if (n > k && strncasecmp(p, keys[i].name, k) == 0 &&
		    (p[k] == ':' || isspace((unsigned char)p[k])))
			break;
	}
	if (i == sizeof(keys) / sizeof(keys[0])) {
		util_seterr("range '%s': expected startBefore, startAfter, "
		    "endBefore or endAfter at '%.*s'", sel, (int)n, p);
		return -1;
	}
	p += k, n -= k;
	while (n && isspace((unsigned char)*p))
		p++, n--;
	if (!n || *p != ':') {
		util_seterr("range '%s': expected ':' after %s", sel,
		    keys[i].name);
		return -1;
	}
	p++, n--;
	while (n && isspace((unsigned char)*p))
		p++, n--;
	if (!n) {
		util_seterr("range '%s': %s has no selector", sel,
		    keys[i].name);
		return -1;
	}
	dst = keys[i].end ? &rg->end : &rg->start;
	if (*dst) {
		util_seterr("range '%s': more than one %s point", sel,
		    keys[i].end ? "end" : "start");
		return -1;
	}
	*dst = xstrndup(p, n);
	if (keys[i].end)
		rg->end_after = keys[i].after;
	else
		rg->start_after = keys[i].after;
	return 0;
}

static int
range_parse(const char *sel, struct range *rg)
{
	const char *p = sel, *close, *part;
	char quote = 0;
	int depth = 0;

	memset(rg, 0, sizeof(*rg));
	while (*p == ' ' || *p == '\t')
		p++;
	p = strchr(p, '(') + 1;		/* is_range said it is there */
	close = p + strlen(p);
	while (close > p && isspace((unsigned char)close[-1]))
		close--;
	if (close == p || close[-1] != ')') {
		/* git-config cut the value at an unquoted ';' or '#' */
		util_seterr("range '%s': no closing ')' (quote a watchlist value "
		    "that holds ';' or '#')", sel);
		return -1;
	}
	close--;
	for (part = p; p < close; p++) {
		if (quote) {
			if (*p == '\\' && p + 1 < close)
				p++;
			else if (*p == quote)
				quote = 0;
		} else if (*p == '"' || *p == '\'') {
			quote = *p;
		} else if (*p == '[' || *p == '(') {
			depth++;
		} else if (*p == ']' || *p == ')') {
			depth--;
		} else if (*p == ';' && depth == 0) {
			if (range_part(sel, part, (size_t)(p - part), rg) < 0)
				goto fail;
			part = p + 1;
		}
	}
	if (quote || depth) {
		util_seterr("range '%s': unbalanced %s", sel,
		    quote ? "quotes" : "brackets");
		goto fail;
	}
	if (range_part(sel, part, (size_t)(close - part), rg) < 0)
		goto fail;
	if (!rg->start) {
		util_seterr("range '%s': needs startBefore or startAfter", sel);
		goto fail;
	}
	return 0;
fail:
	range_free(rg);
	return -1;
}

static int point_to_xpath(const char *sel, struct strbuf *out, xmlXPathContextPtr ctx,
    xmlXPathCompExprPtr *compiled);

int
normalize_css_to_xpath(const char *sel, struct strbuf *out)
{
	struct range rg;
	size_t start = out->len;
	int r = -1;

	if (!is_range(sel))
		return point_to_xpath(sel, out, NULL, NULL);
	/* Not one XPath: the range with its points translated, which is
	 * what check needs (the syntax is valid) and what -v can show. */
	if (range_parse(sel, &rg) < 0)
		return -1;
	strbuf_addf(out, "range(%s: ", rg.start_after ? "startAfter" :
	    "startBefore");
	if (point_to_xpath(rg.start, out, NULL, NULL) < 0) {
		util_seterr("range '%s': %s", sel, util_err());
		goto cleanup;
	}
	if (rg.end) {
		strbuf_addf(out, "; %s: ", rg.end_after ? "endAfter" :
		    "endBefore");
		if (point_to_xpath(rg.end, out, NULL, NULL) < 0) {
			util_seterr("range '%s': %s", sel, util_err());
			goto cleanup;
		}
	}
	if (strbuf_addch(out, ')') < 0) {
		util_seterr("selector '%s' too long", sel);
		goto cleanup;
	}
	r = 0;
cleanup:
	if (r < 0)
		strbuf_setlen(out, start);
	range_free(&rg);
	return r;
}

/* xp compiled in ctx (NULL: a context made for it), or NULL when it does
 * not compile. */
static xmlXPathCompExprPtr
xpath_compile(xmlXPathContextPtr ctx, const char *xp)
{
	xmlXPathContextPtr own = NULL;
	xmlXPathCompExprPtr comp;

	if (!ctx && !(ctx = own = xmlXPathNewContext(NULL)))
		return NULL;
	ctx->error = xpath_quiet;
	comp = xmlXPathCtxtCompile(ctx, (const xmlChar *)xp);
	xmlXPathFreeContext(own);
	return comp;
}

/* sel as XPath, appended to out, checked by compiling it in ctx (NULL: a
 * context of its own); the compiled expression to *compiled when asked,
 * so that the caller evaluates it without compiling it again. */
static int
point_to_xpath(const char *sel, struct strbuf *out, xmlXPathContextPtr ctx,
    xmlXPathCompExprPtr *compiled)
{
	size_t start = out->len;
	xmlXPathCompExprPtr comp;

	if (!is_xpath(sel)) {
		if (css_to_xpath(sel, out) < 0)
			return -1;
		/* a name CSS allows but XPath does not (bytes that are not
		 * name characters): refused here, by check, not at run time */
		if (!(comp = xpath_compile(ctx, out->buf + start))) {
			util_seterr("selector '%s': not a name XPath can match", sel);
			strbuf_setlen(out, start);
			return -1;
		}
	} else {
		if (!(comp = xpath_compile(ctx, sel))) {
			util_seterr("bad XPath '%s'", sel);
			return -1;
		}
		if (strbuf_addstr(out, sel) < 0) {
			xmlXPathFreeCompExpr(comp);
			strbuf_setlen(out, start);
			util_seterr("selector '%s' too long", sel);
			return -1;
		}
	}
	if (compiled)
		*compiled = comp;
	else
		xmlXPathFreeCompExpr(comp);
	return 0;
}

/* Evaluate a selector on doc; the result is a node set (maybe empty). */
static int
select_nodes(xmlDocPtr doc, const char *sel, xmlXPathObjectPtr *res)
{
	struct strbuf xp = STRBUF_INIT;
	xmlXPathContextPtr ctx = NULL;
	xmlXPathCompExprPtr comp = NULL;
	int r = -1;

	*res = NULL;
	if (!(ctx = xmlXPathNewContext(doc))) {
		util_seterr("out of memory evaluating '%s'", sel);
		goto cleanup;
	}
	ctx->error = xpath_quiet;
	ctx->node = (xmlNodePtr)doc;
	/* checked and compiled once, in the context it runs in */
	if (point_to_xpath(sel, &xp, ctx, &comp) < 0)
		goto cleanup;
	*res = xmlXPathCompiledEval(comp, ctx);
	if (!*res) {
		util_seterr("selector '%s' failed to evaluate", sel);
		goto cleanup;
	}
	if ((*res)->type != XPATH_NODESET) {
		util_seterr("selector '%s' does not select elements", sel);
		xmlXPathFreeObject(*res);
		*res = NULL;
		goto cleanup;
	}
	r = 0;
cleanup:
	xmlXPathFreeCompExpr(comp);
	xmlXPathFreeContext(ctx);
	strbuf_release(&xp);
	return r;
}

/* ------------------------------------------------------------------ */
/* Tree helpers                                                         */

static int
name_in(const xmlChar *name, const char *const *list)
{
	/* the first letter first: every element of a page is looked up in
	 * lists of thirty names */
	for (; *list; list++)
		if (name[0] == (unsigned char)**list &&
		    strcmp((const char *)name, *list) == 0)
			return 1;
	return 0;
}

static const char *const drop_names[] = {
	"script", "style", "noscript", "template", "svg", "iframe", "nav",
	"form", "button", "select", "input", "dialog", "textarea", "object",
	"embed", "canvas", "audio", "video", "picture", "img", "map", "math",
	"head", "title", "meta", "link", "base", "frameset", "frame",
	"option", "datalist", "progress", "meter", NULL
};

static const char *const block_names[] = {
	"p", "div", "section", "article", "main", "aside", "address",
	"center", "dl", "figure", "figcaption", "details", "summary",
	"fieldset", "legend", "body", "html", "caption", "header", "footer",
	"hgroup", "tbody", "thead", "tfoot", "tr", "td", "th", "table",
	"noframes", "search", NULL
};

static int
is_elem(xmlNodePtr n, const char *name)
{
	return n->type == XML_ELEMENT_NODE &&
	    strcmp((const char *)n->name, name) == 0;
}

static const char *
attr(xmlNodePtr n, const char *name)
{
	xmlAttrPtr a;

	for (a = n->properties; a; a = a->next)
		if (a->type == XML_ATTRIBUTE_NODE &&
		    strcasecmp((const char *)a->name, name) == 0) {
			if (a->children && a->children->type == XML_TEXT_NODE &&
			    !a->children->next)
				return a->children->content ?
				    (const char *)a->children->content : "";
			return "";
		}
	return NULL;
}

static int
is_hidden(xmlNodePtr n)
{
	const char *v;
	char buf[64];
	size_t i, k;

	if (attr(n, "hidden"))
		return 1;
	if ((v = attr(n, "aria-hidden")) && strcasecmp(v, "true") == 0)
		return 1;
	if (!(v = attr(n, "style")))
		return 0;
	/* Squeeze out blanks and lower-case, a declaration at a time. */
	while (*v) {
		for (i = k = 0; v[i] && v[i] != ';'; i++)
			if (!isspace((unsigned char)v[i]) && k + 1 < sizeof(buf))
				buf[k++] = (char)tolower((unsigned char)v[i]);
		buf[k] = '\0';
		if (strncmp(buf, "display:none", 12) == 0 ||
		    strncmp(buf, "visibility:hidden", 17) == 0)
			return 1;
		v += i;
		if (*v)
			v++;
	}
	return 0;
}

/* header/footer outside article/main/section are the page's banner. */
static int
is_banner(xmlNodePtr n)
{
	xmlNodePtr p;

	if (!is_elem(n, "header") && !is_elem(n, "footer"))
		return 0;
	for (p = n->parent; p && p->type == XML_ELEMENT_NODE; p = p->parent)
		if (is_elem(p, "article") || is_elem(p, "main") ||
		    is_elem(p, "section"))
			return 0;
	return 1;
}

static size_t
text_len(xmlNodePtr n)
{
	size_t t = 0;

	for (n = n->children; n; n = n->next) {
		if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE)
			t += n->content ? strlen((const char *)n->content) : 0;
		else if (n->type == XML_ELEMENT_NODE)
			t += text_len(n);
	}
	return t;
}

static int
has_elem(xmlNodePtr n, const char *const *names)
{
	for (n = n->children; n; n = n->next)
		if (n->type == XML_ELEMENT_NODE &&
		    (name_in(n->name, names) || has_elem(n, names)))
			return 1;
	return 0;
}

static int
contains_ci(const char *s, const char *w)
{
	size_t k = strlen(w);

	for (; s && *s; s++)
		if (strncasecmp(s, w, k) == 0)
			return 1;
	return 0;
}

/* A cookie/consent banner (auto mode): small, and not the content. */
static int
is_consent(xmlNodePtr n)
{
	static const char *const words[] = { "cookie", "consent", "gdpr",
	    "banner", NULL };
	static const char *const keep[] = { "html", "body", "main", "article",
	    NULL };
	const char *cls = attr(n, "class"), *id = attr(n, "id");
	const char *const *w;
	int hit = 0;

	if (!cls && !id)
		return 0;
	for (w = words; *w && !hit; w++)
		hit = contains_ci(cls, *w) || contains_ci(id, *w);
	if (!hit || name_in(n->name, keep) || has_elem(n, keep))
		return 0;
	return text_len(n) < 4000;
}

static void
drop(xmlNodePtr n)
{
	xmlUnlinkNode(n);
	xmlFreeNode(n);
}

/* Remove what is never document text. */
static void
prune(xmlNodePtr node, int automode)
{
	xmlNodePtr c, next;

	for (c = node->children; c; c = next) {
		next = c->next;
		switch (c->type) {
		case XML_ELEMENT_NODE:
			if (name_in(c->name, drop_names) || is_hidden(c) ||
			    is_banner(c) || (automode && is_consent(c)))
				drop(c);
			else
				prune(c, automode);
			break;
		case XML_TEXT_NODE:
		case XML_CDATA_SECTION_NODE:
		case XML_ENTITY_REF_NODE:
			break;
		default:
			drop(c);
			break;
		}
	}
}

/* Readability-style text score: text in paragraphs, list items and
 * cells, link text not counted. */
static size_t
score(xmlNodePtr n, int inpara)
{
	static const char *const para[] = { "p", "li", "td", "th", "dd",
	    "pre", "blockquote", NULL };
	size_t t = 0;

	for (n = n->children; n; n = n->next) {
		if (n->type == XML_TEXT_NODE) {
			if (inpara && n->content)
				t += strlen((const char *)n->content);
		} else if (n->type == XML_ELEMENT_NODE && !is_elem(n, "a")) {
			t += score(n, inpara || name_in(n->name, para));
		}
	}
	return t;
}

static xmlNodePtr
largest(xmlDocPtr doc, const char *xp)
{
	xmlXPathObjectPtr res = NULL;
	xmlNodePtr best = NULL;
	size_t bestlen = 0, l;
	int i;

	if (select_nodes(doc, xp, &res) < 0)
		return NULL;
	for (i = 0; res->nodesetval && i < res->nodesetval->nodeNr; i++) {
		xmlNodePtr n = res->nodesetval->nodeTab[i];

		if (n->type != XML_ELEMENT_NODE)
			continue;
		l = text_len(n);
		if (l > bestlen) {
			best = n;
			bestlen = l;
		}
	}
	xmlXPathFreeObject(res);
	return best;
}

static xmlNodePtr
find_body(xmlDocPtr doc)
{
	xmlNodePtr root = xmlDocGetRootElement(doc), c;

	if (!root)
		return NULL;
	for (c = root->children; c; c = c->next)
		if (is_elem(c, "body"))
			return c;
	return root;
}

static xmlNodePtr
auto_main(xmlDocPtr doc)
{
	xmlNodePtr n, c, best;
	size_t s, bs, cs;

	if ((n = largest(doc, "//main")) || (n = largest(doc, "//article")) ||
	    (n = largest(doc, "//*[@role='main']")))
		return n;
	if (!(n = find_body(doc)))
		return NULL;
	/* Go down while one child holds most of the text. */
	for (;;) {
		s = score(n, 0);
		best = NULL;
		bs = 0;
		for (c = n->children; c; c = c->next) {
			if (c->type != XML_ELEMENT_NODE)
				continue;
			cs = score(c, 0);
			if (cs > bs) {
				bs = cs;
				best = c;
			}
		}
		if (!best || bs == 0 || bs * 10 < s * 7)
			return n;
		n = best;
	}
}

/* ------------------------------------------------------------------ */
/* URLs                                                                 */

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Cloudflare's data-cfemail: a key byte, then the address XOR the key. */
static char *
cf_decode(const char *hex)
{
	size_t n = strlen(hex), i;
	char *r;
	int key, hi, lo, c;

	if (n < 4 || n % 2 || (key = hexval(hex[0])) < 0 ||
	    (lo = hexval(hex[1])) < 0)
		return NULL;
	key = key * 16 + lo;
	r = xmalloc(n / 2);
	for (i = 2; i < n; i += 2) {
		if ((hi = hexval(hex[i])) < 0 || (lo = hexval(hex[i + 1])) < 0)
			goto bad;
		c = (hi * 16 + lo) ^ key;
		if (c < 0x21 || c > 0x7e)
			goto bad;
		r[i / 2 - 1] = (char)c;
	}
	r[n / 2 - 1] = '\0';
	if (!strchr(r, '@'))
		goto bad;
	return r;
bad:
	free(r);
	return NULL;
}

static void
pct_decode(struct strbuf *sb, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (s[i] == '%' && i + 2 < n &&
		    hexval((unsigned char)s[i + 1]) >= 0 &&
		    hexval((unsigned char)s[i + 2]) >= 0) {
			strbuf_addch(sb, hexval((unsigned char)s[i + 1]) * 16 +
			    hexval((unsigned char)s[i + 2]));
			i += 2;
		} else {
			strbuf_addch(sb, s[i]);
		}
	}
}

/* Drop tracking parameters from the query of url (in place). */
static void
strip_tracking(struct strbuf *u)
{
	struct strbuf r = STRBUF_INIT;
	char *q = strchr(u->buf, '?'), *frag, *p, *e;
	int first = 1;

	if (!q)
		return;
	frag = strchr(q, '#');
	strbuf_add(&r, u->buf, (size_t)(q - u->buf));
	for (p = q + 1; p < (frag ? frag : u->buf + u->len); p = e + 1) {
		size_t nlen;

		e = p + strcspn(p, "&#");
		if (frag && e > frag)
			e = frag;
		nlen = strcspn(p, "=&#");
		if (nlen > (size_t)(e - p))
			nlen = (size_t)(e - p);
		if (e > p && !text_is_tracking_param(p, nlen)) {
			strbuf_addch(&r, first ? '?' : '&');
			strbuf_add(&r, p, (size_t)(e - p));
			first = 0;
		}
		if (*e != '&')
			break;
	}
	if (frag)
		strbuf_addstr(&r, frag);
	strbuf_reset(u);
	strbuf_add(u, r.buf, r.len);
	strbuf_release(&r);
}

static int
same_doc(const char *a, const char *b)
{
	size_t la = strcspn(a, "#"), lb = strcspn(b, "#");

	return la == lb && strncmp(a, b, la) == 0;
}

/* href -> the URL to print, or NULL when the link is not worth a URL. */
static char *
link_url(const char *base, const char *href)
{
	struct strbuf s = STRBUF_INIT, u = STRBUF_INIT;
	const char *p, *hash;
	xmlChar *abs = NULL;
	char *r = NULL, *addr;

	for (p = href; *p; p++)
		if (*p != '\t' && *p != '\n' && *p != '\r')
			strbuf_addch(&s, *p);
	strbuf_trim(&s);
	if (!s.len || s.buf[0] == '#')
		goto cleanup;
	if (strncasecmp(s.buf, "javascript:", 11) == 0 ||
	    strncasecmp(s.buf, "vbscript:", 9) == 0 ||
	    strncasecmp(s.buf, "data:", 5) == 0)
		goto cleanup;
	if ((p = strstr(s.buf, "/cdn-cgi/l/email-protection")) &&
	    (hash = strchr(p, '#'))) {
		if ((addr = cf_decode(hash + 1))) {
			strbuf_addf(&u, "mailto:%s", addr);
			free(addr);
			r = strbuf_detach(&u, NULL);
		}
		goto cleanup;
	}
	if (strncasecmp(s.buf, "mailto:", 7) == 0) {
		strbuf_addstr(&u, "mailto:");
		pct_decode(&u, s.buf + 7, strcspn(s.buf + 7, "?"));
		r = strbuf_detach(&u, NULL);
		goto cleanup;
	}
	if (base)
		abs = xmlBuildURI((const xmlChar *)s.buf,
		    (const xmlChar *)base);
	if (abs && base && strchr((const char *)abs, '#') &&
	    same_doc((const char *)abs, base))
		goto cleanup;
	/* Markdown cannot hold these bare. */
	for (p = abs ? (const char *)abs : s.buf; *p; p++) {
		if (*p == ' ' || *p == '(' || *p == ')' || *p == '<' ||
		    *p == '>')
			strbuf_addf(&u, "%%%02X", (unsigned char)*p);
		else
			strbuf_addch(&u, *p);
	}
	strip_tracking(&u);
	r = strbuf_detach(&u, NULL);
cleanup:
	xmlFree(abs);
	strbuf_release(&s);
	strbuf_release(&u);
	return r;
}

/* Whether link text names the URL (text_url_key: scheme, "www.", a final
 * '/' and tracking parameters aside). */
static int
url_eq(const char *text, size_t tn, const char *url)
{
	struct strbuf a = STRBUF_INIT, b = STRBUF_INIT;
	int eq;

	text_url_key(text, tn, &a);
	text_url_key(url, strlen(url), &b);
	eq = a.len > 0 && a.len == b.len && memcmp(a.buf, b.buf, a.len) == 0;
	strbuf_release(&a);
	strbuf_release(&b);
	return eq;
}

/* ------------------------------------------------------------------ */
/* Markdown writer                                                      */

struct md {
	const char *base;
	struct strbuf out;
	struct strbuf prefix;	/* written at each line start */
	struct strbuf marker;	/* list or heading marker, written with the
				 * first text of its block */
	size_t marker_plen;
	int marker_on;
	int breaks;		/* newlines owed before the next text */
	size_t break_plen;	/* prefix for the owed blank line */
	int space;		/* a space owed before the next text; 2 when
				 * the source only wrapped a line there */
	int bol;		/* at the beginning of a line */
	int started;
	int oneline;		/* headings, cells, link text */
	int pre;
	int lists;
	int lead_space;		/* oneline: text began with a space */
	int over;		/* out reached its cap (the page's budget):
				 * rendering stops, the page fails */
};

/* cap: the most out may hold, from the page's budget (normalize_html). */
static void
md_init(struct md *m, const char *base, int oneline, size_t cap)
{
	memset(m, 0, sizeof(*m));
	m->base = base;
	strbuf_init(&m->out, cap);
	strbuf_init(&m->prefix, 0);
	strbuf_init(&m->marker, 0);
	m->bol = 1;
	m->oneline = oneline;
}

static void
md_free(struct md *m)
{
	strbuf_release(&m->out);
	strbuf_release(&m->prefix);
	strbuf_release(&m->marker);
}

static void
md_add(struct md *m, const void *p, size_t n)
{
	if (!m->over && strbuf_add(&m->out, p, n) < 0)
		m->over = 1;
}

static void
md_addch(struct md *m, char c)
{
	md_add(m, &c, 1);
}

/* Pay what is owed (newlines, prefix, marker, space) before text. */
static void
md_flush(struct md *m)
{
	int i;

	if (m->breaks && m->started) {
		size_t pl = m->break_plen < m->prefix.len ? m->break_plen :
		    m->prefix.len;

		while (pl && m->prefix.buf[pl - 1] == ' ')
			pl--;
		if (!m->bol)
			md_addch(m, '\n');
		for (i = 1; i < m->breaks; i++) {
			md_add(m, m->prefix.buf, pl);
			md_addch(m, '\n');
		}
		m->bol = 1;
	}
	m->breaks = 0;
	if (m->bol) {
		if (m->space && !m->out.len)
			m->lead_space = 1;
		if (m->marker_on) {
			md_add(m, m->prefix.buf, m->marker_plen);
			md_add(m, m->marker.buf, m->marker.len);
			m->marker_on = 0;
		} else {
			md_add(m, m->prefix.buf, m->prefix.len);
		}
		m->bol = 0;
	} else {
		m->marker_on = 0;	/* a marker only starts a line */
		if (m->space)
			md_addch(m, ' ');
	}
	m->space = 0;
	m->started = 1;
}

static void
md_block(struct md *m, int n)
{
	if (m->oneline) {
		m->space = 1;
		return;
	}
	if (m->marker_on)
		return;
	/* A blank line between blocks belongs to the outer of the two (the
	 * line between a quote and a paragraph is not quoted). */
	if (!m->breaks || m->prefix.len < m->break_plen)
		m->break_plen = m->prefix.len;
	if (n > m->breaks)
		m->breaks = n;
	m->space = 0;
}

static void
md_newline(struct md *m)
{
	if (m->oneline) {
		m->space = 1;
		return;
	}
	if (!m->started || m->breaks || m->marker_on)
		return;
	md_addch(m, '\n');
	m->bol = 1;
	m->space = 0;
}

static void
md_put(struct md *m, const char *s, size_t n)
{
	if (!n)
		return;
	/* Chinese and Japanese are written without spaces: a line wrapped
	 * in the HTML source between two such characters is no space (CSS
	 * Text 3 segment break rule), else re-wrapping the source would
	 * change the text. */
	if (m->space == 2 && !m->bol && !m->breaks && m->out.len) {
		ucs4_t last;
		size_t cl;

		text_u8_prev(m->out.buf, m->out.len, &last);
		if (text_is_wide(last) &&
		    text_is_wide(u8next((const unsigned char *)s, n, &cl)))
			m->space = 0;
	}
	md_flush(m);
	md_add(m, s, n);
}

static void
md_text(struct md *m, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), i = 0, run = 0, cl;
	uint32_t c;

	while (i < n) {
		/* plain ASCII text goes on: the run is written whole, with a
		 * single space between words (what md_put would write for it);
		 * a space that would start the run is md_put's to write (it
		 * joins the pending one), and in pre the slow path decides
		 * what a space is */
		if (ascii_in_run(p, i, n, !m->pre && i > run)) {
			i = ascii_run_end(p, i + 1, n, !m->pre);
			continue;
		}
		c = u8next(p + i, n - i, &cl);
		if (m->pre && !m->oneline) {
			if (c == '\n' || c == '\r') {
				md_put(m, s + run, i - run);
				if (c == '\r' && i + 1 < n && p[i + 1] == '\n')
					i++;
				i++;
				run = i;
				md_newline(m);
				continue;
			}
			i += cl;
			continue;
		}
		if (c == '\n' || c == '\r' || is_blank(c)) {
			md_put(m, s + run, i - run);
			/* Blanks around a source line break go with it. */
			if (c == '\n' || c == '\r')
				m->space = 2;
			else if (!m->space)
				m->space = 1;
			i += cl;
			run = i;
		} else if (is_invisible(c)) {
			md_put(m, s + run, i - run);
			i += cl;
			run = i;
		} else {
			i += cl;
		}
	}
	md_put(m, s + run, i - run);
}

static void render(struct md *m, xmlNodePtr n);

static void
render_children(struct md *m, xmlNodePtr n)
{
	for (n = n->children; n && !m->over; n = n->next)
		render(m, n);
}

/* Render n's content on one line into a fresh writer. */
static void
render_oneline(struct md *m, xmlNodePtr n, struct md *sub)
{
	/* +1: never 0, which would mean no cap */
	md_init(sub, m->base, 1, m->out.cap ? m->out.cap - m->out.len + 1 : 0);
	render_children(sub, n);
	m->over |= sub->over;
}

static void
render_link(struct md *m, xmlNodePtr a, const char *href)
{
	struct md sub;
	char *url = link_url(m->base, href);

	render_oneline(m, a, &sub);
	if (sub.lead_space)
		m->space = 1;
	if (sub.out.len) {
		if (!url) {
			md_put(m, sub.out.buf, sub.out.len);
		} else if (url_eq(sub.out.buf, sub.out.len, url) ||
		    url_eq(sub.out.buf, sub.out.len, href)) {
			const char *show = url;

			if (strncmp(url, "mailto:", 7) == 0)
				show += 7;
			md_put(m, show, strlen(show));
		} else {
			md_put(m, "[", 1);
			md_add(m, sub.out.buf, sub.out.len);
			md_add(m, "](", 2);
			md_add(m, url, strlen(url));
			md_addch(m, ')');
		}
	}
	if (sub.space)
		m->space = 1;
	free(url);
	md_free(&sub);
}

static void
render_li(struct md *m, xmlNodePtr li, const char *marker)
{
	size_t plen, k;

	if (m->oneline) {
		m->space = 1;
		render_children(m, li);
		m->space = 1;
		return;
	}
	if (m->marker_on)	/* an item that starts with a nested list */
		md_flush(m);
	md_block(m, 1);
	plen = m->prefix.len;
	strbuf_reset(&m->marker);
	strbuf_addstr(&m->marker, marker);
	m->marker_plen = plen;
	m->marker_on = 1;
	for (k = strlen(marker); k; k--)
		strbuf_addch(&m->prefix, ' ');
	render_children(m, li);
	m->marker_on = 0;	/* an empty item vanishes */
	strbuf_setlen(&m->prefix, plen);
	md_block(m, 1);
}

/* A list's start or an item's value, within a billion either way: the
 * page's number is counted on from, and LONG_MAX + 1 is no number. */
static long
list_number(const char *v)
{
	long n = strtol(v, NULL, 10);

	return n > 1000000000L ? 1000000000L : n < -1000000000L ? -1000000000L : n;
}

static void
render_list(struct md *m, xmlNodePtr list, int ordered)
{
	const char *v;
	char mk[32];
	long num = 1, step = 1;
	xmlNodePtr c;

	if (ordered && attr(list, "reversed")) {
		step = -1;
		num = 0;
		for (c = list->children; c; c = c->next)
			num += is_elem(c, "li");
	}
	if (ordered && (v = attr(list, "start")))
		num = list_number(v);
	md_block(m, m->lists ? 1 : 2);
	m->lists++;
	for (c = list->children; c; c = c->next) {
		if (!is_elem(c, "li")) {
			render(m, c);
			continue;
		}
		if (ordered && (v = attr(c, "value")))
			num = list_number(v);
		if (ordered)
			snprintf(mk, sizeof(mk), "%ld. ", num);
		else
			strcpy(mk, "- ");
		render_li(m, c, mk);
		num += step;
	}
	m->lists--;
	md_block(m, m->lists ? 1 : 2);
}

static void
render_heading(struct md *m, xmlNodePtr h, int level)
{
	if (m->oneline) {
		md_block(m, 2);
		render_children(m, h);
		md_block(m, 2);
		return;
	}
	md_block(m, 2);
	if (m->marker_on)
		md_flush(m);
	strbuf_reset(&m->marker);
	strbuf_addf(&m->marker, "%.*s ", level, "######");
	m->marker_plen = m->prefix.len;
	m->marker_on = 1;
	m->oneline++;
	render_children(m, h);
	m->oneline--;
	m->marker_on = 0;
	md_block(m, 2);
}

/* Table rows: tr children of the table and of its row groups. */
static size_t
table_rows(xmlNodePtr t, xmlNodePtr *rows, size_t max)
{
	xmlNodePtr c, r;
	size_t n = 0;

	for (c = t->children; c; c = c->next) {
		if (is_elem(c, "tr")) {
			if (rows && n < max)
				rows[n] = c;
			n++;
		} else if (is_elem(c, "thead") || is_elem(c, "tbody") ||
		    is_elem(c, "tfoot")) {
			for (r = c->children; r; r = r->next)
				if (is_elem(r, "tr")) {
					if (rows && n < max)
						rows[n] = r;
					n++;
				}
		}
	}
	return n;
}

static int
is_cell(xmlNodePtr c)
{
	return is_elem(c, "td") || is_elem(c, "th");
}

static size_t
row_width(xmlNodePtr tr)
{
	xmlNodePtr c;
	size_t w = 0;
	const char *v;
	long span;

	for (c = tr->children; c; c = c->next) {
		if (!is_cell(c))
			continue;
		span = (v = attr(c, "colspan")) ? strtol(v, NULL, 10) : 1;
		w += span < 1 || span > 100 ? 1 : (size_t)span;
	}
	return w;
}

static int
layout_table(xmlNodePtr *rows, size_t nrows, size_t ncols)
{
	static const char *const blocks[] = { "p", "ul", "ol", "table", "h1",
	    "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", NULL };
	xmlNodePtr c;
	size_t i;

	if (ncols < 2)
		return 1;
	for (i = 0; i < nrows; i++)
		for (c = rows[i]->children; c; c = c->next)
			if (is_cell(c) && has_elem(c, blocks))
				return 1;
	return 0;
}

/* A pipe-table row is built beside the writer, under the same cap. */
static void
line_add(struct md *m, struct strbuf *line, const char *s)
{
	if (strbuf_addstr(line, s) < 0)
		m->over = 1;
}

static void
line_addch(struct md *m, struct strbuf *line, char c)
{
	if (strbuf_addch(line, c) < 0)
		m->over = 1;
}

static void
render_table(struct md *m, xmlNodePtr t)
{
	xmlNodePtr *rows = NULL, c;
	size_t nrows, ncols = 0, i, col, k;
	struct strbuf line = STRBUF_INIT;
	const char *v;
	long span;

	nrows = table_rows(t, NULL, 0);
	if (nrows) {
		rows = xcalloc(nrows, sizeof(*rows));
		table_rows(t, rows, nrows);
	}
	for (i = 0; i < nrows; i++)
		if (row_width(rows[i]) > ncols)
			ncols = row_width(rows[i]);
	md_block(m, 2);
	if (m->oneline || layout_table(rows, nrows, ncols)) {
		render_children(m, t);
		goto done;
	}
	/* Short rows are padded to the widest: the padding alone must fit
	 * the page's budget (a wide row over many short ones multiplies). */
	if (m->out.cap && (ncols + 1) * 2 > (m->out.cap - m->out.len) / (nrows + 1)) {
		m->over = 1;
		goto done;
	}
	/* a row goes into the text: it may only take what the text has left */
	line.cap = m->out.cap ? m->out.cap - m->out.len + 1 : 0;
	for (c = t->children; c; c = c->next)
		if (is_elem(c, "caption"))
			render(m, c);
	for (i = 0; i < nrows && !m->over; i++) {
		strbuf_reset(&line);
		line_add(m, &line, "|");
		col = 0;
		for (c = rows[i]->children; c && !m->over; c = c->next) {
			struct md sub;

			if (!is_cell(c))
				continue;
			render_oneline(m, c, &sub);
			line_add(m, &line, " ");
			for (k = 0; k < sub.out.len; k++) {
				if (sub.out.buf[k] == '|')
					line_add(m, &line, "\\");
				line_addch(m, &line, sub.out.buf[k]);
			}
			line_add(m, &line, " |");
			md_free(&sub);
			col++;
			span = (v = attr(c, "colspan")) ?
			    strtol(v, NULL, 10) : 1;
			for (; span > 1 && span <= 100; span--, col++)
				line_add(m, &line, " |");
		}
		for (; col < ncols; col++)
			line_add(m, &line, " |");
		md_block(m, 1);
		md_put(m, line.buf, line.len);
		if (i == 0) {
			strbuf_reset(&line);
			line_add(m, &line, "|");
			for (col = 0; col < ncols; col++)
				line_add(m, &line, " --- |");
			md_block(m, 1);
			md_put(m, line.buf, line.len);
		}
	}
done:
	md_block(m, 2);
	free(rows);
	strbuf_release(&line);
}

static void
render_elem(struct md *m, xmlNodePtr n)
{
	const char *name = (const char *)n->name, *v;
	char *addr;
	size_t plen;

	if ((v = attr(n, "data-cfemail")) && (addr = cf_decode(v))) {
		md_put(m, addr, strlen(addr));
		free(addr);
		return;
	}
	if (name[0] == 'h' && name[1] >= '1' && name[1] <= '6' && !name[2]) {
		render_heading(m, n, name[1] - '0');
	} else if (strcmp(name, "br") == 0) {
		md_newline(m);
	} else if (strcmp(name, "hr") == 0) {
		md_block(m, 2);
		md_put(m, "---", 3);
		md_block(m, 2);
	} else if (strcmp(name, "ul") == 0 || strcmp(name, "menu") == 0 ||
	    strcmp(name, "dir") == 0) {
		render_list(m, n, 0);
	} else if (strcmp(name, "ol") == 0) {
		render_list(m, n, 1);
	} else if (strcmp(name, "li") == 0) {
		render_li(m, n, "- ");
	} else if (strcmp(name, "table") == 0) {
		render_table(m, n);
	} else if (strcmp(name, "a") == 0 && (v = attr(n, "href"))) {
		render_link(m, n, v);
	} else if (strcmp(name, "pre") == 0) {
		md_block(m, 2);
		m->pre++;
		render_children(m, n);
		m->pre--;
		md_block(m, 2);
	} else if (strcmp(name, "blockquote") == 0 && !m->oneline) {
		md_block(m, 2);
		if (m->marker_on)
			md_flush(m);
		plen = m->prefix.len;
		strbuf_addstr(&m->prefix, "> ");
		render_children(m, n);
		/* The owed newlines are paid with the outer prefix, which
		 * ends the quote. */
		strbuf_setlen(&m->prefix, plen);
		md_block(m, 2);
	} else if (strcmp(name, "dt") == 0 || strcmp(name, "dd") == 0) {
		md_block(m, 1);
		render_children(m, n);
		md_block(m, 1);
	} else if (name_in(n->name, block_names) ||
	    strcmp(name, "blockquote") == 0) {
		md_block(m, 2);
		render_children(m, n);
		md_block(m, 2);
	} else if (!name_in(n->name, drop_names)) {
		render_children(m, n);
	}
}

static void
render(struct md *m, xmlNodePtr n)
{
	switch (n->type) {
	case XML_TEXT_NODE:
	case XML_CDATA_SECTION_NODE:
		if (n->content)
			md_text(m, (const char *)n->content);
		break;
	case XML_ELEMENT_NODE:
		render_elem(m, n);
		break;
	case XML_DOCUMENT_NODE:
	case XML_HTML_DOCUMENT_NODE:
	case XML_ATTRIBUTE_NODE:
		render_children(m, n);
		break;
	default:
		break;
	}
}

/* ------------------------------------------------------------------ */
/* normalize_html                                                       */

/* A node picked for the output; range marks the pieces of a range, which
 * may be inline siblings that belong on one line. */
struct pick {
	xmlNodePtr node;
	int range;
};

struct picks {
	struct pick *v;
	size_t n, alloc;
};

static void
picks_add(struct picks *p, xmlNodePtr node, int range)
{
	ALLOC_GROW(p->v, p->n + 1, p->alloc);
	p->v[p->n].node = node;
	p->v[p->n++].range = range;
}

static int
cmp_picks(const void *a, const void *b)
{
	xmlNodePtr x = ((const struct pick *)a)->node;
	xmlNodePtr y = ((const struct pick *)b)->node;
	int r;

	if (x == y)
		return 0;
	r = xmlXPathCmpNodes(x, y);
	return r == 1 ? -1 : r == -1 ? 1 : (x < y ? -1 : 1);
}

static int
is_ancestor(xmlNodePtr a, xmlNodePtr n)
{
	for (n = n->parent; n; n = n->parent)
		if (n == a)
			return 1;
	return 0;
}

/* The walk over the document that collects a range: phase 0 before the
 * start point, 1 inside, 2 past the end. */
struct rwalk {
	xmlNodePtr s, e;	/* e NULL: to the end of the document */
	int start_after, end_after;
	int phase;
	struct picks *out;
};

static void
range_walk(struct rwalk *w, xmlNodePtr n)
{
	xmlNodePtr c, next;

	if (w->phase == 2)
		return;
	if (n == w->e && !w->end_after) {
		w->phase = 2;
		return;
	}
	if (w->phase == 0 && n == w->s) {
		if (w->start_after) {
			w->phase = n == w->e ? 2 : 1;
			return;
		}
		w->phase = 1;
	}
	/* Inside and not holding the end: all of n is in the range. */
	if (w->phase == 1 && (!w->e || !is_ancestor(n, w->e))) {
		picks_add(w->out, n, 1);
		if (n == w->e)
			w->phase = 2;
		return;
	}
	/* Before the start, and not holding it: not in the range. */
	if (w->phase == 0 && !is_ancestor(n, w->s))
		return;
	/* Partly covered (holds a point): its children are looked at. */
	for (c = n->children; c; c = next) {
		next = c->next;
		range_walk(w, c);
	}
	if (n == w->e)		/* endAfter an ancestor of the start */
		w->phase = 2;
}

/* First node of sel that a range point can be; what says which point. */
static int
range_point(xmlDocPtr doc, const char *rsel, const char *key,
    const char *what, const char *sel, xmlXPathObjectPtr *res)
{
	int k;

	if (select_nodes(doc, sel, res) < 0) {
		util_seterr("%s '%s': %s", key, rsel, util_err());
		return -1;
	}
	for (k = 0; (*res)->nodesetval && k < (*res)->nodesetval->nodeNr; k++) {
		xmlElementType t = (*res)->nodesetval->nodeTab[k]->type;

		if (t == XML_ELEMENT_NODE || t == XML_TEXT_NODE ||
		    t == XML_CDATA_SECTION_NODE)
			return k;
	}
	util_seterr("%s '%s': %s '%s' matched nothing", key, rsel, what, sel);
	xmlXPathFreeObject(*res);
	*res = NULL;
	return -1;
}

/* Whether the end boundary given by e is not before the start boundary. */
static int
range_end_ok(const struct rwalk *w, xmlNodePtr e)
{
	xmlNodePtr s = w->s;
	int before = xmlXPathCmpNodes(s, e) == 1;	/* s precedes e */

	if (e->type != XML_ELEMENT_NODE && e->type != XML_TEXT_NODE &&
	    e->type != XML_CDATA_SECTION_NODE)
		return 0;
	if (e == s)
		return !w->start_after || w->end_after;
	if (!w->start_after)
		return before || (w->end_after && is_ancestor(e, s));
	return (before && !is_ancestor(s, e)) ||
	    (w->end_after && is_ancestor(e, s));
}

/* Collect the top-most nodes inside a range selector into out: 0, or 1
 * when it ran to the end of the page, or -1.  The end point is the first
 * match of its selector that is not before the start.  When every match
 * lies before the start, the range runs to the end of the page: that is what Open Terms Archive's engine (jsdom) extracted
 * from such pages (npm's privacy policy, 2023-2024, where the table of
 * contents moved above the h1: its recorded versions are h1 to the end). */
static int
range_collect(xmlDocPtr doc, const char *sel, const char *key,
    struct picks *out)
{
	struct range rg;
	struct rwalk w;
	xmlXPathObjectPtr sres = NULL, eres = NULL;
	int k, r = -1;

	if (range_parse(sel, &rg) < 0)
		return -1;
	memset(&w, 0, sizeof(w));
	w.start_after = rg.start_after;
	w.end_after = rg.end_after;
	w.out = out;
	if ((k = range_point(doc, sel, key, "start", rg.start, &sres)) < 0)
		goto cleanup;
	w.s = sres->nodesetval->nodeTab[k];
	if (rg.end) {
		if (range_point(doc, sel, key, "end", rg.end, &eres) < 0)
			goto cleanup;
		for (k = 0; k < eres->nodesetval->nodeNr; k++)
			if (range_end_ok(&w, eres->nodesetval->nodeTab[k]))
				break;
		if (k < eres->nodesetval->nodeNr)
			w.e = eres->nodesetval->nodeTab[k];
	}
	range_walk(&w, (xmlNodePtr)doc);
	r = rg.end && !w.e;
cleanup:
	xmlXPathFreeObject(sres);
	xmlXPathFreeObject(eres);
	range_free(&rg);
	return r;
}

/* Ranges: what range_collect said, for the caller of normalize_html. */
static int
collect_range(xmlDocPtr doc, const struct normalize_opts *o, const char *sel,
    const char *key, struct picks *p)
{
	int r = range_collect(doc, sel, key, p);

	if (r > 0 && o->notes)
		strbuf_addf(o->notes, "%s '%s': the end only matches before the "
		    "start: to the end of the page\n", key, sel);
	return r < 0 ? -1 : 0;
}

static int
apply_remove(xmlDocPtr doc, const struct normalize_opts *o)
{
	xmlXPathObjectPtr res;
	struct picks p = { 0 };
	size_t i, j;
	int k;

	for (i = 0; i < o->nremove; i++) {
		if (is_range(o->remove[i])) {
			/* The pieces of a range are disjoint subtrees. */
			p.n = 0;
			if (collect_range(doc, o, o->remove[i], "remove", &p) < 0) {
				free(p.v);
				return -1;
			}
			for (j = 0; j < p.n; j++)
				drop(p.v[j].node);
			continue;
		}
		if (select_nodes(doc, o->remove[i], &res) < 0) {
			free(p.v);
			return -1;
		}
		/* Reverse document order frees descendants before their
		 * ancestors, so no node is freed twice. */
		for (k = res->nodesetval ? res->nodesetval->nodeNr - 1 : -1;
		    k >= 0; k--) {
			xmlNodePtr n = res->nodesetval->nodeTab[k];

			if (n->type == XML_ELEMENT_NODE ||
			    n->type == XML_TEXT_NODE)
				drop(n);
		}
		xmlXPathFreeObject(res);
	}
	free(p.v);
	return 0;
}

/* Noise met among the pieces of a range (a script between two
 * paragraphs): not rendered, as prune would drop it inside a selection. */
static int
range_noise(xmlNodePtr n)
{
	if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE)
		return 0;
	if (n->type != XML_ELEMENT_NODE)
		return 1;
	return name_in(n->name, drop_names) || is_hidden(n) || is_banner(n);
}

/* Keep the picks (in document order) that no other pick contains.  Done
 * before anything is pruned: pruning a pick frees the hidden or noisy
 * matches inside it, so after that only the kept picks may be touched. */
static void
keep_topmost(struct picks *p)
{
	xmlNodePtr last = NULL;
	size_t i, k = 0;

	for (i = 0; i < p->n; i++) {
		xmlNodePtr x = p->v[i].node;

		if (last && (x == last || is_ancestor(last, x)))
			continue;
		last = x;
		p->v[k++] = p->v[i];
	}
	p->n = k;
}

static int
apply_select(xmlDocPtr doc, const struct normalize_opts *o, struct md *m)
{
	xmlXPathObjectPtr res;
	struct picks p = { 0 };
	xmlNodePtr last = NULL, x;
	size_t i;
	int k, r = -1, last_range = 0;

	for (i = 0; i < o->nselect; i++) {
		if (is_range(o->select[i])) {
			if (collect_range(doc, o, o->select[i], "select", &p) < 0)
				goto cleanup;
			continue;
		}
		if (select_nodes(doc, o->select[i], &res) < 0)
			goto cleanup;
		if (!res->nodesetval || res->nodesetval->nodeNr == 0) {
			util_seterr("select '%s' matched nothing",
			    o->select[i]);
			xmlXPathFreeObject(res);
			goto cleanup;
		}
		for (k = 0; k < res->nodesetval->nodeNr; k++) {
			x = res->nodesetval->nodeTab[k];
			if (x->type != XML_NAMESPACE_DECL)
				picks_add(&p, x, 0);
		}
		xmlXPathFreeObject(res);
	}
	if (p.n)
		qsort(p.v, p.n, sizeof(*p.v), cmp_picks);
	keep_topmost(&p);
	for (i = 0; i < p.n; i++) {
		int join;

		x = p.v[i].node;
		/* Consecutive pieces of a range continue each other: a range
		 * that starts inside a paragraph keeps its text on a line. */
		join = p.v[i].range && last_range && last->next == x;
		last = x;
		last_range = p.v[i].range;
		if (p.v[i].range && range_noise(x))
			continue;
		/* Noise goes from inside the selection; the selected element
		 * itself stays even if it would count as noise (a hidden tab
		 * panel, a footer the watchlist asks for). */
		if (x->type == XML_ELEMENT_NODE)
			prune(x, 0);
		if (!join)
			md_block(m, 2);
		if (x->type == XML_ELEMENT_NODE &&
		    name_in(x->name, drop_names))
			render_children(m, x);
		else if (x->type == XML_ELEMENT_NODE)
			render_elem(m, x);
		else
			render(m, x);
	}
	md_block(m, 2);
	r = 0;
cleanup:
	free(p.v);
	return r;
}

/* How deep a page may nest elements.  The walks below recurse once or
 * twice per level; libxml2's own limit (256 without XML_PARSE_HUGE) drops
 * the rest of the page silently, which real pages with unclosed <font> or
 * <b> tags can reach.  Deeper than this, the page fails. */
#define MAX_DEPTH 2048

/* What one page may take to be parsed and rendered: libxml2's copy of the
 * decoded page, its tree, dictionary and XPath results (counted as
 * libxml2 allocates them: xmlmem.h) and the Markdown written from the tree
 * (render_cap), together at most PAGE_BUDGET_FACTOR times the decoded page
 * plus PAGE_BUDGET_FLOOR.  Real pages need 5 to 11 times (131 snapshots
 * of Open Terms Archive's demo collection, 16 KB to 590 KB); markup with
 * hardly any text needs 17 to 35 (a 5 MB table of one-letter cells,
 * hundreds of thousands of empty elements), which libxml2's nodes of 120
 * bytes and more would turn into hundreds of MB.  Under the floor, a page
 * of a few hundred KB may be as dense as it likes.  Over it, the page
 * fails. */
#define PAGE_BUDGET_FACTOR 16
#define PAGE_BUDGET_FLOOR ((size_t)8 << 20)

/* Within it, the Markdown written before the normal form: a small
 * multiple of the decoded page, whatever its tables (padding short rows
 * to the widest), nesting (prefixes repeated on every line) or links (a
 * long <base> before every relative href) multiply. */
#define RENDER_MAX(decoded) ((decoded) * 4 + (1u << 20))

/* One page on its way from bytes to Markdown. */
struct page {
	size_t decoded;		/* bytes of UTF-8 it decodes to */
	size_t budget;		/* page_budget(decoded) */
	struct xmlmem mem;	/* what libxml2 holds for it */
	htmlDocPtr doc;
	xmlChar *base;		/* what its links resolve against */
};

static size_t
page_budget(size_t decoded)
{
	if (decoded > (SIZE_MAX - PAGE_BUDGET_FLOOR) / PAGE_BUDGET_FACTOR)
		return SIZE_MAX;
	return decoded * PAGE_BUDGET_FACTOR + PAGE_BUDGET_FLOOR;
}

static int
over_budget(const struct page *pg)
{
	util_seterr("the page needs more than %.1f MiB to parse and render: "
	    "over its memory budget (%d times its %.1f MiB decoded + %zu MiB)",
	    pg->budget / 1048576.0, PAGE_BUDGET_FACTOR,
	    pg->decoded / 1048576.0, PAGE_BUDGET_FLOOR >> 20);
	return -1;
}

/* The Markdown writer's cap: RENDER_MAX, and at most half of what the
 * tree leaves of the budget (the text, a table row beside it and a
 * cell's text beside that, each capped by the room the text has left,
 * hold at most twice the cap).  Never 0, which means no cap. */
static size_t
render_cap(const struct page *pg)
{
	size_t cap = RENDER_MAX(pg->decoded), room = 0;

	if (pg->budget > pg->mem.live)
		room = (pg->budget - pg->mem.live) / 2;
	return room >= cap ? cap : room ? room : 1;
}

/* Nesting depth of the tree (without recursion: the tree is the input),
 * stopping once it is over max. */
static size_t
tree_depth(xmlNodePtr top, size_t max)
{
	xmlNodePtr n = top;
	size_t d = 0, deepest = 0;

	while (n) {
		if (n->children && (n == top || n->type == XML_ELEMENT_NODE)) {
			n = n->children;
			if (++d > deepest && (deepest = d) > max)
				return deepest;
			continue;
		}
		while (n != top && !n->next) {
			n = n->parent;
			d--;
		}
		if (n == top)
			break;
		n = n->next;
	}
	return deepest;
}

/* libxml2's tree builder, each event behind a look at the page's budget:
 * once it is over, nothing more is built and the parser reads on to the
 * end of the page (only its own small stacks grow).  Stopping the parser
 * there instead (xmlStopParser) frees its input under htmlParseCharData,
 * which steps past the end of it when the callback returns (libxml2
 * 2.9.14); failing an allocation leaves 2.9's parser and tree code in
 * states it was never tested in (its malloc-failure fixes came in 2.11). */
struct builder {
	htmlSAXHandler sax;	/* libxml2's own callbacks */
	const struct xmlmem *mem;
	int over;
};

static const htmlSAXHandler *
building(void *ctx)
{
	struct builder *b = ((htmlParserCtxtPtr)ctx)->_private;

	if (!b->over && xmlmem_over(b->mem))
		b->over = 1;
	return b->over ? NULL : &b->sax;
}

static void
on_start(void *ctx, const xmlChar *name, const xmlChar **atts)
{
	const htmlSAXHandler *s = building(ctx);

	if (s)
		s->startElement(ctx, name, atts);
}

static void
on_end(void *ctx, const xmlChar *name)
{
	const htmlSAXHandler *s = building(ctx);

	if (s)
		s->endElement(ctx, name);
}

static void
on_chars(void *ctx, const xmlChar *ch, int len)
{
	const htmlSAXHandler *s = building(ctx);

	if (s)
		s->characters(ctx, ch, len);
}

static void
on_cdata(void *ctx, const xmlChar *ch, int len)
{
	const htmlSAXHandler *s = building(ctx);

	if (s)
		s->cdataBlock(ctx, ch, len);
}

static void
on_comment(void *ctx, const xmlChar *value)
{
	const htmlSAXHandler *s = building(ctx);

	if (s)
		s->comment(ctx, value);
}

static void
on_pi(void *ctx, const xmlChar *target, const xmlChar *data)
{
	const htmlSAXHandler *s = building(ctx);

	if (s)
		s->processingInstruction(ctx, target, data);
}

static void
on_subset(void *ctx, const xmlChar *name, const xmlChar *ext,
    const xmlChar *sys)
{
	const htmlSAXHandler *s = building(ctx);

	if (s)
		s->internalSubset(ctx, name, ext, sys);
}

/* Every callback that adds to the tree goes through building(). */
static void
builder_init(struct builder *b, htmlParserCtxtPtr ctxt,
    const struct xmlmem *mem)
{
	htmlSAXHandler *sax = ctxt->sax;

	b->sax = *sax;
	b->mem = mem;
	b->over = 0;
	ctxt->_private = b;
	if (sax->startElement)
		sax->startElement = on_start;
	if (sax->endElement)
		sax->endElement = on_end;
	if (sax->characters)
		sax->characters = on_chars;
	if (sax->cdataBlock)
		sax->cdataBlock = on_cdata;
	if (sax->comment)
		sax->comment = on_comment;
	if (sax->processingInstruction)
		sax->processingInstruction = on_pi;
	if (sax->internalSubset)
		sax->internalSubset = on_subset;
}

/* The decoded page -> pg->doc, NULL for an empty page; -1 for a page
 * over its budget (pg->doc may then hold what was built) or nested deeper
 * than MAX_DEPTH. */
static int
parse_page(struct page *pg, const struct strbuf *utf,
    const struct normalize_opts *o)
{
	htmlParserCtxtPtr ctxt;
	struct builder b;
	size_t d;

	if (!utf->len)
		return 0;
	if (!(ctxt = htmlNewParserCtxt())) {
		util_seterr("libxml2 could not start a parser");
		return -1;
	}
	builder_init(&b, ctxt, &pg->mem);
	/* XML_PARSE_HUGE lifts libxml2's depth limit: ours is checked next */
	pg->doc = htmlCtxtReadMemory(ctxt, utf->buf, (int)(utf->len >
	    INT32_MAX ? INT32_MAX : utf->len), o->base_url, "UTF-8",
	    HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
	    HTML_PARSE_NONET | XML_PARSE_HUGE);
	htmlFreeParserCtxt(ctxt);
	if (b.over)
		return over_budget(pg);
	if (pg->doc && (d = tree_depth((xmlNodePtr)pg->doc, MAX_DEPTH)) >
	    MAX_DEPTH) {
		util_seterr("the page nests elements more than %d deep: not read",
		    MAX_DEPTH);
		return -1;
	}
	return 0;
}

/* Whether nothing reads the text of script and style elements, so that
 * rawtext drops it before the parse: a CSS selector sees only elements and
 * attributes, and the renderer drops those elements; an XPath selector may
 * test a string value, and the main-block finder counts text before it
 * prunes. A range's points may be XPath too. */
static int
raw_text_unread(const struct normalize_opts *o)
{
	const char *s;
	size_t i;

	if (!o->nselect && o->auto_main)
		return 0;
	for (i = 0; i < o->nselect + o->nremove; i++) {
		s = i < o->nselect ? o->select[i] : o->remove[i - o->nselect];
		if (is_xpath(s) || strchr(s, '/') ||
		    (is_range(s) && strchr(strchr(s, '(') + 1, '(')))
			return 0;
	}
	return 1;
}

/* Raw bytes -> UTF-8 -> pg->doc, libxml2 counted from here on. */
static int
load_page(struct page *pg, const char *buf, size_t len,
    const struct normalize_opts *o)
{
	struct strbuf utf;
	const char *cs;
	size_t bom;
	int r = -1;

	cs = charset_detect(o->content_type, buf, len, &bom);
	/* Decoding at most triples the size (a byte -> U+FFFD). */
	strbuf_init(&utf, (len - bom) * 3 + 64);
	if (charset_to_utf8(buf + bom, len - bom, cs, &utf) < 0)
		goto cleanup;
	pg->decoded = utf.len;
	pg->budget = page_budget(utf.len);
	if (raw_text_unread(o))
		strbuf_setlen(&utf, rawtext_strip(utf.buf, utf.len));
	xmlmem_begin_arena(&pg->mem, pg->budget);
	r = parse_page(pg, &utf, o);
cleanup:
	/* libxml2 parsed a copy of its own */
	strbuf_release(&utf);
	return r;
}

/* <base href> lives in head, which prune drops: read it first. */
static void
read_base(struct page *pg, const struct normalize_opts *o)
{
	xmlXPathObjectPtr res;
	const char *bh;
	xmlChar *nb;

	if (o->base_url)
		pg->base = xmlStrdup((const xmlChar *)o->base_url);
	if (select_nodes(pg->doc, "//head/base[@href]", &res) < 0)
		return;
	if (res->nodesetval && res->nodesetval->nodeNr &&
	    (bh = attr(res->nodesetval->nodeTab[0], "href"))) {
		nb = pg->base ? xmlBuildURI((const xmlChar *)bh, pg->base) :
		    xmlStrdup((const xmlChar *)bh);
		if (nb) {
			xmlFree(pg->base);
			pg->base = nb;
		}
	}
	xmlXPathFreeObject(res);
}

/* The tree -> Markdown in m: noise pruned, remove, then the selection,
 * the main block or the body, in what the budget leaves. */
static int
render_page(struct page *pg, const struct normalize_opts *o, struct md *m)
{
	xmlNodePtr b;

	if (xmlDocGetRootElement(pg->doc) && !o->nselect)
		prune((xmlNodePtr)pg->doc, o->auto_main);
	if (apply_remove(pg->doc, o) < 0)
		return -1;
	m->base = (const char *)pg->base;
	m->out.cap = render_cap(pg);
	if (o->nselect) {
		if (apply_select(pg->doc, o, m) < 0)
			return -1;
	} else if ((b = o->auto_main ? auto_main(pg->doc) :
	    find_body(pg->doc))) {
		render(m, b);
	}
	if (pg->mem.peak > pg->budget)
		return over_budget(pg);
	if (m->over) {
		util_seterr("the page renders to more than %zu bytes of text "
		    "(%zu decoded): over its memory budget", m->out.cap,
		    pg->decoded);
		return -1;
	}
	return 0;
}

int
normalize_html(const char *buf, size_t len, const struct normalize_opts *o,
    struct strbuf *out)
{
	static const struct normalize_opts none;
	struct page pg;
	struct md m;
	size_t start = out->len;
	int r = -1;

	if (!o)
		o = &none;
	memset(&pg, 0, sizeof(pg));
	md_init(&m, NULL, 0, 0);
	if (load_page(&pg, buf, len, o) < 0)
		goto cleanup;
	if (!pg.doc) {
		if (o->nselect) {
			util_seterr("select '%s' matched nothing: empty page",
			    o->select[0]);
			goto cleanup;
		}
		r = 0;
		goto cleanup;
	}
	read_base(&pg, o);
	if (render_page(&pg, o, &m) < 0)
		goto cleanup;
	/* the tree's memory back before the normal form takes its own */
	xmlFreeDoc(pg.doc);
	pg.doc = NULL;
	if (nf(m.out.buf, m.out.len, out) < 0)
		goto cleanup;
	r = 0;
cleanup:
	if (r < 0)
		strbuf_setlen(out, start);
	xmlFree(pg.base);
	xmlFreeDoc(pg.doc);
	xmlmem_end(&pg.mem);
	md_free(&m);
	return r;
}

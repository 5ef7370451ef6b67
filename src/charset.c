/* Charset detection and conversion to UTF-8 with glibc iconv. */
#include <ctype.h>
#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "charset.h"
#include "text.h"
#include "util.h"

static const char REPL[] = "\xEF\xBF\xBD";	/* U+FFFD */

/* WHATWG labels for the encodings the watched sites use; the rest goes to
 * iconv as spelled. */
static const struct {
	const char *label;
	const char *name;
} labels[] = {
	{ "utf-8", "UTF-8" }, { "utf8", "UTF-8" },
	{ "unicode-1-1-utf-8", "UTF-8" }, { "x-unicode20utf8", "UTF-8" },
	{ "gb2312", "GB18030" }, { "gbk", "GB18030" }, { "x-gbk", "GB18030" },
	{ "cp936", "GB18030" }, { "windows-936", "GB18030" },
	{ "gb_2312-80", "GB18030" }, { "gb_2312", "GB18030" },
	{ "csgb2312", "GB18030" }, { "chinese", "GB18030" },
	{ "iso-ir-58", "GB18030" }, { "csiso58gb231280", "GB18030" },
	{ "gb18030", "GB18030" },
	{ "big5", "BIG5-HKSCS" }, { "big5-hkscs", "BIG5-HKSCS" },
	{ "cn-big5", "BIG5-HKSCS" }, { "csbig5", "BIG5-HKSCS" },
	{ "x-x-big5", "BIG5-HKSCS" }, { "cp950", "BIG5-HKSCS" },
	{ "windows-1252", "WINDOWS-1252" }, { "cp1252", "WINDOWS-1252" },
	{ "x-cp1252", "WINDOWS-1252" }, { "iso-8859-1", "WINDOWS-1252" },
	{ "iso8859-1", "WINDOWS-1252" }, { "iso_8859-1", "WINDOWS-1252" },
	{ "latin1", "WINDOWS-1252" }, { "l1", "WINDOWS-1252" },
	{ "us-ascii", "WINDOWS-1252" }, { "ascii", "WINDOWS-1252" },
	{ "ansi_x3.4-1968", "WINDOWS-1252" },
	{ "utf-16le", "UTF-16LE" }, { "utf-16", "UTF-16LE" },
	{ "utf-16be", "UTF-16BE" },
	{ "shift_jis", "SHIFT_JIS" }, { "sjis", "SHIFT_JIS" },
	{ "euc-kr", "CP949" }, { "euc-jp", "EUC-JP" },
};

static _Thread_local char other[48];

const char *
charset_label(const char *label, size_t n)
{
	size_t i;
	iconv_t cd;

	while (n && isspace((unsigned char)*label))
		label++, n--;
	while (n && isspace((unsigned char)label[n - 1]))
		n--;
	if (n == 0)
		return NULL;
	for (i = 0; i < sizeof(labels) / sizeof(labels[0]); i++)
		if (strlen(labels[i].label) == n &&
		    strncasecmp(labels[i].label, label, n) == 0)
			return labels[i].name;
	if (n >= sizeof(other))
		return NULL;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)label[i];

		if (!isalnum(c) && c != '-' && c != '_' && c != '.' &&
		    c != ':')
			return NULL;
		other[i] = (char)toupper(c);
	}
	other[n] = '\0';
	cd = iconv_open("UTF-8", other);
	if (cd == (iconv_t)-1)
		return NULL;
	iconv_close(cd);
	return other;
}

/* The decoding of the character at buf[i], ASCII the fast way. */
static int
utf8_status(const char *buf, size_t len, size_t i, size_t *l)
{
	ucs4_t c;
	int st = TEXT_U8_OK;

	*l = (unsigned char)buf[i] < 0x80 ? 1 :
	    text_u8_next(buf + i, len - i, &c, &st);
	return st;
}

int
charset_utf8_valid(const char *buf, size_t len)
{
	size_t i = 0, l;
	int st;

	while (i < len) {
		if ((st = utf8_status(buf, len, i, &l)) != TEXT_U8_OK)
			return st == TEXT_U8_TRUNCATED;
		i += l;
	}
	return 1;
}

int
charset_utf8_sanitize(const char *buf, size_t len, struct strbuf *out)
{
	size_t i = 0, run = 0, l;
	int st;

	while (i < len) {
		if ((st = utf8_status(buf, len, i, &l)) == TEXT_U8_OK) {
			i += l;
			continue;
		}
		if (strbuf_add(out, buf + run, i - run) < 0 ||
		    strbuf_add(out, REPL, 3) < 0)
			goto toolarge;
		if (st == TEXT_U8_TRUNCATED) {
			run = i = len;
			break;
		}
		run = ++i;
	}
	if (strbuf_add(out, buf + run, len - run) < 0)
		goto toolarge;
	return 0;
toolarge:
	util_seterr("text larger than %zu bytes", out->cap);
	return -1;
}

/* The charset named in a Content-Type value or meta content attribute. */
static const char *
param_charset(const char *s, size_t n)
{
	size_t i, b;

	for (i = 0; i + 7 <= n; i++) {
		if (strncasecmp(s + i, "charset", 7) != 0)
			continue;
		i += 7;
		while (i < n && isspace((unsigned char)s[i]))
			i++;
		if (i >= n || s[i] != '=')
			continue;
		i++;
		while (i < n && (isspace((unsigned char)s[i]) || s[i] == '"' ||
		    s[i] == '\''))
			i++;
		b = i;
		while (i < n && (isalnum((unsigned char)s[i]) || s[i] == '-' ||
		    s[i] == '_' || s[i] == '.' || s[i] == ':'))
			i++;
		return charset_label(s + b, i - b);
	}
	return NULL;
}

static const char *
meta_charset(const char *buf, size_t len)
{
	size_t i, e;
	const char *cs;

	if (len > 4096)
		len = 4096;
	for (i = 0; i + 5 < len; i++) {
		if (buf[i] != '<' || strncasecmp(buf + i + 1, "meta", 4) != 0)
			continue;
		for (e = i + 5; e < len && buf[e] != '>'; e++)
			;
		if ((cs = param_charset(buf + i + 5, e - i - 5)) != NULL) {
			/* A page that can say "utf-16" in ASCII is not
			 * UTF-16 (HTML standard). */
			if (strncmp(cs, "UTF-16", 6) == 0)
				cs = "UTF-8";
			return cs;
		}
		i = e;
	}
	return NULL;
}

const char *
charset_detect(const char *content_type, const char *buf, size_t len,
    size_t *bom)
{
	const unsigned char *s = (const unsigned char *)buf;
	const char *cs;

	*bom = 0;
	/* A BOM is unambiguous and wins even over HTTP, as in browsers. */
	if (len >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF) {
		*bom = 3;
		return "UTF-8";
	}
	if (len >= 2 && s[0] == 0xFF && s[1] == 0xFE) {
		*bom = 2;
		return "UTF-16LE";
	}
	if (len >= 2 && s[0] == 0xFE && s[1] == 0xFF) {
		*bom = 2;
		return "UTF-16BE";
	}
	if (content_type &&
	    (cs = param_charset(content_type, strlen(content_type))) != NULL)
		return cs;
	if ((cs = meta_charset(buf, len)) != NULL)
		return cs;
	if (charset_utf8_valid(buf, len))
		return "UTF-8";
	return "WINDOWS-1252";
}

int
charset_to_utf8(const char *buf, size_t len, const char *charset,
    struct strbuf *out)
{
	char chunk[4096];
	char *in = (char *)buf, *o;
	size_t inleft = len, oleft;
	iconv_t cd;
	int r = -1;

	if (strcasecmp(charset, "UTF-8") == 0)
		return charset_utf8_sanitize(buf, len, out);
	cd = iconv_open("UTF-8", charset);
	if (cd == (iconv_t)-1) {
		util_seterr("cannot decode charset %s", charset);
		return -1;
	}
	while (inleft) {
		size_t n;
		int e;

		o = chunk;
		oleft = sizeof(chunk);
		n = iconv(cd, &in, &inleft, &o, &oleft);
		e = errno;
		if (strbuf_add(out, chunk, (size_t)(o - chunk)) < 0)
			goto toolarge;
		if (n != (size_t)-1 || e == E2BIG)
			continue;
		if (strbuf_add(out, REPL, 3) < 0)
			goto toolarge;
		if (e == EILSEQ) {
			in++, inleft--;
		} else {
			/* EINVAL: cut short at the end. */
			break;
		}
	}
	o = chunk;
	oleft = sizeof(chunk);
	iconv(cd, NULL, NULL, &o, &oleft);
	if (strbuf_add(out, chunk, (size_t)(o - chunk)) < 0)
		goto toolarge;
	r = 0;
	goto cleanup;
toolarge:
	util_seterr("decoded text larger than %zu bytes", out->cap);
cleanup:
	iconv_close(cd);
	return r;
}

/* Whether all of buf decodes in charset, strictly (no replacement). */
static int
decodes(const char *buf, size_t len, const char *charset)
{
	char chunk[4096], *in = (char *)buf, *o;
	size_t inleft = len, oleft;
	iconv_t cd = iconv_open("UTF-8", charset);
	int ok = 1;

	if (cd == (iconv_t)-1)
		return 0;
	while (inleft && ok) {
		o = chunk;
		oleft = sizeof(chunk);
		if (iconv(cd, &in, &inleft, &o, &oleft) == (size_t)-1 && errno != E2BIG)
			ok = 0;
	}
	iconv_close(cd);
	return ok;
}

/* UTF-16 without a byte order mark: ASCII text has a zero in every other
 * byte. 1 little-endian, 2 big-endian, 0 neither. */
static int
utf16_guess(const unsigned char *s, size_t len)
{
	size_t i, n = len < 4096 ? len : 4096, z[2] = { 0, 0 };

	if (len < 4 || len % 2)
		return 0;
	for (i = 0; i < n; i++)
		if (!s[i])
			z[i % 2]++;
	if (z[1] * 3 > n / 2 && z[0] * 20 < z[1])
		return 1;
	if (z[0] * 3 > n / 2 && z[1] * 20 < z[0])
		return 2;
	return 0;
}

/* Big5 and GBK overlap: most Big5 text is valid GB18030 too. What tells
 * them apart is where the bytes fall: a lead byte 0x81-0xA0 is GBK's
 * alone; Big5's common characters put a good part of their second bytes
 * in 0x40-0x7E, GB2312's (Simplified text) none. */
static int
looks_big5(const unsigned char *s, size_t len)
{
	size_t i, pairs = 0, low = 0;

	for (i = 0; i + 1 < len; i++) {
		if (s[i] < 0x81)
			continue;
		if (s[i] <= 0xA0)
			return 0;	/* a GBK lead byte Big5 does not have */
		pairs++;
		if (s[i + 1] >= 0x40 && s[i + 1] <= 0x7E)
			low++;
		i++;
	}
	return pairs && low * 10 >= pairs;
}

int
charset_detect_text(const char *buf, size_t len, const char **charset, size_t *bom)
{
	const unsigned char *s = (const unsigned char *)buf;
	size_t i, ctl = 0;
	int u16;

	*bom = 0;
	*charset = charset_detect(NULL, "", 0, bom);	/* "UTF-8" */
	if (len >= 2 && ((s[0] == 0xFF && s[1] == 0xFE) || (s[0] == 0xFE && s[1] == 0xFF))) {
		*charset = s[0] == 0xFF ? "UTF-16LE" : "UTF-16BE";
		*bom = 2;
		return 0;
	}
	if (len >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF) {
		*bom = 3;
		return 0;
	}
	if ((u16 = utf16_guess(s, len))) {
		*charset = u16 == 1 ? "UTF-16LE" : "UTF-16BE";
		return 0;
	}
	for (i = 0; i < len; i++)
		if (s[i] == 0 || (s[i] < 0x20 && !strchr("\t\n\r\f\v\x1b", s[i])))
			ctl++;
	if (memchr(buf, 0, len) || ctl * 100 > len) {
		util_seterr("binary data, not text");
		return -1;
	}
	if (charset_utf8_valid(buf, len))
		return 0;
	if (looks_big5(s, len) && decodes(buf, len, "BIG5-HKSCS")) {
		*charset = "BIG5-HKSCS";
		return 0;
	}
	if (decodes(buf, len, "GB18030")) {
		*charset = "GB18030";
		return 0;
	}
	util_seterr("text in an encoding clausewatch cannot tell (not UTF-8, UTF-16, "
	    "GB18030/GBK or Big5): convert it to UTF-8 first, e.g. with iconv");
	return -1;
}

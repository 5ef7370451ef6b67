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

/* The labels of the WHATWG Encoding standard, each with the iconv name of
 * its encoding (gbk decodes as GB18030, big5 as BIG5-HKSCS, latin1/ascii
 * as windows-1252, euc-kr as CP949, as browsers do).  Any other label
 * (utf-7, utf-32, EBCDIC, ...) is ignored as browsers ignore it: the next
 * source of the charset decides.  The "replacement" labels (iso-2022-kr,
 * hz-gb-2312, ...) too: their pages are not text. */
static const struct {
	const char *name;
	const char *labels;	/* space-separated, lower case */
} encodings[] = {
	{ "UTF-8", "unicode-1-1-utf-8 unicode11utf8 unicode20utf8 utf-8 utf8 "
	    "x-unicode20utf8" },
	{ "IBM866", "866 cp866 csibm866 ibm866" },
	{ "ISO-8859-2", "csisolatin2 iso-8859-2 iso-ir-101 iso8859-2 iso88592 "
	    "iso_8859-2 iso_8859-2:1987 l2 latin2" },
	{ "ISO-8859-3", "csisolatin3 iso-8859-3 iso-ir-109 iso8859-3 iso88593 "
	    "iso_8859-3 iso_8859-3:1988 l3 latin3" },
	{ "ISO-8859-4", "csisolatin4 iso-8859-4 iso-ir-110 iso8859-4 iso88594 "
	    "iso_8859-4 iso_8859-4:1988 l4 latin4" },
	{ "ISO-8859-5", "csisolatincyrillic cyrillic iso-8859-5 iso-ir-144 "
	    "iso8859-5 iso88595 iso_8859-5 iso_8859-5:1988" },
	{ "ISO-8859-6", "arabic asmo-708 csiso88596e csiso88596i "
	    "csisolatinarabic ecma-114 iso-8859-6 iso-8859-6-e iso-8859-6-i "
	    "iso-ir-127 iso8859-6 iso88596 iso_8859-6 iso_8859-6:1987" },
	{ "ISO-8859-7", "csisolatingreek ecma-118 elot_928 greek greek8 "
	    "iso-8859-7 iso-ir-126 iso8859-7 iso88597 iso_8859-7 "
	    "iso_8859-7:1987 sun_eu_greek" },
	{ "ISO-8859-8", "csiso88598e csisolatinhebrew hebrew iso-8859-8 "
	    "iso-8859-8-e iso-ir-138 iso8859-8 iso88598 iso_8859-8 "
	    "iso_8859-8:1988 visual csiso88598i iso-8859-8-i logical" },
	{ "ISO-8859-10", "csisolatin6 iso-8859-10 iso-ir-157 iso8859-10 "
	    "iso885910 l6 latin6" },
	{ "ISO-8859-13", "iso-8859-13 iso8859-13 iso885913" },
	{ "ISO-8859-14", "iso-8859-14 iso8859-14 iso885914" },
	{ "ISO-8859-15", "csisolatin9 iso-8859-15 iso8859-15 iso885915 "
	    "iso_8859-15 l9" },
	{ "ISO-8859-16", "iso-8859-16" },
	{ "KOI8-R", "cskoi8r koi koi8 koi8-r koi8_r" },
	{ "KOI8-U", "koi8-ru koi8-u" },
	{ "MACINTOSH", "csmacintosh mac macintosh x-mac-roman" },
	{ "WINDOWS-874", "dos-874 iso-8859-11 iso8859-11 iso885911 tis-620 "
	    "windows-874" },
	{ "WINDOWS-1250", "cp1250 windows-1250 x-cp1250" },
	{ "WINDOWS-1251", "cp1251 windows-1251 x-cp1251" },
	{ "WINDOWS-1252", "ansi_x3.4-1968 ascii cp1252 cp819 csisolatin1 ibm819 "
	    "iso-8859-1 iso-ir-100 iso8859-1 iso88591 iso_8859-1 "
	    "iso_8859-1:1987 l1 latin1 us-ascii windows-1252 x-cp1252" },
	{ "WINDOWS-1253", "cp1253 windows-1253 x-cp1253" },
	{ "WINDOWS-1254", "cp1254 csisolatin5 iso-8859-9 iso-ir-148 iso8859-9 "
	    "iso88599 iso_8859-9 iso_8859-9:1989 l5 latin5 windows-1254 "
	    "x-cp1254" },
	{ "WINDOWS-1255", "cp1255 windows-1255 x-cp1255" },
	{ "WINDOWS-1256", "cp1256 windows-1256 x-cp1256" },
	{ "WINDOWS-1257", "cp1257 windows-1257 x-cp1257" },
	{ "WINDOWS-1258", "cp1258 windows-1258 x-cp1258" },
	{ "MAC-CYRILLIC", "x-mac-cyrillic x-mac-ukrainian" },
	/* gbk and gb18030; cp936 and windows-936 are Microsoft's names */
	{ "GB18030", "chinese csgb2312 csiso58gb231280 gb2312 gb_2312 "
	    "gb_2312-80 gbk iso-ir-58 x-gbk gb18030 cp936 windows-936" },
	{ "BIG5-HKSCS", "big5 big5-hkscs cn-big5 csbig5 x-x-big5 cp950" },
	{ "EUC-JP", "cseucpkdfmtjapanese euc-jp x-euc-jp" },
	{ "ISO-2022-JP", "csiso2022jp iso-2022-jp" },
	{ "SHIFT_JIS", "csshiftjis ms932 ms_kanji shift-jis shift_jis sjis "
	    "windows-31j x-sjis" },
	{ "CP949", "cseuckr csksc56011987 euc-kr iso-ir-149 korean "
	    "ks_c_5601-1987 ks_c_5601-1989 ksc5601 ksc_5601 windows-949" },
	{ "UTF-16BE", "unicodefffe utf-16be" },
	{ "UTF-16LE", "csunicode iso-10646-ucs-2 ucs-2 unicode unicodefeff "
	    "utf-16 utf-16le" },
};

const char *
charset_label(const char *label, size_t n)
{
	size_t i, k;
	const char *l;

	while (n && isspace((unsigned char)*label))
		label++, n--;
	while (n && isspace((unsigned char)label[n - 1]))
		n--;
	if (n == 0)
		return NULL;
	for (i = 0; i < sizeof(encodings) / sizeof(encodings[0]); i++)
		for (l = encodings[i].labels; *l; l += k + (l[k] == ' ')) {
			k = strcspn(l, " ");
			if (k == n && strncasecmp(l, label, n) == 0)
				return encodings[i].name;
		}
	return NULL;
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
		if ((i += text_ascii_len(buf + i, len - i)) == len)
			break;
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

/* The characters of UTF-8 s (bytes that do not continue one), and how many
 * of them are U+FFFD; ASCII eight bytes at a time. */
static void
count_chars(const char *s, size_t len, size_t *chars, size_t *bad)
{
	size_t i = 0, a;
	unsigned char c;

	while (i < len) {
		a = text_ascii_len(s + i, len - i);
		*chars += a;
		if ((i += a) == len)
			break;
		c = (unsigned char)s[i];
		*chars += (c & 0xC0) != 0x80;
		*bad += i + 2 < len && !memcmp(s + i, REPL, 3);
		i++;
	}
}

/* WHATWG MIME sniffing's binary data bytes: never in text. */
static int
binary_byte(unsigned char c)
{
	return c <= 0x08 || c == 0x0B || (c >= 0x0E && c <= 0x1A) ||
	    (c >= 0x1C && c <= 0x1F);
}

int
charset_not_text(const char *content_type, const char *buf, size_t len,
    struct strbuf *why)
{
	struct strbuf utf = STRBUF_INIT;
	const char *cs;
	size_t i, n = len < 1445 ? len : 1445, chars = 0, bad = 0, bom;
	int r = 0;

	cs = charset_detect(content_type, buf, len, &bom);
	if (strncmp(cs, "UTF-16", 6) != 0)
		for (i = 0; i < n; i++)
			if (binary_byte((unsigned char)buf[i])) {
				strbuf_addf(why, "binary byte 0x%02X at offset %zu",
				    (unsigned char)buf[i], i);
				return 1;
			}
	n = len - bom < 65536 ? len - bom : 65536;
	strbuf_init(&utf, n * 3 + 64);
	if (charset_to_utf8(buf + bom, n, cs, &utf) < 0) {
		strbuf_release(&utf);
		return 0;	/* the decoder's own error comes later */
	}
	count_chars(utf.buf, utf.len, &chars, &bad);
	if (bad * 8 > chars) {
		strbuf_addf(why, "%zu of its first %zu characters do not decode "
		    "as %s", bad, chars, cs);
		r = 1;
	}
	strbuf_release(&utf);
	return r;
}

#include <curl/curl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unictype.h>
#include <unistr.h>
#include <uniwidth.h>

#include "text.h"
#include "util.h"

size_t
text_ascii_len(const char *s, size_t n)
{
	size_t i = 0;
	uint64_t w;

	for (; i + 8 <= n; i += 8) {
		memcpy(&w, s + i, 8);
		if (w & 0x8080808080808080ull)
			break;
	}
	while (i < n && (unsigned char)s[i] < 0x80)
		i++;
	return i;
}

size_t
text_u8_next(const char *s, size_t n, ucs4_t *cp, int *status)
{
	int l;

	if ((unsigned char)*s < 0x80) {	/* most text: no call */
		*cp = (unsigned char)*s;
		if (status)
			*status = TEXT_U8_OK;
		return 1;
	}
	l = u8_mbtoucr(cp, (const uint8_t *)s, n);

	if (status)
		*status = l > 0 ? TEXT_U8_OK : l == -2 ? TEXT_U8_TRUNCATED :
		    TEXT_U8_INVALID;
	if (l > 0)
		return (size_t)l;
	*cp = TEXT_REPLACEMENT;
	return 1;
}

size_t
text_u8_prev(const char *s, size_t i, ucs4_t *cp)
{
	const uint8_t *q;

	if ((unsigned char)s[i - 1] < 0x80) {
		*cp = (unsigned char)s[i - 1];
		return 1;
	}
	q = u8_prev(cp, (const uint8_t *)s + i, (const uint8_t *)s);
	if (q)
		return (size_t)((const uint8_t *)s + i - q);
	*cp = TEXT_REPLACEMENT;
	return 1;
}

size_t
text_cut(const char *s, size_t n, size_t max)
{
	size_t i = 0;
	ucs4_t c;

	if (n <= max)
		return n;
	while (i < max) {
		size_t l = text_u8_next(s + i, n - i, &c, NULL);

		if (i + l > max)
			break;
		i += l;
	}
	return i;
}

int
text_is_space(ucs4_t c)
{
	if (c < 0x80)	/* the same answer, without the table */
		return c == ' ' || (c >= '\t' && c <= '\r');
	return uc_is_property_white_space(c) || c == 0x200B || c == 0xFEFF;
}

/* Scripts by pointer: uc_script() returns entries of one static table. */
static const uc_script_t *
script(const char *name)
{
	return uc_script_byname(name);
}

int
text_is_cjk(ucs4_t c)
{
	static const uc_script_t *han, *hira, *kata, *bopo, *hang;
	const uc_script_t *sc;

	if (c < 0x1100)
		return 0;
	if (!han) {
		hira = script("Hiragana");
		kata = script("Katakana");
		bopo = script("Bopomofo");
		hang = script("Hangul");
		han = script("Han");
	}
	sc = uc_script(c);
	if (sc == han || sc == hira || sc == kata || sc == bopo || sc == hang)
		return uc_is_general_category(c, UC_CATEGORY_L) ||
		    uc_is_general_category(c, UC_CATEGORY_Nl) ||
		    uc_is_general_category(c, UC_CATEGORY_So);
	/* ー and the kana repeat marks are Common-script modifier letters */
	return uc_is_general_category(c, UC_CATEGORY_Lm) &&
	    uc_width(c, "UTF-8") == 2;
}

int
text_is_wide(ucs4_t c)
{
	static const uc_script_t *hang;

	if (c < 0x1100)
		return 0;
	if (!hang)
		hang = script("Hangul");
	return uc_width(c, "UTF-8") == 2 && uc_script(c) != hang;
}

uint64_t
text_hash(uint64_t h, const void *p, size_t n)
{
	const unsigned char *s = p;
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= s[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

uint32_t
text_hash32(uint32_t h, const void *p, size_t n)
{
	const unsigned char *s = p;
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= s[i];
		h *= 0x01000193u;
	}
	return h;
}

/* Query parameters that only track the reader, sorted for bsearch (names
 * compared without case; every utm_* too).  Not "ref" or "from": on
 * GitHub and elsewhere they choose what the page shows. */
static const char *const tracking[] = {
	"__hsfp", "__hssc", "__hstc", "_ga", "_gl", "_hsenc", "_hsmi",
	"_openstat", "dclid", "fbclid", "gbraid", "gclid", "gclsrc",
	"hsctatracking", "igshid", "li_fat_id", "mc_cid", "mc_eid", "mkt_tok",
	"msclkid", "oly_anon_id", "oly_enc_id", "ref_src", "ref_url", "s_cid",
	"scm", "spm", "trk", "ttclid", "twclid", "vero_conv", "vero_id",
	"wbraid", "wickedid", "yclid",
};

struct name {
	const char *p;
	size_t n;
};

static int
cmp_name(const void *k, const void *e)
{
	const struct name *a = k;
	const char *b = *(const char *const *)e;
	size_t bn = strlen(b);
	int r = strncasecmp(a->p, b, a->n < bn ? a->n : bn);

	if (r)
		return r;
	return a->n < bn ? -1 : a->n > bn;
}

int
text_is_tracking_param(const char *name, size_t n)
{
	struct name k = { name, n };

	if (n >= 4 && strncasecmp(name, "utm_", 4) == 0)
		return 1;
	return bsearch(&k, tracking, sizeof(tracking) / sizeof(*tracking),
	    sizeof(*tracking), cmp_name) != NULL;
}

static void
add_lower(struct strbuf *out, const char *s)
{
	for (; *s; s++)
		strbuf_addch(out, *s >= 'A' && *s <= 'Z' ? *s + 32 : *s);
}

/* The query without tracking parameters, '?' first when anything is left. */
static void
add_query(struct strbuf *out, const char *q)
{
	int first = 1;

	while (*q) {
		size_t e = strcspn(q, "&"), eq = strcspn(q, "=&");

		if (e && !text_is_tracking_param(q, eq)) {
			strbuf_addch(out, first ? '?' : '&');
			strbuf_add(out, q, e);
			first = 0;
		}
		q += e;
		if (*q)
			q++;
	}
}

/* -1 when curl does not take s as a URL. */
static int
url_parts(const char *s, struct strbuf *out)
{
	CURLU *u = curl_url();
	char *scheme = NULL, *user = NULL, *host = NULL, *port = NULL,
	     *path = NULL, *query = NULL;
	size_t start = out->len;
	int error = -1;

	if (!u)
		return -1;
	if (curl_url_set(u, CURLUPART_URL, s, CURLU_DEFAULT_SCHEME |
	    CURLU_NON_SUPPORT_SCHEME) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_PATH, &path, 0) != CURLUE_OK)
		goto cleanup;
	curl_url_get(u, CURLUPART_USER, &user, 0);
	curl_url_get(u, CURLUPART_PORT, &port, 0);
	curl_url_get(u, CURLUPART_QUERY, &query, 0);
	if (strcasecmp(scheme, "http") && strcasecmp(scheme, "https")) {
		add_lower(out, scheme);
		strbuf_addstr(out, "://");
	}
	if (user) {
		strbuf_addstr(out, user);
		strbuf_addch(out, '@');
	}
	add_lower(out, strncasecmp(host, "www.", 4) ? host : host + 4);
	if (port)
		strbuf_addf(out, ":%s", port);
	strbuf_addstr(out, path);
	if (out->len > start && out->buf[out->len - 1] == '/')
		strbuf_setlen(out, out->len - 1);
	if (query)
		add_query(out, query);
	error = 0;
cleanup:
	curl_free(scheme);
	curl_free(user);
	curl_free(host);
	curl_free(port);
	curl_free(path);
	curl_free(query);
	curl_url_cleanup(u);
	return error;
}

void
text_url_key(const char *s, size_t n, struct strbuf *out)
{
	size_t start = out->len, i;
	char *z;
	int r;

	if (n >= 7 && strncasecmp(s, "mailto:", 7) == 0) {
		strbuf_add(out, s + 7, n - 7);
		return;
	}
	/* text with blanks or controls is no URL: spare curl the attempt */
	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] <= ' ' || s[i] == 0x7f)
			break;
	if (i == n && memchr(s, '.', n)) {
		z = xstrndup(s, n);
		r = url_parts(z, out);
		free(z);
		if (r == 0)
			return;
		strbuf_setlen(out, start);
	}
	strbuf_add(out, s, n);
}

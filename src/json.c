#include <string.h>

#include "charset.h"

#include "json.h"
#include "text.h"
#include "util.h"

/* Length of a valid UTF-8 sequence at s (at most n bytes), or 0. */
static size_t
utf8_seq(const unsigned char *s, size_t n)
{
	ucs4_t cp;
	int st;
	size_t l = text_u8_next((const char *)s, n, &cp, &st);

	return st == TEXT_U8_OK ? l : 0;
}

void
json_strn(struct strbuf *sb, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, k;

	strbuf_addch(sb, '"');
	while (i < n) {
		unsigned char c = p[i];

		switch (c) {
		case '"': strbuf_addstr(sb, "\\\""); i++; continue;
		case '\\': strbuf_addstr(sb, "\\\\"); i++; continue;
		case '\n': strbuf_addstr(sb, "\\n"); i++; continue;
		case '\r': strbuf_addstr(sb, "\\r"); i++; continue;
		case '\t': strbuf_addstr(sb, "\\t"); i++; continue;
		}
		if (c < 0x20 || c == 0x7f) {
			strbuf_addf(sb, "\\u%04x", c);
			i++;
		} else if ((k = utf8_seq(p + i, n - i)) == 0) {
			strbuf_addstr(sb, "\xef\xbf\xbd");
			i++;
		} else {
			strbuf_add(sb, p + i, k);
			i += k;
		}
	}
	strbuf_addch(sb, '"');
}

void
json_str(struct strbuf *sb, const char *s)
{
	if (!s) {
		strbuf_addstr(sb, "null");
		return;
	}
	json_strn(sb, s, strlen(s));
}

void
json_names(struct strbuf *sb, unsigned bits, const char *const *names, size_t n)
{
	size_t i;
	int first = 1;

	strbuf_addch(sb, '[');
	for (i = 0; i < n; i++) {
		if (!(bits & (1u << i)))
			continue;
		if (!first)
			strbuf_addstr(sb, ", ");
		json_str(sb, names[i]);
		first = 0;
	}
	strbuf_addch(sb, ']');
}

json_t *
json_text(const char *s)
{
	struct strbuf sb = STRBUF_INIT;
	json_t *v;

	if (!s)
		return json_null();
	if ((v = json_string(s)))
		return v;
	charset_utf8_sanitize(s, strlen(s), &sb);
	v = json_string(sb.buf);
	strbuf_release(&sb);
	return v;
}

json_t *
json_bitnames(unsigned bits, const char *const *names, size_t n)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < n; i++)
		if (bits & (1u << i))
			json_array_append_new(a, json_string(names[i]));
	return a;
}

static int
dump(const char *buf, size_t size, void *data)
{
	return strbuf_add(data, buf, size);
}

int
json_print(struct strbuf *out, json_t *v)
{
	size_t start = out->len;
	int error = json_dump_callback(v, dump, out,
	    JSON_INDENT(2) | JSON_PRESERVE_ORDER);

	json_decref(v);
	if (error < 0 || strbuf_addch(out, '\n') < 0) {
		strbuf_setlen(out, start);
		util_seterr("JSON larger than %zu bytes", out->cap);
		return -1;
	}
	return 0;
}

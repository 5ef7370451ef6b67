#include <string.h>

#include "json.h"
#include "text.h"

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

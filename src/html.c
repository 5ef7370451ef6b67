/* html: outside text into HTML. */
#include <string.h>
#include <strings.h>

#include "html.h"

void
html_escape(struct strbuf *out, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		switch (s[i]) {
		case '<': strbuf_addstr(out, "&lt;"); break;
		case '>': strbuf_addstr(out, "&gt;"); break;
		case '&': strbuf_addstr(out, "&amp;"); break;
		case '"': strbuf_addstr(out, "&quot;"); break;
		case '\'': strbuf_addstr(out, "&#39;"); break;
		default: strbuf_addch(out, s[i]); break;
		}
	}
}

void
html_text(struct strbuf *out, const char *s)
{
	html_escape(out, s, strlen(s));
}

void
html_redline(struct strbuf *out, const char *marked, const char *del_open,
    const char *ins_open)
{
	const char *p = marked, *e;

	while (*p) {
		const char *d = strstr(p, "[-"), *a = strstr(p, "{+"), *m;
		int is_del;

		m = d && (!a || d < a) ? d : a;
		if (!m) {
			html_text(out, p);
			break;
		}
		is_del = (m == d);
		e = strstr(m + 2, is_del ? "-]" : "+}");
		if (!e) {
			html_text(out, p);
			break;
		}
		html_escape(out, p, (size_t)(m - p));
		strbuf_addstr(out, is_del ? del_open : ins_open);
		html_escape(out, m + 2, (size_t)(e - m - 2));
		strbuf_addstr(out, is_del ? "</del>" : "</ins>");
		p = e + 2;
	}
}

int
html_href(struct strbuf *out, const char *url)
{
	if (!url || (strncasecmp(url, "https://", 8) && strncasecmp(url, "http://", 7)))
		return 0;
	strbuf_addstr(out, " href=\"");
	html_text(out, url);
	strbuf_addch(out, '"');
	return 1;
}

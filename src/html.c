/* html: outside text into HTML. */
#include <string.h>
#include <strings.h>

#include "diff.h"
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
	struct strbuf run = STRBUF_INIT;
	const char *p = marked;
	int kind;

	/* the runs as diff_redline wrote them: page text that looks like a
	 * mark was escaped there, and stays text here */
	while (diff_redline_next(&p, &kind, &run)) {
		if (kind == ' ') {
			html_escape(out, run.buf, run.len);
			continue;
		}
		strbuf_addstr(out, kind == '-' ? del_open : ins_open);
		html_escape(out, run.buf, run.len);
		strbuf_addstr(out, kind == '-' ? "</del>" : "</ins>");
	}
	strbuf_release(&run);
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

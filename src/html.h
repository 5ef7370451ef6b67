/* html: outside text into HTML, defined once for the mail and the report.
 * Everything from the web, the store or the watchlist goes through here. */
#ifndef CW_HTML_H
#define CW_HTML_H
#include <stddef.h>
#include "strbuf.h"

/* <, >, &, " and ' as entities: safe in text and in quoted attributes. */
void html_escape(struct strbuf *out, const char *s, size_t n);
void html_text(struct strbuf *out, const char *s);
/* A word diff's "[-old-]{+new+}" marks as del_open...</del> and
 * ins_open...</ins> (the caller's opening tags), the text escaped; the
 * runs read by diff_redline_next (marks in the page's text are text; an
 * unterminated mark runs to the end). */
void html_redline(struct strbuf *out, const char *marked, const char *del_open,
    const char *ins_open);
/* href="..." only for http(s) URLs: a javascript: or data: URL from
 * outside is shown, never followed. 1 when it wrote the attribute. */
int html_href(struct strbuf *out, const char *url);

#endif

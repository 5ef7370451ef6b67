/* normalize: raw fetched bytes -> clean, stable Markdown (UTF-8, NFC, LF).
 * Two inputs that differ only in markup noise, whitespace, NBSP, zero-width
 * characters or typographic quotes normalise to the same bytes. */
#ifndef CW_NORMALIZE_H
#define CW_NORMALIZE_H
#include <stddef.h>
#include "strbuf.h"

struct normalize_opts {
	char *const *select;	/* CSS selectors or XPath; none = whole body */
	size_t nselect;
	char *const *remove;
	size_t nremove;
	const char *content_type;	/* HTTP Content-Type, for the charset; may be NULL */
	const char *base_url;		/* resolves relative links; may be NULL */
	int auto_main;			/* no select: find the main content block */
	struct strbuf *notes;		/* may be NULL: gets one line per thing
					   worth telling (a range run to the end
					   of the page) for the caller to report */
};

/* HTML (any charset) -> Markdown. -1 with util_err set (e.g. a select that
 * matches nothing, an unparseable selector).
 * Charset: BOM, then the Content-Type charset, then <meta> in the first
 * 4 KB, then UTF-8 if valid, else windows-1252 (gbk/gb2312 decode as
 * GB18030, big5 as BIG5-HKSCS); bad bytes become U+FFFD.
 * remove is applied before select; several selects give the matched
 * elements in document order, each once.  A selector is XPath when it
 * starts with '/', '(' or "./", else CSS (see css.h), or a range:
 *   range(startBefore|startAfter: SEL; endBefore|endAfter: SEL)
 * (the end optional) selects the top-most nodes between the two points,
 * an element that holds a point being cut at it; the start is the first
 * match, the end the first match not before it (if all lie before it: to
 * the end of the page).  A point matching nothing is an error, for
 * remove too.
 * Links: [text](url), url resolved (base_url, then <base href>), tracking
 * parameters dropped (utm_*, fbclid, ...: text_is_tracking_param),
 * fragment kept; same-page and javascript: links print their text only; a
 * link whose text is its URL (text_url_key) prints the URL once.
 * Appends to out; on error out is left as it was. */
int normalize_html(const char *buf, size_t len, const struct normalize_opts *o,
    struct strbuf *out);
/* Markdown or plain text (UTF-8) -> the same normal form: invalid bytes
 * -> U+FFFD, NFC, Unicode spaces -> ' ', zero-width characters and soft
 * hyphens removed, typographic quotes -> ASCII, LF line ends, blank runs
 * -> one space, leading indentation kept (tab = 4 columns), no trailing
 * blanks, at most one blank line, one final newline, "" when blank.
 * -1 when out's cap would be exceeded. */
int normalize_text(const char *buf, size_t len, struct strbuf *out);
/* Whether bytes are HTML, from a file name or URL (may be NULL), a
 * Content-Type (may be NULL) and a sniff of the first bytes. */
int normalize_is_html(const char *name, const char *content_type,
    const char *buf, size_t len);
/* A CSS selector (or XPath, passed through) -> an XPath expression.  A
 * range gives "range(startBefore: XPATH; endBefore: XPATH)", its points
 * translated: not an XPath, but the check that it is well formed. */
int normalize_css_to_xpath(const char *sel, struct strbuf *out);

#endif

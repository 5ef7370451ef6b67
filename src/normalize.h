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
};

/* HTML (any charset) -> Markdown. -1 with util_err set (e.g. a select that
 * matches nothing, an unparseable selector). */
int normalize_html(const char *buf, size_t len, const struct normalize_opts *o,
    struct strbuf *out);
/* Markdown or plain text (UTF-8) -> the same normal form. */
int normalize_text(const char *buf, size_t len, struct strbuf *out);
/* Whether bytes are HTML, from a file name or URL (may be NULL), a
 * Content-Type (may be NULL) and a sniff of the first bytes. */
int normalize_is_html(const char *name, const char *content_type,
    const char *buf, size_t len);
/* A CSS selector (or XPath, passed through) -> an XPath expression. */
int normalize_css_to_xpath(const char *sel, struct strbuf *out);

#endif

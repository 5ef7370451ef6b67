/* pdf: the text of a PDF, through MuPDF's structured-text API, as the same
 * normal form normalize_text gives (Markdown: headings, one paragraph per
 * line, blank lines between). */
#ifndef CW_PDF_H
#define CW_PDF_H
#include <stddef.h>
#include "strbuf.h"

/* A PDF with more pages is refused, not cut short: a partial text would
 * look like a shrunk agreement. */
#define PDF_MAX_PAGES 2000
/* What MuPDF may hold at once while it decodes one document (streams,
 * fonts, images): a small PDF inflating to gigabytes fails, that document
 * only. */
#define PDF_MAX_MEMORY ((size_t)512 << 20)

struct pdf_opts {
	int max_pages;		/* 0: PDF_MAX_PAGES */
	size_t max_memory;	/* 0: PDF_MAX_MEMORY */
};

/* Whether bytes are a PDF: a Content-Type of application/pdf, "%PDF-" in
 * the first 1 KiB, or a name (file or URL path, may be NULL) ending in .pdf
 * unless the Content-Type (may be NULL) says text. */
int pdf_is_pdf(const char *name, const char *content_type, const char *buf, size_t len);

/* A PDF -> Markdown in the normal form, appended to out (whose cap is the
 * cap on the decoded text).  Reading order follows the page layout (columns
 * are read one after the other); lines of a paragraph are joined, a word
 * hyphenated across lines is joined, and CJK lines are joined without a
 * space; text set larger than the body text is a heading (#, ##, ...);
 * running headers and footers (the same text, digits aside, at the same
 * height near the top or bottom of most pages) and page numbers are
 * dropped.  -1 with util_err set for a malformed, encrypted or too large
 * PDF, and for one without a text layer ("no text layer: ... scanned").
 * o may be NULL.  On error out is left as it was. */
int pdf_to_text(const char *buf, size_t len, const struct pdf_opts *o,
    struct strbuf *out);

#endif

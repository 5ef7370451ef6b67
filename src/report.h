/* report: a static website of one or more stores, and a calendar feed.
 *
 *   DIR/index.html              documents: title, last change, verdict,
 *                               next deadline, last fetch
 *   DIR/deadlines.html          open, acknowledged, passed unacknowledged
 *   DIR/deadlines.ics           one all-day event per open material
 *                               deadline, on the last day to object
 *   DIR/doc/ID.html             a document: SVG timeline and its versions
 *   DIR/change/ID/COMMIT.html   a change: verdict, reasons, clause redline
 *   DIR/style.css
 *
 * Plain HTML and CSS, no script. Everything from the store, the pages and
 * the watchlist is escaped (html.h). Incremental: a page whose bytes are
 * unchanged is not rewritten, and a change page whose inputs are unchanged
 * (its fingerprint, in its first line) is not even judged again; a page is
 * written to a temporary file and renamed over the old one. */
#ifndef CW_REPORT_H
#define CW_REPORT_H
#include <stddef.h>
#include <time.h>
#include "strbuf.h"

struct watchlist;

struct report_opts {
	const struct watchlist *wl;	/* titles, material categories; may be NULL */
	const char *link;		/* commit page URL, %H = commit; may be NULL */
};

struct report_stats {
	size_t written;		/* files rewritten */
	size_t unchanged;	/* files left as they were */
};

/* Write the site of the stores (several hosts' stores read together: each
 * document is taken from the first store that has it). -1 with util_err. */
int report_write(const char *dir, const char *const *stores, size_t nstores,
    const struct report_opts *o, struct report_stats *stats);

/* One mark on a document's timeline. */
enum report_mark { REPORT_FIRST, REPORT_MINOR, REPORT_MATERIAL, REPORT_DEADLINE };
struct report_point {
	time_t when;
	enum report_mark mark;
	const char *label;	/* tooltip, outside text (escaped here) */
	const char *href;	/* a page of the site, or NULL */
};
/* The timeline as an inline SVG, scaled to the span of the points, oldest
 * left; material changes red and larger, deadlines as diamonds. */
void report_svg(struct strbuf *out, const struct report_point *v, size_t n);

#endif

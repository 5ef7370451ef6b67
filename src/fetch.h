/* fetch: many documents at once with the libcurl multi interface; pages to
 * render run in a headless browser alongside, in the same -j slots. */
#ifndef CW_FETCH_H
#define CW_FETCH_H
#include <stddef.h>
#include "strbuf.h"

struct fetch_item {
	/* in */
	const char *id;
	const char *url;
	const char *etag;		/* validators from the last fetch, may be NULL */
	const char *last_modified;
	int render;		/* through the headless browser (render.h), not curl */
	/* out */
	int ok;			/* a body, or 304 */
	int not_modified;
	long status;		/* HTTP status, 0 for file:// */
	struct strbuf body;	/* decoded, capped at max_size */
	char *content_type;
	char *etag_new;
	char *last_modified_new;
	char *error;		/* "HTTP 503 after 2 tries" when !ok */
	int tries;
};

struct fetch_opts {
	int jobs;		/* transfers at once */
	int per_host;		/* connections per host */
	long connect_timeout;	/* seconds */
	long timeout;		/* seconds */
	size_t max_size;	/* decoded bytes */
	long retry_delay_ms;	/* before the one retry */
	long deadline;		/* seconds for the whole call, 0 = none: then
				 * what is unfinished fails */
	const char *browser;	/* for render items; NULL: they fail with browser_error */
	const char *browser_error;
	/* Work the caller does alongside (a worker pool's results): with
	 * on_poll set, poll_fd is watched with the transfers and on_poll is
	 * called when it is readable, between transfers. */
	int poll_fd;
	void (*on_poll)(void *arg);
};

/* Called as each item completes (ok or failed); the callback may release
 * item->body. Returns -1 only when the multi handle itself fails. */
typedef void (*fetch_done_fn)(struct fetch_item *it, void *arg);
int fetch_all(struct fetch_item *items, size_t n, const struct fetch_opts *o,
    fetch_done_fn done, void *arg);
void fetch_item_release(struct fetch_item *it);
int fetch_global_init(void);
void fetch_global_cleanup(void);

#endif

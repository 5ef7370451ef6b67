/* state: per-document fetch state (validators, last result, failure and
 * shrink counters, hashes of the last page and text) in
 * STORE/clausewatch-state, one tab-separated line per document (the
 * git-config syntax of older versions is still read), replaced atomically
 * (write, fsync, rename) after each run. */
#ifndef CW_STATE_H
#define CW_STATE_H
#include <stddef.h>
#include <time.h>

struct state_doc {
	char *id;
	char *etag;
	char *last_modified;
	time_t last_ok;		/* last successful fetch, 0 = never */
	time_t last_try;
	int failures;		/* consecutive failed runs */
	char *last_error;	/* NULL after a success */
	int shrunk;		/* consecutive runs that saw a much smaller page */
	int alerted;		/* a failure alert went out and no recovery yet */
	char *config;		/* hash of url/select/remove the text came from */
	/* blob ids (store_hash) of the last page read whole and of the text
	 * it gave, once recorded or found unchanged: the same bytes again
	 * need no parsing, the same text no reading of the store */
	char *raw;
	char *text;
};

struct state {
	struct state_doc *v;
	size_t n, alloc;
};

int state_load(const char *store, struct state *st);
int state_save(const char *store, const struct state *st);
void state_free(struct state *st);
/* Find a document's state, adding an empty one when missing. Adding may
 * move the others: do not keep pointers across calls. */
struct state_doc *state_get(struct state *st, const char *id);
const struct state_doc *state_find(const struct state *st, const char *id);

#endif

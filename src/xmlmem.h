/* xmlmem: libxml2's allocations counted per thread, so that what one page
 * costs to parse can be held to a budget (normalize.c).
 *
 * Nothing here fails an allocation: libxml2 2.9 does not survive every
 * failed allocation (many such paths were only fixed in 2.11), so the
 * counter is read where stopping is safe, between two parser events, and
 * the parse is stopped there.  Only allocations made by the thread that
 * opened a count, while it is open, are counted; a block freed in a count
 * other than its own (an error message libxml2 keeps per thread) moves the
 * count by its few bytes, never below zero. */
#ifndef CW_XMLMEM_H
#define CW_XMLMEM_H
#include <stddef.h>

struct xmlmem {
	size_t live;	/* bytes libxml2 holds that it took in this count */
	size_t peak;	/* the most live has been */
	size_t limit;	/* xmlmem_over: live past this */
};

/* Routes libxml2's allocator through the counter.  Once, before any other
 * libxml2 call and before threads start (main; a test's set-up): libxml2
 * keeps one allocator for the process.  Blocks keep no header (their size
 * is malloc_usable_size), so a block allocated before, or freed with
 * free(), is no harm. */
void xmlmem_init(void);
/* Whether xmlmem_init ran: without it nothing is counted. */
int xmlmem_ready(void);
/* Counts this thread's libxml2 allocations into m, from zero, until
 * xmlmem_end.  One count per thread at a time. */
void xmlmem_begin(struct xmlmem *m, size_t limit);
void xmlmem_end(struct xmlmem *m);
/* m->live > m->limit. */
int xmlmem_over(const struct xmlmem *m);

#endif

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

/* Freed arena blocks up to this size are used again. */
#define XMLMEM_RECLAIM 256

struct xmlmem {
	size_t live;	/* bytes libxml2 holds that it took in this count */
	size_t peak;	/* the most live has been */
	size_t limit;	/* xmlmem_over: live past this */
	int arena;	/* xmlmem_begin_arena */
	struct xmlmem_chunk *chunk;	/* the arena's, newest first */
	struct xmlmem_chunk *hit;	/* the one the last block freed was in */
	char *at, *end;	/* what is left of the newest chunk */
	char *reclaim[XMLMEM_RECLAIM / 8 + 1];	/* freed blocks by size */
};

/* Routes libxml2's allocator through the counter.  Once, before any other
 * libxml2 call and before threads start (main; a test's set-up): libxml2
 * keeps one allocator for the process.  Blocks keep no header (their size
 * is malloc_usable_size), so a block allocated before, or freed with
 * free(), is no harm.  It makes libxml2's globals too (xmlInitParser), so
 * that none is allocated in a count's arena. */
void xmlmem_init(void);
/* Whether xmlmem_init ran: without it nothing is counted. */
int xmlmem_ready(void);
/* Counts this thread's libxml2 allocations into m, from zero, until
 * xmlmem_end.  One count per thread at a time. */
void xmlmem_begin(struct xmlmem *m, size_t limit);
void xmlmem_end(struct xmlmem *m);
/* The same count, and libxml2's small blocks (16 KB at most) come from an
 * arena of m's: freeing one gives nothing back, they all go at
 * xmlmem_end, which is why what libxml2 allocated in the count must not
 * be used or freed after it (the last error libxml2 keeps for the thread
 * is reset there).  live counts the arena's blocks, freed or not, and the big blocks.
 * For a tree that is freed whole (a page's); a parse that frees as it
 * goes (a SAX scan) is better counted with xmlmem_begin. */
void xmlmem_begin_arena(struct xmlmem *m, size_t limit);
/* Frees the arena chunks this thread keeps for its next count (a thread
 * that ends frees its own: for the main thread, before exit). */
void xmlmem_thread_end(void);
/* m->live > m->limit. */
int xmlmem_over(const struct xmlmem *m);

#endif

/* The hooks call the C library's allocator and, when this thread has a
 * count open, add or take off the block's usable size: the same number at
 * allocation and at free, without a header that would make libxml2's
 * blocks differ from malloc's. */
#include <malloc.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/xmlmemory.h>

#include "xmlmem.h"

static _Thread_local struct xmlmem *cur;
static int ready;

static void
add(void *p)
{
	if (p && cur) {
		cur->live += malloc_usable_size(p);
		if (cur->live > cur->peak)
			cur->peak = cur->live;
	}
}

static void
sub(void *p)
{
	size_t n;

	if (p && cur) {
		n = malloc_usable_size(p);
		cur->live = n < cur->live ? cur->live - n : 0;
	}
}

static void *
mem_malloc(size_t n)
{
	void *p = malloc(n);

	add(p);
	return p;
}

static void *
mem_realloc(void *p, size_t n)
{
	size_t was = p && cur ? malloc_usable_size(p) : 0;
	void *q = realloc(p, n);

	/* on failure p is still there, counted as it was */
	if (q && cur) {
		cur->live = was < cur->live ? cur->live - was : 0;
		add(q);
	}
	return q;
}

static void
mem_free(void *p)
{
	sub(p);
	free(p);
}

static char *
mem_strdup(const char *s)
{
	char *p = strdup(s);

	add(p);
	return p;
}

void
xmlmem_init(void)
{
	if (!ready && xmlMemSetup(mem_free, mem_malloc, mem_realloc,
	    mem_strdup) == 0)
		ready = 1;
}

int
xmlmem_ready(void)
{
	return ready;
}

void
xmlmem_begin(struct xmlmem *m, size_t limit)
{
	m->live = m->peak = 0;
	m->limit = limit;
	cur = m;
}

void
xmlmem_end(struct xmlmem *m)
{
	if (cur == m)
		cur = NULL;
}

int
xmlmem_over(const struct xmlmem *m)
{
	return m->live > m->limit;
}

/* The hooks call the C library's allocator and, when this thread has a
 * count open, add or take off the block's usable size: the same number at
 * allocation and at free, without a header that would make libxml2's
 * blocks differ from malloc's.
 *
 * A count with an arena (xmlmem_begin_arena) carves libxml2's small blocks
 * from chunks instead: a page's tree is a great many small blocks that all
 * go together when the page is done, and malloc and free took a tenth of
 * normalising a page.  A freed small block waits on a list for the next
 * block of its size; AddressSanitizer sees it poisoned until then, so a
 * use after free in the tree is still caught by the tests. */
#include <malloc.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/xmlerror.h>
#include <libxml/xmlmemory.h>
#include <libxml/parser.h>

#include "xmlmem.h"

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CW_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define CW_ASAN 1
#endif
#ifdef CW_ASAN
#include <sanitizer/asan_interface.h>
#define POISON(p, n) ASAN_POISON_MEMORY_REGION(p, n)
#define UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION(p, n)
#else
#define POISON(p, n) ((void)(p), (void)(n))
#define UNPOISON(p, n) ((void)(p), (void)(n))
#endif

/* Blocks above this come from malloc even in an arena: the page's copy,
 * big text nodes; they are freed as they go. */
#define SMALL_MAX (16u << 10)
#define CHUNK_MIN (64u << 10)
#define CHUNK_MAX (16u << 20)
/* Before each small block: its size.  Blocks are aligned to 8 bytes, not
 * malloc's 16: libxml2's structures hold pointers, integers and doubles,
 * and a tree of 16-aligned blocks took a fifth more memory. */
#define HDR 8
#define RECLAIM_MAX XMLMEM_RECLAIM
#define ALIGN(n) (((n) + 7) & ~(size_t)7)

struct xmlmem_chunk {
	struct xmlmem_chunk *next;
	size_t size;		/* of the whole chunk, this header included */
	max_align_t data[];
};

#define IN_CHUNK(c, p) ((const char *)(p) > (const char *)(c) && \
	(const char *)(p) < (const char *)(c) + (c)->size)

static _Thread_local struct xmlmem *cur;
static int ready;

/* Chunks a thread keeps between its pages (up to SPARE_MAX bytes): a
 * chunk of the C library's is mapped afresh, and faulted in page by page,
 * each time it is allocated. The key frees them when the thread ends. */
#define SPARE_MAX (2u << 20)
static _Thread_local struct xmlmem_chunk *spare;
static _Thread_local size_t spare_size;
static pthread_key_t spare_key;
static pthread_once_t spare_once = PTHREAD_ONCE_INIT;
static int spare_ok;

static void
add(size_t n)
{
	cur->live += n;
	if (cur->live > cur->peak)
		cur->peak = cur->live;
}

static void
add_block(void *p)
{
	if (p && cur)
		add(malloc_usable_size(p));
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

/* The arena chunk of this thread's count that holds p, or NULL. */
static struct xmlmem_chunk *
arena_of(const void *p)
{
	struct xmlmem_chunk *c;

	if (!cur || !cur->arena)
		return NULL;
	/* the chunk of the last block freed first: a tree is freed in about
	 * the order it was built */
	if ((c = cur->hit) && IN_CHUNK(c, p))
		return c;
	for (c = cur->chunk; c; c = c->next)
		if (IN_CHUNK(c, p))
			return cur->hit = c;
	return NULL;
}

static void
spare_free(void *arg)
{
	struct xmlmem_chunk *c = arg, *next;

	for (; c; c = next) {
		next = c->next;
		free(c);
	}
}

static void
spare_key_make(void)
{
	spare_ok = pthread_key_create(&spare_key, spare_free) == 0;
}

/* A spare chunk of at least size bytes, or a new one. */
static struct xmlmem_chunk *
chunk_get(size_t size)
{
	struct xmlmem_chunk **pc, *c;

	for (pc = &spare; (c = *pc); pc = &c->next)
		if (c->size >= size) {
			*pc = c->next;
			spare_size -= c->size;
			pthread_setspecific(spare_key, spare);
			return c;
		}
	if ((c = malloc(size)))
		c->size = size;
	return c;
}

/* Kept for the thread's next page, or freed. */
static void
chunk_put(struct xmlmem_chunk *c)
{
	UNPOISON(c, c->size);
	pthread_once(&spare_once, spare_key_make);
	if (!spare_ok || spare_size + c->size > SPARE_MAX) {
		free(c);
		return;
	}
	c->next = spare;
	spare = c;
	spare_size += c->size;
	pthread_setspecific(spare_key, spare);
}

void
xmlmem_thread_end(void)
{
	spare_free(spare);
	spare = NULL;
	spare_size = 0;
	if (spare_ok)
		pthread_setspecific(spare_key, NULL);
}

/* A new chunk for at least n bytes, twice the last one's size. */
static int
arena_grow(size_t n)
{
	size_t size = cur->chunk ? cur->chunk->size * 2 : CHUNK_MIN;
	struct xmlmem_chunk *c;

	if (size > CHUNK_MAX)
		size = CHUNK_MAX;
	if (size < sizeof(*c) + n)
		size = sizeof(*c) + n;
	if (!(c = chunk_get(size)))
		return -1;
	size = c->size;
	c->next = cur->chunk;
	cur->chunk = c;
	cur->at = (char *)c->data;
	cur->end = (char *)c + size;
	POISON(cur->at, (size_t)(cur->end - cur->at));
	return 0;
}

static void *
arena_alloc(size_t n)
{
	size_t k = ALIGN(n ? n : 1), need = HDR + k;
	char *p;

	if (k <= RECLAIM_MAX && (p = cur->reclaim[k / 8])) {
		cur->reclaim[k / 8] = *(char **)p;
		UNPOISON(p + HDR, k);
	} else {
		if ((size_t)(cur->end - cur->at) < need && arena_grow(need) < 0)
			return NULL;
		p = cur->at;
		cur->at += need;
		add(need);
		UNPOISON(p, need);
	}
	*(size_t *)p = n;
	return p + HDR;
}

/* A small block goes on its size's list for the next of that size (the
 * parser frees a copy of each element's name as it makes the element);
 * the list's link is in the header, the rest stays poisoned. */
static void
arena_free(void *p)
{
	char *h = (char *)p - HDR;
	size_t k = ALIGN(*(size_t *)h ? *(size_t *)h : 1);

	POISON(p, k);
	if (k <= RECLAIM_MAX) {
		*(char **)h = cur->reclaim[k / 8];
		cur->reclaim[k / 8] = h;
	}
}

static void *
mem_malloc(size_t n)
{
	void *p;

	if (cur && cur->arena && n <= SMALL_MAX)
		return arena_alloc(n);
	p = malloc(n);
	add_block(p);
	return p;
}

/* An arena block grows in place when it is the chunk's last, else moves. */
static void *
arena_realloc(void *p, size_t n)
{
	char *h = (char *)p - HDR;
	size_t was = *(size_t *)h, need = HDR + ALIGN(n);
	size_t had = HDR + ALIGN(was ? was : 1);
	void *q;

	if (need <= had) {
		*(size_t *)h = n;	/* the tail stays the block's */
		return p;
	}
	if (n <= SMALL_MAX && h + had == cur->at && (size_t)(cur->end - h) >= need) {
		UNPOISON(h, need);
		add(need - had);
		cur->at = h + need;
		*(size_t *)h = n;
		return p;
	}
	if (!(q = mem_malloc(n)))
		return NULL;
	memcpy(q, p, was < n ? was : n);
	arena_free(p);
	return q;
}

static void *
mem_realloc(void *p, size_t n)
{
	size_t was;
	void *q;

	if (p && arena_of(p))
		return arena_realloc(p, n);
	was = p && cur ? malloc_usable_size(p) : 0;
	q = realloc(p, n);
	/* on failure p is still there, counted as it was */
	if (q && cur) {
		cur->live = was < cur->live ? cur->live - was : 0;
		add_block(q);
	}
	return q;
}

static void
mem_free(void *p)
{
	if (p && arena_of(p)) {
		arena_free(p);
		return;
	}
	sub(p);
	free(p);
}

static char *
mem_strdup(const char *s)
{
	size_t n;
	char *p;

	if (!cur || !cur->arena) {
		p = strdup(s);
		add_block(p);
		return p;
	}
	n = strlen(s) + 1;
	if ((p = mem_malloc(n)))
		memcpy(p, s, n);
	return p;
}

void
xmlmem_init(void)
{
	if (!ready && xmlMemSetup(mem_free, mem_malloc, mem_realloc,
	    mem_strdup) == 0)
		ready = 1;
	/* libxml2's globals made now, from malloc, never from a count */
	xmlInitParser();
}

int
xmlmem_ready(void)
{
	return ready;
}

void
xmlmem_begin(struct xmlmem *m, size_t limit)
{
	memset(m, 0, sizeof(*m));
	m->limit = limit;
	cur = m;
}

void
xmlmem_begin_arena(struct xmlmem *m, size_t limit)
{
	xmlmem_begin(m, limit);
	m->arena = ready;
}

void
xmlmem_end(struct xmlmem *m)
{
	struct xmlmem_chunk *c;

	if (cur == m) {
		/* the last error libxml2 keeps for this thread may sit in
		 * the arena: dropped while its blocks are known as the
		 * arena's */
		if (m->arena)
			xmlResetLastError();
		cur = NULL;
	}
	while ((c = m->chunk)) {
		m->chunk = c->next;
		chunk_put(c);
	}
	m->hit = NULL;
	m->at = m->end = NULL;
}

int
xmlmem_over(const struct xmlmem *m)
{
	return m->live > m->limit;
}

#include <criterion/criterion.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/xmlmemory.h>
#include <libxml/xmlstring.h>
#include <libxml/parser.h>
#include <libxml/xmlerror.h>

#include "xmlmem.h"

static void
setup(void)
{
	xmlmem_init();
}

TestSuite(xmlmem, .init = setup);

Test(xmlmem, counts_what_libxml2_holds)
{
	struct xmlmem m;
	char *a, *b;

	cr_assert(xmlmem_ready());
	xmlmem_begin(&m, 1500);
	a = xmlMalloc(1000);
	cr_expect_geq(m.live, 1000);
	cr_expect_not(xmlmem_over(&m));
	b = (char *)xmlStrdup((const xmlChar *)"clause");
	a = xmlRealloc(a, 4000);
	cr_expect_geq(m.live, 4007);
	cr_expect(xmlmem_over(&m));
	xmlFree(a);
	xmlFree(b);
	cr_expect_eq(m.live, 0);
	cr_expect_geq(m.peak, 4007);
	cr_expect_not(xmlmem_over(&m));
	xmlmem_end(&m);
}

/* Blocks from before the count, or from outside it, do not move it
 * (below zero, or at all). */
Test(xmlmem, only_the_count_s_own_blocks)
{
	struct xmlmem m;
	char *before = xmlMalloc(5000), *during, *after;

	xmlmem_begin(&m, 0);
	during = xmlMalloc(100);
	xmlFree(before);
	cr_expect_eq(m.live, 0);
	xmlmem_end(&m);
	after = xmlMalloc(100);
	cr_expect_eq(m.live, 0);
	xmlFree(after);
	xmlFree(during);
	cr_expect_eq(m.peak >= 100, 1);
}

static void *
other_thread(void *arg)
{
	xmlFree(xmlMalloc(1 << 20));
	return arg;
}

/* Each worker normalises its own page: another thread's allocations are
 * not this page's. */
Test(xmlmem, another_thread_is_not_counted)
{
	struct xmlmem m;
	pthread_t t;
	char *p;

	xmlmem_begin(&m, 0);
	p = xmlMalloc(10);
	cr_assert_eq(pthread_create(&t, NULL, other_thread, NULL), 0);
	pthread_join(t, NULL);
	cr_expect_lt(m.peak, 1 << 20);
	xmlFree(p);
	xmlmem_end(&m);
}

/* No header on the blocks: memory from the C library freed by libxml2's
 * allocator, and the other way round, is fine. */
Test(xmlmem, blocks_are_plain_malloc_blocks)
{
	char *a = strdup("a"), *b = (char *)xmlStrdup((const xmlChar *)"b");

	xmlFree(a);
	free(b);
}

/* An arena's small blocks stay counted until the end (freeing one gives
 * nothing back); a big block comes from malloc and goes when freed. */
Test(xmlmem, arena_counts_its_chunks_and_big_blocks)
{
	struct xmlmem m;
	size_t was;
	char *a, *big;

	xmlmem_begin_arena(&m, 1 << 30);
	a = xmlMalloc(100);
	cr_assert(a);
	cr_expect_geq(m.live, 100);
	was = m.live;
	xmlFree(a);
	cr_expect_eq(m.live, was);
	big = xmlMalloc(1 << 20);
	cr_expect_geq(m.live, was + (1 << 20));
	xmlFree(big);
	cr_expect_eq(m.live, was);
	cr_expect_geq(m.peak, was + (1 << 20));
	xmlmem_end(&m);
	xmlmem_thread_end();
}

/* Growing keeps the bytes: in place (the chunk's last block), by a move
 * (another block after it), and into a big block of malloc's. */
Test(xmlmem, arena_realloc_keeps_the_bytes)
{
	struct xmlmem m;
	char *a, *b, *was;
	size_t i;

	xmlmem_begin_arena(&m, 1 << 30);
	a = xmlMalloc(10);
	memcpy(a, "0123456789", 10);
	b = xmlMalloc(10);
	memcpy(b, "abcdefghij", 10);
	a = xmlRealloc(a, 5000);
	cr_assert(a);
	cr_expect_eq(memcmp(a, "0123456789", 10), 0);
	memset(a + 10, 'x', 4990);
	was = b = xmlRealloc(b, 20);
	b = xmlRealloc(b, 3000);
	cr_expect_eq(memcmp(b, "abcdefghij", 10), 0);
	b = xmlRealloc(b, 100000);
	cr_assert(b);
	cr_expect_eq(memcmp(b, "abcdefghij", 10), 0);
	cr_expect_neq(b, was);
	for (i = 10; i < 5000; i++)
		cr_assert_eq(a[i], 'x');
	xmlFree(b);
	xmlFree(a);
	xmlmem_end(&m);
	xmlmem_thread_end();
}

/* The error libxml2 keeps for the thread is taken in the arena; the end
 * drops it, else the next error would free a block of a chunk that is
 * gone (AddressSanitizer: a free of memory malloc did not give). */
Test(xmlmem, arena_end_drops_the_last_error)
{
	struct xmlmem m;
	xmlDocPtr d;
	int i;

	for (i = 0; i < 3; i++) {
		xmlmem_begin_arena(&m, 1 << 30);
		d = xmlReadMemory("<a><b></a>", 10, NULL, NULL,
		    XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
		xmlFreeDoc(d);
		cr_expect_neq(m.live, 0);
		xmlmem_end(&m);
		cr_expect_null(xmlGetLastError());
		xmlmem_thread_end();
	}
	d = xmlReadMemory("<a><b></a>", 10, NULL, NULL,
	    XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	xmlFreeDoc(d);
	cr_expect_not_null(xmlGetLastError());
	xmlResetLastError();
}

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
/* A freed arena block stays poisoned: a use after free in the tree is
 * still caught by the tests' AddressSanitizer. */
Test(xmlmem, arena_free_poisons)
{
	struct xmlmem m;
	char *a, *b;

	xmlmem_begin_arena(&m, 1 << 30);
	a = xmlMalloc(64);
	b = xmlMalloc(64);
	cr_expect_not(__asan_address_is_poisoned(a));
	xmlFree(a);
	cr_expect(__asan_address_is_poisoned(a));
	cr_expect(__asan_address_is_poisoned(a + 63));
	cr_expect_not(__asan_address_is_poisoned(b));
	xmlFree(b);
	xmlmem_end(&m);
	xmlmem_thread_end();
}
#endif

/* A freed small block is used again for the next of its size: the parser
 * frees a copy of every element's name, which would otherwise pile up. */
Test(xmlmem, arena_reuses_freed_small_blocks)
{
	struct xmlmem m;
	char *a, *b, *c;
	size_t was;

	xmlmem_begin_arena(&m, 1 << 30);
	a = xmlMalloc(3);
	c = xmlMalloc(100);
	was = m.live;
	xmlFree(a);
	b = xmlMalloc(4);
	cr_expect_eq(b, a);
	cr_expect_eq(m.live, was);
	memcpy(b, "abc", 4);
	xmlFree(c);
	a = xmlMalloc(200);
	cr_expect_neq(a, c);
	cr_expect_eq(strcmp(b, "abc"), 0);
	xmlFree(a);
	xmlFree(b);
	xmlmem_end(&m);
	xmlmem_thread_end();
}

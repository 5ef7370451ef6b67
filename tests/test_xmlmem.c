#include <criterion/criterion.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/xmlmemory.h>
#include <libxml/xmlstring.h>

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

#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include <git2.h>

#include "pack.h"

/* n bytes of words from a small vocabulary: matches near and far */
static char *
words(size_t n, unsigned seed)
{
	static const char *const w[] = { "agreement ", "party ", "notice ",
	    "thirty ", "days ", "data ", "may ", "shall ", "change ", "fee " };
	char *s = malloc(n + 16);
	size_t i = 0;

	while (i < n) {
		const char *x = w[(seed = seed * 1103515245u + 12345u) >> 16 & 7 ? (seed >> 20) % 10 : 0];
		size_t k = strlen(x);

		memcpy(s + i, x, k);
		i += k;
	}
	return s;
}

/* o's data inflated is buf, and its id is git's for a blob of buf. */
static void
round_trip(const struct pack_obj *o, const char *buf, size_t len)
{
	unsigned char *back = malloc(len + 1);
	uLongf blen = len + 1;
	git_oid id;

	cr_assert_eq(uncompress(back, &blen, o->z, o->zlen), Z_OK);
	cr_assert_eq(blen, len);
	cr_assert_eq(memcmp(back, buf, len), 0);
	cr_assert_eq(git_odb_hash(&id, buf, len, GIT_OBJECT_BLOB), 0);
	cr_assert(git_oid_equal(&id, &o->id));
	free(back);
}

/* One deflater serves a thread's objects one after another: what a big
 * object left in its hash tables must not reach into a small one after
 * it (ISA-L does not clear them between one-shot calls). */
Test(pack, a_thread_s_deflater_serves_object_after_object)
{
	static const size_t sizes[] = { 1 << 20, 2000, 70000, 1, 0, 300000, 17 };
	size_t i;

	git_libgit2_init();
	for (i = 0; i < sizeof(sizes) / sizeof(*sizes); i++) {
		char *buf = words(sizes[i], (unsigned)i + 1);
		struct pack_obj o;

		cr_assert_eq(pack_obj_make(&o, GIT_OBJECT_BLOB, buf, sizes[i]), 0);
		if (sizes[i] > 1000)
			cr_expect_lt(o.zlen, sizes[i] / 2);
		round_trip(&o, buf, sizes[i]);
		pack_obj_release(&o);
		free(buf);
	}
	pack_thread_end();
	git_libgit2_shutdown();
}

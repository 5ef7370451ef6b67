/* Fetch state: written by us, read back through libgit2's config parser. */
#include <criterion/criterion.h>
#include <git2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "state.h"
#include "util.h"

Test(state, roundtrip_with_hostile_values_and_order)
{
	char dir[] = "/tmp/cw-state-XXXXXX", cmd[64];
	struct state st = { 0 }, back;
	struct state_doc *d;
	const char *ids[] = { "m/two", "a/one", "z/three", "b/x" };
	size_t i;

	git_libgit2_init();
	cr_assert_not_null(mkdtemp(dir));
	for (i = 0; i < 4; i++)
		state_get(&st, ids[i])->failures = (int)i + 1;
	cr_assert_eq(st.n, 4);
	cr_assert_str_eq(st.v[0].id, "a/one");	/* kept sorted */
	cr_assert_str_eq(st.v[3].id, "z/three");
	cr_assert_eq(state_get(&st, "m/two")->failures, 1);	/* found, not added */
	cr_assert_eq(st.n, 4);
	d = state_get(&st, "a/one");
	d->etag = xstrdup("W/\"abc\\\"def\"");
	d->last_modified = xstrdup("Tue,\x01 01 Dec 2026 10:00:00 GMT\x7f");
	d->last_try = -1;
	d->last_error = xstrdup("HTTP 503 after 2 tries\nsecond line\t# not a comment ; really");
	d->last_ok = 1790000000;
	d->shrunk = 2;
	d->alerted = 1;
	d->raw = xstrdup("eb1dc18cb3dff3cd28837bb1047f3ac88a81e750");
	d->text = xstrdup("162790e508b462f05495c34cc70e9bba03c73582");
	cr_assert_eq(state_save(dir, &st), 0, "%s", util_err());
	cr_assert_eq(state_load(dir, &back), 0, "%s", util_err());
	cr_assert_eq(back.n, 4);
	d = (struct state_doc *)state_find(&back, "a/one");
	cr_assert_not_null(d);
	cr_assert_str_eq(d->etag, "W/\"abc\\\"def\"");
	cr_assert_str_eq(d->last_modified, "Tue, 01 Dec 2026 10:00:00 GMT");
	cr_assert_str_eq(d->last_error, "HTTP 503 after 2 tries\nsecond line\t# not a comment ; really");
	cr_assert_eq(d->last_ok, 1790000000);
	cr_assert_eq(d->last_try, -1);
	cr_assert_eq(d->shrunk, 2);
	cr_assert_eq(d->alerted, 1);
	cr_assert_str_eq(d->raw, "eb1dc18cb3dff3cd28837bb1047f3ac88a81e750");
	cr_assert_str_eq(d->text, "162790e508b462f05495c34cc70e9bba03c73582");
	cr_assert_null(state_find(&back, "b/x")->raw);
	cr_assert_eq(state_find(&back, "z/three")->failures, 3);
	cr_assert_null(state_find(&back, "q/none"));
	state_free(&st);
	state_free(&back);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	cr_assert_eq(system(cmd), 0);
	git_libgit2_shutdown();
}

/* A store of an older version keeps its state in git-config syntax: read,
 * and written back in the one-line-per-document form. */
Test(state, older_git_config_file_is_read_then_rewritten)
{
	char dir[] = "/tmp/cw-state-XXXXXX", cmd[64], path[64];
	struct state st, back;
	struct strbuf text = STRBUF_INIT;
	const struct state_doc *d;
	FILE *f;

	git_libgit2_init();
	cr_assert_not_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/clausewatch-state", dir);
	cr_assert_not_null(f = fopen(path, "w"));
	fputs("# clausewatch fetch state; rewritten by every run\n[doc \"a/one\"]\n"
	    "\tetag = \"\\\"e1\\\"\"\n\tlast-ok = 1790000000\n\tlast-try = 1790000001\n"
	    "\tfailures = 2\n\tshrunk = 0\n\talerted = 1\n\tconfig = \"0123456789abcdef\"\n"
	    "\tlast-error = \"HTTP 503\"\n[doc \"b/two\"]\n\tlast-ok = 5\n", f);
	fclose(f);
	cr_assert_eq(state_load(dir, &st), 0, "%s", util_err());
	cr_assert_eq(st.n, 2);
	cr_assert_not_null(d = state_find(&st, "a/one"));
	cr_assert_str_eq(d->etag, "\"e1\"");
	cr_assert_eq(d->last_try, 1790000001);
	cr_assert_eq(d->failures, 2);
	cr_assert_eq(d->alerted, 1);
	cr_assert_str_eq(d->config, "0123456789abcdef");
	cr_assert_str_eq(d->last_error, "HTTP 503");
	cr_assert_null(d->raw);
	cr_assert_eq(state_save(dir, &st), 0);
	cr_assert_eq(util_read_file(path, 0, &text), 0);
	cr_assert(!strncmp(text.buf, "# clausewatch fetch state v2", 28), "%s", text.buf);
	cr_assert(strstr(text.buf, "\nb/two\t5\t"), "%s", text.buf);
	cr_assert_eq(state_load(dir, &back), 0);
	cr_assert_eq(back.n, 2);
	cr_assert_str_eq(state_find(&back, "a/one")->etag, "\"e1\"");
	cr_assert_null(state_find(&back, "b/two")->etag);
	cr_assert_eq(state_find(&back, "b/two")->last_ok, 5);
	state_free(&st);
	state_free(&back);
	strbuf_release(&text);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	cr_assert_eq(system(cmd), 0);
	git_libgit2_shutdown();
}

/* Ids added in any order end up sorted, each found once: a new id goes
 * first, last or between two others. */
Test(state, insert_anywhere_stays_sorted)
{
	struct state st = { 0 };
	char id[16];
	size_t i, k;

	for (i = 0; i < 200; i++) {
		k = (i * 37) % 200;	/* every number once, out of order */
		snprintf(id, sizeof(id), "d/%03zu", k);
		cr_assert_null(state_find(&st, id));
		state_get(&st, id)->failures = (int)k;
		cr_assert_eq(st.n, i + 1);
		cr_assert_eq(state_find(&st, id)->failures, (int)k);
	}
	for (i = 0; i < 200; i++) {
		snprintf(id, sizeof(id), "d/%03zu", i);
		cr_assert_str_eq(st.v[i].id, id);
		cr_assert_eq(state_get(&st, id)->failures, (int)i);
	}
	cr_assert_eq(st.n, 200);
	state_free(&st);
}

#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "diff.h"
#include "strbuf.h"
#include "util.h"

static char *
redline(const char *a, const char *b)
{
	struct strbuf sb = STRBUF_INIT;

	diff_redline(a, strlen(a), b, strlen(b), &sb);
	return strbuf_detach(&sb, NULL);
}

Test(diff, tokenize_words_cjk_numbers_urls)
{
	const char *s = "We share e-mail, 1,000.50 USD 与第三方共享 see https://x.com/a?utm_source=n#top.";
	struct diff_toks t;

	diff_tokenize(s, strlen(s), &t);
	/* We share e-mail , 1,000.50 USD 与 第 三 方 共 享 see URL . */
	cr_assert_eq(t.n, 15);
	cr_assert_eq(t.v[2].kind, DIFF_T_WORD);
	cr_assert_eq(t.v[2].len, strlen("e-mail"));
	cr_assert_eq(t.v[3].kind, DIFF_T_PUNCT);
	cr_assert_eq(t.v[4].kind, DIFF_T_NUM);
	cr_assert_eq(t.v[4].len, strlen("1,000.50"));
	cr_assert_eq(t.v[6].kind, DIFF_T_CJK);
	cr_assert_eq(t.v[13].kind, DIFF_T_URL);
	cr_assert_eq(t.v[14].kind, DIFF_T_PUNCT);
	diff_toks_free(&t);
}

/* Letters of any alphabet make words (Unicode's letter class, not a list
 * of ranges); CJK characters stay tokens of their own. */
Test(diff, tokenize_words_of_any_alphabet)
{
	const char *s = "Δεδομένα данные שלום ข้อมูล Ṣọ́ọ̀ṣì 数据";
	struct diff_toks t;
	size_t i;

	diff_tokenize(s, strlen(s), &t);
	cr_assert_eq(t.n, 7, "%zu tokens", t.n);
	for (i = 0; i < 5; i++)
		cr_expect_eq(t.v[i].kind, DIFF_T_WORD, "token %zu", i);
	cr_expect_eq(t.v[2].len, strlen("שלום"));
	cr_expect_eq(t.v[5].kind, DIFF_T_CJK);
	diff_toks_free(&t);
}

Test(diff, canonical_keys_fold_case_width_tracking)
{
	const char *a = "Shall，ＡＢＣ https://www.Example.com/p/?utm_medium=x#f 1,000";
	const char *b = "shall, abc http://example.com/p 1000";
	struct diff_toks ta, tb;
	size_t i;

	diff_tokenize(a, strlen(a), &ta);
	diff_tokenize(b, strlen(b), &tb);
	cr_assert_eq(ta.n, tb.n);
	for (i = 0; i < ta.n; i++)
		cr_assert_eq(ta.v[i].key, tb.v[i].key, "token %zu", i);
	cr_assert_neq(ta.v[0].hash, tb.v[0].hash);
	diff_toks_free(&ta);
	diff_toks_free(&tb);
}

Test(diff, url_keys_keep_real_parameters)
{
	const char *a = "https://x.com/help?id=1", *b = "https://x.com/help?id=2";
	struct diff_toks ta, tb;

	diff_tokenize(a, strlen(a), &ta);
	diff_tokenize(b, strlen(b), &tb);
	cr_assert_neq(ta.v[0].key, tb.v[0].key);
	diff_toks_free(&ta);
	diff_toks_free(&tb);
}

static void
check_seq(const char *a, const char *b, size_t want_d)
{
	uint32_t x[64], y[64];
	size_t na = strlen(a), nb = strlen(b), i, d = 0, ai = 0, bi = 0;
	struct diff_hunks h;

	for (i = 0; i < na; i++)
		x[i] = (unsigned char)a[i];
	for (i = 0; i < nb; i++)
		y[i] = (unsigned char)b[i];
	diff_seq(x, na, y, nb, 0, &h);
	/* the script must turn a into b through equal stretches */
	for (i = 0; i < h.n; i++) {
		cr_assert_eq(h.v[i].a0 - ai, h.v[i].b0 - bi);
		while (ai < h.v[i].a0)
			cr_assert_eq(x[ai++], y[bi++]);
		d += (h.v[i].a1 - h.v[i].a0) + (h.v[i].b1 - h.v[i].b0);
		ai = h.v[i].a1;
		bi = h.v[i].b1;
	}
	cr_assert_eq(na - ai, nb - bi);
	while (ai < na)
		cr_assert_eq(x[ai++], y[bi++]);
	cr_assert_eq(d, want_d, "%s -> %s: d=%zu want %zu", a, b, d, want_d);
	diff_hunks_free(&h);
}

Test(diff, myers_minimal)
{
	check_seq("ABCABBA", "CBABAC", 5);
	check_seq("abc", "abc", 0);
	check_seq("", "abc", 3);
	check_seq("abc", "", 3);
	check_seq("kitten", "sitting", 5);
	check_seq("xaxbxc", "aybycy", 6);
}

Test(diff, myers_cap_falls_back_to_one_hunk)
{
	uint32_t x[100], y[100];
	struct diff_hunks h;
	size_t i;

	for (i = 0; i < 100; i++) {
		x[i] = (uint32_t)i;
		y[i] = (uint32_t)(1000 + i);
	}
	y[0] = x[0];
	diff_seq(x, 100, y, 100, 10, &h);
	cr_assert(h.truncated);
	cr_assert_eq(h.n, 1);
	cr_assert_eq(h.v[0].a0, 1);
	cr_assert_eq(h.v[0].a1, 100);
	diff_hunks_free(&h);
}

Test(diff, redline_words)
{
	char *r = redline("We keep data for 30 days.", "We keep data for 60 days.");

	cr_assert_str_eq(r, "We keep data for [-30-]{+60+} days.");
	free(r);
	r = redline("We share it with partners.", "We share it with partners and advertisers.");
	cr_assert_str_eq(r, "We share it with partners {+and advertisers+}.");
	free(r);
	r = redline("You may not resell it.", "You may resell it.");
	cr_assert_str_eq(r, "You may [-not-] resell it.");
	free(r);
}

Test(diff, redline_cjk_characters)
{
	char *r = redline("我们保存30天。", "我们保存60天。");

	cr_assert_str_eq(r, "我们保存[-30-]{+60+}天。");
	free(r);
	r = redline("我们不会共享", "我们会共享");
	cr_assert_str_eq(r, "我们[-不-]会共享");
	free(r);
}

Test(diff, similarity)
{
	const char *a = "We share your name and email with payment processors.";
	const char *b = "We share your name, email and phone with payment processors.";
	const char *c = "These terms are governed by the laws of Singapore.";

	cr_assert_gt(diff_similarity(a, strlen(a), b, strlen(b)), 0.7);
	cr_assert_lt(diff_similarity(a, strlen(a), c, strlen(c)), 0.3);
}

#define S(l, t) { l, t, sizeof(t) - 1 }

Test(diff, align_insert_renumber_modify_remove)
{
	struct diff_side a[] = {
		S("1", "These terms apply to the platform."),
		S("2", "We keep logs for thirty days after collection."),
		S("3", "You may terminate at any time by closing the account."),
		S("4", "Contact us at legal@example.com for questions."),
	};
	struct diff_side b[] = {
		S("1", "These terms apply to the platform."),
		S("2", "Fees are listed on the pricing page and billed monthly."),
		S("3", "We keep logs for ninety days after collection."),
		S("4", "You may terminate at any time by closing the account."),
	};
	struct diff_pair *p;
	size_t n;

	diff_align(a, 4, b, 4, &p, &n);
	cr_assert_eq(n, 5);
	cr_assert_eq(p[0].kind, DIFF_SAME);
	cr_assert_eq(p[1].kind, DIFF_ADDED);
	cr_assert_eq(p[1].newi, 1);
	cr_assert_eq(p[2].kind, DIFF_MODIFIED);
	cr_assert_eq(p[2].oldi, 1);
	cr_assert_eq(p[2].newi, 2);
	cr_assert_eq(p[3].kind, DIFF_MOVED);	/* renumbered 3 -> 4 */
	cr_assert_eq(p[3].oldi, 2);
	cr_assert_eq(p[4].kind, DIFF_REMOVED);
	cr_assert_eq(p[4].oldi, 3);
	free(p);
}

Test(diff, align_reorder_detected)
{
	struct diff_side a[] = {
		S("a", "Name and email address."),
		S("b", "Device identifiers and IP address."),
		S("c", "Payment card details."),
	};
	struct diff_side b[] = {
		S("a", "Payment card details."),
		S("b", "Name and email address."),
		S("c", "Device identifiers and IP address."),
	};
	struct diff_pair *p;
	size_t n, i, moved = 0, same = 0;

	diff_align(a, 3, b, 3, &p, &n);
	cr_assert_eq(n, 3);
	for (i = 0; i < n; i++) {
		moved += p[i].kind == DIFF_MOVED;
		same += p[i].kind == DIFF_SAME;
	}
	cr_assert_eq(moved, 3);	/* every label changed */
	cr_assert_eq(p[0].oldi, 2);
	cr_assert(p[0].reordered);
	cr_assert(!p[1].reordered);
	free(p);
}

/* "costarring" and "liquid" have the same 32-bit FNV-1a hash: a diff that
 * trusted hashes would call one the other. */
Test(diff, hash_collision_is_still_a_change)
{
	struct diff_side a[] = { { "1", "costarring", 10 },
		{ "2", "Same text here.", 15 } };
	struct diff_side b[] = { { "1", "liquid", 6 },
		{ "2", "Same text here.", 15 } };
	struct diff_pair *p;
	size_t n;
	char *r;

	cr_assert_eq(diff_hash("costarring", 10), diff_hash("liquid", 6),
	    "the test needs a collision");
	r = redline("the costarring role", "the liquid role");
	cr_assert_str_eq(r, "the [-costarring-]{+liquid+} role");
	free(r);
	diff_align(a, 2, b, 2, &p, &n);
	cr_assert_eq(n, 2);
	cr_assert_eq(p[0].oldi, 0);
	cr_assert_eq(p[0].newi, 0);
	cr_assert_eq(p[0].kind, DIFF_MODIFIED);
	cr_assert_eq(p[1].kind, DIFF_SAME);
	free(p);
}

Test(diff, colliding_clause_elsewhere_is_not_moved)
{
	struct diff_side a[] = { { "1", "costarring", 10 } };
	struct diff_side b[] = { { "9", "liquid", 6 } };
	struct diff_pair *p;
	size_t n, i;

	diff_align(a, 1, b, 1, &p, &n);
	for (i = 0; i < n; i++)
		cr_assert_neq(p[i].kind, DIFF_MOVED);
	cr_assert_eq(n, 2);
	free(p);
}

/* Hostile pages: inputs built to crash the normaliser, exhaust its memory
 * or hide text from it.  Each fails that document only (a clear error) or
 * renders correctly; none may touch freed memory (ASan) or abort. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diff.h"
#include "judge.h"
#include "mail.h"
#include "normalize.h"
#include "util.h"
#include "xmlmem.h"

/* libxml2's allocations counted, as main sets them up: the page budget
 * holds */
static void
setup(void)
{
	xmlmem_init();
}

TestSuite(hostile, .init = setup);

static struct normalize_opts
sel(char **s, size_t ns, char **r, size_t nr)
{
	struct normalize_opts o = { 0 };

	o.select = s;
	o.nselect = ns;
	o.remove = r;
	o.nremove = nr;
	return o;
}

/* Normalise HTML; the result is malloc'd, NULL on error (util_err). */
static char *
nh(const char *html, size_t len, const struct normalize_opts *o, size_t cap)
{
	struct strbuf out = STRBUF_INIT;

	strbuf_init(&out, cap);
	if (normalize_html(html, len, o, &out) < 0) {
		strbuf_release(&out);
		return NULL;
	}
	return strbuf_detach(&out, NULL);
}

#define EXPECT_HTML(html, o, want) do { \
	char *got_ = nh(html, strlen(html), o, 1 << 20); \
	cr_assert_not_null(got_, "error: %s", util_err()); \
	cr_expect_str_eq(got_, want); \
	free(got_); \
} while (0)

/* The page: pruning the outer match freed the inner one, which the
 * selection loop then read. */
Test(hostile, hidden_match_inside_a_match)
{
	char *s[] = { ".terms" };
	struct normalize_opts o = sel(s, 1, NULL, 0);

	EXPECT_HTML("<div class=\"terms\"><p>Visible</p><div class=\"terms\" "
	    "style=\"display:none\"><p>hidden</p></div><p>After</p></div>",
	    &o, "Visible\n\nAfter\n");
}

Test(hostile, noise_matches_inside_a_match)
{
	char *s[] = { ".t", "//script", "p.t" };
	struct normalize_opts o = sel(s, 3, NULL, 0);

	EXPECT_HTML("<div class=\"t\"><p>One</p><script class=\"t\">x()"
	    "</script><nav class=\"t\"><p class=\"t\">menu</p></nav><div "
	    "hidden class=\"t\"><p class=\"t\">gone</p></div></div>"
	    "<p class=\"t\">Two</p>", &o, "One\n\nTwo\n");
}

Test(hostile, deeply_nested_hidden_matches)
{
	char *s[] = { "div" };
	struct normalize_opts o = sel(s, 1, NULL, 0);
	struct strbuf h = STRBUF_INIT;
	char *got;
	int i;

	strbuf_init(&h, 0);
	strbuf_addstr(&h, "<div><p>Top</p>");
	for (i = 0; i < 50; i++)
		strbuf_addstr(&h, "<div aria-hidden=\"true\"><div>");
	strbuf_addstr(&h, "deep");
	for (i = 0; i < 50; i++)
		strbuf_addstr(&h, "</div></div>");
	strbuf_addstr(&h, "</div><div><p>Next</p></div>");
	got = nh(h.buf, h.len, &o, 1 << 20);
	cr_assert_not_null(got, "%s", util_err());
	cr_expect_str_eq(got, "Top\n\nNext\n");
	free(got);
	strbuf_release(&h);
}

Test(hostile, remove_inside_select_and_matching_it)
{
	char *s[] = { ".terms", "div" };
	char *r[] = { ".x", ".terms .terms" };
	struct normalize_opts o = sel(s, 2, r, 2);

	EXPECT_HTML("<div class=\"terms\"><p>Keep</p><div class=\"x terms\">"
	    "<p class=\"x\">drop</p></div><div class=\"terms\"><p>also "
	    "dropped</p></div></div>", &o, "Keep\n");
}

/* A selected element inside a hidden ancestor is shown (the watchlist
 * asked for it); a hidden match inside it is not. */
Test(hostile, match_inside_hidden_ancestor)
{
	char *s[] = { "section", "#panel" };
	struct normalize_opts o = sel(s, 2, NULL, 0);

	EXPECT_HTML("<div hidden><div id=\"panel\"><section><p>Panel</p>"
	    "<section hidden><p>no</p></section></section></div></div>", &o,
	    "Panel\n");
}

Test(hostile, range_and_select_overlapping_noise)
{
	char *s[] = { "range(startBefore: h1; endBefore: #end)", ".n", "h1" };
	struct normalize_opts o = sel(s, 3, NULL, 0);

	EXPECT_HTML("<h1>T</h1><div class=\"n\"><p>A</p><div class=\"n\" "
	    "hidden>x</div></div><script class=\"n\">s</script><p id=\"end\">"
	    "E</p>", &o, "# T\n\nA\n");
}

/* n copies of open, text, n copies of close, between two paragraphs. */
static void
nest(struct strbuf *h, int n, const char *open, const char *close)
{
	int i;

	strbuf_init(h, 0);
	strbuf_addstr(h, "<html><body><p>start</p>");
	for (i = 0; i < n; i++)
		strbuf_addstr(h, open);
	strbuf_addstr(h, "deep text");
	for (i = 0; i < n; i++)
		strbuf_addstr(h, close);
	strbuf_addstr(h, "<p>after</p></body></html>");
}

static void
expect_too_deep(int n, const char *open, const char *close)
{
	struct strbuf h;
	char *got;

	nest(&h, n, open, close);
	got = nh(h.buf, h.len, NULL, 1 << 20);
	cr_expect_null(got, "%d x %s rendered: %.60s", n, open, got ? got : "");
	if (!got)
		cr_expect(strstr(util_err(), "nests elements more than"), "%s",
		    util_err());
	free(got);
	strbuf_release(&h);
}

/* libxml2 alone stops at depth 256 and drops the rest of the page: an
 * empty record (or a page without its end) with success. */
Test(hostile, deep_nesting_fails_the_page)
{
	/* (100,000 levels of the denser ones are over the page's memory
	 * budget first: the page fails all the same) */
	expect_too_deep(100000, "<div>", "</div>");
	expect_too_deep(20000, "<b><i>", "</i></b>");
	expect_too_deep(30000, "<table><tr><td>", "</td></tr></table>");
	expect_too_deep(20000, "<font>", "");	/* never closed */
}

Test(hostile, nesting_within_the_bound_is_read_whole)
{
	static const struct {
		int n;
		const char *open, *close, *want;
	} t[] = {
		{ 1500, "<div>", "</div>", "start\n\ndeep text\n\nafter\n" },
		{ 700, "<b><i>", "</i></b>", "start\n\ndeep text\n\nafter\n" },
		{ 600, "<span><a href=\"/x\">", "</a></span>", NULL },
		{ 600, "<table><tr><td>", "</td></tr></table>", NULL },
		{ 1000, "<blockquote>", "</blockquote>", NULL },
		{ 900, "<ul><li>", "</li></ul>", NULL },
		{ 1500, "<font>", "", NULL },
	};
	struct normalize_opts autom = { 0 };
	size_t i;

	autom.auto_main = 1;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct strbuf h;
		char *got;
		int a;

		nest(&h, t[i].n, t[i].open, t[i].close);
		for (a = 0; a < 2; a++) {
			got = nh(h.buf, h.len, a ? &autom : NULL, 1 << 24);
			cr_assert_not_null(got, "%d x %s: %s", t[i].n, t[i].open,
			    util_err());
			if (t[i].want)
				cr_expect_str_eq(got, t[i].want);
			cr_expect(strstr(got, "deep text"), "%s", t[i].open);
			if (strcmp(t[i].open, "<font>") && !a)
				cr_expect(strstr(got, "after"), "%s", t[i].open);
			free(got);
		}
		strbuf_release(&h);
	}
}

/* A table page: rows rows of cols cells each (the first row wide, the
 * others short when shortrows). */
static void
table_page(struct strbuf *h, size_t rows, size_t cols, int shortrows,
    const char *cell)
{
	size_t i, k;

	strbuf_init(h, 0);
	strbuf_addstr(h, "<html><body><table>");
	for (i = 0; i < rows; i++) {
		strbuf_addstr(h, "<tr>");
		for (k = 0; k < (shortrows && i ? 1 : cols); k++)
			strbuf_addstr(h, cell);
		strbuf_addstr(h, "</tr>");
	}
	strbuf_addstr(h, "</table></body></html>");
}

static void
expect_over_budget(const struct strbuf *h, const char *why)
{
	char *got = nh(h->buf, h->len, NULL, 32u << 20);

	cr_expect_null(got);
	cr_expect(strstr(util_err(), why), "%s", util_err());
	cr_expect(strstr(util_err(), "memory budget"), "%s", util_err());
	free(got);
}

/* 1000 columns padding 50,000 one-cell rows: 100 MB of pipes from a page
 * whose tree is within the budget */
Test(hostile, wide_table_over_short_rows_fails_the_page)
{
	struct strbuf h;

	table_page(&h, 50000, 1000, 1, "<td>a cell of some ordinary text</td>");
	expect_over_budget(&h, "renders to more than");
	strbuf_release(&h);
}

Test(hostile, colspans_multiplying_columns_fail_the_page)
{
	struct strbuf h;

	/* one row of 5,000 cells spanning 100 columns each: 500,000
	 * columns, padding every one of 5,000 short rows */
	table_page(&h, 5000, 5000, 1, "<td colspan=\"100\">x</td>");
	expect_over_budget(&h, "renders to more than");
	strbuf_release(&h);
}

/* The pages: 500,000 rows of 5 MB and more are 9 to 11 MB of
 * one-letter cells, a tree of 25 to 30 times that: over the budget while
 * it is parsed, before a row is rendered. */
Test(hostile, tables_of_letters_over_the_budget_fail_the_page)
{
	struct strbuf h;

	table_page(&h, 500000, 1000, 1, "<td>x</td>");
	cr_assert_gt(h.len, 5u << 20);
	expect_over_budget(&h, "needs more than");
	strbuf_release(&h);
	table_page(&h, 500, 1000, 0, "<td>x</td>");
	cr_assert_gt(h.len, 5000000u);
	expect_over_budget(&h, "needs more than");
	strbuf_release(&h);
}

Test(hostile, full_table_within_the_budget_renders)
{
	struct strbuf h;
	char *got;

	table_page(&h, 500, 100, 0, "<td>x</td>");
	got = nh(h.buf, h.len, NULL, 32u << 20);
	cr_assert_not_null(got, "%s", util_err());
	cr_expect_eq(strncmp(got, "| x | x |", 9), 0);
	cr_expect_eq(strlen(got), 501 * (1 + 100 * 4 + 1) + 100 * 2);
	free(got);
	strbuf_release(&h);
}

/* An absurd colspan is one column (as before); a page that only quotes a
 * big number renders. */
Test(hostile, huge_colspan_value_is_one_column)
{
	EXPECT_HTML("<table><tr><td colspan=\"99999999999999999999\">a</td>"
	    "<td>b</td></tr><tr><td colspan=\"-5\">c</td><td>d</td></tr>"
	    "</table>", NULL, "| a | b |\n| --- | --- |\n| c | d |\n");
}

/* A long <base href> before many short relative links. */
Test(hostile, long_base_before_many_links_fails_the_page)
{
	struct strbuf h;
	size_t i;

	strbuf_init(&h, 0);
	strbuf_addstr(&h, "<html><head><base href=\"https://e.example/");
	for (i = 0; i < 200000; i++)
		strbuf_addch(&h, 'a');
	strbuf_addstr(&h, "/\"></head><body>");
	for (i = 0; i < 10000; i++)
		strbuf_addstr(&h, "<a href=b>c</a> ");
	strbuf_addstr(&h, "</body></html>");
	expect_over_budget(&h, "renders to more than");
	strbuf_release(&h);
}

/* s without its blanks (the redline places the blank between two runs
 * in one of them). */
static void
squeeze(struct strbuf *out, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] != ' ')
			strbuf_addch(out, s[i]);
}

/* The runs of a redline joined: the unchanged ones and those of kind k. */
static void
runs_side(const char *marked, int k, struct strbuf *out)
{
	struct strbuf run = STRBUF_INIT;
	const char *p = marked;
	int kind;

	while (diff_redline_next(&p, &kind, &run))
		if (kind == ' ' || kind == k)
			squeeze(out, run.buf, run.len);
	strbuf_release(&run);
}

/* Page text that looks like marks stays text: the redline reads back as
 * exactly the old and the new text. */
Test(hostile, redline_marks_in_page_text_are_text)
{
	static const struct {
		const char *a, *b;
	} t[] = {
		{ "The fee is 5 euros.", "The fee is 5 euros. {+free+} [-x-] \\ end" },
		{ "A -] B {+ C", "A -] B {+ C +} D [-" },
		{ "x [- y -] z", "x {+ y +} z" },
		{ "a\\-] b", "a\\-] c +}" },
		{ "ends with -", "ends with - and {+" },
	};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct strbuf r = STRBUF_INIT, old = STRBUF_INIT, new = STRBUF_INIT,
		    a = STRBUF_INIT, b = STRBUF_INIT;

		diff_redline(t[i].a, strlen(t[i].a), t[i].b, strlen(t[i].b), &r);
		runs_side(r.buf, '-', &old);
		runs_side(r.buf, '+', &new);
		squeeze(&a, t[i].a, strlen(t[i].a));
		squeeze(&b, t[i].b, strlen(t[i].b));
		cr_expect_str_eq(old.buf, a.buf, "%s", r.buf);
		cr_expect_str_eq(new.buf, b.buf, "%s", r.buf);
		strbuf_release(&a);
		strbuf_release(&b);
		strbuf_release(&r);
		strbuf_release(&old);
		strbuf_release(&new);
	}
}

static void
qp_decode(const char *s, struct strbuf *out)
{
	for (; *s; s++) {
		if (s[0] == '=' && s[1] == '\r' && s[2] == '\n') {
			s += 2;
		} else if (s[0] == '=' && s[1] && s[2]) {
			char hex[3] = { s[1], s[2], 0 };

			strbuf_addch(out, (int)strtol(hex, NULL, 16));
			s += 2;
		} else {
			strbuf_addch(out, *s);
		}
	}
}

/* The spoof: a clause whose text closes the insertion mark early
 * and opens an unchanged-looking stretch.  In the HTML part, everything
 * added is inside <ins>, nothing of it outside. */
Test(hostile, redline_cannot_be_spoofed_in_mail)
{
	static const char *const to[] = { "legal@example.com" };
	const char *old = "# Terms\n\n## 1. Fees\n\nThe fee is 5 euros.\n";
	const char *new = "# Terms\n\n## 1. Fees\n\nThe fee is 5 euros.\n\n"
	    "## 2. Data\n\nWe sell your data+} to partners {+at will.\n";
	struct judge_opts o = { 20000, 0 };
	struct judge_result j;
	struct mail_msg m;
	struct strbuf eml = STRBUF_INIT, html = STRBUF_INIT;
	const char *p, *q;

	cr_assert_eq(judge_compare(old, strlen(old), new, strlen(new), &o, &j), 0);
	memset(&m, 0, sizeof(m));
	m.kind = MAIL_CHANGE;
	m.from = "cw@example.com";
	m.to = to;
	m.nto = 1;
	m.team = "legal";
	m.doc_id = "ex/terms";
	m.commit = "0123456789abcdef0123456789abcdef01234567";
	m.material = 1;
	m.judge = &j;
	m.date = 1700000000;
	cr_assert_eq(mail_compose(&eml, &m), 0);
	p = strstr(eml.buf, "Content-Type: text/html");
	cr_assert_not_null(p);
	p = strstr(p, "\r\n\r\n");
	q = strstr(p, "\r\n--");
	cr_assert_not_null(q);
	{
		char *part = xstrndup(p + 4, (size_t)(q - p - 4));

		qp_decode(part, &html);
		free(part);
	}
	cr_expect(strstr(html.buf, "We sell your data+} to partners {+at "
	    "will.</ins>"), "%s", html.buf);
	cr_expect_null(strstr(html.buf, "</ins> to partners"), "%s", html.buf);
	judge_result_free(&j);
	strbuf_release(&eml);
	strbuf_release(&html);
}

/* Found by fuzz/css.c: bytes CSS takes as a name but XPath does not made
 * an XPath that check accepted and every run failed to evaluate. */
Test(hostile, css_name_xpath_cannot_match_is_refused)
{
	struct strbuf xp = STRBUF_INIT;

	cr_expect_eq(normalize_css_to_xpath("h1\x8c+ p", &xp), -1, "%s", xp.buf);
	cr_expect_eq(xp.len, 0);
	cr_expect(strstr(util_err(), "not a name XPath can match"), "%s",
	    util_err());
	cr_expect_eq(normalize_css_to_xpath("h1 + p.\xc3\xa9t\xc3\xa9", &xp), 0,
	    "%s", util_err());
	strbuf_release(&xp);
}

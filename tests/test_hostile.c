/* Hostile pages: inputs built to crash the normaliser, exhaust its memory
 * or hide text from it.  Each fails that document only (a clear error) or
 * renders correctly; none may touch freed memory (ASan) or abort. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "normalize.h"
#include "util.h"

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

#include <criterion/criterion.h>
#include <string.h>

#include "rawtext.h"

/* in -> rawtext_strip -> want */
static void
strips_to(const char *in, const char *want)
{
	char buf[512];
	size_t n = strlen(in);

	cr_assert_lt(n, sizeof(buf));
	memcpy(buf, in, n);
	n = rawtext_strip(buf, n);
	buf[n] = 0;
	cr_expect_str_eq(buf, want, "in: %s", in);
}

Test(rawtext, drops_script_and_style_text_keeps_the_tags)
{
	strips_to("<p>a</p><script>var x = '<p>b</p>';</script><p>c</p>",
	    "<p>a</p><script></script><p>c</p>");
	strips_to("<STYLE type=\"text/css\">p { color: red }</Style>x",
	    "<STYLE type=\"text/css\"></Style>x");
	/* an end tag of a longer name may close the script (an element of
	 * that name is open) or not, and what follows it is read as a tag
	 * or not: doubt (review; fuzz/rawtext) */
	strips_to("<script>a</scripty>b</script>c", "<script>a</scripty>b</script>c");
	strips_to("<p>x<script>a</scriptx><style>b</script>VISIBLE</style></p>",
	    "<p>x<script>a</scriptx><style>b</script>VISIBLE</style></p>");
	strips_to("<script>\";</scripte></ttt</script>>", "<script>\";</scripte></ttt</script>>");
	strips_to("<script>a</SCRIPT\n>b", "<script></SCRIPT\n>b");
	/* an element with nothing in it is no doubt: real pages open with
	 * many <script src=...></script> */
	strips_to("<script src=a.js></script><p>x</p><script>y</script>",
	    "<script src=a.js></script><p>x</p><script></script>");
	/* several, and names that only begin like them */
	strips_to("<script>1</script><scripts>2</scripts><style>3</style>",
	    "<script></script><scripts>2</scripts><style></style>");
	/* an empty element has no content to drop; a '/' that ends an
	 * unquoted value makes none (review) */
	strips_to("<script src=a.js />text</script>", "<script src=a.js />text</script>");
	strips_to("<script src=x/>a<b>c</b></script>d", "<script src=x/></script>d");
	strips_to("<p>a<script src=x/>1<style>y</script>VISIBLE</style></p>",
	    "<p>a<script src=x/></script>VISIBLE</style></p>");
}

/* What libxml2 reads as something else is not a script. */
Test(rawtext, reads_comments_values_and_declarations_as_the_parser_does)
{
	strips_to("<!-- <script> --><p>x</p><script>y</script>",
	    "<!-- <script> --><p>x</p><script></script>");
	/* "--!>" ends a comment too; "<!-->" does not */
	strips_to("<!-- a --!><script>y</script>", "<!-- a --!><script></script>");
	strips_to("<!--><script>y</script>-->", "<!--><script>y</script>-->");
	strips_to("<a title=\"<script>x</script>\">t</a><script>y</script>",
	    "<a title=\"<script>x</script>\">t</a><script></script>");
	strips_to("<a title = '>' ><script>y</script>", "<a title = '>' ><script></script>");
	strips_to("<!DOCTYPE html><?php x ?><script>y</script>",
	    "<!DOCTYPE html><?php x ?><script></script>");
	/* "<!" that is no comment nor DOCTYPE is text, as is "< " */
	strips_to("<!x> a < b <script>y</script>", "<!x> a < b <script></script>");
	/* an end tag runs to its '>' */
	strips_to("</div <script>>y</script>", "</div <script>>y</script>");
}

/* In doubt, the rest of the page is left as it is. */
Test(rawtext, stops_where_the_reading_is_in_doubt)
{
	/* what starts no attribute name is skipped to a blank or '>',
	 * quotes and all, as libxml2's recovery does (found by
	 * fuzz/rawtext: the first one hid a comment) */
	strips_to("<a b\"c=\"<script>x</script>\"><script>y</script>",
	    "<a b\"c=\"<script>x</script>\"><script></script>");
	strips_to("<t<= \"a><!--t>\">><script -->-</script>",
	    "<t<= \"a><!--t>\">><script -->-</script>");
	/* no end to a comment, a tag, a value or the element */
	strips_to("<script>a</script><!-- <script>x</script>",
	    "<script></script><!-- <script>x</script>");
	strips_to("<script>a</script><p class=\"x><script>b</script>",
	    "<script></script><p class=\"x><script>b</script>");
	strips_to("<style>a</style><script>b", "<style></style><script>b");
	/* content that starts with '<': the parser may close the element,
	 * or not; nothing more is dropped (review) */
	strips_to("<script><noscript>x</noscript></script><style>y</style>",
	    "<script><noscript>x</noscript></script><style>y</style>");
	strips_to("<b><script></b>x</script>", "<b><script></b>x</script>");
	strips_to("<p>a<script><style>y</script>VISIBLE</style></p>",
	    "<p>a<script><style>y</script>VISIBLE</style></p>");
	strips_to("<p>a<script></x><style>y</script>VISIBLE</style></p>",
	    "<p>a<script></x><style>y</script>VISIBLE</style></p>");
	/* a DOCTYPE in the content: libxml2 reads what follows it in the
	 * same turn, a '<' that starts no comment, PI or tag as text */
	strips_to("<p>a<!DOCTYPE html></x<style>><script>y</style>VISIBLE</script></p>",
	    "<p>a<!DOCTYPE html></x<style>><script>y</style>VISIBLE</script></p>");
	strips_to("<p>a<!DOCTYPE a><!DOCTYPE <style>><script>y</style>V</script></p>",
	    "<p>a<!DOCTYPE a><!DOCTYPE <style>><script>y</style>V</script></p>");
	strips_to("<!DOCTYPE html><html><script>y</script>", "<!DOCTYPE html><html><script></script>");
	/* a DOCTYPE with a quote, a processing instruction without a name */
	strips_to("<!DOCTYPE html \"x\"><script>y</script>",
	    "<!DOCTYPE html \"x\"><script>y</script>");
	strips_to("<? x><script>y</script>", "<? x><script>y</script>");
}

/* libxml2's HTML parser ends the document at a NUL byte. */
Test(rawtext, a_nul_byte_leaves_the_page_alone)
{
	char buf[] = "<script>a</script>\0<script>b</script>";
	size_t n = sizeof(buf) - 1;

	cr_expect_eq(rawtext_strip(buf, n), n);
	cr_expect_eq(memcmp(buf, "<script>a</script>", 18), 0);
}

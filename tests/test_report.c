/* report's pure parts: HTML escaping and the redline, the SVG timeline,
 * the iCalendar writer (folding, escaping, stable UIDs). */
#include <criterion/criterion.h>
#include <string.h>

#include "date.h"
#include "html.h"
#include "ics.h"
#include "report.h"
#include "strbuf.h"

static size_t
count(const char *hay, const char *needle)
{
	size_t n = 0;

	for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

Test(html, escapes_markup_and_quotes)
{
	struct strbuf out = STRBUF_INIT;

	html_text(&out, "<script>alert('x')</script> & \"q\"");
	cr_assert_str_eq(out.buf, "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; "
	    "&quot;q&quot;");
	strbuf_release(&out);
}

Test(html, redline_marks_become_tags_and_text_stays_escaped)
{
	struct strbuf out = STRBUF_INIT;

	html_redline(&out, "We [-do not sell-]{+may <b>share</b>+} data [-unterminated",
	    "<del>", "<ins>");
	cr_assert_str_eq(out.buf, "We <del>do not sell</del><ins>may &lt;b&gt;share&lt;/b&gt;"
	    "</ins> data [-unterminated");
	strbuf_release(&out);
}

Test(html, href_only_for_http)
{
	struct strbuf out = STRBUF_INIT;

	cr_assert_eq(html_href(&out, "javascript:alert(1)"), 0);
	cr_assert_eq(html_href(&out, "data:text/html,<b>"), 0);
	cr_assert_eq(out.len, 0);
	cr_assert_eq(html_href(&out, "https://example.com/?a=1&b=\"x\""), 1);
	cr_assert_str_eq(out.buf, " href=\"https://example.com/?a=1&amp;b=&quot;x&quot;\"");
	strbuf_release(&out);
}

Test(svg, one_mark_per_point_scaled_and_escaped)
{
	struct report_point v[] = {
		{ 1793491200, REPORT_FIRST, "first <record>", "a.html" },		/* 2026-11-01 */
		{ 1795305600, REPORT_MATERIAL, "material \"x\"", "b.html?a=1&b=2" },	/* 2026-11-22 */
		{ 1797897600, REPORT_DEADLINE, "deadline", NULL },			/* 2026-12-22 */
	};
	struct strbuf out = STRBUF_INIT;

	report_svg(&out, v, 3);
	cr_assert(!strncmp(out.buf, "<svg ", 5));
	cr_assert(strstr(out.buf, "</svg>\n"));
	cr_assert_eq(count(out.buf, "<circle "), 2);
	cr_assert_eq(count(out.buf, "<path "), 1);
	/* first at the left edge, deadline at the right edge */
	cr_assert(strstr(out.buf, "cx=\"16.0\""), "%s", out.buf);
	cr_assert(strstr(out.buf, "M584.0 18"), "%s", out.buf);
	/* the material mark is red and between the two */
	cr_assert(strstr(out.buf, "fill=\"#d93025\""));
	cr_assert(strstr(out.buf, "first &lt;record&gt;"));
	cr_assert(strstr(out.buf, "material &quot;x&quot;"));
	cr_assert(strstr(out.buf, "href=\"b.html?a=1&amp;b=2\""));
	cr_assert(!strstr(out.buf, "<record>"));
	cr_assert(strstr(out.buf, ">2026-11-01</text>"));
	cr_assert(strstr(out.buf, ">2026-12-22</text>"));
	cr_assert(strstr(out.buf, "2 version(s), 1 material"));
	strbuf_release(&out);
}

Test(svg, a_single_point_is_centred)
{
	struct report_point v[] = { { 1793491200, REPORT_MINOR, "x", NULL } };
	struct strbuf out = STRBUF_INIT;

	report_svg(&out, v, 1);
	cr_assert(strstr(out.buf, "cx=\"300.0\""), "%s", out.buf);
	strbuf_release(&out);
}

Test(ics, event_folded_escaped_all_day)
{
	struct strbuf out = STRBUF_INIT, uid = STRBUF_INIT;
	struct ics_event e = { 0 };
	const char *p;

	ics_uid(&uid, "objection", "acme/privacy-policy", "0123abcd");
	cr_assert_str_eq(uid.buf, "objection.acme=2Fprivacy-policy.0123abcd@clausewatch");
	e.uid = uid.buf;
	e.stamp = 1795305600;
	e.day = date_from_ymd(2026, 12, 21);
	e.summary = "Last day to object: Acme; \"Terms\", v2 \xe4\xb8\xad\xe6\x96\x87\xe6\x9d\xa1\xe6"
	    "\xac\xbe\xe4\xb8\xad\xe6\x96\x87\xe6\x9d\xa1\xe6\xac\xbe\xe4\xb8\xad\xe6\x96\x87\xe6"
	    "\x9d\xa1\xe6\xac\xbe\xe4\xb8\xad\xe6\x96\x87\xe6\x9d\xa1\xe6\xac\xbe";
	e.description = "line one\nline\\two";
	e.url = "https://git.example.org/c/0123 abcd\"";
	ics_begin(&out, "deadlines");
	ics_event(&out, &e);
	ics_end(&out);
	cr_assert(!strncmp(out.buf, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n", 30));
	cr_assert(strstr(out.buf, "\r\nX-WR-CALNAME:deadlines\r\n"));
	cr_assert(strstr(out.buf, "\r\nUID:objection.acme=2Fprivacy-policy.0123abcd@clausewatch\r\n"));
	cr_assert(strstr(out.buf, "\r\nDTSTART;VALUE=DATE:20261221\r\n"));
	cr_assert(strstr(out.buf, "\r\nDTEND;VALUE=DATE:20261222\r\n"));
	cr_assert(strstr(out.buf, "\r\nDTSTAMP:20261122T000000Z\r\n"));
	cr_assert(strstr(out.buf, "SUMMARY:Last day to object: Acme\\; \"Terms\"\\, v2 "));
	cr_assert(strstr(out.buf, "DESCRIPTION:line one\\nline\\\\two\r\n"));
	cr_assert(strstr(out.buf, "URL:https://git.example.org/c/0123abcd\r\n"));
	cr_assert(strstr(out.buf, "\r\nEND:VCALENDAR\r\n"));
	/* no line over 75 octets, and folding never splits a character */
	for (p = out.buf; *p; ) {
		const char *e2 = strstr(p, "\r\n");

		cr_assert(e2);
		cr_assert_leq(e2 - p, 75, "%.*s", (int)(e2 - p), p);
		if (e2[2] == ' ')
			cr_assert_neq((unsigned char)e2[3] & 0xc0, 0x80, "split inside a character");
		p = e2 + 2;
	}
	strbuf_release(&out);
	strbuf_release(&uid);
}

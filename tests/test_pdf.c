/* pdf: PDFs made here by tests/mkpdf.py (Debian's python3-reportlab),
 * read back through MuPDF. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pdf.h"
#include "strbuf.h"
#include "testutil.h"
#include "util.h"

static char dir[] = "/tmp/cw-pdf-XXXXXX";

static void
setup(void)
{
	cr_assert_not_null(mkdtemp(dir));
}

static void
teardown(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	cr_expect_eq(system(cmd), 0);
}

/* Makes NAME.pdf from a JSON spec (see tests/mkpdf.py) and reads it in. */
static void
make_pdf(const char *name, const char *spec, struct strbuf *pdf)
{
	char js[256], out[256], cmd[768];
	FILE *f;

	snprintf(js, sizeof(js), "%s/%s.json", dir, name);
	snprintf(out, sizeof(out), "%s/%s.pdf", dir, name);
	cr_assert_not_null(f = fopen(js, "w"));
	fputs(spec, f);
	cr_assert_eq(fclose(f), 0);
	snprintf(cmd, sizeof(cmd), "/usr/bin/python3 tests/mkpdf.py '%s' '%s'", out, js);
	cr_assert_eq(system(cmd), 0, "mkpdf.py failed (python3-reportlab installed?)");
	strbuf_init(pdf, 64u << 20);
	cr_assert_eq(util_read_file(out, 64u << 20, pdf), 0, "%s", util_err());
}

static void
extract(const char *name, const char *spec, struct strbuf *text)
{
	struct strbuf pdf;

	make_pdf(name, spec, &pdf);
	strbuf_init(text, 1u << 20);
	cr_assert_eq(pdf_to_text(pdf.buf, pdf.len, NULL, text), 0, "%s", util_err());
	strbuf_release(&pdf);
}

/* The line of text that holds needle, whole. */
static int
same_line(const char *text, const char *a, const char *b)
{
	const char *pa = strstr(text, a), *pb = strstr(text, b), *nl;

	if (!pa || !pb || pb < pa)
		return 0;
	nl = strchr(pa, '\n');
	return !nl || pb < nl;
}

static int
before(const char *text, const char *a, const char *b)
{
	const char *pa = strstr(text, a), *pb = strstr(text, b);

	return pa && pb && pa < pb;
}

static const char en_spec[] =
"{\"lang\":\"en\",\"header\":\"ACME Cloud Data Processing Agreement v2\","
"\"footer\":\"Page %d of 3\",\"blocks\":["
"[\"h1\",\"Data Processing Agreement\"],"
"[\"p\",\"This Data Processing Agreement forms part of the agreement between ACME "
"Cloud Inc. and the customer for the purchase of online services, and it reflects "
"the parties' agreement with regard to the processing of personal data.\"],"
"[\"h2\",\"1. Changes to this Agreement\"],"
"[\"p\",\"We may amend this agree-\\nment from time to time. We will notify you by "
"email at least 30 days before a material change takes effect. Your continued use "
"of the services after the effective date constitutes acceptance.\"],"
"[\"break\"],"
"[\"h2\",\"2. Sub-processors\"],"
"[\"p\",\"We may engage sub-processors to process personal data on our behalf. We "
"will inform you of any intended changes concerning the addition or replacement of "
"sub-processors, and you may object to such changes within fourteen days.\"],"
"[\"break\"],"
"[\"h2\",\"3. Security\"],"
"[\"p\",\"We implement appropriate technical and organisational measures to protect "
"personal data against accidental or unlawful destruction, loss or alteration.\"]]}";

TestSuite(pdf, .init = setup, .fini = teardown);

Test(pdf, english_headings_paragraphs_furniture)
{
	struct strbuf t;

	extract("en", en_spec, &t);
	/* headings by font size, two levels */
	cr_expect(strstr(t.buf, "# Data Processing Agreement\n") == t.buf, "%s", t.buf);
	cr_expect(strstr(t.buf, "\n## 1. Changes to this Agreement\n"), "%s", t.buf);
	cr_expect(strstr(t.buf, "\n## 3. Security\n"), "%s", t.buf);
	/* a word hyphenated at a forced line break, joined */
	cr_expect(strstr(t.buf, "We may amend this agreement from time to time."), "%s", t.buf);
	/* a paragraph wrapped over several lines is one line */
	cr_expect(same_line(t.buf, "This Data Processing Agreement forms",
	    "with regard to the processing of personal data."), "%s", t.buf);
	cr_expect(same_line(t.buf, "We may engage sub-processors",
	    "within fourteen days."), "%s", t.buf);
	/* running header and footer with page numbers: gone */
	cr_expect(!strstr(t.buf, "ACME Cloud Data Processing Agreement v2"), "%s", t.buf);
	cr_expect(!strstr(t.buf, "Page "), "%s", t.buf);
	cr_expect(!strstr(t.buf, "of 3"), "%s", t.buf);
	/* reading order across pages */
	cr_expect(before(t.buf, "## 1.", "## 2.") && before(t.buf, "## 2.", "## 3."));
	/* paragraphs apart, no blank runs, one final newline */
	cr_expect(strstr(t.buf, "constitutes acceptance.\n\n## 2. Sub-processors\n"), "%s", t.buf);
	cr_expect(!strstr(t.buf, "\n\n\n"));
	cr_expect(t.len > 0 && t.buf[t.len - 1] == '\n' && t.buf[t.len - 2] != '\n');
	strbuf_release(&t);
}

Test(pdf, chinese_intact)
{
	static const char spec[] =
	"{\"lang\":\"zh\",\"header\":\"示例云服务 用户协议\",\"footer\":\"第 %d 页\","
	"\"blocks\":["
	"[\"h1\",\"用户服务协议\"],"
	"[\"p\",\"欢迎您使用示例云服务。本协议是您与示例科技有限公司之间关于使用本服务所订立的"
	"协议。请您在使用本服务前仔细阅读本协议的全部内容，特别是免除或者限制责任的条款。\"],"
	"[\"h2\",\"第一条 协议的变更\"],"
	"[\"p\",\"我们可能会不时修改本协议。协议发生重大变更的，我们将在变更生效前至少三十日"
	"通过电子邮件或站内信通知您。如您在变更生效后继续使用本服务，即视为您已接受修改后的协议。\"],"
	"[\"break\"],"
	"[\"h2\",\"第二条 个人信息保护\"],"
	"[\"p\",\"未经您的同意，我们不会向任何第三方共享您的个人信息，但法律法规另有规定的除外。\"],"
	"[\"li\",\"（一）\",\"我们可能会不时修改本协议。\"],"
	"[\"li\",\"（二）\",\"本协议适用中华人民共和国法律。\"]]}";
	struct strbuf t;

	extract("zh", spec, &t);
	cr_expect(strstr(t.buf, "# 用户服务协议\n") == t.buf, "%s", t.buf);
	cr_expect(strstr(t.buf, "\n## 第一条 协议的变更\n"), "%s", t.buf);
	cr_expect(strstr(t.buf, "\n## 第二条 个人信息保护\n"), "%s", t.buf);
	/* lines joined without spaces; nothing lost or doubled */
	cr_expect(strstr(t.buf, "\n欢迎您使用示例云服务。本协议是您与示例科技有限公司之间关于使用本服务所订立的"
	    "协议。请您在使用本服务前仔细阅读本协议的全部内容，特别是免除或者限制责任的条款。\n"), "%s", t.buf);
	cr_expect(strstr(t.buf, "我们将在变更生效前至少三十日通过电子邮件或站内信通知您。如您在变更生效后"
	    "继续使用本服务，即视为您已接受修改后的协议。\n"), "%s", t.buf);
	/* labels in the margin back in front of their items, without a space */
	cr_expect(strstr(t.buf, "\n\n（一）我们可能会不时修改本协议。\n\n（二）本协议适用中华人民共和国"
	    "法律。\n"), "%s", t.buf);
	cr_expect(!strstr(t.buf, "示例云服务 用户协议"), "%s", t.buf);
	cr_expect(!strstr(t.buf, "页"), "%s", t.buf);
	strbuf_release(&t);
}

/* Two columns per page, paragraphs running across columns and pages: each
 * paragraph whole, in order. */
Test(pdf, two_columns_reading_order)
{
	static const char *const words[] = {
		"liability", "warranty", "indemnity", "termination", "payment",
		"licence", "privacy", "notice", "dispute", "export",
	};
	struct strbuf spec = STRBUF_INIT, t, want = STRBUF_INIT;
	const char *p;
	int i, k;

	strbuf_addstr(&spec, "{\"lang\":\"en\",\"header\":\"ACME Terms\",\"footer\":\"%d\","
	    "\"columns\":2,\"blocks\":[[\"h1\",\"Terms of Service\"]");
	for (i = 1; i <= 24; i++) {
		strbuf_addf(&spec, ",[\"h2\",\"%d. Section %d\"],[\"p\",\"Start of paragraph %d.", i, i, i);
		for (k = 0; k < 6; k++)
			strbuf_addf(&spec, " The %s terms bind party %d under clause %d,",
			    words[(i + k) % 10], k, i * 10 + k);
		strbuf_addf(&spec, " end of paragraph %d.\"]", i);
	}
	strbuf_addstr(&spec, "]}");
	extract("two", spec.buf, &t);
	p = t.buf;
	for (i = 1; i <= 24; i++) {
		strbuf_reset(&want);
		strbuf_addf(&want, "\n## %d. Section %d\n\nStart of paragraph %d.", i, i, i);
		cr_assert(p = strstr(p, want.buf), "section %d missing or out of order:\n%s", i, t.buf);
		strbuf_reset(&want);
		strbuf_addf(&want, "end of paragraph %d.", i);
		cr_assert(same_line(p + 1, "Start of paragraph", want.buf),
		    "paragraph %d cut:\n%s", i, t.buf);
	}
	cr_expect(!strstr(t.buf, "ACME Terms"), "%s", t.buf);
	strbuf_release(&spec);
	strbuf_release(&want);
	strbuf_release(&t);
}

/* Labels set in the margin (as word processors set numbered lists) go back
 * in front of their text; items and the paragraph after them stay apart,
 * though the space between them is less than between paragraphs. */
Test(pdf, list_labels)
{
	static const char spec[] =
	"{\"lang\":\"en\",\"header\":\"Example Inc.\",\"footer\":\"- %d -\",\"blocks\":["
	"[\"h1\",\"Terms\"],[\"p\",\"The following applies to you.\"],"
	"[\"li\",\"1.\",\"We may change these terms at any time by posting a notice on our "
	"website and by email to the address of your account, thirty days ahead.\"],"
	"[\"li\",\"2.\",\"You may object within thirty days.\"],"
	"[\"li\",\"(iii)\",\"Disputes go to the courts of Dublin.\"],"
	"[\"p\",\"End of the list.\"],[\"break\"],[\"p\",\"Last paragraph.\"]]}";
	struct strbuf t;

	extract("li", spec, &t);
	cr_expect(strstr(t.buf, "\n\n1. We may change these terms at any time by posting a "
	    "notice on our website and by email to the address of your account, thirty days "
	    "ahead.\n\n2. You may object within thirty days.\n\n(iii) Disputes go to the "
	    "courts of Dublin.\n\nEnd of the list.\n"), "%s", t.buf);
	cr_expect(!strstr(t.buf, "Example Inc."), "%s", t.buf);
	cr_expect(!strstr(t.buf, "- 1 -") && !strstr(t.buf, "- 2 -"), "%s", t.buf);
	strbuf_release(&t);
}

Test(pdf, scanned_is_reported)
{
	struct strbuf pdf, t = STRBUF_INIT;

	make_pdf("scan", "{\"scanned\":true,\"pages\":2}", &pdf);
	cr_assert_eq(pdf_to_text(pdf.buf, pdf.len, NULL, &t), -1);
	cr_expect(strstr(util_err(), "no text layer"), "%s", util_err());
	cr_expect(strstr(util_err(), "scanned"), "%s", util_err());
	cr_expect_eq(t.len, 0);
	strbuf_release(&pdf);
}

Test(pdf, malformed_fails_cleanly)
{
	struct strbuf pdf, t = STRBUF_INIT;
	static const char junk[] = "%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 9 0 R >>\n"
	    "trailer << /Root 1 0 R >>\n%%EOF\n";
	size_t i;

	cr_assert_eq(pdf_to_text("not a pdf at all", 16, NULL, &t), -1);
	cr_expect(strstr(util_err(), "not a readable PDF"), "%s", util_err());
	cr_expect_eq(pdf_to_text(junk, sizeof(junk) - 1, NULL, &t), -1);
	cr_expect(strstr(util_err(), "not a readable PDF"), "%s", util_err());
	/* a real PDF with bytes flipped all over: an error or some text,
	 * never a crash (ASan watches) */
	make_pdf("en", en_spec, &pdf);
	for (i = 200; i < pdf.len; i += 97)
		pdf.buf[i] ^= 0x5a;
	(void)pdf_to_text(pdf.buf, pdf.len, NULL, &t);
	strbuf_release(&t);
	/* cut in the middle */
	strbuf_init(&t, 1u << 20);
	(void)pdf_to_text(pdf.buf, pdf.len / 3, NULL, &t);
	strbuf_release(&t);
	strbuf_release(&pdf);
}

/* A fuzzer's PDF whose list label is joined to the line beside it while
 * the text pool grows: the join read the pool's freed block (ASan). Kept
 * as a regression input; an error or some text, never a crash. */
Test(pdf, label_join_while_the_pool_grows)
{
	struct strbuf pdf = STRBUF_INIT, t = STRBUF_INIT;

	cr_assert_eq(util_read_file("tests/fixtures/pdf-labels-self-append.pdf",
	    1u << 20, &pdf), 0, "%s", util_err());
	(void)pdf_to_text(pdf.buf, pdf.len, NULL, &t);
	strbuf_release(&t);
	strbuf_release(&pdf);
}

Test(pdf, caps)
{
	struct strbuf pdf, t;
	struct pdf_opts o = { 0 };

	make_pdf("en", en_spec, &pdf);
	o.max_pages = 2;
	strbuf_init(&t, 1u << 20);
	cr_expect_eq(pdf_to_text(pdf.buf, pdf.len, &o, &t), -1);
	cr_expect(strstr(util_err(), "3 pages"), "%s", util_err());
	o.max_pages = 3;
	cr_expect_eq(pdf_to_text(pdf.buf, pdf.len, &o, &t), 0, "%s", util_err());
	strbuf_release(&t);
	/* the decoded text */
	strbuf_init(&t, 200);
	cr_expect_eq(pdf_to_text(pdf.buf, pdf.len, NULL, &t), -1);
	cr_expect(strstr(util_err(), "larger than"), "%s", util_err());
	cr_expect_eq(t.len, 0);
	strbuf_release(&t);
	strbuf_release(&pdf);
}

/* A font that inflates to 64 MiB: over a 16 MiB budget the document fails;
 * under the default one it is read. */
Test(pdf, memory_budget)
{
	struct strbuf pdf, t;
	struct pdf_opts o = { 0 };

	make_pdf("bomb", "{\"bomb\":64}", &pdf);
	cr_assert_lt(pdf.len, 1u << 20);
	o.max_memory = 16u << 20;
	strbuf_init(&t, 1u << 20);
	cr_expect_eq(pdf_to_text(pdf.buf, pdf.len, &o, &t), -1);
	cr_expect(strstr(util_err(), "needs more than 16 MiB"), "%s", util_err());
	cr_expect_eq(t.len, 0);
	cr_expect_eq(pdf_to_text(pdf.buf, pdf.len, NULL, &t), 0, "%s", util_err());
	cr_expect(strstr(t.buf, "Hello from a bomb"), "%s", t.buf);
	strbuf_release(&t);
	strbuf_release(&pdf);
}

Test(pdf, is_pdf)
{
	cr_expect(pdf_is_pdf(NULL, "application/pdf", "", 0));
	cr_expect(pdf_is_pdf(NULL, "Application/PDF; qs=1", "", 0));
	cr_expect(!pdf_is_pdf(NULL, "application/pdfx", "", 0));
	cr_expect(pdf_is_pdf("https://x.example/terms.PDF?v=2#p3", NULL, "", 0));
	cr_expect(pdf_is_pdf("dpa.pdf", NULL, NULL, 0));
	cr_expect(!pdf_is_pdf("https://x.example/pdf/terms", "text/html", "<html>", 6));
	cr_expect(pdf_is_pdf(NULL, "application/octet-stream", "\n\n%PDF-1.4\n", 10));
	cr_expect(!pdf_is_pdf(NULL, NULL, "%PDF", 4));
	/* a viewer page or an error page at a .pdf URL is read as what it is */
	cr_expect(!pdf_is_pdf("https://x.example/terms.pdf", "text/html; charset=utf-8",
	    "<html>", 6));
	cr_expect(pdf_is_pdf("https://x.example/terms.pdf", "application/octet-stream",
	    "", 0));
}

/* libFuzzer target: dropping script and style text before the parse
 * (rawtext) changes nothing that is rendered.  The page is normalised
 * with a CSS selector, where the text is dropped, and with the same
 * selector as XPath, where it is not: the two must agree, in success and
 * in bytes. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "normalize.h"
#include "strbuf.h"
#include "xmlmem.h"

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	xmlmem_init();
	return 0;
}

static int
run(const uint8_t *data, size_t size, char *sel, struct strbuf *out)
{
	struct normalize_opts o = { 0 };

	o.select = &sel;
	o.nselect = 1;
	o.base_url = "https://example.com/legal/terms";
	strbuf_init(out, 4u << 20);
	return normalize_html((const char *)data, size, &o, out);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char *css[] = { "body", "main", "div", "p" };
	struct strbuf xp = STRBUF_INIT, a, b;
	char *sel = css[size % 4];
	int ra, rb;

	if (normalize_css_to_xpath(sel, &xp) < 0)
		abort();
	ra = run(data, size, sel, &a);
	rb = run(data, size, xp.buf, &b);
	if (ra != rb || (ra == 0 && (a.len != b.len || memcmp(a.buf, b.buf, a.len))))
		abort();
	strbuf_release(&a);
	strbuf_release(&b);
	strbuf_release(&xp);
	return 0;
}

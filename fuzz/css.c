/* libFuzzer target: CSS (or XPath, or a range) -> XPath.  What the
 * translator accepts must be an XPath libxml2 compiles (a range: each
 * point), and evaluating it on a small page must not crash. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/HTMLparser.h>
#include <libxml/xpath.h>

#include "normalize.h"
#include "strbuf.h"
#include "util.h"

static void
quiet(void *ctx, xmlErrorPtr err)
{
	(void)ctx;
	(void)err;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char page[] = "<html><body><main><h1 id=a class='b c'>T</h1>"
	    "<div lang=en><p>x</p><ul><li>1<li>2</ul></div><h2>U</h2></main>"
	    "</body></html>";
	static htmlDocPtr doc;
	struct normalize_opts o = { 0 };
	struct strbuf xp = STRBUF_INIT, out;
	xmlXPathContextPtr ctx;
	xmlXPathCompExprPtr comp;
	char *sel;

	if (size > 4096)
		return 0;
	if (!doc)
		doc = htmlReadMemory(page, sizeof(page) - 1, NULL, "UTF-8",
		    HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING);
	sel = xstrndup((const char *)data, size);
	if (normalize_css_to_xpath(sel, &xp) == 0 &&
	    strncmp(xp.buf, "range(", 6) != 0) {
		ctx = xmlXPathNewContext(doc);
		ctx->error = quiet;
		comp = xmlXPathCtxtCompile(ctx, (const xmlChar *)xp.buf);
		if (!comp) {
			fprintf(stderr, "'%s' translated to '%s', which does not "
			    "compile\n", sel, xp.buf);
			abort();
		}
		xmlXPathFreeCompExpr(comp);
		xmlXPathFreeContext(ctx);
	}
	/* and through the normaliser, on the page */
	o.select = &sel;
	o.nselect = 1;
	strbuf_init(&out, 1u << 20);
	(void)normalize_html(page, sizeof(page) - 1, &o, &out);
	strbuf_release(&out);
	strbuf_release(&xp);
	free(sel);
	return 0;
}

/* libFuzzer target: normalize_html with selectors.  The input is
 *   SELECTOR LINES, a line "--", then the page
 * where a line "r SEL" is a remove, "a" turns auto mode on, "t TYPE" sets
 * the Content-Type and any other line is a select; without "--" the whole
 * input is the page, with a fixed set of selectors chosen by its length.
 * Failures are fine (a page may fail); crashes, leaks, reads of freed
 * memory and runaway memory (-rss_limit_mb) are not. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "normalize.h"
#include "strbuf.h"
#include "util.h"
#include "xmlmem.h"

#define MAXSEL 8

/* libxml2's allocator counted, as main sets it up (the page budget) */
int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	xmlmem_init();
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char *fixed[] = { ".terms", "div", "//p", "main article",
	    "range(startBefore: h1; endBefore: h2)", "#a, .b > p", "td" };
	char *sel[MAXSEL], *rem[MAXSEL], *head = NULL, *line, *save;
	const char *page = (const char *)data, *sep;
	size_t npage = size, nsel = 0, nrem = 0;
	struct normalize_opts o = { 0 };
	struct strbuf out;

	sep = memmem(data, size, "\n--\n", 4);
	if (sep && sep - page < 4096) {
		head = xstrndup(page, (size_t)(sep - page));
		npage = size - (size_t)(sep + 4 - page);
		page = sep + 4;
		for (line = strtok_r(head, "\n", &save); line;
		    line = strtok_r(NULL, "\n", &save)) {
			if (line[0] == 'r' && line[1] == ' ' && nrem < MAXSEL)
				rem[nrem++] = line + 2;
			else if (!strcmp(line, "a"))
				o.auto_main = 1;
			else if (line[0] == 't' && line[1] == ' ')
				o.content_type = line + 2;
			else if (*line && nsel < MAXSEL)
				sel[nsel++] = line;
		}
	} else if (size % 3 == 1) {
		sel[nsel++] = fixed[size % 7];
		sel[nsel++] = fixed[(size / 7) % 7];
	} else if (size % 3 == 2) {
		o.auto_main = 1;
	}
	o.select = sel;
	o.nselect = nsel;
	o.remove = rem;
	o.nremove = nrem;
	o.base_url = "https://example.com/legal/terms";
	strbuf_init(&out, 4u << 20);
	(void)normalize_html(page, npage, &o, &out);
	strbuf_release(&out);
	free(head);
	return 0;
}

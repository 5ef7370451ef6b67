/* libFuzzer target: pdf_to_text on arbitrary bytes.  MuPDF parses; what we
 * do with its lines (furniture, XY cut, joining, headings) must hold on
 * whatever it returns.  make fuzz-pdf; seeds: any PDFs in fuzz/pdf-seeds. */
#include <stddef.h>
#include <stdint.h>

#include "pdf.h"
#include "strbuf.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct strbuf out;
	struct pdf_opts o = { 50, 64u << 20 };

	strbuf_init(&out, 1u << 20);
	(void)pdf_to_text((const char *)data, size, &o, &out);
	strbuf_release(&out);
	return 0;
}

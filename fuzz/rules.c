/* libFuzzer target: a normalised text -> clauses -> the document's own
 * rules, in text and JSON.  The text goes through normalize_text first,
 * as every stored text did. */
#include <stddef.h>
#include <stdint.h>

#include "clause.h"
#include "normalize.h"
#include "rules.h"
#include "strbuf.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct strbuf text, out = STRBUF_INIT;
	struct clause_list cl;
	struct rules r;

	strbuf_init(&text, 1u << 20);
	if (normalize_text((const char *)data, size, &text) == 0 &&
	    clause_split(text.buf, text.len, &cl) == 0) {
		if (rules_analyze(&cl, &r) == 0) {
			rules_text(&r, &out);
			rules_json(&r, &out);
			rules_free(&r);
		}
		clause_list_free(&cl);
	}
	strbuf_release(&out);
	strbuf_release(&text);
	return 0;
}

#include <string.h>

#include "charset.h"

#include "json.h"
#include "util.h"

json_t *
json_text(const char *s)
{
	struct strbuf sb = STRBUF_INIT;
	json_t *v;

	if (!s)
		return json_null();
	if ((v = json_string(s)))
		return v;
	charset_utf8_sanitize(s, strlen(s), &sb);
	v = json_string(sb.buf);
	strbuf_release(&sb);
	return v;
}

json_t *
json_bitnames(unsigned bits, const char *const *names, size_t n)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < n; i++)
		if (bits & (1u << i))
			json_array_append_new(a, json_string(names[i]));
	return a;
}

static int
dump(const char *buf, size_t size, void *data)
{
	return strbuf_add(data, buf, size);
}

int
json_print(struct strbuf *out, json_t *v)
{
	size_t start = out->len;
	int error = json_dump_callback(v, dump, out,
	    JSON_INDENT(2) | JSON_PRESERVE_ORDER);

	json_decref(v);
	if (error < 0 || strbuf_addch(out, '\n') < 0) {
		strbuf_setlen(out, start);
		util_seterr("JSON larger than %zu bytes", out->cap);
		return -1;
	}
	return 0;
}

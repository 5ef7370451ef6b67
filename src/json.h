/* json: the few writers our --json outputs need; no parser (we emit only). */
#ifndef CW_JSON_H
#define CW_JSON_H
#include "strbuf.h"

/* Append s as a JSON string literal (quoted, escaped); NULL gives null.
 * Invalid UTF-8 bytes become U+FFFD so the output is always valid JSON. */
void json_str(struct strbuf *sb, const char *s);
void json_strn(struct strbuf *sb, const char *s, size_t n);
/* Append the names of the bits set in bits as a JSON array of strings. */
void json_names(struct strbuf *sb, unsigned bits, const char *const *names, size_t n);

#endif

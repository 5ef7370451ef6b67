/* json: the helpers our --json outputs share on top of jansson, which
 * builds and prints them. */
#ifndef CW_JSON_H
#define CW_JSON_H
#include <jansson.h>
#include "strbuf.h"

/* s as a JSON string, invalid UTF-8 bytes as U+FFFD; null for NULL. */
json_t *json_text(const char *s);
/* The names of the bits set in bits, as an array of strings. */
json_t *json_bitnames(unsigned bits, const char *const *names, size_t n);
/* v printed with two-space indentation, keys in insertion order, and a
 * newline, appended to out; v is released.  -1 on out's cap. */
int json_print(struct strbuf *out, json_t *v);

#endif

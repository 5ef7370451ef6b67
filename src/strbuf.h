/* strbuf: growable NUL-terminated byte buffer with an optional size cap.
 * buf is never NULL after strbuf_init; a cap of 0 means "no cap" and is
 * only for data we generate ourselves, never for data from outside. */
#ifndef CW_STRBUF_H
#define CW_STRBUF_H
#include <stdarg.h>
#include <stddef.h>

struct strbuf {
	char *buf;
	size_t len;
	size_t alloc;
	size_t cap;	/* maximum len, 0 = unlimited */
};

extern char strbuf_empty[];
#define STRBUF_INIT { strbuf_empty, 0, 0, 0 }

void strbuf_init(struct strbuf *sb, size_t cap);
void strbuf_release(struct strbuf *sb);
char *strbuf_detach(struct strbuf *sb, size_t *len);	/* caller frees */
void strbuf_reset(struct strbuf *sb);
void strbuf_setlen(struct strbuf *sb, size_t len);
/* The adders return 0, or -1 when the cap would be exceeded (nothing added). */
int strbuf_add(struct strbuf *sb, const void *p, size_t n);
int strbuf_addstr(struct strbuf *sb, const char *s);
int strbuf_addch(struct strbuf *sb, int c);
int strbuf_addf(struct strbuf *sb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int strbuf_vaddf(struct strbuf *sb, const char *fmt, va_list ap);
void strbuf_trim(struct strbuf *sb);	/* ASCII whitespace, both ends */

#endif

/* util: allocation that cannot fail, the last-error message, small file I/O. */
#ifndef CW_UTIL_H
#define CW_UTIL_H
#include <stddef.h>
#include "strbuf.h"

/* Out of memory is the one condition we do not propagate: abort like git. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* Growable arrays: make room for at least n items of p, which has alloc
 * (a size_t) slots, doubling; like git's ALLOC_GROW. */
#define ALLOC_GROW(p, n, alloc) \
	((p) = util_grow((p), (n), &(alloc), sizeof(*(p))))
void *util_grow(void *p, size_t n, size_t *alloc, size_t size);
/* A list of strings v[0, n): s appended as given (the list takes what the
 * caller gives it: an xstrdup, or argv's own string); whether s is in it;
 * the list and its strings freed. */
void util_strv_push(char ***v, size_t *n, char *s);
int util_strv_has(char *const *v, size_t n, const char *s);
void util_strv_free(char **v, size_t n);
/* rm -rf: a file, or a folder and everything under it; 0 or -1 (errno). */
int util_rmtree(const char *path);
/* qsort/bsearch comparator of uint32_t values. */
int util_cmp_u32(const void *x, const void *y);

/* Modules return -1 and leave one message here; only main prints it.
 * util_seterr may be passed util_err() as an argument (it copies first).
 * Each thread has its own message. */
void util_seterr(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
const char *util_err(void);

/* Verbosity set by main: 0 quiet (-q), 1 normal, 2 verbose (-v).
 * Warnings and errors always reach stderr (-q never hides a failure);
 * notes (information) are dropped by -q; info lines need -v. */
extern int util_verbose;
void util_log(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
#define util_warn(...) util_log(0, __VA_ARGS__)
#define util_note(...) util_log(1, __VA_ARGS__)
#define util_info(...) util_log(2, __VA_ARGS__)
/* A progress line on a terminal ("\r..." without a newline); every message
 * above clears it first. util_progress_clear ends it. */
void util_progress(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void util_progress_clear(void);

/* "s" unless n is one: "%zu document%s", n, PLURAL(n). */
#define PLURAL(n) ((n) == 1 ? "" : "s")

/* Read a whole file, at most cap bytes (0 = no cap); -1 with util_err set. */
int util_read_file(const char *path, size_t cap, struct strbuf *out);
/* Write atomically: temp file in the same folder, fsync, rename. */
int util_write_file_atomic(const char *path, const void *buf, size_t len);
/* mkdir -p; 0 if it exists. */
int util_mkdirs(const char *path, int mode);

#endif

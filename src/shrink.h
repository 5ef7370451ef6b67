/* shrink: the guard against a page that suddenly loses most of its text (a
 * half-loaded page, an error page served with 200, a broken selector).
 * Shared by `run` and `replay` so that both record under the same rule. */
#ifndef CW_SHRINK_H
#define CW_SHRINK_H
#include <stddef.h>

/* A page that keeps less than this share of its text is suspect. */
#define SHRINK_PERCENT 40

/* Whether new_len bytes after old_len is a suspect shrink. */
int shrink_suspect(size_t old_len, size_t new_len);
/* One observation of a text that differs from the recorded one: 1 to hold
 * it back, 0 to record it.  *streak counts consecutive suspect observations
 * (kept by the caller across runs or snapshots): a suspect text is recorded
 * once it has been seen runs times in a row.  count = 0 observes without
 * counting (a dry run): a suspect text is then always held back.  *streak is
 * reset to 0 whenever the text is to be recorded. */
int shrink_hold(size_t old_len, size_t new_len, int *streak, int runs, int count);

#endif

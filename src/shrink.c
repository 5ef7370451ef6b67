/* shrink: hold back a page that lost most of its text until it persists. */
#include "shrink.h"

int
shrink_suspect(size_t old_len, size_t new_len)
{
	return new_len * 100 < old_len * SHRINK_PERCENT;
}

int
shrink_hold(size_t old_len, size_t new_len, int *streak, int runs, int count)
{
	if (!shrink_suspect(old_len, new_len)) {
		*streak = 0;
		return 0;
	}
	if (!count)
		return 1;
	(*streak)++;
	if (*streak < runs)
		return 1;
	*streak = 0;
	return 0;
}

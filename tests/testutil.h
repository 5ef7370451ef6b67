/* Helpers shared by the Criterion unit tests. */
#ifndef CW_TESTUTIL_H
#define CW_TESTUTIL_H
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ../shared/corpus when present (tests skip those cases when not). */
static inline const char *
testutil_corpus(void)
{
	static const char *dirs[] = { "../shared/corpus", "../../shared/corpus" };
	const char *env = getenv("CLAUSEWATCH_CORPUS");
	size_t i;

	if (env && access(env, R_OK) == 0)
		return env;
	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++)
		if (access(dirs[i], R_OK) == 0)
			return dirs[i];
	return NULL;
}

#endif

/* libFuzzer target: a watchlist file (git-config syntax read by libgit2,
 * then our validation).  Written to a private folder, loaded, freed. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <git2.h>

#include "strbuf.h"
#include "util.h"
#include "watchlist.h"

static char dir[] = "/tmp/cw-fuzz-wl-XXXXXX";
static char path[sizeof(dir) + 16];

static void
cleanup(void)
{
	unlink(path);
	rmdir(dir);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct strbuf errors = STRBUF_INIT;
	struct watchlist wl;
	FILE *f;

	if (!path[0]) {
		if (!mkdtemp(dir))
			abort();
		snprintf(path, sizeof(path), "%s/a.conf", dir);
		atexit(cleanup);
		git_libgit2_init();	/* as main does */
	}
	if (!(f = fopen(path, "wb")))
		abort();
	fwrite(data, 1, size, f);
	fclose(f);
	(void)watchlist_load(dir, &wl, &errors);
	watchlist_free(&wl);
	strbuf_release(&errors);
	return 0;
}

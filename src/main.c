/* clausewatch: watch published agreements, record real changes in git,
 * judge them by the document's own rules, mail the teams before deadlines. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <git2.h>
#include <libxml/parser.h>

#include "cli.h"
#include "date.h"
#include "fetch.h"
#include "push.h"
#include "pack.h"
#include "util.h"
#include "xmlmem.h"

#ifndef CW_VERSION
#define CW_VERSION "unknown"
#endif

static void
usage(FILE *f)
{
	size_t i;

	fputs("usage: clausewatch [-w DIR] [-s DIR] [--now TIME] [-v|-q] COMMAND [ARGS]\n"
	    "       clausewatch --version\n"
	    "       clausewatch COMMAND --help\n"
	    "commands:\n", f);
	for (i = 0; i < cli_ncommands; i++)
		fprintf(f, "  %s %s\n", cli_commands[i].name, cli_commands[i].args);
}

/* clausewatch COMMAND --help (or -h): that command's usage, on stdout. */
static int
command_help(size_t i, int argc, char **argv)
{
	int k;

	for (k = 1; k < argc; k++)
		if (!strcmp(argv[k], "--help") || !strcmp(argv[k], "-h")) {
			printf("usage: clausewatch [GLOBAL OPTIONS] %s %s\n\n%s\n",
			    cli_commands[i].name, cli_commands[i].args, cli_commands[i].what);
			return 1;
		}
	return 0;
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "watchlist", required_argument, NULL, 'w' },
		{ "store", required_argument, NULL, 's' },
		{ "now", required_argument, NULL, 'N' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct cli c = { "./watchlist", "./store" };
	const char *now = getenv("CLAUSEWATCH_NOW");
	size_t i;
	int ch, rc = 2;

	/* '+': stop at the command, whose own options come after it */
	while ((ch = getopt_long(argc, argv, "+w:s:vqh", opts, NULL)) != -1) {
		switch (ch) {
		case 'w': c.watchlist = optarg; break;
		case 's': c.store = optarg; break;
		case 'N': now = optarg; break;
		case 'v': util_verbose++; break;
		case 'q': util_verbose = 0; break;
		case 'h': usage(stdout); return 0;
		case 'V': puts("clausewatch " CW_VERSION); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind >= argc) {
		usage(stderr);
		return 2;
	}
	if (now && *now) {
		time_t t;

		if (date_parse_time(now, &t) < 0) {
			fprintf(stderr, "clausewatch: --now '%s' is not an ISO 8601 date or date-time\n", now);
			return 2;
		}
		date_set_now(t);
	}
	for (i = 0; i < cli_ncommands; i++)
		if (!strcmp(argv[optind], cli_commands[i].name))
			break;
	if (i == cli_ncommands) {
		fprintf(stderr, "clausewatch: unknown command '%s'\n", argv[optind]);
		usage(stderr);
		return 2;
	}
	if (command_help(i, argc - optind, argv + optind))
		return 0;
	if (cli_commands[i].git) {
		push_git_init();
		/* each object is read once per run: a big cache only costs memory */
		git_libgit2_opts(GIT_OPT_SET_CACHE_MAX_SIZE, (ssize_t)(4 << 20));
		/* no second SHA-1 of every object read, as git reads (fsck
		 * checks): the first-record commit of 2,000 documents is 190 KB,
		 * read three times by a run (zlib's checksum still covers it) */
		git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);
	}
	/* libxml2's allocations counted per page (normalize's budget): the
	 * allocator is set, and libxml2's globals made, before libxml2's
	 * first call and before threads */
	xmlmem_init();
	if (!cli_commands[i].net || fetch_global_init() == 0) {
		optind++;
		rc = cli_commands[i].fn(&c, argc - optind + 1, argv + optind - 1);
		if (cli_commands[i].net)
			fetch_global_cleanup();
	} else {
		fprintf(stderr, "clausewatch: %s\n", util_err());
	}
	xmlCleanupParser();
	pack_thread_end();
	xmlmem_thread_end();
	if (cli_commands[i].git)
		git_libgit2_shutdown();
	return rc;
}

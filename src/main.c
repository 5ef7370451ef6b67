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
#include "mailcmd.h"
#include "ota.h"
#include "replay.h"
#include "util.h"

static const struct {
	const char *name;
	int (*fn)(struct cli *, int, char **);
	/* Library set-up a command needs: libgit2's loads the TLS trust
	 * store and libcurl's its TLS library, together longer than analyze
	 * itself takes, so file commands skip them. */
	int git, net;
} commands[] = {
	{ "run", cli_run, 1, 1 },
	{ "check", cli_check, 1, 0 },
	{ "list", cli_list, 1, 0 },
	{ "analyze", cli_analyze, 0, 0 },
	{ "compare", cli_compare, 0, 0 },
	{ "diff", cli_diff, 1, 0 },
	{ "log", cli_log, 1, 0 },
	{ "deadlines", cli_deadlines, 1, 0 },
	{ "ack", cli_ack, 1, 0 },
	{ "mail", cli_mail, 1, 0 },
	{ "report", cli_report, 1, 0 },
	{ "replay", cli_replay, 1, 0 },
	{ "import-ota", cli_import_ota, 1, 0 },
};

static void
usage(FILE *f)
{
	fputs("usage: clausewatch [-w DIR] [-s DIR] [--now TIME] [-v|-q] COMMAND [ARGS]\n"
	    "commands:\n"
	    "  run [--only ID]... [--dry-run] [-j N]   fetch, record, judge, mail\n"
	    "  check                                   validate the watchlist\n"
	    "  list                                    documents and their state\n"
	    "  analyze FILE [--json]                   a document's own change rules\n"
	    "  compare OLD NEW [--json] [--seen DATE]  clause-level changes\n"
	    "  diff ID [REV]                           the same for stored versions\n"
	    "  log ID [CLAUSE]                         history of a document or clause\n"
	    "  deadlines [--json]                      open deemed-acceptance deadlines\n"
	    "  ack ID [REV] [--by NAME]                acknowledge a change\n"
	    "  mail [--release KEY]                    unsent mail; resend an uncertain one\n"
	    "  report DIR [STORE]...                   static website and deadlines.ics\n"
	    "  replay SNAPS VERSIONS DECLS [--only NAME]... [--store DIR]\n"
	    "                                          replay Open Terms Archive history\n"
	    "  import-ota DECLARATION.json...          Open Terms Archive declarations\n"
	    "                                          -> watchlist entries on stdout\n", f);
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "watchlist", required_argument, NULL, 'w' },
		{ "store", required_argument, NULL, 's' },
		{ "now", required_argument, NULL, 'N' },
		{ "help", no_argument, NULL, 'h' },
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
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(argv[optind], commands[i].name))
			break;
	if (i == sizeof(commands) / sizeof(commands[0])) {
		fprintf(stderr, "clausewatch: unknown command '%s'\n", argv[optind]);
		usage(stderr);
		return 2;
	}
	if (commands[i].git) {
		git_libgit2_init();
		/* each object is read once per run: a big cache only costs memory */
		git_libgit2_opts(GIT_OPT_SET_CACHE_MAX_SIZE, (ssize_t)(4 << 20));
	}
	xmlInitParser();
	if (!commands[i].net || fetch_global_init() == 0) {
		optind++;
		rc = commands[i].fn(&c, argc - optind + 1, argv + optind - 1);
		if (commands[i].net)
			fetch_global_cleanup();
	} else {
		fprintf(stderr, "clausewatch: %s\n", util_err());
	}
	xmlCleanupParser();
	if (commands[i].git)
		git_libgit2_shutdown();
	return rc;
}

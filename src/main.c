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

#ifndef CW_VERSION
#define CW_VERSION "unknown"
#endif

static const struct {
	const char *name;
	int (*fn)(struct cli *, int, char **);
	/* Library set-up a command needs: libgit2's loads the TLS trust
	 * store and libcurl's its TLS library, together longer than analyze
	 * itself takes, so file commands skip them. */
	int git, net;
	const char *args, *what;
} commands[] = {
	{ "run", cli_run, 1, 1, "[--only ID]... [--dry-run] [-j N]",
	    "fetch every document, record real changes, judge them, mail the\n"
	    "teams, send due reminders. Creates the store where -s names a missing\n"
	    "path or an empty folder. Prints one line per recorded change; -v adds\n"
	    "one line per document; exit 1 when a fetch or a mail failed." },
	{ "check", cli_check, 1, 0, "",
	    "validate the watchlist and the mail settings without fetching;\n"
	    "every problem is reported with its file and line." },
	{ "list", cli_list, 1, 0, "",
	    "one line per document: last fetch and its result, last change,\n"
	    "next deadline, and a deadline that passed unacknowledged." },
	{ "analyze", cli_analyze, 0, 0, "FILE [--json]",
	    "what a document (HTML, PDF, Markdown or text) says about its own\n"
	    "changes: notice, deemed acceptance, its definition of material." },
	{ "compare", cli_compare, 0, 0, "OLD NEW [--json] [--seen DATE]",
	    "clause-level changes between two files, with materiality and the\n"
	    "deadline; exit 1 when they differ." },
	{ "diff", cli_diff, 1, 0, "ID [REV]",
	    "the same for stored versions (default: the latest change)." },
	{ "log", cli_log, 1, 0, "ID [CLAUSE]",
	    "history of a document, or of one clause (\"3.1\", \"3 p1\", \"§3 ¶1\")." },
	{ "deadlines", cli_deadlines, 1, 0, "[--json] [--all]",
	    "open deemed-acceptance deadlines; --all also acknowledged ones and\n"
	    "those that passed unacknowledged (deemed accepted)." },
	{ "ack", cli_ack, 1, 0, "ID [REV] [--by NAME]",
	    "acknowledge a change: its reminders stop. NAME defaults to git's\n"
	    "user.name, else the account's name." },
	{ "mail", cli_mail, 1, 0, "[--release KEY]",
	    "unsent mail; resend an uncertain one." },
	{ "report", cli_report, 1, 0, "DIR [STORE]...",
	    "a static website of the stores in DIR (DIR/index.html) and a calendar\n"
	    "feed DIR/deadlines.ics." },
	{ "replay", cli_replay, 1, 0, "SNAPS VERSIONS DECLS [--only NAME]... [--store DIR]",
	    "replay Open Terms Archive history." },
	{ "import-ota", cli_import_ota, 1, 0, "DECLARATION.json...",
	    "Open Terms Archive declarations -> watchlist entries on stdout." },
};
#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

static void
usage(FILE *f)
{
	size_t i;

	fputs("usage: clausewatch [-w DIR] [-s DIR] [--now TIME] [-v|-q] COMMAND [ARGS]\n"
	    "       clausewatch --version\n"
	    "       clausewatch COMMAND --help\n"
	    "commands:\n", f);
	for (i = 0; i < NCOMMANDS; i++)
		fprintf(f, "  %s %s\n", commands[i].name, commands[i].args);
}

/* clausewatch COMMAND --help (or -h): that command's usage, on stdout. */
static int
command_help(size_t i, int argc, char **argv)
{
	int k;

	for (k = 1; k < argc; k++)
		if (!strcmp(argv[k], "--help") || !strcmp(argv[k], "-h")) {
			printf("usage: clausewatch [GLOBAL OPTIONS] %s %s\n\n%s\n",
			    commands[i].name, commands[i].args, commands[i].what);
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
	for (i = 0; i < NCOMMANDS; i++)
		if (!strcmp(argv[optind], commands[i].name))
			break;
	if (i == NCOMMANDS) {
		fprintf(stderr, "clausewatch: unknown command '%s'\n", argv[optind]);
		usage(stderr);
		return 2;
	}
	if (command_help(i, argc - optind, argv + optind))
		return 0;
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

/* cli: the commands. Each returns the exit status (0, 1 or 2). */
#ifndef CW_CLI_H
#define CW_CLI_H
#include "strbuf.h"

struct cli {
	const char *watchlist;	/* folder of *.conf */
	const char *store;	/* store folder */
};

/* The commands, as `clausewatch --help` lists them. */
struct cli_command {
	const char *name;
	int (*fn)(struct cli *, int, char **);
	/* Library set-up a command needs: libgit2's loads the TLS trust
	 * store and libcurl's its TLS library, together longer than analyze
	 * itself takes, so file commands skip them. */
	int git, net;
	const char *args, *what;
};
extern const struct cli_command cli_commands[];
extern const size_t cli_ncommands;
/* "usage: clausewatch NAME ARGS" of the command named, on stderr: the
 * table's line is the one synopsis of each command. */
void cli_usage(const char *name);

int cli_run(struct cli *c, int argc, char **argv);
int cli_check(struct cli *c, int argc, char **argv);
int cli_list(struct cli *c, int argc, char **argv);
int cli_analyze(struct cli *c, int argc, char **argv);
int cli_compare(struct cli *c, int argc, char **argv);
int cli_diff(struct cli *c, int argc, char **argv);
int cli_log(struct cli *c, int argc, char **argv);
int cli_deadlines(struct cli *c, int argc, char **argv);
int cli_ack(struct cli *c, int argc, char **argv);
int cli_report(struct cli *c, int argc, char **argv);

/* Take the store's run lock, waiting up to wait_seconds for a run that
 * holds it, and say which lock files of an interrupted run it removed
 * (stderr); -1 with util_err when another run still holds it. */
struct store;
int cli_lock_store(struct store *st, int wait_seconds);

/* A file given on the command line -> normalised Markdown (HTML by
 * extension or sniffing, main content found automatically). */
int cli_load_document(const char *path, struct strbuf *md);

#endif

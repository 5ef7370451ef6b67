/* watchlist: the *.conf files of the watchlist folder (git-config syntax,
 * read with libgit2) ->
 * documents, teams and settings. */
#ifndef CW_WATCHLIST_H
#define CW_WATCHLIST_H
#include <stddef.h>
#include "strbuf.h"

struct watchlist_team {
	char *name;
	char **email;
	size_t nemail;
	int notify_all;		/* notify = all: editorial changes too, as a digest */
	char *file;		/* the .conf that first named it */
};

struct watchlist_doc {
	char *id;		/* [a-z0-9._-]+ with at most one '/' */
	char *url;
	char *title;		/* may be NULL: then the id is shown */
	char **select, **remove;
	size_t nselect, nremove;
	char **team;		/* names, all defined */
	size_t nteam;
	unsigned material;	/* extra material categories (1u << JUDGE_C_*) */
	int render;		/* render = chromium: fetched through the browser */
	char *render_where;	/* "file:line" of the render setting in force, NULL
				 * when none is (then hints may suggest one) */
	char *file;		/* the .conf it came from */
};

enum watchlist_security { WL_SEC_NONE, WL_SEC_STARTTLS };

struct watchlist_smtp {
	char *host;		/* NULL: write .eml files to the store's outbox */
	int port;		/* default 25, or 587 with starttls */
	enum watchlist_security security;
	char *user;		/* NULL: no AUTH */
	char *password_file;	/* the password never sits in the watchlist */
	char *password_env;	/* name of the environment variable, default CLAUSEWATCH_SMTP_PASSWORD */
	char *cafile;		/* extra trust anchor (tests, private CAs) */
	int timeout;		/* seconds */
};

struct watchlist {
	struct watchlist_doc *doc;
	size_t ndoc;
	struct watchlist_doc **byid;	/* doc sorted by id, for watchlist_doc() */
	struct watchlist_team *team;
	size_t nteam;
	struct watchlist_smtp smtp;
	char *mail_from;	/* default clausewatch@<hostname> */
	char *default_team;	/* [mail] default-team: of documents naming none */
	int remind[16];		/* [remind] days, descending; default 30 14 7 3 1 */
	size_t nremind;
	int fail_alert;		/* [run] fail-alert: failures in a row before a mail, default 3 */
	int suspect_runs;	/* [run] confirm-shrink: runs a shrunken page must persist, default 3 */
	int jobs;		/* [run] jobs, default 8 */
	size_t max_size;	/* [run] max-size bytes, default 10 MiB */
	long connect_timeout;	/* [run] connect-timeout seconds, default 10 */
	long timeout;		/* [run] timeout seconds, default 60 */
	long deadline;		/* [run] deadline: seconds for all fetches, 0 = none */
	int render;		/* [run] render: the default of documents, default none */
	char *render_where;
	char *mail_link;	/* [mail] link: a commit's web page, %H = commit id */
	/* [store]: the remotes the store is pushed to after each run, and
	 * where their credentials are (never in the watchlist itself) */
	char **push;
	size_t npush;
	char *push_user;	/* when the URL names none */
	char *push_token_file;	/* https: the token, sent as the password */
	char *push_ssh_key;	/* ssh: private key file (after the agent) */
	char *report_dir;	/* [report] dir: the site rewritten after each run */
};

/* Load every *.conf of dir (sorted), selectors unchecked (see
 * watchlist_check_selectors). Problems are appended to errors, one
 * "file:line: message" per line, and the call returns -1 when there are any;
 * the watchlist is still filled with what was valid. */
int watchlist_load(const char *dir, struct watchlist *wl, struct strbuf *errors);
/* Whether d's select and remove values translate to XPath, as the fetch
 * will translate them; -1 with a "file:line: message" per bad one appended
 * to errors. watchlist_load leaves this to the commands that fetch or check:
 * `check` asks for every document, `run` for the documents it fetches (a
 * run --only of one document does not translate all the others'). */
int watchlist_check_selectors(const struct watchlist_doc *d, struct strbuf *errors);
void watchlist_free(struct watchlist *wl);
const struct watchlist_team *watchlist_team(const struct watchlist *wl, const char *name);
const struct watchlist_doc *watchlist_doc(const struct watchlist *wl, const char *id);
/* The document's title, else its id. */
const char *watchlist_doc_title(const struct watchlist_doc *d);
/* Valid document id: lower-case [a-z0-9._-], at most one '/', no "..", no
 * empty part, nothing that could leave the store. */
int watchlist_id_ok(const char *id);

#endif

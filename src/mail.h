/* mail: compose notification messages (MIME, RFC 5322/2047/5545); smtp.h
 * sends them, ledger.h keeps them until it has.
 *
 * Composition is pure: the same struct mail_msg always gives the same bytes.
 * Every piece of text that may come from the web (titles, reasons, clause
 * text, failure messages) is cleaned before it reaches a header: control
 * characters (CR and LF included) become spaces, invalid UTF-8 becomes '?',
 * and non-ASCII is RFC 2047 encoded, so no such text can start a header line.
 *
 * Structure (chosen because calendar-aware clients such as Apple Mail and
 * Outlook show a text/calendar part *instead of* the text when it sits inside
 * multipart/alternative; as an attachment it is offered next to the text):
 *
 *   multipart/mixed                        (only when the deadline is a date)
 *     multipart/alternative
 *       text/plain; charset=UTF-8          quoted-printable
 *       text/html; charset=UTF-8           quoted-printable, inline styles
 *     text/calendar; method=PUBLISH        base64, attachment "deadline.ics"
 *
 * Without a dated deadline the top level is the multipart/alternative. */
#ifndef CW_MAIL_H
#define CW_MAIL_H
#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include "strbuf.h"
#include "judge.h"

struct rules;

enum mail_kind {
	MAIL_CHANGE,		/* a recorded change, to one team */
	MAIL_REMINDER,		/* days_left before the deadline of a change */
	MAIL_FAILURE,		/* a document keeps failing to fetch */
	MAIL_RECOVERY,		/* ... and is fetched again */
	MAIL_DIGEST,		/* changes of one day judged not material, one team */
	MAIL_ANNOUNCEMENT,	/* the page announces coming terms: an early
				   warning, once per recorded announcement */
	MAIL_PASSED		/* a deadline passed unacknowledged: the last message */
};

/* One change in a digest (editorial, or substantive but not material). */
struct mail_digest_item {
	const char *doc_id;
	const char *title;	/* NULL: doc_id */
	const char *url;
	const char *commit;
	const struct judge_result *judge;	/* may be NULL */
};

/* All pointers are borrowed; NULL means "not known" unless noted. */
struct mail_msg {
	enum mail_kind kind;
	const char *from;		/* bare address, required */
	const char *const *to;		/* bare addresses, at least one */
	size_t nto;
	const char *team;		/* required */
	const char *doc_id;		/* required except for MAIL_DIGEST */
	const char *title;		/* NULL: doc_id */
	const char *url;
	const char *commit;		/* hex id of the recorded change */
	const char *store;		/* store path, for the commands in the body */
	const char *link;		/* [mail] link: commit page URL, %H = commit */
	/* Copied from the judge_result by the caller, so that reminders can be
	 * composed from what the commit trailers recorded, without a judge. */
	int material;
	enum judge_deadline deadline_kind;
	int32_t deadline;		/* day number when JUDGE_DL_DATE */
	const struct judge_result *judge;	/* details (clauses, reasons); may be NULL */
	const struct rules *rules;	/* the new version's own rules, quoted; may be NULL */
	int days_left;			/* MAIL_REMINDER */
	int32_t announced;		/* MAIL_ANNOUNCEMENT: the announced day */
	const char *failure;		/* MAIL_FAILURE / MAIL_RECOVERY text */
	int32_t day;			/* MAIL_DIGEST: the day it covers */
	const struct mail_digest_item *items;	/* MAIL_DIGEST */
	size_t nitems;
	time_t date;			/* Date: header, e.g. date_now() */
	const char *key;		/* idempotency key, see mail_key(); NULL: computed */
};

/* The idempotency key of a message (also its Message-ID's left part):
 * m->key when the caller sets one, else
 *   change.COMMIT.TEAM            reminder.COMMIT.TEAM.DAYS
 *   announcement.COMMIT.TEAM
 *   passed.COMMIT.TEAM
 *   failure.DOCID.TEAM.YYYY-MM-DD recovery.DOCID.TEAM.YYYY-MM-DD (of date)
 *   digest.TEAM.YYYY-MM-DD.HASH   (HASH of the items' commits)
 * The cron run sets its own for the two it schedules: reminder.COMMIT.TEAM.
 * THRESHOLD (the [remind] day reached, not the days left, so a late run
 * sends the due one once) and digest.TEAM.DAY (one digest per day).
 * Free text; the ledger hashes it before it becomes a path. */
int mail_key(struct strbuf *out, const struct mail_msg *m);

/* Compose the whole message (headers + body, CRLF line endings, no line
 * longer than 998 octets) into out. -1 with util_err set when a required
 * field is missing or an address is not a plain addr-spec. */
int mail_compose(struct strbuf *out, const struct mail_msg *m);

/* The web page of a commit: template ([mail] link) with every %H
 * replaced by commit. Appends to out. */
void mail_link(struct strbuf *out, const char *template, const char *commit);

/* The subject line as UTF-8 text, cleaned but not encoded (for logs, tests). */
void mail_subject(struct strbuf *out, const struct mail_msg *m);

#endif

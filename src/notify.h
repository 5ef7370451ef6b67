/* notify: what the teams are mailed about their documents, queued in the
 * mail ledger (each message under a key that makes it go out once). */
#ifndef CW_NOTIFY_H
#define CW_NOTIFY_H
#include <stddef.h>
#include <stdint.h>

#include "judge.h"
#include "rules.h"
#include "mail.h"
#include "store.h"
#include "strbuf.h"
#include "watchlist.h"

struct ledger;

struct notify {
	const struct watchlist *wl;
	struct ledger *lg;	/* NULL: nothing is queued (a dry run) */
	const char *from;
	const char *store;	/* the store's folder, named in messages */
	const char *selected;	/* per watchlist document: in this run */
	/* the store, for what later messages say again (the redline and the
	 * reasons of reminders, digests and a passed deadline) and for the
	 * note on a passed deadline; NULL: none of that */
	struct store *st;
	/* "mail ID: why" lines for what could not be queued; the caller
	 * reports and resets them */
	struct strbuf errors;
	struct strbuf key;	/* scratch */
};

void notify_init(struct notify *nt, const struct watchlist *wl, struct ledger *lg,
    const char *from, const char *store, const char *selected);
void notify_release(struct notify *nt);

/* A material change (j) recorded as commit: each team of d, at once. A
 * change that is not material waits for the digest. -1 when a message
 * could not be queued (errors says why), so the change stays unannounced.
 * rules are the new version's own (quoted in the message), or NULL. */
int notify_change(struct notify *nt, const struct watchlist_doc *d, const char *commit,
    const struct judge_result *j, const struct rules *rules);
/* An announcement of coming terms (taking effect on day), recorded as
 * commit: each team of d, once. */
int notify_announcement(struct notify *nt, const struct watchlist_doc *d,
    const char *commit, int32_t day, const struct judge_result *j);
/* A failure or recovery of d (kind), why in words. */
void notify_doc(struct notify *nt, const struct watchlist_doc *d, enum mail_kind kind,
    const char *why);
/* From the recent changes h (newest first, store_recent): per team with
 * notify = all, one digest per day of the last week of the changes that were
 * not material, sent by the first run of a later day; and for each open
 * deadline of a selected document, the latest [remind] threshold reached. */
void notify_digests(struct notify *nt, const struct store_change *h, size_t nh);
void notify_reminders(struct notify *nt, const struct store_change *h, size_t nh);
/* Each material change of a selected document whose deadline passed
 * unacknowledged and is not noted yet: the teams' last message about it,
 * then the note (record_note_deemed) on its commit, so it is said once. */
void notify_passed(struct notify *nt, const struct store_change *h, size_t nh);

/* A recorded change judged again from nt->st as run judged it, with the
 * new version's own rules, for a message about it after the run that
 * recorded it. */
struct notify_stored {
	struct judge_result j;
	struct rules rules;
	int have_j, have_rules;
};
int notify_judge_stored(struct notify *nt, const struct watchlist_doc *d,
    const struct store_change *h, struct notify_stored *out);
void notify_stored_release(struct notify_stored *x);
/* The document's own rules in a normalised text (clause_split, then
 * rules_analyze). */
int notify_rules(const char *text, size_t len, struct rules *out);

#endif

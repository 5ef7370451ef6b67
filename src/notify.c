/* notify: what the teams are mailed about their documents, queued in the
 * mail ledger under keys that make each message go out once: a material
 * change at once, failures and recoveries, a reminder at each [remind]
 * threshold before an open deadline, and (notify = all) a daily digest of
 * the changes that were not material.  Nothing is printed: what could not
 * be queued is listed in errors for the caller to report. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "clause.h"
#include "date.h"
#include "ledger.h"
#include "notify.h"
#include "record.h"
#include "util.h"

/* How far back digests look, in days. */
#define DIGEST_DAYS 7

void
notify_init(struct notify *n, const struct watchlist *wl, struct ledger *lg,
    const char *from, const char *store, const char *selected)
{
	memset(n, 0, sizeof(*n));
	n->wl = wl;
	n->lg = lg;
	n->from = from;
	n->store = store;
	n->selected = selected;
	strbuf_init(&n->errors, 0);
	strbuf_init(&n->key, 0);
}

void
notify_release(struct notify *n)
{
	strbuf_release(&n->errors);
	strbuf_release(&n->key);
}

/* -1 when the message could not be queued (the why is in errors). */
static int
queue(struct notify *nt, struct mail_msg *m)
{
	struct strbuf eml = STRBUF_INIT, key = STRBUF_INIT;
	int known, error = 0;

	if (!nt->lg)
		return 0;
	/* due reminders and digests come up every run: compose only new ones */
	if (mail_key(&key, m) < 0 || (known = ledger_known(nt->lg, key.buf)) < 0 ||
	    (!known && (mail_compose(&eml, m) < 0 ||
	    ledger_add(nt->lg, key.buf, m->from, m->to, m->nto, eml.buf, eml.len) < 0))) {
		strbuf_addf(&nt->errors, "mail %s: %s\n", m->doc_id ? m->doc_id : m->team,
		    util_err());
		error = -1;
	}
	strbuf_release(&eml);
	strbuf_release(&key);
	return error;
}

/* A message of kind about d (NULL: several documents), for no team yet. */
static void
msg_init(struct notify *nt, struct mail_msg *m, enum mail_kind kind,
    const struct watchlist_doc *d)
{
	memset(m, 0, sizeof(*m));
	m->kind = kind;
	m->from = nt->from;
	m->doc_id = d ? d->id : NULL;
	m->title = d ? watchlist_doc_title(d) : NULL;
	m->url = d ? d->url : NULL;
	m->link = nt->wl->mail_link;
	m->store = nt->store;
	m->date = date_now();
	m->deadline = DATE_NONE;
}

static void
msg_to(struct mail_msg *m, const struct watchlist_team *t)
{
	m->to = (const char *const *)t->email;
	m->nto = t->nemail;
	m->team = t->name;
}

/* A reminder's ledger key: the threshold reached, not the day count,
 * names it, so a late run sends the due one once. */
static const char *
reminder_key(struct notify *nt, const char *commit, const char *team, int due)
{
	strbuf_reset(&nt->key);
	strbuf_addf(&nt->key, "reminder.%s.%s.%d", commit, team, due);
	return nt->key.buf;
}

/* m to each team of d the watchlist knows (a reminder under its key for
 * threshold due); -1 when one could not be queued. */
static int
queue_teams(struct notify *nt, const struct watchlist_doc *d, struct mail_msg *m,
    int due)
{
	size_t i;
	int error = 0;

	for (i = 0; i < d->nteam; i++) {
		const struct watchlist_team *t = watchlist_team(nt->wl, d->team[i]);

		if (!t)
			continue;
		msg_to(m, t);
		if (m->kind == MAIL_REMINDER)
			m->key = reminder_key(nt, m->commit, t->name, due);
		if (queue(nt, m) < 0)
			error = -1;
	}
	return error;
}

int
notify_change(struct notify *nt, const struct watchlist_doc *d, const char *commit,
    const struct judge_result *j, const struct rules *rules)
{
	struct mail_msg m;

	if (!j->material)
		return 0;	/* editorial: in the team's daily digest */
	msg_init(nt, &m, MAIL_CHANGE, d);
	m.commit = commit;
	m.material = j->material;
	m.deadline_kind = j->deadline_kind;
	m.deadline = j->deadline;
	m.judge = j;
	m.rules = rules;
	return queue_teams(nt, d, &m, 0);
}

int
notify_rules(const char *text, size_t len, struct rules *out)
{
	struct clause_list cl = { 0 };
	int error;

	if ((error = clause_split(text, len, &cl)) == 0)
		error = rules_analyze(&cl, out);
	clause_list_free(&cl);
	return error;
}

int
notify_judge_stored(struct notify *nt, const struct watchlist_doc *d,
    const struct store_change *h, struct notify_stored *out)
{
	struct strbuf a = STRBUF_INIT, b = STRBUF_INIT, prev = STRBUF_INIT;
	struct judge_opts o = { (int32_t)(h->when / 86400), d->material };
	int error = -1;

	memset(out, 0, sizeof(*out));
	if (!nt->st) {
		util_seterr("no store to read %s from", d->id);
		return -1;
	}
	a.cap = b.cap = 64u << 20;
	/* main is linear: the version before is the file in the first parent */
	strbuf_addf(&prev, "%s~1", h->commit);
	if ((error = store_read_at(nt->st, d->id, h->parent[0] ? h->parent : prev.buf,
	    &a, NULL)) < 0 || (error = store_read_at(nt->st, d->id, h->commit, &b, NULL)) < 0 ||
	    (error = judge_compare(a.buf, a.len, b.buf, b.len, &o, &out->j)) < 0)
		goto cleanup;
	out->have_j = 1;
	out->have_rules = notify_rules(b.buf, b.len, &out->rules) == 0;
cleanup:
	strbuf_release(&a);
	strbuf_release(&b);
	strbuf_release(&prev);
	return error;
}

void
notify_stored_release(struct notify_stored *x)
{
	if (x->have_j)
		judge_result_free(&x->j);
	if (x->have_rules)
		rules_free(&x->rules);
	x->have_j = x->have_rules = 0;
}

/* Whether the ledger already has key (or nothing is queued at all): what
 * comes up every run is judged again only when it is to be composed. */
static int
queued(struct notify *nt, const char *key)
{
	return !nt->lg || ledger_known(nt->lg, key) > 0;
}

/* A message about a stored change could not say its redline: said in
 * errors, the message goes out without it. */
static void
judge_stored_or_say(struct notify *nt, const struct watchlist_doc *d,
    const struct store_change *h, struct notify_stored *out)
{
	if (nt->st && notify_judge_stored(nt, d, h, out) < 0)
		strbuf_addf(&nt->errors, "mail %s: %s\n", d->id, util_err());
}

int
notify_announcement(struct notify *nt, const struct watchlist_doc *d,
    const char *commit, int32_t day, const struct judge_result *j)
{
	struct mail_msg m;

	msg_init(nt, &m, MAIL_ANNOUNCEMENT, d);
	m.commit = commit;
	m.announced = day;
	m.judge = j;
	return queue_teams(nt, d, &m, 0);
}

void
notify_doc(struct notify *nt, const struct watchlist_doc *d, enum mail_kind kind,
    const char *why)
{
	struct mail_msg m;

	msg_init(nt, &m, kind, d);
	m.failure = why;
	queue_teams(nt, d, &m, 0);
}

static int
doc_has_team(const struct watchlist_doc *d, const char *team)
{
	size_t i;

	for (i = 0; i < d->nteam; i++)
		if (!strcmp(d->team[i], team))
			return 1;
	return 0;
}

/* notify = all: one digest per team and day of the changes not material
 * recorded that day, sent by the first run of a later day (the ledger key
 * names the day, so it goes out once; a week of missed runs is caught up). */
void
notify_digests(struct notify *nt, const struct store_change *h, size_t nh)
{
	int32_t today = date_today(), day;
	struct mail_digest_item *items;
	struct notify_stored *judged;
	size_t i, k, n;

	items = xcalloc(nh ? nh : 1, sizeof(*items));
	judged = xcalloc(nh ? nh : 1, sizeof(*judged));
	for (i = 0; i < nt->wl->nteam; i++) {
		const struct watchlist_team *t = &nt->wl->team[i];

		if (!t->notify_all)
			continue;
		for (day = today - DIGEST_DAYS; day < today; day++) {
			struct mail_msg m;
			char dd[11];

			date_format(day, dd);
			strbuf_reset(&nt->key);
			strbuf_addf(&nt->key, "digest.%s.%s", t->name, dd);
			if (queued(nt, nt->key.buf))
				continue;

			/* newest first: stop at the window's start */
			for (k = n = 0; k < nh && (int32_t)(h[k].when / 86400) >= today - DIGEST_DAYS; k++) {
				const struct watchlist_doc *d = watchlist_doc(nt->wl,
				    h[k].rec.document);

				/* a first record or new extraction is no change */
				if (!d || !doc_has_team(d, t->name) ||
				    h[k].rec.kind != RECORD_CHANGE || h[k].rec.material ||
				    (int32_t)(h[k].when / 86400) != day)
					continue;
				items[n].doc_id = d->id;
				items[n].title = watchlist_doc_title(d);
				items[n].url = d->url;
				items[n].commit = h[k].commit;
				/* the redline and the reason, not only commands */
				if (!judged[k].have_j)
					judge_stored_or_say(nt, d, &h[k], &judged[k]);
				items[n].judge = judged[k].have_j ? &judged[k].j : NULL;
				n++;
			}
			if (!n)
				continue;
			msg_init(nt, &m, MAIL_DIGEST, NULL);
			msg_to(&m, t);
			m.day = day;
			m.items = items;
			m.nitems = n;
			m.key = nt->key.buf;	/* digest.TEAM.DAY, above */
			queue(nt, &m);
		}
	}
	for (k = 0; k < nh; k++)
		notify_stored_release(&judged[k]);
	free(judged);
	free(items);
}

/* A message about the stored material change h, whose dated deadline is
 * dl, with the redline and the reasons judged again into js (counsel reads
 * the reminder, not the first message). */
static void
stored_msg(struct notify *nt, struct mail_msg *m, enum mail_kind kind,
    const struct watchlist_doc *d, const struct store_change *h, int32_t dl,
    struct notify_stored *js)
{
	memset(js, 0, sizeof(*js));
	judge_stored_or_say(nt, d, h, js);
	msg_init(nt, m, kind, d);
	m->commit = h->commit;
	m->material = 1;
	m->deadline_kind = JUDGE_DL_DATE;
	m->deadline = dl;
	m->judge = js->have_j ? &js->j : NULL;
	m->rules = js->have_rules ? &js->rules : NULL;
}

/* Reminders: for each open dated deadline, the latest [remind] threshold
 * that has been reached (and was not already reached on the day the change
 * was recorded: that day's change mail said it). The ledger key makes each
 * one go out once; an acknowledged change gets none. */
void
notify_reminders(struct notify *nt, const struct store_change *h, size_t nh)
{
	int32_t today = date_today();
	struct notify_stored js;
	struct mail_msg m;
	size_t k, i, x;

	for (k = 0; k < nh; k++) {
		const struct watchlist_doc *d = watchlist_doc(nt->wl, h[k].rec.document);
		int32_t dl, recorded = (int32_t)(h[k].when / 86400);
		int due = -1;

		if (!d || !nt->selected[d - nt->wl->doc] ||
		    (dl = record_open_deadline(&h[k].rec, h[k].ack != NULL, today)) == DATE_NONE)
			continue;
		for (i = 0; i < nt->wl->nremind; i++)
			if (dl - today <= nt->wl->remind[i] && dl - nt->wl->remind[i] > recorded)
				due = nt->wl->remind[i];
		if (due < 0)
			continue;
		for (x = 0; x < d->nteam; x++)
			if (!queued(nt, reminder_key(nt, h[k].commit, d->team[x], due)))
				break;
		if (x == d->nteam)
			continue;	/* sent to every team already */
		stored_msg(nt, &m, MAIL_REMINDER, d, &h[k], dl, &js);
		m.days_left = (int)(dl - today);
		queue_teams(nt, d, &m, due);
		notify_stored_release(&js);
	}
}

/* The message is queued first: a run killed before the note queues it
 * again under the same ledger key, which sends it once. */
void
notify_passed(struct notify *nt, const struct store_change *h, size_t nh)
{
	int32_t today = date_today();
	struct strbuf note = STRBUF_INIT;
	struct notify_stored js;
	struct mail_msg m;
	size_t k;

	for (k = 0; k < nh && nt->st; k++) {
		const struct watchlist_doc *d = watchlist_doc(nt->wl, h[k].rec.document);
		int32_t dl;
		int unqueued = 0;

		if (!d || !nt->selected[d - nt->wl->doc] || h[k].deemed != DATE_NONE ||
		    (dl = record_passed_deadline(&h[k].rec, h[k].ack != NULL, today)) == DATE_NONE)
			continue;
		stored_msg(nt, &m, MAIL_PASSED, d, &h[k], dl, &js);
		unqueued = queue_teams(nt, d, &m, 0) < 0;
		notify_stored_release(&js);
		if (unqueued || !nt->lg)
			continue;
		strbuf_reset(&note);
		record_note_deemed(dl, &note);
		if (store_note(nt->st, h[k].commit, note.buf, "clausewatch", date_now()) < 0)
			strbuf_addf(&nt->errors, "deadline %s: %s\n", d->id, util_err());
	}
	strbuf_release(&note);
}


/* run: the cron job, fetch -> normalize -> record -> notify. Fetch every
 * document at once; as each arrives, normalise it and record it if it
 * changed (record_decide), judging a change, and queue the teams' mail
 * (notify.c); then queue due reminders and digests, flush the mail ledger
 * and save the fetch state. */
#include <getopt.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "charset.h"
#include "cli.h"
#include "date.h"
#include "fetch.h"
#include "judge.h"
#include "ledger.h"
#include "mail.h"
#include "normalize.h"
#include "notify.h"
#include "pdf.h"
#include "pack.h"
#include "pool.h"
#include "push.h"
#include "record.h"
#include "render.h"
#include "report.h"
#include "smtp.h"
#include "state.h"
#include "store.h"
#include "text.h"
#include "util.h"
#include "watchlist.h"

/* A version recorded in the store: announced (stdout, mail) as soon as
 * store_flush has made it durable, so that a later document that brings
 * the run down costs nothing of it. */
struct recorded {
	const struct watchlist_doc *doc;
	char commit[41];
	struct record rec;
	/* a judged change's judgement and the new version's own rules,
	 * quoted in the mail */
	struct notify_stored js;
};

/* How far back reminders and digests look, in days. */
#define REMIND_WINDOW 400

struct run {
	struct cli *c;
	struct watchlist wl;
	struct store *st;
	struct state state;
	struct ledger *lg;
	struct notify nt;
	const struct watchlist_doc **docs;	/* parallel to items */
	struct fetch_item *items;
	size_t n, done;
	int dry_run;
	int failed;		/* exit 1 */
	int progress;
	char *from;
	char *store_abs;	/* the store as an absolute path, for mail */
	char *selected;		/* per watchlist document: in this run */
	char *reconf;		/* per item: url/select/remove changed since last run */
	char (*config)[17];	/* per item: hash of url/select/remove */
	int unqueued;		/* a change's mail could not be queued: the
				 * announced mark stays, the next run queues it */
	char *stopped;		/* the store's refs could not be moved: why;
				 * nothing more is recorded, exit 2 */
	/* first records: one commit at the end, announced then (a
	 * document's line on stdout: only the document is kept) */
	const struct watchlist_doc **firsts;
	size_t nfirst, afirst;
	char **only;		/* --only ids (argv's) */
	size_t nonly;
	int jobs;		/* -j, 0 = the watchlist's */
	char *browser;		/* for render = chromium; NULL: browser_error */
	char *browser_error;
	struct pool *pool;	/* normalising workers; NULL: on this thread */
	struct strbuf line;	/* scratch */
};

/* What the mail could not queue, said on stderr; the run exits 1. */
static void
notify_report(struct run *r)
{
	char *line, *save = NULL;

	if (!r->nt.errors.len)
		return;
	for (line = strtok_r(r->nt.errors.buf, "\n", &save); line;
	    line = strtok_r(NULL, "\n", &save))
		util_warn("%s", line);
	strbuf_reset(&r->nt.errors);
	r->failed = 1;
}

static void
doc_failed(struct run *r, const struct watchlist_doc *d, struct state_doc *sd,
    const char *what, const char *why)
{
	util_warn("%s %s: %s", what, d->id, why);
	r->failed = 1;
	if (r->dry_run)
		return;
	sd->failures++;
	free(sd->last_error);
	sd->last_error = xstrdup(why);
	if (sd->failures >= r->wl.fail_alert && !sd->alerted) {
		struct strbuf s = STRBUF_INIT;

		strbuf_addf(&s, "%s failed %d runs in a row; last error: %s", what,
		    sd->failures, why);
		notify_doc(&r->nt, d, MAIL_FAILURE, s.buf);
		sd->alerted = 1;
		strbuf_release(&s);
	}
}

static void
progress(struct run *r)
{
	if (!r->progress)
		return;
	if (r->done == r->n)
		util_progress_clear();
	else
		util_progress("clausewatch: %zu/%zu document%s", r->done, r->n, PLURAL(r->n));
}

static void
recorded_release(struct recorded *x)
{
	record_release(&x->rec);
	notify_stored_release(&x->js);
}

/* A static page that loads scripts, whose selection came out tiny (text
 * NULL: whatever its size, for the shrink warning): the shell of a page
 * that scripts fill, which only a browser can read.  A document that says
 * render = none is meant to be read as it comes. */
static int
spa_shell(const struct watchlist_doc *d, const char *type, const struct fetch_item *it,
    const struct strbuf *text)
{
	return !d->render_where && !strcmp(type, "html") &&
	    (!text || text->len < RENDER_TINY) && render_scripted(it->body.buf, it->body.len);
}

static void
held_back(struct run *r, const struct watchlist_doc *d, const struct state_doc *sd,
    size_t oldlen, size_t newlen, int scripted)
{
	util_warn("%s: the page lost %zu%% of its text (%zu -> %zu bytes); "
	    "not recorded unless it persists (%d of %d runs)%s", d->id,
	    100 - newlen * 100 / (oldlen ? oldlen : 1), oldlen, newlen, sd->shrunk,
	    r->wl.suspect_runs, scripted ? "; the page loads scripts: if they fill "
	    "it, set render = chromium" : "");
	r->failed = 1;
}

/* Move the announced mark to main's tip, unless a change's mail could not
 * be queued this run: then the next run finds it after the mark. */
static void
mark_announced(struct run *r)
{
	if (r->unqueued)
		return;
	if (store_mark_announced(r->st) < 0) {
		util_warn("%s", util_err());
		r->failed = 1;
	}
}

/* A version store_flush made durable: its line on stdout, the teams' mail
 * queued in the ledger (announce then moves the mark). */
static void
announce_one(struct run *r, const struct recorded *x)
{
	char dl[11];
	int error = 0;

	if (x->rec.kind == RECORD_ANNOUNCEMENT) {
		date_format(x->rec.announced, dl);
		printf("%s: update announced for %s (%.12s)\n", x->doc->id, dl,
		    x->commit);
		error = notify_announcement(&r->nt, x->doc, x->commit, x->rec.announced,
		    &x->js.j);
	} else if (x->rec.kind != RECORD_CHANGE) {
		printf("%s: %s (%.12s)\n", x->doc->id, x->rec.kind == RECORD_FIRST ?
		    "first record" : "new extraction recorded after a watchlist change",
		    x->commit);
	} else {
		if (x->rec.material) {
			record_deadline_format(&x->rec, dl);
			printf("%s: material change recorded (%.12s), deadline %s\n",
			    x->doc->id, x->commit, dl);
		} else {
			printf("%s: %s change recorded (%.12s)\n", x->doc->id,
			    judge_editorial_only(&x->js.j) ? "editorial" : "not material",
			    x->commit);
		}
		error = notify_change(&r->nt, x->doc, x->commit, &x->js.j,
		    x->js.have_rules ? &x->js.rules : NULL);
	}
	if (error < 0)
		r->unqueued = 1;
}

static void
announce(struct run *r, const struct recorded *x)
{
	announce_one(r, x);
	fflush(stdout);
	notify_report(r);
	mark_announced(r);
}

/* Commit x (judged when a change) and make it durable at once (a document
 * that fails or aborts later costs nothing of it), then announce it; a dry
 * run only says it. */
static int
commit_version(struct run *r, const struct watchlist_doc *d, struct fetch_item *it,
    const char *kind, const struct strbuf *text, struct recorded *x)
{
	struct strbuf subj = STRBUF_INIT, body = STRBUF_INIT, msg = STRBUF_INIT;
	struct store_record sr;
	int error = 0;

	record_describe(&x->rec, watchlist_doc_title(d), x->js.have_j ? &x->js.j : NULL,
	    &subj, &body);
	if (r->dry_run) {
		printf("%s: %s (dry run, not recorded)\n", d->id, subj.buf);
		goto cleanup;
	}
	record_message(&x->rec, subj.buf, body.buf, &msg);
	sr.id = d->id;
	sr.text = text->buf;
	sr.len = text->len;
	sr.message = msg.buf;
	sr.when = x->rec.fetched;
	/* snapshot first: a run killed in between records the version again;
	 * a re-extraction of the kept snapshot has none of its own (it NULL) */
	if (it && (error = store_snapshot(r->st, d->id, kind, it->body.buf,
	    it->body.len, subj.buf, sr.when)) < 0)
		goto cleanup;
	if (x->rec.kind == RECORD_FIRST) {
		/* one commit for the run's first records, at its end (a killed
		 * run records them again; they bring no mail) */
		if ((error = store_commit_first(r->st, &sr, &x->rec)) < 0)
			goto cleanup;
		ALLOC_GROW(r->firsts, r->nfirst + 1, r->afirst);
		r->firsts[r->nfirst++] = d;
		goto cleanup;
	}
	if ((error = store_commit(r->st, &sr, x->commit)) < 0)
		goto cleanup;
	if ((error = store_flush(r->st)) < 0) {
		/* the store's problem, not the document's: the run stops
		 * recording (the next run records this version again) */
		r->stopped = xstrdup(util_err());
		goto cleanup;
	}
	announce(r, x);
cleanup:
	strbuf_release(&subj);
	strbuf_release(&body);
	strbuf_release(&msg);
	return error;
}

/* Raw bytes of type (the snapshot's: "pdf", "html", "txt") -> the
 * document's normalised text, with its select and remove. */
static int
extract(const struct watchlist_doc *d, const char *type, const char *content_type,
    const char *body, size_t len, struct strbuf *text, struct strbuf *notes)
{
	struct normalize_opts o = { 0 };

	strbuf_release(text);
	text->cap = 32u << 20;
	o.select = d->select;
	o.nselect = d->nselect;
	o.remove = d->remove;
	o.nremove = d->nremove;
	o.content_type = content_type;
	o.base_url = d->url;
	o.auto_main = d->nselect == 0;
	o.notes = notes;
	return *type == 'p' ? pdf_to_text(body, len, NULL, text) :
	    *type == 'h' ? normalize_html(body, len, &o, text) :
	    normalize_text(body, len, text);
}

/* The last recorded version's raw bytes (snapshots branch) extracted
 * with the document's new url/select/remove; when that differs from the
 * recorded text, it is recorded as the new extraction and becomes old.
 * 0 done, 1 no snapshot to re-extract (an old store: the caller records
 * the fetched text as the new extraction), -1 failed. */
static int
reextract(struct run *r, const struct watchlist_doc *d, struct fetch_item *it,
    const char *type, struct strbuf *old)
{
	static const char *const types[] = { "html", "pdf", "txt" };
	struct strbuf raw = STRBUF_INIT, prev = STRBUF_INIT;
	struct recorded x;
	const char *t = type;
	size_t i;
	int rc = 1;

	memset(&x, 0, sizeof(x));
	record_init(&x.rec);
	raw.cap = r->wl.max_size ? r->wl.max_size : 64u << 20;
	/* the type it had then; the one it has now first */
	for (i = 0; rc == 1 && i <= sizeof(types) / sizeof(types[0]); i++) {
		if (i > 0 && !strcmp((t = types[i - 1]), type))
			continue;
		rc = store_snapshot_read(r->st, d->id, t, &raw);
	}
	if (rc != 0)
		goto cleanup;
	/* the server's charset is likely the same as then */
	if ((rc = extract(d, t, !strcmp(t, type) ? it->content_type : NULL, raw.buf,
	    raw.len, &prev, NULL)) < 0) {
		util_seterr("re-extracting the last version with the new settings: %s",
		    util_err());
		goto cleanup;
	}
	if (prev.len == old->len && !memcmp(prev.buf, old->buf, old->len))
		goto cleanup;	/* the new settings read the old page the same */
	x.doc = d;
	record_set(&x.rec, d->id, d->url, date_now(), RECORD_NEW_EXTRACTION);
	if ((rc = commit_version(r, d, NULL, t, &prev, &x)) < 0)
		goto cleanup;
	util_info("%s: re-extracted its last version with the new settings", d->id);
	strbuf_reset(old);
	rc = strbuf_add(old, prev.buf, prev.len);
cleanup:
	recorded_release(&x);
	strbuf_release(&raw);
	strbuf_release(&prev);
	return rc;
}

/* What the state keeps of a page recorded or found unchanged: its
 * validators, and the hashes that let the next run skip the same bytes. */
static void
remember(struct run *r, struct state_doc *sd, const struct fetch_item *it,
    const char *raw, const char *text)
{
	char *nraw, *ntext;

	if (r->dry_run)
		return;
	free(sd->etag);
	free(sd->last_modified);
	sd->etag = it->etag_new ? xstrdup(it->etag_new) : NULL;
	sd->last_modified = it->last_modified_new ? xstrdup(it->last_modified_new) : NULL;
	nraw = xstrdup(raw);	/* text may be sd->text itself */
	ntext = xstrdup(text);
	free(sd->raw);
	free(sd->text);
	sd->raw = nraw;
	sd->text = ntext;
}

/* The recording step of a fetched, normalised document: compare with the
 * stored version, judge a change, commit. 0 recorded or unchanged, 1 held
 * back (shrunk page), -1 failed (reported). */
static int
record_version(struct run *r, const struct watchlist_doc *d, struct state_doc *sd,
    struct fetch_item *it, const char *type, int reextracted, struct strbuf *text,
    const char *texthex, const char *raw)
{
	struct strbuf old = STRBUF_INIT;
	struct judge_opts o = { DATE_NONE, 0 };
	struct recorded x;
	enum record_kind kind = RECORD_CHANGE;
	const char *what = "store";
	int error = 0, none = 1;

	memset(&x, 0, sizeof(x));
	x.doc = d;
	record_init(&x.rec);
	if (!reextracted && sd->text && !strcmp(sd->text, texthex)) {
		sd->shrunk = 0;	/* the recorded text: page noise only */
		goto validators;
	}
	old.cap = 64u << 20;
	if (r->st && (none = store_read(r->st, d->id, &old, NULL)) < 0) {
		error = -1;
		goto cleanup;
	}
	/* url, select or remove changed: the difference of our making is
	 * recorded from the last version's own bytes, so that whatever the
	 * publisher changed meanwhile is judged (and mailed) on its own */
	if (reextracted && !none && (error = reextract(r, d, it, type, &old)) < 0)
		goto cleanup;
	if (error == 0)
		reextracted = 0;
	error = 0;
	switch (record_decide(none ? NULL : &old, text, reextracted, &sd->shrunk,
	    r->wl.suspect_runs, !r->dry_run, &kind)) {
	case RECORD_UNCHANGED:
		util_info("%s: unchanged (%zu bytes of text)", d->id, text->len);
		goto validators;
	case RECORD_HELD:
		held_back(r, d, sd, old.len, text->len, spa_shell(d, type, it, NULL));
		error = 1;
		goto cleanup;	/* keep the validators: fetch it whole next time */
	case RECORD_WRITE:
		break;
	}
	record_set(&x.rec, d->id, d->url, date_now(), kind);
	if (kind == RECORD_CHANGE) {
		o.seen = date_today();
		o.extra_material = d->material;
		what = "judge";
		if ((error = judge_compare(old.buf, old.len, text->buf, text->len, &o,
		    &x.js.j)) < 0)
			goto cleanup;
		x.js.have_j = 1;
		record_judged(&x.rec, &x.js.j);
		/* a banner announcing new terms changed no term: recorded and
		 * mailed as the early warning it is */
		if (!x.js.j.material && x.js.j.announced != DATE_NONE) {
			x.rec.kind = RECORD_ANNOUNCEMENT;
			x.rec.announced = x.js.j.announced;
		}
		/* the document's own sentences, quoted in the mail */
		x.js.have_rules = notify_rules(text->buf, text->len, &x.js.rules) == 0;
		what = "store";
	}
	if ((error = commit_version(r, d, it, type, text, &x)) < 0)
		goto cleanup;
validators:
	remember(r, sd, it, raw, texthex);
cleanup:
	if (error < 0 && !r->stopped)
		doc_failed(r, d, sd, what, util_err());
	recorded_release(&x);
	strbuf_release(&old);
	return error;
}

/* Changes a run recorded but did not live to queue mail for (killed between
 * the store's flush and the ledger): judged again and queued now. */
static void
announce_missed(struct run *r)
{
	struct store_change *h = NULL;
	struct notify_stored js;
	size_t nh = 0, k;

	if (store_unannounced(r->st, &h, &nh) < 0) {
		util_warn("mail: %s", util_err());
		r->failed = 1;
		return;
	}
	for (k = 0; k < nh; k++) {
		const struct watchlist_doc *d = watchlist_doc(&r->wl, h[k].rec.document);

		if (!d || !h[k].parent[0] || (!h[k].rec.material &&
		    h[k].rec.kind != RECORD_ANNOUNCEMENT))
			continue;
		if (notify_judge_stored(&r->nt, d, &h[k], &js) < 0) {
			util_warn("mail %s: %s", d->id, util_err());
			r->failed = 1;
			r->unqueued = 1;
			continue;
		}
		if ((h[k].rec.kind == RECORD_ANNOUNCEMENT ?
		    notify_announcement(&r->nt, d, h[k].commit, h[k].rec.announced, &js.j) :
		    notify_change(&r->nt, d, h[k].commit, &js.j, js.have_rules ?
		    &js.rules : NULL)) < 0)
			r->unqueued = 1;
		notify_stored_release(&js);
	}
	store_changes_free(h, nh);
	notify_report(r);
	mark_announced(r);
}

/* Why a fetched answer cannot be a version of the page (into why), or 0:
 * a 304 to a request that had no validators, an empty body (a 204, an
 * empty 200); a body served as text that is not text is the worker's to
 * find (not_text).  A first record needs a real page: an empty one would
 * be followed by a false "material change" the next time. */
static int
unusable(const struct fetch_item *it, struct strbuf *why)
{
	strbuf_reset(why);
	if (it->not_modified) {
		if (!it->etag && !it->last_modified)
			strbuf_addstr(why, "HTTP 304 to a request without validators");
	} else if (!it->body.len) {
		strbuf_addf(why, "HTTP %ld with an empty body", it->status);
	}
	return why->len > 0;
}

/* A body of type (not a PDF) served as text that is not: why, or 0. */
static int
not_text(const struct fetch_item *it, const char *type, struct strbuf *why)
{
	if (!strcmp(type, "pdf"))
		return 0;
	strbuf_addstr(why, "the body is not text: ");
	if (!charset_not_text(it->content_type, it->body.buf, it->body.len, why))
		strbuf_reset(why);
	return why->len > 0;
}

/* ------------------------------------------------------------------ */
/* Normalising on the worker pool (pool.h): the workers hash and normalise
 * the fetched pages while the transfers go on; comparing, judging and the
 * store stay on this thread, in the order the pages come back. */

enum job_result { JOB_SAME_BYTES, JOB_TEXT, JOB_FAILED };

/* A worker reads the item and the document, and writes only the job. */
struct job {
	struct run *r;
	size_t idx;
	char *last_raw;		/* the state's, when the bytes may be skipped */
	enum job_result result;
	const char *what;	/* JOB_FAILED: the step, "fetch" or "normalize" */
	const char *type;	/* of the snapshot */
	char raw[41];
	struct strbuf text;
	char texthex[41];	/* the text's blob id */
	struct strbuf notes;	/* the normaliser's, for the log */
	char *error;
	/* the page and its text, compressed ahead for the store (want_blobs:
	 * a first record) */
	int want_blobs;
	struct pack_obj *rawblob, *textblob;
};

/* MuPDF contexts made without locks: one PDF at a time. */
static pthread_mutex_t pdf_lock = PTHREAD_MUTEX_INITIALIZER;

static int
job_normalise(struct job *jb, const struct watchlist_doc *d, const struct fetch_item *it)
{
	int rc;

	if (*jb->type == 'p')
		pthread_mutex_lock(&pdf_lock);
	rc = extract(d, jb->type, it->content_type, it->body.buf, it->body.len, &jb->text,
	    &jb->notes);
	if (*jb->type == 'p')
		pthread_mutex_unlock(&pdf_lock);
	return rc;
}

/* The blob id of buf: o's, made from it, or hashed now. */
static void
blob_hex(const struct pack_obj *o, const void *buf, size_t len, char hex[41])
{
	if (o)
		git_oid_tostr(hex, 41, &o->id);
	else
		store_hash(buf, len, hex);
}

static void
job_run(void *arg)
{
	struct job *jb = arg;
	const struct watchlist_doc *d = jb->r->docs[jb->idx];
	const struct fetch_item *it = &jb->r->items[jb->idx];
	struct strbuf why = STRBUF_INIT;

	/* a first record's page (no bytes to skip) is hashed with its blob */
	if (!jb->want_blobs)
		store_hash(it->body.buf, it->body.len, jb->raw);
	if (jb->last_raw && !strcmp(jb->last_raw, jb->raw)) {
		jb->result = JOB_SAME_BYTES;	/* the bytes last read whole */
		return;
	}
	jb->result = JOB_FAILED;
	jb->what = "normalize";
	jb->type = pdf_is_pdf(d->url, it->content_type, it->body.buf, it->body.len) ? "pdf" :
	    normalize_is_html(d->url, it->content_type, it->body.buf, it->body.len) ?
	    "html" : "txt";
	if (not_text(it, jb->type, &why)) {
		jb->what = "fetch";
	} else if (job_normalise(jb, d, it) < 0) {
		strbuf_addstr(&why, util_err());
		if (spa_shell(d, jb->type, it, NULL))
			strbuf_addstr(&why, "; the page looks rendered by JavaScript: set "
			    "render = chromium");
	} else if (spa_shell(d, jb->type, it, &jb->text)) {
		strbuf_addf(&why, "the selection holds only %zu bytes of text and "
		    "the page loads scripts: it looks rendered by JavaScript; set "
		    "render = chromium (or render = none to record it as it is)",
		    jb->text.len);
	} else if (!jb->text.len) {
		/* never recorded as the page (nor as its removal) */
		strbuf_addstr(&why, "no text in the page");
	} else {
		jb->result = JOB_TEXT;
		/* what the store will most likely write: hashed and deflated
		 * here, not on the thread that writes */
		if (jb->want_blobs) {
			jb->rawblob = store_blob_make(it->body.buf, it->body.len);
			jb->textblob = store_blob_make(jb->text.buf, jb->text.len);
			blob_hex(jb->rawblob, it->body.buf, it->body.len, jb->raw);
		}
		blob_hex(jb->textblob, jb->text.buf, jb->text.len, jb->texthex);
	}
	if (jb->result == JOB_FAILED)
		jb->error = strbuf_detach(&why, NULL);
	strbuf_release(&why);
}

/* A document fetched and read: the state says so. */
static void
doc_ok(struct run *r, size_t idx, struct state_doc *sd)
{
	if (r->dry_run)
		return;
	free(sd->config);
	sd->config = xstrdup(r->config[idx]);
	sd->failures = 0;
	free(sd->last_error);
	sd->last_error = NULL;
	sd->last_ok = date_now();
	if (sd->alerted) {
		notify_doc(&r->nt, r->docs[idx], MAIL_RECOVERY, "fetched and normalised again");
		sd->alerted = 0;
	}
}

/* Back from the worker: record, and let the page go. */
static void
job_finish(struct run *r, struct job *jb)
{
	const struct watchlist_doc *d = r->docs[jb->idx];
	struct fetch_item *it = &r->items[jb->idx];
	struct state_doc *sd = state_get(&r->state, d->id);

	if (jb->notes.len) {
		strbuf_setlen(&jb->notes, jb->notes.len - 1);
		util_info("%s: %s", d->id, jb->notes.buf);
	}
	switch (r->stopped ? -1 : (int)jb->result) {
	case JOB_FAILED:
		doc_failed(r, d, sd, jb->what, jb->error);
		break;
	case JOB_SAME_BYTES:
		sd->shrunk = 0;
		remember(r, sd, it, jb->raw, sd->text);
		doc_ok(r, jb->idx, sd);
		break;
	case JOB_TEXT:
		if (r->st) {
			store_offer(r->st, jb->rawblob);
			store_offer(r->st, jb->textblob);
			jb->rawblob = jb->textblob = NULL;
		}
		if (record_version(r, d, sd, it, jb->type, r->reconf[jb->idx], &jb->text,
		    jb->texthex, jb->raw) >= 0)
			doc_ok(r, jb->idx, sd);
		if (r->st)
			store_offers_clear(r->st);
		break;
	}
	fetch_item_release(it);
	strbuf_release(&jb->text);
	strbuf_release(&jb->notes);
	if (jb->rawblob)
		pack_obj_release(jb->rawblob);
	if (jb->textblob)
		pack_obj_release(jb->textblob);
	free(jb->rawblob);
	free(jb->textblob);
	free(jb->error);
	free(jb->last_raw);
	free(jb);
}

static void
jobs_collect(void *arg)
{
	struct run *r = arg;
	struct job *jb;

	while ((jb = pool_done(r->pool, 0)))
		job_finish(r, jb);
}

static void
on_fetched(struct fetch_item *it, void *arg)
{
	struct run *r = arg;
	size_t idx = (size_t)(it - r->items);
	const struct watchlist_doc *d = r->docs[idx];
	struct state_doc *sd = state_get(&r->state, d->id);
	struct job *jb;

	r->done++;
	progress(r);
	if (!r->dry_run)
		sd->last_try = date_now();
	if (r->stopped || !it->ok) {
		/* stopped: the state is not saved, all is fetched again */
		if (!r->stopped)
			doc_failed(r, d, sd, "fetch", it->error ? it->error : "failed");
		fetch_item_release(it);
		return;
	}
	if (it->not_modified)
		util_info("%s: unchanged (not modified since the last run)", d->id);
	else
		util_info("%s: fetched %zu bytes (%s)", d->id, it->body.len,
		    it->content_type ? it->content_type : "no content type");
	if (unusable(it, &r->line) || it->not_modified) {
		if (r->line.len)
			doc_failed(r, d, sd, "fetch", r->line.buf);
		else
			doc_ok(r, idx, sd);
		fetch_item_release(it);
		return;
	}
	jb = xcalloc(1, sizeof(*jb));
	jb->r = r;
	jb->idx = idx;
	strbuf_init(&jb->text, 32u << 20);
	strbuf_init(&jb->notes, 0);
	if (!r->reconf[idx] && sd->raw && sd->text)
		jb->last_raw = xstrdup(sd->raw);
	/* never read whole before: a first record, both blobs written */
	jb->want_blobs = r->st && !r->dry_run && !sd->text && !sd->last_ok;
	if (!r->pool) {
		job_run(jb);
		job_finish(r, jb);
		return;
	}
	/* a bounded backlog: pages wait in memory only so long */
	while (pool_outstanding(r->pool) >= 4 * (size_t)pool_workers(r->pool))
		job_finish(r, pool_done(r->pool, 1));
	pool_submit(r->pool, job_run, jb);
}

/* ------------------------------------------------------------------ */

/* One string of the configuration into the hash, its NUL included, so
 * that the lists stay apart. */
static uint64_t
config_mix(uint64_t h, const char *s)
{
	return text_hash(h, s, strlen(s) + 1);
}

/* What decides the extracted text besides the page: FNV-1a over url,
 * select and remove values (each NUL-terminated, lists separated). */
static void
config_hash(const struct watchlist_doc *d, char out[17])
{
	uint64_t h = TEXT_HASH_INIT;
	size_t i;

	h = config_mix(h, d->url);
	for (i = 0; i < d->nselect; i++)
		h = config_mix(h, d->select[i]);
	h = config_mix(h, "\001");
	for (i = 0; i < d->nremove; i++)
		h = config_mix(h, d->remove[i]);
	if (d->render)	/* absent before render existed: hashes kept */
		h = config_mix(h, "\002render");
	snprintf(out, 17, "%016llx", (unsigned long long)h);
}

static void
default_from(struct run *r)
{
	char host[256];

	if (r->wl.mail_from) {
		r->from = xstrdup(r->wl.mail_from);
		return;
	}
	if (gethostname(host, sizeof(host) - 1) < 0)
		host[0] = '\0';
	host[sizeof(host) - 1] = '\0';	/* not terminated when truncated */
	if (!*host || strpbrk(host, " \r\n<>@\"()[],;:\\"))
		strcpy(host, "localhost");
	strbuf_reset(&r->line);
	strbuf_addf(&r->line, "clausewatch@%s", host);
	r->from = xstrdup(r->line.buf);
}

/* Options into r; -1 after printing the usage. */
static int
run_options(struct run *r, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "only", required_argument, NULL, 'o' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ "jobs", required_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	int ch;

	optind = 0;
	while ((ch = getopt_long(argc, argv, "j:", opts, NULL)) != -1) {
		switch (ch) {
		case 'o':
			util_strv_push(&r->only, &r->nonly, optarg);
			break;
		case 'n':
			r->dry_run = 1;
			break;
		case 'j':
			r->jobs = atoi(optarg);
			if (r->jobs < 1 || r->jobs > 256) {
				fprintf(stderr, "clausewatch: -j takes 1 to 256\n");
				return -1;
			}
			break;
		default:
			goto usage;
		}
	}
	if (optind == argc)
		return 0;
usage:
	cli_usage("run");
	return -1;
}

/* The watchlist, the store (locked, in a batch), the fetch state and the
 * mail ledger; -1 after printing why. */
static int
run_open(struct run *r)
{
	struct strbuf errors = STRBUF_INIT;
	size_t i;
	int error = 0;

	if ((error = watchlist_load(r->c->watchlist, &r->wl, &errors)) < 0 ||
	    (!r->dry_run && (error = smtp_check_config(&r->wl.smtp, &errors)) < 0)) {
		fputs(errors.buf, stderr);
		goto cleanup;
	}
	for (i = 0; i < r->nonly; i++)
		if (!watchlist_doc(&r->wl, r->only[i])) {
			fprintf(stderr, "clausewatch: run: no document '%s' in %s\n", r->only[i],
			    r->c->watchlist);
			error = -1;
			goto cleanup;
		}
	/* the selectors of the documents this run fetches, not all of them */
	for (i = 0; i < r->wl.ndoc; i++)
		if ((!r->nonly || util_strv_has(r->only, r->nonly, r->wl.doc[i].id)) &&
		    watchlist_check_selectors(&r->wl.doc[i], &errors) < 0)
			error = -1;
	if (error < 0) {
		fputs(errors.buf, stderr);
		goto cleanup;
	}
	if (r->dry_run && store_probe(r->c->store) >= 0 && store_probe(r->c->store) < 2)
		goto cleanup;	/* a dry run creates nothing: all first records */
	if ((error = store_open(r->c->store, !r->dry_run, &r->st)) < 0)
		goto failed;
	/* once, and even with -q: a misspelled -s shows at once */
	if (store_created(r->st))
		util_warn("created a new store at %s", r->c->store);
	if ((error = cli_lock_store(r->st, 0)) < 0 ||
	    (error = state_load(r->c->store, &r->state)) < 0 ||
	    (!r->dry_run && ((error = ledger_open(&r->lg, r->c->store)) < 0 ||
	    (error = store_begin(r->st)) < 0))) {
failed:
		util_warn("run: %s", util_err());
		goto cleanup;
	}
cleanup:
	strbuf_release(&errors);
	return error;
}

/* One fetch item per selected document, with the validators of the last
 * run unless its url/select/remove changed (then it is fetched whole). */
static void
run_plan(struct run *r)
{
	size_t i;

	r->docs = xcalloc(r->wl.ndoc, sizeof(*r->docs));
	r->selected = xcalloc(r->wl.ndoc, 1);
	r->reconf = xcalloc(r->wl.ndoc, 1);
	r->config = xcalloc(r->wl.ndoc, sizeof(*r->config));
	r->items = xcalloc(r->wl.ndoc, sizeof(*r->items));
	for (i = 0; i < r->wl.ndoc; i++) {
		const struct watchlist_doc *d = &r->wl.doc[i];
		const struct state_doc *sd;

		if (r->nonly && !util_strv_has(r->only, r->nonly, d->id))
			continue;
		sd = state_find(&r->state, d->id);
		r->selected[i] = 1;
		r->docs[r->n] = d;
		config_hash(d, r->config[r->n]);
		r->reconf[r->n] = sd && sd->config && strcmp(sd->config, r->config[r->n]);
		r->items[r->n].id = d->id;
		r->items[r->n].url = d->url;
		r->items[r->n].etag = sd && !r->reconf[r->n] ? sd->etag : NULL;
		r->items[r->n].last_modified = sd && !r->reconf[r->n] ? sd->last_modified : NULL;
		r->items[r->n].render = d->render;
		if (d->render && !r->browser && !r->browser_error && render_find(&r->browser) < 0)
			r->browser_error = xstrdup(util_err());
		strbuf_init(&r->items[r->n].body, r->wl.max_size);
		r->n++;
	}
}

/* Every document at once; each is recorded as it arrives (on_fetched). */
static void
run_fetch(struct run *r)
{
	struct fetch_opts fo;

	r->progress = util_verbose > 0 && isatty(2);
	fo.jobs = r->jobs ? r->jobs : r->wl.jobs;
	fo.per_host = 2;
	fo.connect_timeout = r->wl.connect_timeout;
	fo.timeout = r->wl.timeout;
	fo.deadline = r->wl.deadline;
	fo.max_size = r->wl.max_size;
	fo.browser = r->browser;
	fo.browser_error = r->browser_error;
	fo.retry_delay_ms = getenv("CLAUSEWATCH_RETRY_MS") ?
	    atol(getenv("CLAUSEWATCH_RETRY_MS")) : 1000;
	fo.on_poll = NULL;
	/* a pool for more than one page; without one, pages are read here */
	if (r->n > 1 && pool_new(0, &r->pool) == 0) {
		fo.poll_fd = pool_fd(r->pool);
		fo.on_poll = jobs_collect;
	}
	if (fetch_all(r->items, r->n, &fo, on_fetched, r) < 0) {
		util_warn("run: %s", util_err());
		r->failed = 1;
	}
	if (r->pool) {
		struct job *jb;

		while ((jb = pool_done(r->pool, 1)))
			job_finish(r, jb);
	}
	notify_report(r);
}

/* Reminders and digests come from one walk of recent history: of the
 * changes and announcements (first records and new extractions have no
 * deadline and no digest line). */
static void
notify_due(struct run *r)
{
	struct store_change *h = NULL;
	size_t nh = 0;

	if (store_recent_kinds(r->st, date_now() - (time_t)REMIND_WINDOW * 86400,
	    1u << RECORD_CHANGE | 1u << RECORD_ANNOUNCEMENT, &h, &nh) < 0) {
		util_warn("reminders: %s", util_err());
		r->failed = 1;
	}
	notify_digests(&r->nt, h, nh);
	notify_reminders(&r->nt, h, nh);
	notify_passed(&r->nt, h, nh);
	store_changes_free(h, nh);
	notify_report(r);
}

static void
flush_mail(struct run *r)
{
	struct ledger_stats ls = { 0 };

	if (ledger_flush(r->lg, &r->wl.smtp, &ls) < 0) {
		util_warn("mail: %s", util_err());
		r->failed = 1;
	} else if (ls.pending || ls.uncertain || ls.partial || ls.rejected || ls.unlogged) {
		if (ls.pending + ls.uncertain)
			util_warn("mail: %zu message(s) not delivered yet, kept for the next run%s%s",
			    ls.pending + ls.uncertain, *ledger_last_error(r->lg) ? ": " : "",
			    ledger_last_error(r->lg));
		else
			util_warn("mail: %s", ledger_last_error(r->lg));
		r->failed = 1;
	}
}

/* Every version was recorded and announced as it came: the reminders and
 * digests, the mail, then the fetch state. */
static int
run_finish(struct run *r)
{
	size_t i;

	if (r->stopped) {
		/* validators not saved: the next run fetches and records again */
		util_warn("run: %s", r->stopped);
		return -1;
	}
	/* the run's first records: one commit, durable, then announced */
	if (r->nfirst && (store_commit_firsts(r->st) < 0 || store_flush(r->st) < 0)) {
		fprintf(stderr, "clausewatch: run: %s\n", util_err());
		return -1;
	}
	for (i = 0; i < r->nfirst; i++) {
		struct recorded x;

		memset(&x, 0, sizeof(x));
		record_init(&x.rec);
		x.doc = r->firsts[i];
		x.rec.kind = RECORD_FIRST;
		memcpy(x.commit, store_first_commit(r->st), 41);
		announce_one(r, &x);
	}
	if (r->nfirst) {
		fflush(stdout);
		notify_report(r);
		mark_announced(r);
	}
	notify_due(r);
	flush_mail(r);
	if (state_save(r->c->store, &r->state) < 0) {
		util_warn("run: %s", util_err());
		r->failed = 1;
	}
	return 0;
}

/* The remotes get what this run recorded; a remote that fails keeps
 * nothing from the others, and the next run pushes it again. */
static void
push_all(struct run *r)
{
	struct push_auth auth = { r->wl.push_user, r->wl.push_token_file, r->wl.push_ssh_key };
	struct push_result res;
	size_t i;

	for (i = 0; i < r->wl.npush; i++) {
		if (push_store(r->c->store, r->wl.push[i], &auth, &res) < 0) {
			util_warn("%s", util_err());
			r->failed = 1;
		} else if (res.pushed) {
			util_info("pushed %zu ref(s) to %s", res.pushed, r->wl.push[i]);
		}
		push_result_release(&res);
	}
}

/* [report] dir: the site rewritten, only its changed pages. */
static void
report_after(struct run *r)
{
	const char *store = r->c->store;
	struct report_opts o = { &r->wl, r->wl.mail_link };
	struct report_stats rs;

	if (!r->wl.report_dir)
		return;
	if (report_write(r->wl.report_dir, &store, 1, &o, &rs) < 0) {
		util_warn("%s", util_err());
		r->failed = 1;
	} else {
		util_info("report: %zu file(s) written, %zu unchanged, in %s", rs.written,
		    rs.unchanged, r->wl.report_dir);
	}
}

static void
run_free(struct run *r)
{
	size_t i;

	notify_release(&r->nt);
	pool_free(r->pool);
	free(r->firsts);
	for (i = 0; i < r->n; i++)
		fetch_item_release(&r->items[i]);
	free(r->items);
	free(r->docs);
	free(r->selected);
	free(r->reconf);
	free(r->config);
	free(r->from);
	free(r->store_abs);
	free(r->only);
	free(r->browser);
	free(r->browser_error);
	free(r->stopped);
	ledger_free(r->lg);
	state_free(&r->state);
	store_free(r->st);
	watchlist_free(&r->wl);
	strbuf_release(&r->line);
}

/* fetch -> normalize -> record -> notify. Exit 2 when the run could not
 * start or record anything, 1 when a document or the mail failed. */
int
cli_run(struct cli *c, int argc, char **argv)
{
	struct run r;
	int error = 0;

	memset(&r, 0, sizeof(r));
	r.c = c;
	strbuf_init(&r.line, 0);
	if ((error = run_options(&r, argc, argv)) < 0 || (error = run_open(&r)) < 0)
		goto cleanup;
	default_from(&r);
	run_plan(&r);
	/* the commands in mail work from anywhere: never ./store */
	r.store_abs = realpath(c->store, NULL);
	notify_init(&r.nt, &r.wl, r.lg, r.from, r.store_abs ? r.store_abs : c->store,
	    r.selected);
	r.nt.st = r.st;
	if (!r.dry_run)
		announce_missed(&r);
	run_fetch(&r);
	if (!r.dry_run && (error = run_finish(&r)) < 0)
		goto cleanup;
	if (!r.dry_run) {
		report_after(&r);
		push_all(&r);
	}
cleanup:
	run_free(&r);
	return error < 0 ? 2 : r.failed ? 1 : 0;
}

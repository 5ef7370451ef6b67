/* The commands other than run: thin glue between the modules and stdout. */
#include <getopt.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <git2.h>

#include "charset.h"
#include "clause.h"
#include "cli.h"
#include "date.h"
#include "judge.h"
#include "json.h"
#include "mailcmd.h"
#include "normalize.h"
#include "ota.h"
#include "pdf.h"
#include "record.h"
#include "render.h"
#include "replay.h"
#include "report.h"
#include "rules.h"
#include "smtp.h"
#include "state.h"
#include "store.h"
#include "util.h"
#include "watchlist.h"

#define FILE_CAP (64u << 20)	/* documents given on the command line */
#define TEXT_CAP (32u << 20)	/* normalised text */
#define ACK_LOCK_WAIT 30	/* seconds ack waits for a run to finish */

static void
fail(const char *what)
{
	fprintf(stderr, "clausewatch: %s%s%s\n", what ? what : "", what ? ": " : "", util_err());
}

/* A text or Markdown file in whatever encoding it came (a file has no
 * header to say), as UTF-8, normalised; binary data is refused. */
static int
load_text(const struct strbuf *raw, struct strbuf *md)
{
	struct strbuf u = STRBUF_INIT;
	const char *cs;
	size_t bom;
	int rc;

	if (charset_detect_text(raw->buf, raw->len, &cs, &bom) < 0)
		return -1;
	u.cap = FILE_CAP * 4;
	if ((rc = charset_to_utf8(raw->buf + bom, raw->len - bom, cs, &u)) == 0)
		rc = normalize_text(u.buf, u.len, md);
	if (rc == 0 && strcmp(cs, "UTF-8"))
		util_info("read as %s", cs);
	strbuf_release(&u);
	return rc;
}

int
cli_load_document(const char *path, struct strbuf *md)
{
	struct strbuf raw = STRBUF_INIT;
	struct normalize_opts o = { 0 };
	int rc;

	if (util_read_file(path, FILE_CAP, &raw) < 0)
		return -1;
	strbuf_release(md);
	md->cap = TEXT_CAP;
	o.auto_main = 1;
	if (pdf_is_pdf(path, NULL, raw.buf, raw.len))
		rc = pdf_to_text(raw.buf, raw.len, NULL, md);
	else if (normalize_is_html(path, NULL, raw.buf, raw.len))
		rc = normalize_html(raw.buf, raw.len, &o, md);
	else
		rc = load_text(&raw, md);
	if (rc < 0)
		util_seterr("%s: %s", path, util_err());
	strbuf_release(&raw);
	return rc;
}

/* Documents with render = chromium on a machine without the browser:
 * each would fail every run. */
static int
check_browser(const struct watchlist *wl, struct strbuf *errors)
{
	char *browser = NULL, *why = NULL;
	size_t i;

	for (i = 0; i < wl->ndoc; i++) {
		if (!wl->doc[i].render)
			continue;
		if (!why && !browser && render_find(&browser) < 0)
			why = xstrdup(util_err());
		if (browser)
			break;
		strbuf_addf(errors, "%s: document '%s' needs a browser (render = "
		    "chromium): %s\n", wl->doc[i].render_where, wl->doc[i].id, why);
	}
	free(browser);
	if (!why)
		return 0;
	free(why);
	return -1;
}

int
cli_check(struct cli *c, int argc, char **argv)
{
	struct watchlist wl;
	struct strbuf errors = STRBUF_INIT;
	size_t i;
	int rc;

	if (argc > 1) {
		cli_usage("check");
		return 2;
	}
	rc = watchlist_load(c->watchlist, &wl, &errors);
	for (i = 0; i < wl.ndoc; i++)
		if (watchlist_check_selectors(&wl.doc[i], &errors) < 0)
			rc = -1;
	if (smtp_check_config(&wl.smtp, &errors) < 0)
		rc = -1;
	if (check_browser(&wl, &errors) < 0)
		rc = -1;
	if (rc < 0) {
		fputs(errors.buf, stderr);
	} else if (util_verbose) {
		printf("%s: %zu document%s, %zu team%s, mail %s\n", c->watchlist, wl.ndoc,
		    PLURAL(wl.ndoc), wl.nteam, PLURAL(wl.nteam), wl.smtp.host ? wl.smtp.host : "to the store's outbox");
	}
	watchlist_free(&wl);
	strbuf_release(&errors);
	return rc < 0 ? 2 : 0;
}

int
cli_lock_store(struct store *st, int wait_seconds)
{
	struct strbuf cleared = STRBUF_INIT;
	char *line, *save = NULL;
	int tries = wait_seconds * 5;

	/* a person's command waits for a run to finish rather than fail */
	while (store_lock(st, &cleared) < 0) {
		if (tries-- <= 0) {
			strbuf_release(&cleared);
			return -1;
		}
		usleep(200 * 1000);
	}
	for (line = strtok_r(cleared.buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		util_warn("store: removed %s, left by an interrupted run", line);
	strbuf_release(&cleared);
	return 0;
}

/* The open deadline of a change, on day today (DATE_NONE: any day). */
static int32_t
open_deadline(const struct store_change *ch, int32_t today)
{
	return record_open_deadline(&ch->rec, ch->ack != NULL, today);
}

/* The deadline of a change that passed unacknowledged, or DATE_NONE. */
static int32_t
passed_deadline(const struct store_change *ch, int32_t today)
{
	return record_passed_deadline(&ch->rec, ch->ack != NULL, today);
}

int
cli_list(struct cli *c, int argc, char **argv)
{
	struct watchlist wl;
	struct strbuf errors = STRBUF_INIT;
	struct store *st = NULL;
	struct state s = { 0 };
	struct store_change *h = NULL;
	size_t nh = 0, i, j;
	int32_t today = date_today();
	int rc = 0;

	if (argc > 1) {
		cli_usage("list");
		return 2;
	}
	if (watchlist_load(c->watchlist, &wl, &errors) < 0) {
		fputs(errors.buf, stderr);
		strbuf_release(&errors);
		watchlist_free(&wl);
		return 2;
	}
	/* one walk of the whole history, not one per document */
	if (store_open(c->store, 0, &st) < 0 || state_load(c->store, &s) < 0 ||
	    store_recent(st, 0, &h, &nh) < 0) {
		fail("list");
		rc = 2;
		goto cleanup;
	}
	for (i = 0; i < wl.ndoc; i++) {
		const struct watchlist_doc *d = &wl.doc[i];
		const struct state_doc *sd = state_find(&s, d->id);
		char when[21] = "-", last[11] = "-", next[11] = "-", gone[11];
		int32_t best = DATE_NONE, passed = DATE_NONE;
		const char *result = "never fetched";
		int seen = 0;

		if (sd && sd->last_try) {
			result = sd->last_error ? sd->last_error : "ok";
			date_format_time(sd->last_try, when);
		}
		for (j = 0; j < nh; j++) {
			int32_t dl;

			if (strcmp(h[j].rec.document, d->id))
				continue;
			if (!seen++)
				date_format((int32_t)(h[j].when / 86400), last);
			dl = open_deadline(&h[j], today);
			if (dl != DATE_NONE && (best == DATE_NONE || dl < best))
				best = dl;
			dl = passed_deadline(&h[j], today);
			if (dl != DATE_NONE && (passed == DATE_NONE || dl > passed))
				passed = dl;
		}
		if (best != DATE_NONE)
			date_format(best, next);
		printf("%s\t%s %s\tchanged %s\tdeadline %s", d->id, when, result, last, next);
		if (passed != DATE_NONE) {
			date_format(passed, gone);
			printf("\tdeemed accepted %s, not acknowledged", gone);
		}
		putchar('\n');
	}
cleanup:
	store_changes_free(h, nh);
	state_free(&s);
	store_free(st);
	watchlist_free(&wl);
	strbuf_release(&errors);
	return rc;
}

static int
want_json(int argc, char **argv, const char *cmd, char **pos, int npos,
    const char **seen)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "seen", required_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 },
	};
	int ch, json = 0, n = 0;

	optind = 0;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch == 'j') {
			json = 1;
		} else if (ch == 's' && seen) {
			*seen = optarg;
		} else {
			cli_usage(cmd);
			return -1;
		}
	}
	for (; optind < argc; optind++) {
		if (n == npos) {
			cli_usage(cmd);
			return -1;
		}
		pos[n++] = argv[optind];
	}
	if (n != npos) {
		cli_usage(cmd);
		return -1;
	}
	return json;
}

int
cli_analyze(struct cli *c, int argc, char **argv)
{
	struct strbuf md = STRBUF_INIT, out = STRBUF_INIT;
	struct clause_list cl = { 0 };
	struct rules r;
	char *file;
	int json, rc = 2;

	if ((json = want_json(argc, argv, "analyze", &file, 1, NULL)) < 0)
		return 2;
	if (cli_load_document(file, &md) < 0 || clause_split(md.buf, md.len, &cl) < 0 ||
	    rules_analyze(&cl, &r) < 0) {
		fail("analyze");
		goto cleanup;
	}
	if (json)
		rules_json(&r, &out);
	else
		rules_text(&r, &out);
	fwrite(out.buf, 1, out.len, stdout);
	rules_free(&r);
	rc = 0;
cleanup:
	clause_list_free(&cl);
	strbuf_release(&md);
	strbuf_release(&out);
	return rc;
}

static void
print_judgement(const struct judge_result *j, int json)
{
	struct strbuf out = STRBUF_INIT;

	if (json)
		judge_json(j, &out);
	else
		judge_text(j, &out);
	fwrite(out.buf, 1, out.len, stdout);
	strbuf_release(&out);
}

int
cli_compare(struct cli *c, int argc, char **argv)
{
	struct strbuf a = STRBUF_INIT, b = STRBUF_INIT;
	struct judge_opts o = { DATE_NONE, 0 };
	struct judge_result j;
	const char *seen = NULL;
	char *files[2];
	int json, rc = 2;

	json = want_json(argc, argv, "compare",
	    files, 2, &seen);
	if (json < 0)
		return 2;
	if (seen) {
		time_t t;

		if (date_parse_time(seen, &t) < 0) {
			fprintf(stderr, "clausewatch: --seen '%s' is not an ISO 8601 date\n", seen);
			return 2;
		}
		o.seen = (int32_t)(t / 86400);
	} else {
		o.seen = date_today();
	}
	if (cli_load_document(files[0], &a) < 0 || cli_load_document(files[1], &b) < 0 ||
	    judge_compare(a.buf, a.len, b.buf, b.len, &o, &j) < 0) {
		fail("compare");
		goto cleanup;
	}
	print_judgement(&j, json);
	rc = j.changed ? 1 : 0;
	judge_result_free(&j);
cleanup:
	strbuf_release(&a);
	strbuf_release(&b);
	return rc;
}

static int
open_store(struct cli *c, struct store **st)
{
	if (store_open(c->store, 0, st) < 0) {
		fail(NULL);
		return -1;
	}
	return 0;
}

/* The change at rev (default: latest) of id, from its history. */
static const struct store_change *
find_change(struct store *st, const char *id, const char *rev,
    struct store_change *h, size_t nh)
{
	char full[41];
	size_t i;

	if (!nh) {
		util_seterr("%s: no recorded versions", id);
		return NULL;
	}
	if (!rev)
		return &h[0];
	if (store_resolve(st, rev, full) < 0)
		return NULL;
	for (i = 0; i < nh; i++)
		if (!strcmp(h[i].commit, full))
			return &h[i];
	util_seterr("%s: %s is not a recorded change of this document", id, rev);
	return NULL;
}

int
cli_diff(struct cli *c, int argc, char **argv)
{
	struct store *st = NULL;
	struct store_change *h = NULL;
	const struct store_change *ch;
	struct strbuf a = STRBUF_INIT, b = STRBUF_INIT;
	struct judge_opts o = { DATE_NONE, 0 };
	struct judge_result j;
	size_t nh = 0;
	int rc = 2;

	if (argc < 2 || argc > 3) {
		cli_usage("diff");
		return 2;
	}
	if (open_store(c, &st) < 0)
		return 2;
	if (store_history(st, argv[1], &h, &nh) < 0 ||
	    !(ch = find_change(st, argv[1], argc > 2 ? argv[2] : NULL, h, nh)) ||
	    store_read_at(st, argv[1], ch->commit, &b, NULL) < 0 ||
	    (ch->parent[0] && store_read_at(st, argv[1], ch->parent, &a, NULL) < 0)) {
		fail("diff");
		goto cleanup;
	}
	printf("%s %.12s %s\n", argv[1], ch->commit, ch->subject);
	if (ch->rec.kind == RECORD_FIRST || !ch->parent[0]) {
		printf("First record of this document: there is no earlier version "
		    "to compare with, so nothing is judged.\n");
		rc = 0;
		goto cleanup;
	}
	if (ch->rec.kind == RECORD_NEW_EXTRACTION) {
		/* the difference is of our making (url, select or remove changed
		 * in the watchlist), not the publisher's: not judged */
		printf("New extraction after a watchlist change (url, select or remove): "
		    "the text differs because clausewatch reads the page differently, "
		    "not because the publisher changed it; not judged.\n");
		rc = 0;
		goto cleanup;
	}
	o.seen = (int32_t)(ch->when / 86400);
	{
		/* judge as run did: with the document's own material categories */
		struct watchlist wl;
		struct strbuf errors = STRBUF_INIT;
		const struct watchlist_doc *d;

		if (watchlist_load(c->watchlist, &wl, &errors) == 0 &&
		    (d = watchlist_doc(&wl, argv[1])))
			o.extra_material = d->material;
		watchlist_free(&wl);
		strbuf_release(&errors);
	}
	if (judge_compare(a.buf, a.len, b.buf, b.len, &o, &j) < 0) {
		fail("diff");
		goto cleanup;
	}
	print_judgement(&j, 0);
	judge_result_free(&j);
	rc = 0;
cleanup:
	store_changes_free(h, nh);
	strbuf_release(&a);
	strbuf_release(&b);
	store_free(st);
	return rc;
}

/* A label as people type it: "3 p1", "3¶1", "§3 ¶1" and "3 ¶1" are one
 * label. Spaces and '§' go, ASCII letters fold, and a 'p' standing for a
 * paragraph (after a space or digit, before a digit) becomes '¶'. */
static void
label_key(struct strbuf *out, const char *s)
{
	const char *p;

	strbuf_reset(out);
	for (p = s; *p; p++) {
		if (*p == ' ' || *p == '\t')
			continue;
		if (!strncmp(p, "\xc2\xa7", 2)) {	/* § */
			p++;
			continue;
		}
		if ((*p == 'p' || *p == 'P') && p[1] >= '0' && p[1] <= '9' &&
		    (p == s || p[-1] == ' ' || (p[-1] >= '0' && p[-1] <= '9'))) {
			strbuf_addstr(out, "\xc2\xb6");
			continue;
		}
		strbuf_addch(out, *p >= 'A' && *p <= 'Z' ? *p - 'A' + 'a' : *p);
	}
}

static const struct clause *
clause_by_label(const struct clause_list *cl, const char *label)
{
	struct strbuf want = STRBUF_INIT, have = STRBUF_INIT;
	const struct clause *k = NULL;
	size_t i;

	for (i = 0; i < cl->n; i++)
		if (!strcmp(cl->v[i].label, label))
			return &cl->v[i];
	label_key(&want, label);
	for (i = 0; i < cl->n && !k; i++) {
		label_key(&have, cl->v[i].label);
		if (!strcmp(have.buf, want.buf))
			k = &cl->v[i];
	}
	strbuf_release(&want);
	strbuf_release(&have);
	return k;
}

/* No clause matched: the labels of the latest version, to pick from. */
static void
list_labels(struct store *st, const char *id, const char *label)
{
	struct strbuf text = STRBUF_INIT;
	struct clause_list cl = { 0 };
	size_t i;

	fprintf(stderr, "clausewatch: log: %s has no clause '%s'", id, label);
	if (store_read(st, id, &text, NULL) == 0 &&
	    clause_split(text.buf, text.len, &cl) == 0 && cl.n) {
		fputs("; its clauses are:\n", stderr);
		for (i = 0; i < cl.n; i++)
			fprintf(stderr, "  %s\n", cl.v[i].label);
	} else {
		fputc('\n', stderr);
	}
	clause_list_free(&cl);
	strbuf_release(&text);
}

int
cli_log(struct cli *c, int argc, char **argv)
{
	struct store *st = NULL;
	struct store_change *h = NULL;
	struct strbuf text = STRBUF_INIT;
	char *prev = NULL;
	size_t nh = 0, i;
	int rc = 2, shown = 0;

	if (argc < 2 || argc > 3) {
		cli_usage("log");
		return 2;
	}
	if (open_store(c, &st) < 0)
		return 2;
	if (store_history(st, argv[1], &h, &nh) < 0) {
		fail("log");
		goto cleanup;
	}
	if (!nh) {
		/* not an error: a document is watched before its first record */
		util_note("log: %s: nothing recorded yet", argv[1]);
		rc = 0;
		goto cleanup;
	}
	for (i = nh; i-- > 0; ) {
		char day[11];

		date_format((int32_t)(h[i].when / 86400), day);
		if (argc == 2) {
			printf("%s %.12s %s", day, h[i].commit, h[i].subject);
			if (h[i].ack)
				printf(" [acknowledged]");
			else if (passed_deadline(&h[i], date_today()) != DATE_NONE)
				printf(" [deemed accepted, not acknowledged]");
			putchar('\n');
			continue;
		}
		{
			struct clause_list cl = { 0 };
			const struct clause *k;

			if (store_read_at(st, argv[1], h[i].commit, &text, NULL) < 0 ||
			    clause_split(text.buf, text.len, &cl) < 0) {
				fail("log");
				clause_list_free(&cl);
				goto cleanup;
			}
			k = clause_by_label(&cl, argv[2]);
			if (k ? !prev || strcmp(prev, k->text) : prev != NULL) {
				printf("%s %.12s %s\n", day, h[i].commit,
				    k ? "" : "(clause removed)");
				if (k)
					printf("    %s\n", k->text);
				free(prev);
				prev = k ? xstrdup(k->text) : NULL;
				shown++;
			}
			clause_list_free(&cl);
		}
	}
	if (argc == 3 && !shown) {
		list_labels(st, argv[1], argv[2]);
		goto cleanup;
	}
	rc = 0;
cleanup:
	free(prev);
	strbuf_release(&text);
	store_changes_free(h, nh);
	store_free(st);
	return rc;
}

/* Where a change's deadline stands on day today: 0 none to show, else its
 * date in *day and the status. An announcement of coming terms shows until
 * its day, with that day. */
enum dl_status { DL_OPEN = 1, DL_ACKED, DL_DEEMED, DL_ANNOUNCED };

static enum dl_status
deadline_status(const struct store_change *ch, int32_t today, int all, int32_t *day)
{
	if ((*day = open_deadline(ch, today)) != DATE_NONE)
		return DL_OPEN;
	if ((*day = record_open_announcement(&ch->rec, ch->ack != NULL, today)) != DATE_NONE)
		return DL_ANNOUNCED;
	if (!all)
		return 0;
	if ((*day = passed_deadline(ch, today)) != DATE_NONE)
		return DL_DEEMED;
	if (ch->ack && (*day = record_open_deadline(&ch->rec, 0, DATE_NONE)) != DATE_NONE)
		return DL_ACKED;
	return 0;
}

static const char *const dl_status_names[] = {
	[DL_OPEN] = "open", [DL_ACKED] = "acknowledged", [DL_DEEMED] = "deemed-accepted",
	[DL_ANNOUNCED] = "announced",
};

/* The value of a "Key: value" line of a note, copied into out ("" if none). */
static void
note_value(const char *note, const char *key, struct strbuf *out)
{
	const char *p = note ? strstr(note, key) : NULL;

	strbuf_reset(out);
	if (p) {
		p += strlen(key);
		strbuf_add(out, p, strcspn(p, "\n"));
	}
}

/* The deadlines of the watched documents, newest change first. */
static json_t *
deadlines_json(const struct watchlist *wl, const struct store_change *h, size_t nh,
    int32_t today, int all)
{
	json_t *a = json_array();
	struct strbuf by = STRBUF_INIT;
	size_t k;

	for (k = 0; k < nh; k++) {
		const struct watchlist_doc *d = watchlist_doc(wl, h[k].rec.document);
		int32_t dl;
		enum dl_status st = deadline_status(&h[k], today, all, &dl);
		char day[11];
		json_t *o;

		if (!d || !st)
			continue;
		date_format(dl, day);
		/* titles are the watchlist's bytes: json_text keeps them valid JSON */
		if (st == DL_ANNOUNCED)	/* its day, no deadline yet */
			o = json_pack("{s:s, s:o, s:s, s:s, s:n, s:s, s:I, s:b}",
			    "id", d->id, "title", json_text(watchlist_doc_title(d)),
			    "commit", h[k].commit, "kind", "announcement", "deadline",
			    "announced", day, "days_left", (json_int_t)(dl - today),
			    "material", 0);
		else
			o = json_pack("{s:s, s:o, s:s, s:s, s:s, s:I, s:b, s:s}",
			    "id", d->id, "title", json_text(watchlist_doc_title(d)),
			    "commit", h[k].commit, "kind", "deadline",
			    "deadline", day, "days_left", (json_int_t)(dl - today),
			    "material", h[k].rec.material, "status", dl_status_names[st]);
		if (st == DL_ACKED) {
			note_value(h[k].ack, "Acknowledged-by: ", &by);
			json_object_set_new(o, "acknowledged_by", json_text(by.buf));
		}
		json_array_append_new(a, o);
	}
	strbuf_release(&by);
	return a;
}

static void
deadlines_text(const struct watchlist *wl, const struct store_change *h, size_t nh,
    int32_t today, int all)
{
	struct strbuf by = STRBUF_INIT, status = STRBUF_INIT;
	size_t k;

	for (k = 0; k < nh; k++) {
		const struct watchlist_doc *d = watchlist_doc(wl, h[k].rec.document);
		int32_t dl;
		enum dl_status st = deadline_status(&h[k], today, all, &dl);
		long left;
		char day[11];

		if (!d || !st)
			continue;
		date_format(dl, day);
		left = (long)(dl - today);
		strbuf_reset(&status);
		if (st == DL_OPEN || st == DL_ANNOUNCED) {
			strbuf_addf(&status, "%3ld day%s", left, PLURAL(left));
		} else if (st == DL_DEEMED) {
			strbuf_addstr(&status, "passed: deemed accepted, not acknowledged");
		} else {
			note_value(h[k].ack, "Acknowledged-by: ", &by);
			strbuf_addf(&status, "acknowledged by %s", by.buf);
		}
		printf("%s\t%s\t%s\t%.12s\t%s%s\n", day, status.buf, d->id, h[k].commit,
		    st == DL_ANNOUNCED ? "announced: " : "", h[k].subject);
	}
	strbuf_release(&by);
	strbuf_release(&status);
}

int
cli_deadlines(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "all", no_argument, NULL, 'a' },
		{ NULL, 0, NULL, 0 },
	};
	struct watchlist wl;
	struct strbuf errors = STRBUF_INIT;
	struct store *st = NULL;
	struct store_change *h = NULL;
	int32_t today = date_today();
	size_t nh = 0;
	int ch, json = 0, all = 0, rc = 0;

	optind = 0;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch == 'j')
			json = 1;
		else if (ch == 'a')
			all = 1;
		else
			goto usage;
	}
	if (optind < argc)
		goto usage;
	if (watchlist_load(c->watchlist, &wl, &errors) < 0) {
		fputs(errors.buf, stderr);
		rc = 2;
		goto cleanup;
	}
	if (store_open(c->store, 0, &st) < 0 || store_recent(st, 0, &h, &nh) < 0) {
		fail("deadlines");
		rc = 2;
		goto cleanup;
	}
	if (json) {
		struct strbuf out = STRBUF_INIT;

		if (json_print(&out, deadlines_json(&wl, h, nh, today, all)) == 0)
			fwrite(out.buf, 1, out.len, stdout);
		strbuf_release(&out);
	} else {
		deadlines_text(&wl, h, nh, today, all);
	}
cleanup:
	store_changes_free(h, nh);
	store_free(st);
	watchlist_free(&wl);
	strbuf_release(&errors);
	return rc;
usage:
	cli_usage("deadlines");
	return 2;
}

/* Who is acknowledging, when --by does not say: the name git would put on
 * a commit (GIT_AUTHOR_NAME, user.name), else the account's full name or
 * login. Never a placeholder: a record of "unknown" helps nobody. */
static char *
ack_default_name(void)
{
	const char *env[] = { "GIT_AUTHOR_NAME", "GIT_COMMITTER_NAME" };
	git_config *cfg = NULL;
	git_buf buf = { 0 };
	struct passwd *pw;
	char *name = NULL;
	size_t i;

	for (i = 0; i < sizeof(env) / sizeof(env[0]); i++)
		if (getenv(env[i]) && *getenv(env[i]))
			return xstrdup(getenv(env[i]));
	if (git_config_open_default(&cfg) == 0 &&
	    git_config_get_string_buf(&buf, cfg, "user.name") == 0 && buf.size)
		name = xstrdup(buf.ptr);
	git_buf_dispose(&buf);
	git_config_free(cfg);
	if (name)
		return name;
	if ((pw = getpwuid(getuid()))) {
		if (pw->pw_gecos && *pw->pw_gecos && *pw->pw_gecos != ',')
			return xstrndup(pw->pw_gecos, strcspn(pw->pw_gecos, ","));
		if (pw->pw_name && *pw->pw_name)
			return xstrdup(pw->pw_name);
	}
	for (i = 0; i < 2; i++) {
		const char *v = getenv(i ? "USER" : "LOGNAME");

		if (v && *v)
			return xstrdup(v);
	}
	return NULL;
}

/* ack ID [REV] [--by NAME]: -1 after printing the usage (*by is the
 * caller's to free either way). */
static int
ack_options(int argc, char **argv, const char **id, const char **rev, char **by)
{
	static const struct option opts[] = {
		{ "by", required_argument, NULL, 'b' },
		{ NULL, 0, NULL, 0 },
	};
	int ch;

	optind = 0;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch != 'b')
			goto usage;
		free(*by);
		*by = xstrdup(optarg);
	}
	if (optind < argc)
		*id = argv[optind++];
	if (optind < argc)
		*rev = argv[optind++];
	if (*id && optind == argc)
		return 0;
usage:
	cli_usage("ack");
	return -1;
}

/* Without REV, what needs acknowledging is the change whose deadline
 * runs, even when editorial changes came after it. */
static const struct store_change *
ack_due(const struct store_change *h, size_t nh, const struct store_change *latest)
{
	size_t k;

	for (k = 0; k < nh; k++)
		if (open_deadline(&h[k], DATE_NONE) != DATE_NONE)
			return &h[k];
	return latest;
}

int
cli_ack(struct cli *c, int argc, char **argv)
{
	struct store *st = NULL;
	struct store_change *h = NULL;
	const struct store_change *ch;
	struct strbuf note = STRBUF_INIT;
	const char *rev = NULL, *id = NULL;
	char *by = NULL;
	char when[21];
	size_t nh = 0;
	int rc = 2;

	if (ack_options(argc, argv, &id, &rev, &by) < 0) {
		free(by);
		return 2;
	}
	if ((!by || !*by) && (free(by), !(by = ack_default_name()))) {
		fprintf(stderr, "clausewatch: ack: who acknowledges? Give --by NAME "
		    "(or set git's user.name)\n");
		return 2;
	}
	if (strpbrk(by, "<>\r\n")) {
		fprintf(stderr, "clausewatch: ack: --by NAME may not contain <, > or line breaks\n");
		goto cleanup;
	}
	if (open_store(c, &st) < 0)
		goto cleanup;
	/* a run may hold the lock for a while: wait for it, briefly */
	if (cli_lock_store(st, ACK_LOCK_WAIT) < 0 || store_history(st, id, &h, &nh) < 0 ||
	    !(ch = find_change(st, id, rev, h, nh))) {
		fail("ack");
		goto cleanup;
	}
	if (!rev)
		ch = ack_due(h, nh, ch);
	if (ch->rec.kind == RECORD_FIRST || ch->rec.kind == RECORD_NEW_EXTRACTION) {
		fprintf(stderr, "clausewatch: ack: %s %.12s is the %s, not a change of the "
		    "document: there is nothing to acknowledge\n", id, ch->commit,
		    ch->rec.kind == RECORD_FIRST ? "first record" :
		    "new extraction after a watchlist change");
		goto cleanup;
	}
	if (ch->ack) {
		printf("%s %.12s was already acknowledged:\n%s", id, ch->commit, ch->ack);
		rc = 0;
		goto cleanup;
	}
	date_format_time(date_now(), when);
	strbuf_addf(&note, "Acknowledged-by: %s\nAcknowledged: %s\n", by, when);
	if (store_note(st, ch->commit, note.buf, by, date_now()) < 0) {
		fail("ack");
		goto cleanup;
	}
	printf("%s %.12s acknowledged by %s; its reminders stop\n", id, ch->commit, by);
	rc = 0;
cleanup:
	free(by);
	strbuf_release(&note);
	store_changes_free(h, nh);
	store_free(st);
	return rc;
}

/* report DIR [STORE]...: the site of the stores (default: the -s store),
 * several hosts' stores read together. */
int
cli_report(struct cli *c, int argc, char **argv)
{
	struct watchlist wl;
	struct strbuf errors = STRBUF_INIT;
	struct report_opts o;
	struct report_stats rs;
	const char *const *stores = (const char *const *)argv + 2;
	size_t n = (size_t)argc - 2;
	int rc = 0;

	if (argc < 2 || argv[1][0] == '-') {
		cli_usage("report");
		return 2;
	}
	if (!n) {
		stores = &c->store;
		n = 1;
	}
	/* titles and material categories from what is valid in the watchlist;
	 * a report host may have none (it reads other hosts' stores) */
	watchlist_load(c->watchlist, &wl, &errors);
	o.wl = &wl;
	o.link = wl.mail_link;
	if (report_write(argv[1], stores, n, &o, &rs) < 0) {
		fail(NULL);
		rc = 2;
	} else {
		printf("%s/index.html: %zu file%s written, %zu unchanged\n", argv[1], rs.written,
		    rs.written == 1 ? "" : "s", rs.unchanged);
	}
	watchlist_free(&wl);
	strbuf_release(&errors);
	return rc;
}

/* ---- the command table ----------------------------------------------- */

const struct cli_command cli_commands[] = {
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
	    "replay Open Terms Archive history: SNAPS and VERSIONS are its git\n"
	    "repositories, DECLS its declarations folder; --only names a\n"
	    "\"Service/Document Type\"." },
	{ "import-ota", cli_import_ota, 1, 0, "DECLARATION.json...",
	    "Open Terms Archive declarations -> watchlist entries on stdout." },
};
const size_t cli_ncommands = sizeof(cli_commands) / sizeof(cli_commands[0]);

void
cli_usage(const char *name)
{
	size_t i;

	for (i = 0; i < cli_ncommands; i++)
		if (!strcmp(cli_commands[i].name, name))
			break;
	if (i == cli_ncommands)
		fprintf(stderr, "usage: clausewatch %s\n", name);
	else
		fprintf(stderr, "usage: clausewatch %s%s%s\n", name,
		    *cli_commands[i].args ? " " : "", cli_commands[i].args);
}

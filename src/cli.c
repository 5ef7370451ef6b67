/* The commands other than run: thin glue between the modules and stdout. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clause.h"
#include "cli.h"
#include "date.h"
#include "judge.h"
#include "json.h"
#include "normalize.h"
#include "pdf.h"
#include "record.h"
#include "render.h"
#include "report.h"
#include "rules.h"
#include "smtp.h"
#include "state.h"
#include "store.h"
#include "util.h"
#include "watchlist.h"

#define FILE_CAP (64u << 20)	/* documents given on the command line */
#define TEXT_CAP (32u << 20)	/* normalised text */

static void
fail(const char *what)
{
	fprintf(stderr, "clausewatch: %s%s%s\n", what ? what : "", what ? ": " : "", util_err());
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
		rc = normalize_text(raw.buf, raw.len, md);
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
	int rc;

	if (argc > 1) {
		fprintf(stderr, "usage: clausewatch check\n");
		return 2;
	}
	rc = watchlist_load(c->watchlist, &wl, &errors);
	if (smtp_check_config(&wl.smtp, &errors) < 0)
		rc = -1;
	if (check_browser(&wl, &errors) < 0)
		rc = -1;
	if (rc < 0) {
		fputs(errors.buf, stderr);
	} else if (util_verbose) {
		printf("%s: %zu documents, %zu teams, mail %s\n", c->watchlist, wl.ndoc,
		    wl.nteam, wl.smtp.host ? wl.smtp.host : "to the store's outbox");
	}
	watchlist_free(&wl);
	strbuf_release(&errors);
	return rc < 0 ? 2 : 0;
}

int
cli_lock_store(struct store *st)
{
	struct strbuf cleared = STRBUF_INIT;
	char *line, *save = NULL;

	if (store_lock(st, &cleared) < 0) {
		strbuf_release(&cleared);
		return -1;
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

	if (watchlist_load(c->watchlist, &wl, &errors) < 0) {
		fputs(errors.buf, stderr);
		strbuf_release(&errors);
		watchlist_free(&wl);
		return 2;
	}
	/* one walk of the whole history, not one per document; no store yet
	 * is not an error: nothing was fetched */
	if (store_open(c->store, 0, &st) == 0 &&
	    (state_load(c->store, &s) < 0 || store_recent(st, 0, &h, &nh) < 0)) {
		fail("list");
		rc = 2;
		goto cleanup;
	}
	for (i = 0; i < wl.ndoc; i++) {
		const struct watchlist_doc *d = &wl.doc[i];
		const struct state_doc *sd = state_find(&s, d->id);
		char when[21] = "-", last[11] = "-", next[11] = "-";
		int32_t best = DATE_NONE;
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
		}
		if (best != DATE_NONE)
			date_format(best, next);
		printf("%s\t%s %s\tchanged %s\tdeadline %s\n", d->id, when, result, last, next);
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
want_json(int argc, char **argv, const char *usage, char **pos, int npos,
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
			fprintf(stderr, "usage: %s\n", usage);
			return -1;
		}
	}
	for (; optind < argc; optind++) {
		if (n == npos) {
			fprintf(stderr, "usage: %s\n", usage);
			return -1;
		}
		pos[n++] = argv[optind];
	}
	if (n != npos) {
		fprintf(stderr, "usage: %s\n", usage);
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

	if ((json = want_json(argc, argv, "clausewatch analyze FILE [--json]", &file, 1, NULL)) < 0)
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

	json = want_json(argc, argv, "clausewatch compare OLD NEW [--json] [--seen DATE]",
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
		fprintf(stderr, "usage: clausewatch diff ID [REV]\n");
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

static const struct clause *
clause_by_label(const struct clause_list *cl, const char *label)
{
	size_t i;

	for (i = 0; i < cl->n; i++)
		if (!strcmp(cl->v[i].label, label))
			return &cl->v[i];
	return NULL;
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
		fprintf(stderr, "usage: clausewatch log ID [CLAUSE]\n");
		return 2;
	}
	if (open_store(c, &st) < 0)
		return 2;
	if (store_history(st, argv[1], &h, &nh) < 0) {
		fail("log");
		goto cleanup;
	}
	if (!nh) {
		fprintf(stderr, "clausewatch: log: %s: no recorded versions\n", argv[1]);
		goto cleanup;
	}
	for (i = nh; i-- > 0; ) {
		char day[11];

		date_format((int32_t)(h[i].when / 86400), day);
		if (argc == 2) {
			printf("%s %.12s %s", day, h[i].commit, h[i].subject);
			if (h[i].ack)
				printf(" [acknowledged]");
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
		fprintf(stderr, "clausewatch: log: %s has no clause '%s'\n", argv[1], argv[2]);
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

/* The open deadlines of the watched documents, newest change first. */
static json_t *
deadlines_json(const struct watchlist *wl, const struct store_change *h, size_t nh,
    int32_t today)
{
	json_t *a = json_array();
	size_t k;

	for (k = 0; k < nh; k++) {
		const struct watchlist_doc *d = watchlist_doc(wl, h[k].rec.document);
		int32_t dl = open_deadline(&h[k], today), an;
		char day[11];

		an = record_open_announcement(&h[k].rec, h[k].ack != NULL, today);
		if (!d || (dl == DATE_NONE && an == DATE_NONE))
			continue;
		if (dl == DATE_NONE) {
			/* an announcement: its day, no deadline yet */
			date_format(an, day);
			json_array_append_new(a, json_pack("{s:s, s:o, s:s, s:s, s:n, s:s, s:I, s:b}",
			    "id", d->id, "title", json_text(watchlist_doc_title(d)),
			    "commit", h[k].commit, "kind", "announcement", "deadline",
			    "announced", day, "days_left", (json_int_t)(an - today),
			    "material", 0));
			continue;
		}
		date_format(dl, day);
		/* titles are the watchlist's bytes: json_text keeps them valid JSON */
		json_array_append_new(a, json_pack("{s:s, s:o, s:s, s:s, s:s, s:I, s:b}",
		    "id", d->id, "title", json_text(watchlist_doc_title(d)),
		    "commit", h[k].commit, "kind", "deadline",
		    "deadline", day, "days_left", (json_int_t)(dl - today),
		    "material", h[k].rec.material));
	}
	return a;
}

static void
deadlines_text(const struct watchlist *wl, const struct store_change *h, size_t nh,
    int32_t today)
{
	size_t k;

	for (k = 0; k < nh; k++) {
		const struct watchlist_doc *d = watchlist_doc(wl, h[k].rec.document);
		int32_t dl = open_deadline(&h[k], today), an;
		char day[11];

		an = record_open_announcement(&h[k].rec, h[k].ack != NULL, today);
		if (!d || (dl == DATE_NONE && an == DATE_NONE))
			continue;
		date_format(dl != DATE_NONE ? dl : an, day);
		printf("%s\t%3ld days\t%s\t%.12s\t%s%s\n", day,
		    (long)((dl != DATE_NONE ? dl : an) - today), d->id, h[k].commit,
		    dl != DATE_NONE ? "" : "announced: ", h[k].subject);
	}
}

int
cli_deadlines(struct cli *c, int argc, char **argv)
{
	struct watchlist wl;
	struct strbuf errors = STRBUF_INIT;
	struct store *st = NULL;
	struct store_change *h = NULL;
	int32_t today = date_today();
	size_t nh = 0;
	int json, rc = 0;

	if ((json = want_json(argc, argv, "clausewatch deadlines [--json]", NULL, 0, NULL)) < 0)
		return 2;
	if (watchlist_load(c->watchlist, &wl, &errors) < 0) {
		fputs(errors.buf, stderr);
		rc = 2;
		goto cleanup;
	}
	if (store_open(c->store, 0, &st) < 0)
		st = NULL;	/* no store yet: no deadlines */
	if (st && store_recent(st, 0, &h, &nh) < 0) {
		fail("deadlines");
		rc = 2;
	}
	if (json) {
		struct strbuf out = STRBUF_INIT;

		if (json_print(&out, deadlines_json(&wl, h, nh, today)) == 0)
			fwrite(out.buf, 1, out.len, stdout);
		strbuf_release(&out);
	} else {
		deadlines_text(&wl, h, nh, today);
	}
cleanup:
	store_changes_free(h, nh);
	store_free(st);
	watchlist_free(&wl);
	strbuf_release(&errors);
	return rc;
}

int
cli_ack(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "by", required_argument, NULL, 'b' },
		{ NULL, 0, NULL, 0 },
	};
	struct store *st = NULL;
	struct store_change *h = NULL;
	const struct store_change *ch;
	struct strbuf note = STRBUF_INIT;
	const char *by = getenv("USER"), *rev = NULL, *id = NULL;
	char when[21];
	size_t nh = 0;
	int ch_, rc = 2;

	optind = 0;
	while ((ch_ = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch_ != 'b')
			goto usage;
		by = optarg;
	}
	if (optind < argc)
		id = argv[optind++];
	if (optind < argc)
		rev = argv[optind++];
	if (!id || optind < argc)
		goto usage;
	if (!by || !*by)
		by = "unknown";
	if (strpbrk(by, "<>\r\n")) {
		fprintf(stderr, "clausewatch: ack: --by NAME may not contain <, > or line breaks\n");
		return 2;
	}
	if (open_store(c, &st) < 0)
		return 2;
	if (cli_lock_store(st) < 0 || store_history(st, id, &h, &nh) < 0 ||
	    !(ch = find_change(st, id, rev, h, nh))) {
		fail("ack");
		goto cleanup;
	}
	if (!rev) {
		/* what needs acknowledging is the change whose deadline runs,
		 * even when editorial changes came after it */
		size_t k;

		for (k = 0; k < nh; k++)
			if (open_deadline(&h[k], DATE_NONE) != DATE_NONE) {
				ch = &h[k];
				break;
			}
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
	strbuf_release(&note);
	store_changes_free(h, nh);
	store_free(st);
	return rc;
usage:
	fprintf(stderr, "usage: clausewatch ack ID [REV] [--by NAME]\n");
	return 2;
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
		fprintf(stderr, "usage: clausewatch report DIR [STORE]...\n");
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

/* replay: real snapshot histories through the real pipeline (normalize,
 * shrink guard, store), compared with the versions Open Terms Archive
 * recorded from the same snapshots.  See replay.h.
 *
 * One revwalk over the whole snapshots repository, oldest first; each
 * commit's tree is diffed with its first parent's, and every changed file
 * is dispatched to its document.  That reads each blob once. */
#include <dirent.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <git2.h>

#include "date.h"
#include "normalize.h"
#include "ota.h"
#include "record.h"
#include "replay.h"
#include "store.h"
#include "util.h"

#define SNAPSHOT_CAP (10u << 20)	/* a fetch larger than this is refused */
#define TEXT_CAP (32u << 20)		/* as in run.c */
#define SUSPECT_RUNS 3			/* the watchlist default */

struct tvec {
	time_t *v;
	size_t n, alloc;
};

struct rdoc {
	char *name;		/* "Service/Document Type" */
	char *id;		/* store id: the declaration's watchlist id */
	struct ota_doc *decl;	/* history by validUntil, the current one last */
	size_t ndecl;
	int loaded;
	char *decl_err;		/* why there is no usable declaration */
	int streak;		/* shrink guard */
	const struct ota_doc *last_decl;	/* declaration of the last snapshot read */
	git_oid last_blob;
	size_t redone;		/* baselines re-extracted after a declaration change */
	size_t snaps, failed, oversize, unsupported, held, skipped;
	char *first_err;
	time_t t0, t1;		/* first and last snapshot */
	struct tvec ours, ota, upg;
};

struct replay {
	struct rdoc *docs;
	size_t ndocs;
	char **only;
	size_t nonly;
	const char *decl_dir;
	struct store *st;
	time_t vend;		/* last version record: the end of OTA's period */
	size_t nsnap;		/* normalised snapshots */
	double t_norm, t_store, t_max;
	char *slowest;
	struct strbuf text, old, subj, body, msg;
};

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void
tvec_push(struct tvec *t, time_t v)
{
	if (t->n == t->alloc) {
		t->alloc = t->alloc ? 2 * t->alloc : 16;
		t->v = xrealloc(t->v, t->alloc * sizeof(*t->v));
	}
	t->v[t->n++] = v;
}

static void
rdoc_release(struct rdoc *d)
{
	ota_docs_free(d->decl, d->ndecl);
	free(d->name);
	free(d->id);
	free(d->decl_err);
	free(d->first_err);
	free(d->ours.v);
	free(d->ota.v);
	free(d->upg.v);
}

/* ------------------------------------------------------------------ */
/* Declarations                                                         */

/* The declarations of "Service/Type", read as import-ota reads them, from
 * DIR/Service.json and DIR/Service.history.json. */
static void
load_decls(struct replay *r, struct rdoc *d)
{
	const char *slash = strchr(d->name, '/');
	char *file = xstrndup(d->name, slash ? (size_t)(slash - d->name) : strlen(d->name));
	struct strbuf notes = STRBUF_INIT;
	char *line, *save = NULL;

	d->loaded = 1;
	if (ota_read_doc(r->decl_dir, file, slash ? slash + 1 : "", &d->decl, &d->ndecl,
	    &notes) < 0)
		d->decl_err = xstrdup(util_err());
	else
		d->id = xstrdup(d->decl[d->ndecl - 1].id);
	for (line = strtok_r(notes.buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		util_info("replay: %s", line);
	strbuf_release(&notes);
	free(file);
}

/* The declaration in force at fetch time t.  validUntil is the fetch time
 * of the first snapshot the old declaration failed on, and a snapshot's
 * commit time may be a second earlier than that fetch time: the same
 * 1-second tolerance as in matching. */
static const struct ota_doc *
decl_at(const struct rdoc *d, time_t t)
{
	size_t i;

	for (i = 0; i < d->ndecl; i++)
		if (d->decl[i].valid_until == 0 || d->decl[i].valid_until > t + 1)
			return &d->decl[i];
	return NULL;
}

/* ------------------------------------------------------------------ */
/* Documents                                                            */

/* No --only: every document. */
static int
selected(const struct replay *r, const char *name)
{
	return !r->nonly || util_strv_has(r->only, r->nonly, name);
}

static struct rdoc *
doc_get(struct replay *r, const char *name)
{
	struct rdoc *d;
	size_t i;

	for (i = 0; i < r->ndocs; i++)
		if (!strcmp(r->docs[i].name, name))
			return &r->docs[i];
	r->docs = xrealloc(r->docs, (r->ndocs + 1) * sizeof(*r->docs));
	d = &r->docs[r->ndocs++];
	memset(d, 0, sizeof(*d));
	d->name = xstrdup(name);
	return d;
}

static void
doc_err(struct rdoc *d, const char *what, const char *when, const char *why)
{
	if (!d->first_err) {
		struct strbuf sb = STRBUF_INIT;

		strbuf_addf(&sb, "%s at %s: %s", what, when, why);
		d->first_err = strbuf_detach(&sb, NULL);
	}
}

/* ------------------------------------------------------------------ */
/* Snapshots                                                            */

/* A trailer of an Open Terms Archive snapshot commit (theirs: ours are
 * read by record_parse). */
static char *
trailer_value(const char *message, const char *key)
{
	git_message_trailer_array tr;
	char *v = NULL;
	size_t i;

	if (git_message_trailers(&tr, message) < 0)
		return NULL;
	for (i = 0; i < tr.count; i++)
		if (!strcasecmp(tr.trailers[i].key, key)) {
			v = xstrdup(tr.trailers[i].value);
			break;
		}
	git_message_trailer_array_free(&tr);
	return v;
}

/* Recorded exactly when run would record it (record_decide), with the same
 * trailers; not judged: replay measures what is recorded, not its weight. */
static int
record(struct replay *r, struct rdoc *d, time_t when, const char *src, int upgrade)
{
	struct store_record sr;
	struct record rec;
	enum record_kind kind;
	int error = 0, none;

	if ((none = store_read(r->st, d->id, &r->old, NULL)) < 0)
		return -1;
	switch (record_decide(none ? NULL : &r->old, &r->text, upgrade, &d->streak,
	    SUSPECT_RUNS, 1, &kind)) {
	case RECORD_UNCHANGED:
		return 0;
	case RECORD_HELD:
		d->held++;
		return 0;
	case RECORD_WRITE:
		break;
	}
	record_init(&rec);
	record_set(&rec, d->id, src, when, kind);
	strbuf_reset(&r->subj);
	strbuf_reset(&r->body);
	strbuf_reset(&r->msg);
	record_describe(&rec, d->name, NULL, &r->subj, &r->body);
	record_message(&rec, r->subj.buf, r->body.buf, &r->msg);
	sr.id = d->id;
	sr.text = r->text.buf;
	sr.len = r->text.len;
	sr.message = r->msg.buf;
	sr.when = when;
	if ((error = store_commit(r->st, &sr, NULL)) < 0)
		goto cleanup;
	if (upgrade)
		d->redone++;
	else
		tvec_push(&d->ours, when);
cleanup:
	record_release(&rec);
	return error;
}

/* The normaliser on a snapshot, with the declaration's selectors, as run
 * calls it with a watchlist entry's. */
static int
extract(struct replay *r, const struct ota_doc *dc, const char *src, git_blob *blob)
{
	struct normalize_opts o;
	struct strbuf notes = STRBUF_INIT;
	int rc;

	memset(&o, 0, sizeof(o));
	o.select = dc->select;
	o.nselect = dc->nselect;
	o.remove = dc->remove;
	o.nremove = dc->nremove;
	o.base_url = src;
	o.auto_main = dc->nselect == 0;
	o.notes = &notes;
	strbuf_reset(&r->text);
	rc = normalize_html(git_blob_rawcontent(blob), (size_t)git_blob_rawsize(blob),
	    &o, &r->text);
	if (notes.len) {
		strbuf_setlen(&notes, notes.len - 1);
		util_info("%s at %s: %s", dc->id, src, notes.buf);
	}
	strbuf_release(&notes);
	return rc;
}

/* The declaration changed since the last snapshot: extract that snapshot
 * again with the new one and record the result as the baseline, as Open
 * Terms Archive does with its "technical or declaration upgrade" commits,
 * so that what the new declaration selects differently is not a change of
 * the document.  A baseline that does not extract is no baseline. */
static int
rebase(struct replay *r, git_repository *repo, struct rdoc *d, const struct ota_doc *dc,
    const char *src, time_t when)
{
	git_blob *blob = NULL;
	int error = 0;

	if (git_blob_lookup(&blob, repo, &d->last_blob) < 0 ||
	    (size_t)git_blob_rawsize(blob) > SNAPSHOT_CAP)
		goto cleanup;
	if (extract(r, dc, src, blob) == 0)
		error = record(r, d, when, src, 1);
cleanup:
	git_blob_free(blob);
	return error;
}

static void
timing(struct replay *r, const char *name, const char *stamp, size_t size,
    double t0, double t1, double t2)
{
	struct strbuf sb = STRBUF_INIT;

	r->nsnap++;
	r->t_norm += t1 - t0;
	r->t_store += t2 - t1;
	if (t2 - t0 <= r->t_max)
		return;
	r->t_max = t2 - t0;
	strbuf_addf(&sb, "%s at %s (%zu bytes)", name, stamp, size);
	free(r->slowest);
	r->slowest = strbuf_detach(&sb, NULL);
}

/* The declaration in force for a snapshot file of document name (ext its
 * extension) at when, its document counted in *out; NULL when the file is
 * not to be normalised (counted why). */
static const struct ota_doc *
snapshot_decl(struct replay *r, const char *name, const char *ext, time_t when,
    const char *stamp, struct rdoc **out)
{
	struct rdoc *d = *out = doc_get(r, name);
	const struct ota_doc *dc;

	if (!d->snaps++)
		d->t0 = when;
	d->t1 = when;
	if (strcasecmp(ext, ".html") && strcasecmp(ext, ".htm")) {
		d->skipped++;
		doc_err(d, "skipped", stamp, *ext ? ext : "no extension");
		return NULL;
	}
	if (!d->loaded)
		load_decls(r, d);
	if (d->decl_err || !(dc = decl_at(d, when))) {
		d->failed++;
		doc_err(d, "no declaration", stamp, d->decl_err ? d->decl_err : "none in force");
		return NULL;
	}
	if (dc->dropped) {
		d->unsupported++;	/* its extraction would not be OTA's */
		return NULL;
	}
	return dc;
}

static int
snapshot(struct replay *r, git_repository *repo, git_commit *c, const char *path,
    const git_oid *blob_id)
{
	const char *dot = strrchr(path, '.');
	const char *slash = strrchr(path, '/');
	char *name, *src = NULL;
	char stamp[21];
	struct rdoc *d;
	const struct ota_doc *dc;
	git_blob *blob = NULL;
	time_t when = (time_t)git_commit_time(c);
	double t0, t1;
	int error = 0;

	if (!dot || (slash && dot < slash))
		dot = path + strlen(path);
	name = xstrndup(path, (size_t)(dot - path));
	date_format_time(when, stamp);
	if (!strchr(name, '/') || !selected(r, name) ||	/* README and the like */
	    !(dc = snapshot_decl(r, name, dot, when, stamp, &d)))
		goto cleanup;
	if (git_blob_lookup(&blob, repo, blob_id) < 0) {
		util_seterr("snapshot %s at %s: %s", path, stamp, git_error_last() ?
		    git_error_last()->message : "no blob");
		error = -1;
		goto cleanup;
	}
	if ((size_t)git_blob_rawsize(blob) > SNAPSHOT_CAP) {
		d->oversize++;
		util_warn("%s at %s: snapshot of %lld bytes exceeds the %u MiB cap, skipped",
		    name, stamp, (long long)git_blob_rawsize(blob), SNAPSHOT_CAP >> 20);
		goto cleanup;
	}
	src = trailer_value(git_commit_message(c), "X-source-document-location");
	if (d->last_decl && d->last_decl != dc &&
	    (error = rebase(r, repo, d, dc, src ? src : dc->url, when)) < 0)
		goto cleanup;
	d->last_decl = dc;
	git_oid_cpy(&d->last_blob, blob_id);
	t0 = now_s();
	if (extract(r, dc, src ? src : dc->url, blob) < 0) {
		d->failed++;
		doc_err(d, "normalize", stamp, util_err());
		util_info("%s at %s: %s", name, stamp, util_err());
		goto cleanup;
	}
	t1 = now_s();
	if ((error = record(r, d, when, src ? src : dc->url, 0)) < 0)
		goto cleanup;
	timing(r, name, stamp, (size_t)git_blob_rawsize(blob), t0, t1, now_s());
cleanup:
	git_blob_free(blob);
	free(src);
	free(name);
	return error;
}

static int
gerr(const char *what)
{
	const git_error *e = git_error_last();

	util_seterr("%s: %s", what, e && e->message ? e->message : "failed");
	return -1;
}

typedef int (*visit_fn)(struct replay *r, git_repository *repo, git_commit *c,
    const char *path, const git_oid *blob);

/* Every commit of repo, oldest first; each file added or changed against
 * the first parent goes to fn (with filter, only the --only documents). */
static int
walk(struct replay *r, const char *repo_path, visit_fn fn, int filter)
{
	git_repository *repo = NULL;
	git_revwalk *w = NULL;
	git_diff_options dopts;
	git_oid oid;
	char **spec = NULL;
	size_t k;
	int rc = -1, e;

	/* with --only, the tree diffs need not look at other documents */
	git_diff_options_init(&dopts, GIT_DIFF_OPTIONS_VERSION);
	if (filter && r->nonly) {
		spec = xcalloc(r->nonly, sizeof(*spec));
		for (k = 0; k < r->nonly; k++) {
			struct strbuf sb = STRBUF_INIT;

			strbuf_addf(&sb, "%s.*", r->only[k]);
			spec[k] = strbuf_detach(&sb, NULL);
		}
		dopts.pathspec.strings = spec;
		dopts.pathspec.count = r->nonly;
	}

	if (git_repository_open_ext(&repo, repo_path, GIT_REPOSITORY_OPEN_NO_SEARCH, NULL) < 0) {
		gerr(repo_path);
		goto cleanup;
	}
	if (git_revwalk_new(&w, repo) < 0 ||
	    git_revwalk_sorting(w, GIT_SORT_TIME | GIT_SORT_REVERSE) < 0 ||
	    git_revwalk_push_head(w) < 0) {
		gerr(repo_path);
		goto cleanup;
	}
	while ((e = git_revwalk_next(&oid, w)) == 0) {
		git_commit *c = NULL, *p = NULL;
		git_tree *t = NULL, *pt = NULL;
		git_diff *diff = NULL;
		size_t i, n;
		int bad = 0;

		if (git_commit_lookup(&c, repo, &oid) < 0 || git_commit_tree(&t, c) < 0 ||
		    (git_commit_parentcount(c) > 0 &&
		    (git_commit_parent(&p, c, 0) < 0 || git_commit_tree(&pt, p) < 0)) ||
		    git_diff_tree_to_tree(&diff, repo, pt, t, &dopts) < 0) {
			bad = gerr(repo_path);
		} else {
			n = git_diff_num_deltas(diff);
			for (i = 0; i < n && !bad; i++) {
				const git_diff_delta *dd = git_diff_get_delta(diff, i);

				if (dd->status == GIT_DELTA_DELETED)
					continue;
				bad = fn(r, repo, c, dd->new_file.path, &dd->new_file.id);
			}
		}
		git_diff_free(diff);
		git_tree_free(pt);
		git_tree_free(t);
		git_commit_free(p);
		git_commit_free(c);
		if (bad < 0)
			goto cleanup;
	}
	if (e != GIT_ITEROVER) {
		gerr(repo_path);
		goto cleanup;
	}
	rc = 0;
cleanup:
	git_revwalk_free(w);
	git_repository_free(repo);
	for (k = 0; spec && k < r->nonly; k++)
		free(spec[k]);
	free(spec);
	return rc;
}

static int
version(struct replay *r, git_repository *repo, git_commit *c, const char *path,
    const git_oid *blob)
{
	const char *subj = git_commit_summary(c);
	size_t n = strlen(path);
	char *name;
	struct rdoc *d;
	int upgrade;

	if (!subj || n < 4 || strcmp(path + n - 3, ".md"))
		return 0;
	/* The collection's first months predate the engine's subjects:
	 * "Start tracking X" is a first record; "Update X" commits were the
	 * maintainers' hand fixes of the extracted text (heading anchors,
	 * mailto links), so they count with the upgrades, not as changes. */
	if (!strncmp(subj, "First record of ", 16) || !strncmp(subj, "Record new changes of ", 22) ||
	    !strncmp(subj, "Start tracking ", 15))
		upgrade = 0;
	else if (!strncmp(subj, "Apply technical or declaration upgrade on ", 42) ||
	    !strncmp(subj, "Update ", 7))
		upgrade = 1;
	else
		return 0;	/* the repository's own maintenance */
	name = xstrndup(path, n - 3);
	if (strchr(name, '/') && (time_t)git_commit_time(c) > r->vend)
		r->vend = (time_t)git_commit_time(c);
	if (strchr(name, '/') && selected(r, name)) {
		d = doc_get(r, name);
		tvec_push(upgrade ? &d->upg : &d->ota, (time_t)git_commit_time(c));
	}
	free(name);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Report                                                               */

/* The compared period: from the document's first snapshot to its last one
 * or to the versions repository's last record, whichever is earlier (the
 * two repositories were not cut at the same time). */
static size_t
in_period(const struct replay *r, const struct rdoc *d, const struct tvec *t)
{
	time_t end = r->vend && r->vend < d->t1 ? r->vend : d->t1;
	size_t i, n = 0;

	for (i = 0; i < t->n; i++)
		if (d->snaps && t->v[i] >= d->t0 - 1 && t->v[i] <= end + 1)
			n++;
	return n;
}

static size_t
matched(const struct replay *r, const struct rdoc *d)
{
	time_t end = r->vend && r->vend < d->t1 ? r->vend : d->t1;
	size_t i, k, n = 0;

	for (i = 0; i < d->ota.n; i++) {
		time_t t = d->ota.v[i];

		if (!d->snaps || t < d->t0 - 1 || t > end + 1)
			continue;
		for (k = 0; k < d->ours.n; k++)
			if (d->ours.v[k] >= t - 1 && d->ours.v[k] <= t + 1) {
				n++;
				break;
			}
	}
	return n;
}

static int
doc_cmp(const void *a, const void *b)
{
	return strcmp(((const struct rdoc *)a)->name, ((const struct rdoc *)b)->name);
}

/* Prints the table; returns the number of documents that do not pass. */
static size_t
report(struct replay *r, double total)
{
	size_t i, k, bad = 0, sn = 0, so = 0, sa = 0, sm = 0, su = 0;

	qsort(r->docs, r->ndocs, sizeof(*r->docs), doc_cmp);
	printf("%-40s %6s %5s %4s %4s %7s  %-11s %s\n", "document", "snaps", "ours",
	    "ota", "upg", "matched", "verdict", "notes");
	for (i = 0; i < r->ndocs; i++) {
		struct rdoc *d = &r->docs[i];
		size_t ota = in_period(r, d, &d->ota), upg = in_period(r, d, &d->upg);
		size_t m = matched(r, d), ours = in_period(r, d, &d->ours);
		size_t later = d->ours.n - ours;
		const char *verdict;
		char notes[256];
		int len = 0;

		if (d->unsupported)
			verdict = "unsupported selector";
		else if (!d->snaps)
			verdict = "no snapshots";
		else if (d->skipped == d->snaps)
			verdict = "skipped";
		else if (ours * 10 > ota * 11)
			verdict = m * 10 >= ota * 9 ? "FAIL:noisy" : "FAIL:both";
		else if (m * 10 < ota * 9)
			verdict = "FAIL:missed";
		else
			verdict = "ok";
		if (strcmp(verdict, "ok") && strcmp(verdict, "skipped"))
			bad++;
		notes[0] = '\0';
		if (d->unsupported)
			len += snprintf(notes + len, sizeof(notes) - len, "%zu unsupported; ",
			    d->unsupported);
		if (d->failed)
			len += snprintf(notes + len, sizeof(notes) - len, "%zu failed; ", d->failed);
		if (d->oversize)
			len += snprintf(notes + len, sizeof(notes) - len, "%zu over cap; ",
			    d->oversize);
		if (d->skipped)
			len += snprintf(notes + len, sizeof(notes) - len, "%zu skipped; ",
			    d->skipped);
		if (d->held)
			len += snprintf(notes + len, sizeof(notes) - len, "%zu held (shrink); ",
			    d->held);
		if (d->redone)
			len += snprintf(notes + len, sizeof(notes) - len,
			    "%zu baseline(s) re-extracted after a declaration change; ", d->redone);
		if (later && len < (int)sizeof(notes))
			snprintf(notes + len, sizeof(notes) - len,
			    "+%zu recorded after the versions end; ", later);
		printf("%-40s %6zu %5zu %4zu %4zu %7zu  %-11s %s\n", d->name, d->snaps, ours,
		    ota, upg, m, verdict, notes);
		if (d->first_err)
			printf("%-40s   first problem: %.200s\n", "", d->first_err);
		for (k = 0; k < d->upg.n && util_verbose > 1; k++) {
			char s[21];

			date_format_time(d->upg.v[k], s);
			printf("%-40s   OTA declaration upgrade at %s\n", "", s);
		}
		sn += d->snaps;
		so += ours;
		sa += ota;
		sm += m;
		su += upg;
	}
	printf("%-40s %6zu %5zu %4zu %4zu %7zu  %zu of %zu documents pass\n", "total", sn, so,
	    sa, su, sm, r->ndocs - bad, r->ndocs);
	printf("time: %.2f s in all; %zu snapshots normalised: %.2f ms each "
	    "(normalise %.2f ms, store %.2f ms), %.1f ms at most",
	    total, r->nsnap, r->nsnap ? (r->t_norm + r->t_store) * 1e3 / r->nsnap : 0.0,
	    r->nsnap ? r->t_norm * 1e3 / r->nsnap : 0.0,
	    r->nsnap ? r->t_store * 1e3 / r->nsnap : 0.0, r->t_max * 1e3);
	if (r->slowest)
		printf(" (%s)", r->slowest);
	printf("\n");
	return bad;
}

/* ------------------------------------------------------------------ */

static int
fresh_dir(const char *path)
{
	DIR *dir = opendir(path);
	struct dirent *e;
	int empty = 1;

	if (!dir)
		return 1;
	while ((e = readdir(dir)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			empty = 0;
	closedir(dir);
	return empty;
}

/* Options into r and *store; -1 after printing the usage. */
static int
replay_options(struct replay *r, int argc, char **argv, const char **store)
{
	static const struct option opts[] = {
		{ "only", required_argument, NULL, 'o' },
		{ "store", required_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 },
	};
	int ch;

	optind = 0;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'o':
			util_strv_push(&r->only, &r->nonly, optarg);
			break;
		case 's':
			*store = optarg;
			break;
		default:
			goto usage;
		}
	}
	if (argc - optind == 3)
		return 0;
usage:
	cli_usage("replay");
	return -1;
}

/* A fresh store: --store DIR when empty, else a temporary folder (*tmp,
 * removed at the end); -1 after printing why. */
static int
replay_store(struct replay *r, const char *store, char tmpl[4096], char **tmp)
{
	const char *td = getenv("TMPDIR");

	if (!store) {
		snprintf(tmpl, 4096, "%s/cw-replay-XXXXXX", td && *td ? td : "/tmp");
		if (!(*tmp = mkdtemp(tmpl))) {
			fprintf(stderr, "clausewatch: replay: cannot make a temporary folder in %s\n",
			    td && *td ? td : "/tmp");
			return -1;
		}
		store = *tmp;
	} else if (!fresh_dir(store)) {
		fprintf(stderr, "clausewatch: replay: --store %s is not empty: "
		    "a replay records into a fresh store\n", store);
		return -1;
	}
	if (store_open(store, 1, &r->st) < 0) {
		fprintf(stderr, "clausewatch: replay: %s\n", util_err());
		return -1;
	}
	util_info("replay: recording into %s", store);
	return 0;
}

/* Every --only document was seen in the snapshots; -1 after saying which not. */
static int
replay_only_seen(const struct replay *r, const char *snapshots)
{
	size_t i, k;

	for (i = 0; i < r->nonly; i++) {
		for (k = 0; k < r->ndocs && strcmp(r->docs[k].name, r->only[i]); k++)
			;
		if (k == r->ndocs) {
			fprintf(stderr, "clausewatch: replay: no document '%s' in %s\n",
			    r->only[i], snapshots);
			return -1;
		}
	}
	return 0;
}

static void
replay_free(struct replay *r)
{
	size_t i;

	store_free(r->st);
	for (i = 0; i < r->ndocs; i++)
		rdoc_release(&r->docs[i]);
	free(r->docs);
	free(r->only);
	free(r->slowest);
	strbuf_release(&r->text);
	strbuf_release(&r->old);
	strbuf_release(&r->subj);
	strbuf_release(&r->body);
	strbuf_release(&r->msg);
}

int
cli_replay(struct cli *c, int argc, char **argv)
{
	struct replay r;
	char tmpl[4096];
	const char *store = NULL;
	char *tmp = NULL;
	double start = now_s();
	int error = 0, bad = 0;

	memset(&r, 0, sizeof(r));
	strbuf_init(&r.text, TEXT_CAP);
	strbuf_init(&r.old, 64u << 20);
	strbuf_init(&r.subj, 0);
	strbuf_init(&r.body, 0);
	strbuf_init(&r.msg, 0);
	if ((error = replay_options(&r, argc, argv, &store)) < 0)
		goto cleanup;
	r.decl_dir = argv[optind + 2];
	if ((error = replay_store(&r, store, tmpl, &tmp)) < 0)
		goto cleanup;
	if ((error = walk(&r, argv[optind], snapshot, 1)) < 0 ||
	    (error = walk(&r, argv[optind + 1], version, 0)) < 0) {
		fprintf(stderr, "clausewatch: replay: %s\n", util_err());
		goto cleanup;
	}
	if ((error = replay_only_seen(&r, argv[optind])) < 0)
		goto cleanup;
	bad = report(&r, now_s() - start) > 0;
cleanup:
	store_free(r.st);
	r.st = NULL;
	if (tmp)
		util_rmtree(tmp);
	replay_free(&r);
	return error < 0 ? 2 : bad;
}

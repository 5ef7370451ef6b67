/* report: the stores as a static website and a calendar feed. The data
 * flow: collect (every store's history, one walk each) -> the change pages
 * (judged again, as `diff` does, only when their inputs changed) -> the
 * document pages -> the index -> the deadlines page and feed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "html.h"
#include "ics.h"
#include "judge.h"
#include "mail.h"
#include "mime.h"
#include "record.h"
#include "report.h"
#include "state.h"
#include "store.h"
#include "text.h"
#include "util.h"
#include "watchlist.h"

/* Bump when the pages' markup changes: change pages are judged and
 * written again even though their inputs did not change. */
#define REPORT_FORMAT 1
#define TEXT_CAP (32u << 20)
#define FP_MARK "<!-- clausewatch-report "

struct rdoc {
	const char *id;
	const struct watchlist_doc *wd;
	char *title;
	const char *url;
	size_t store;
	const struct store_change **ch;	/* newest first */
	size_t nch, alloc;
	const struct state_doc *sd;
	int32_t next;			/* next open deadline */
	const struct store_change *next_ch;
};

struct site {
	const char *dir;
	const struct report_opts *o;
	struct store **st;
	size_t nst;
	struct store_change **h;
	size_t *nh;
	struct state *state;
	struct rdoc *doc;
	size_t ndoc, alloc;
	int32_t today;
	struct report_stats *stats;
};

static const char CSS[] =
"/* clausewatch report: plain CSS, readable narrow and in print */\n"
":root{--fg:#1d1d1f;--muted:#5f6368;--line:#d8dade;--mat:#b3261e;--matbg:#fde7e6;\n"
"--ok:#1e6b30;--okbg:#e3f3e6;--minor:#5f6368;--minorbg:#eef0f2;--first:#1a5fb4;\n"
"--firstbg:#e4eefb;--dl:#b35c00;--dlbg:#fff1dc}\n"
"*{box-sizing:border-box}\n"
"body{margin:0;font:16px/1.5 system-ui,-apple-system,\"Segoe UI\",Roboto,sans-serif;"
"color:var(--fg);background:#fff}\n"
"header{background:#20232a;padding:.6em 1em}\n"
"header nav{display:flex;flex-wrap:wrap;gap:.2em 1.2em;max-width:60rem;margin:0 auto}\n"
"header a{color:#fff;text-decoration:none;font-weight:600}\n"
"header a.brand{color:#9ecbff}\n"
"main{max-width:60rem;margin:0 auto;padding:1em}\n"
"h1{font-size:1.6em;line-height:1.2;margin:.4em 0}\n"
"h2{font-size:1.2em;margin:1.4em 0 .5em;border-bottom:1px solid var(--line)}\n"
"h3{font-size:1em;margin:1.2em 0 .3em}\n"
"a{color:#0b57d0}\n"
"dd,h1{overflow-wrap:anywhere}td,a{overflow-wrap:break-word}\n"
".when,td[data-label=\"Last change\"],td[data-label=\"Deadline\"],"
"td[data-label=\"Accepted from\"]{white-space:nowrap}\n"
".muted,.id,small{color:var(--muted)}\n"
".id{font-size:.85em;font-family:ui-monospace,monospace;word-break:break-all}\n"
"code{font-family:ui-monospace,monospace;font-size:.9em}\n"
"table{border-collapse:collapse;width:100%}\n"
"th,td{text-align:left;vertical-align:top;padding:.45em .6em;border-bottom:1px solid var(--line)}\n"
"th{font-size:.85em;color:var(--muted);font-weight:600}\n"
".v{display:inline-block;padding:0 .5em;border-radius:.8em;font-size:.85em;"
"font-weight:600;white-space:nowrap}\n"
".v.material{background:var(--matbg);color:var(--mat)}\n"
".v.minor{background:var(--minorbg);color:var(--minor)}\n"
".v.first{background:var(--firstbg);color:var(--first)}\n"
".v.ok{background:var(--okbg);color:var(--ok)}\n"
".v.dl{background:var(--dlbg);color:var(--dl)}\n"
".fail{color:var(--mat)}\n"
".summary{font-size:1.05em}\n"
"ol.versions{list-style:none;padding:0;margin:0}\n"
"ol.versions li{border-left:4px solid var(--line);padding:.3em .8em;margin:.5em 0}\n"
"ol.versions li.material{border-left-color:var(--mat)}\n"
"ol.versions li.first{border-left-color:var(--first)}\n"
"svg.timeline{width:100%;height:auto;max-height:9em;display:block;margin:.5em 0}\n"
".legend span{margin-right:1em;font-size:.85em;color:var(--muted);white-space:nowrap}\n"
".legend b{font-weight:normal}.lm{color:#d93025}.ln{color:#80868b}.lf{color:#1a5fb4}"
".ld{color:#f29900}\n"
"dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.2em 1em;margin:.5em 0}\n"
"dl.facts dt{color:var(--muted)}dl.facts dd{margin:0}\n"
"section.clause{border:1px solid var(--line);border-left:4px solid var(--minor);"
"border-radius:4px;padding:.2em .9em .8em;margin:1em 0}\n"
"section.clause.material{border-left-color:var(--mat)}\n"
".redline,.text{font-family:Georgia,\"Times New Roman\",serif;white-space:pre-wrap;"
"overflow-wrap:anywhere;background:#fafafa;padding:.5em .8em;border-radius:4px}\n"
"del{background:#ffe0e0;color:#a00000}\n"
"ins{background:#ddf4dd;color:#006000}\n"
".reason{margin:.3em 0}\n"
"footer{max-width:60rem;margin:2em auto;padding:0 1em;font-size:.8em;color:var(--muted)}\n"
"@media (max-width:40rem){\n"
" body{font-size:15px}\n"
" table.cards thead{display:none}\n"
" table.cards,table.cards tbody,table.cards tr,table.cards td{display:block;width:100%}\n"
" table.cards tr{border:1px solid var(--line);border-radius:6px;margin:0 0 .8em;padding:.3em .2em}\n"
" table.cards td{border:0;padding:.15em .6em}\n"
" table.cards td[data-label]::before{content:attr(data-label) \": \";color:var(--muted);"
"font-size:.85em}\n"
" table.cards td.title::before{content:none}\n"
" dl.facts{grid-template-columns:1fr}dl.facts dd{margin-bottom:.4em}\n"
"}\n"
"@media print{\n"
" header,nav,.legend{display:none}\n"
" body{font-size:11pt}main{max-width:none;padding:0}\n"
" a{color:inherit;text-decoration:none}\n"
" a.commit[href]::after{content:\" (\" attr(href) \")\";font-size:.8em;color:#444}\n"
" section.clause,tr,li{break-inside:avoid}\n"
" del{text-decoration:line-through}ins{text-decoration:underline}\n"
"}\n";

/* ---- writing files ---------------------------------------------------- */

static int
put(struct site *s, const char *rel, const struct strbuf *page)
{
	struct strbuf path = STRBUF_INIT, old = STRBUF_INIT;
	char *slash;
	int rc = -1;

	strbuf_addf(&path, "%s/%s", s->dir, rel);
	slash = strrchr(path.buf, '/');
	*slash = '\0';
	if (util_mkdirs(path.buf, 0755) < 0)
		goto cleanup;
	*slash = '/';
	/* same bytes: left alone, so rsync, a web server's caches and the
	 * file's time all see that nothing changed */
	if (util_read_file(path.buf, page->len + 1, &old) == 0 && old.len == page->len &&
	    !memcmp(old.buf, page->buf, page->len)) {
		s->stats->unchanged++;
		rc = 0;
		goto cleanup;
	}
	if (util_write_file_atomic(path.buf, page->buf, page->len) < 0)
		goto cleanup;
	s->stats->written++;
	rc = 0;
cleanup:
	strbuf_release(&path);
	strbuf_release(&old);
	return rc;
}

/* Whether the page at rel was made from the inputs fp names. */
static int
fresh(struct site *s, const char *rel, const char *fp)
{
	struct strbuf path = STRBUF_INIT;
	char head[256];
	size_t n = 0;
	FILE *f;

	strbuf_addf(&path, "%s/%s", s->dir, rel);
	if ((f = fopen(path.buf, "rb"))) {
		n = fread(head, 1, sizeof(head) - 1, f);
		fclose(f);
	}
	strbuf_release(&path);
	head[n] = '\0';
	return n && strstr(head, fp) != NULL;
}

/* ---- page pieces ------------------------------------------------------ */

/* "../" for each folder rel is in: links are relative, so the site works
 * from a file:// URL, any web server path and a copied folder alike. */
static void
root_of(struct strbuf *out, const char *rel)
{
	for (; *rel; rel++)
		if (*rel == '/')
			strbuf_addstr(out, "../");
}

static void
page_begin(struct strbuf *p, const char *rel, const char *title, const char *fp)
{
	struct strbuf root = STRBUF_INIT;

	root_of(&root, rel);
	strbuf_addstr(p, "<!DOCTYPE html>\n");
	if (fp)
		strbuf_addf(p, FP_MARK "%s -->\n", fp);
	strbuf_addstr(p, "<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
	    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>");
	html_text(p, title);
	strbuf_addf(p, " \xe2\x80\x94 clausewatch</title>\n"
	    "<link rel=\"stylesheet\" href=\"%sstyle.css\">\n"
	    "<link rel=\"alternate\" type=\"text/calendar\" title=\"Deadlines\" "
	    "href=\"%sdeadlines.ics\">\n</head><body>\n"
	    "<header><nav><a class=\"brand\" href=\"%sindex.html\">clausewatch</a>"
	    "<a href=\"%sindex.html\">Documents</a><a href=\"%sdeadlines.html\">Deadlines</a>"
	    "<a href=\"%sdeadlines.ics\">Calendar</a></nav></header>\n<main>\n",
	    root.buf, root.buf, root.buf, root.buf, root.buf, root.buf);
	strbuf_release(&root);
}

static void
page_end(struct strbuf *p)
{
	strbuf_addstr(p, "</main>\n<footer>Made by clausewatch from its git store. "
	    "Deadlines are when changed terms count as accepted; object before "
	    "them.</footer>\n</body></html>\n");
}

static void
commit_link(const struct site *s, struct strbuf *p, const char *commit)
{
	if (s->o->link) {
		struct strbuf url = STRBUF_INIT;

		mail_link(&url, s->o->link, commit);
		strbuf_addstr(p, "<a class=\"commit\"");
		html_href(p, url.buf);
		strbuf_addf(p, ">commit <code>%.12s</code></a>", commit);
		strbuf_release(&url);
	} else {
		strbuf_addf(p, "<span class=\"commit\">commit <code>%.12s</code></span>", commit);
	}
}

/* What a record says, as a short word and its CSS class. */
static const char *
verdict(const struct record *r, const char **cls)
{
	*cls = "minor";
	switch (r->kind) {
	case RECORD_FIRST:
		*cls = "first";
		return "first record";
	case RECORD_NEW_EXTRACTION:
		*cls = "first";
		return "new extraction";
	case RECORD_ANNOUNCEMENT:
		*cls = "dl";
		return "update announced";
	case RECORD_CHANGE:
		break;
	}
	if (!r->judged)
		return "change, not judged";
	if (r->material) {
		*cls = "material";
		return "material";
	}
	return "not material";
}

static void
verdict_badge(struct strbuf *p, const struct record *r)
{
	const char *cls, *v = verdict(r, &cls);

	strbuf_addf(p, "<span class=\"v %s\">%s</span>", cls, v);
}

/* "accepted from D, object by D-1" for a dated deadline. */
static void
deadline_words(struct strbuf *p, const struct record *r)
{
	char d[11], last[11];

	if (r->kind != RECORD_CHANGE || !r->judged)
		return;
	if (r->deadline_kind == JUDGE_DL_IMMEDIATE && r->material) {
		strbuf_addstr(p, "continued use already counts as acceptance");
	} else if (r->deadline_kind == JUDGE_DL_DATE && r->deadline != DATE_NONE) {
		date_format(r->deadline, d);
		date_format(r->deadline - 1, last);
		strbuf_addf(p, "last day to object <b>%s</b>; accepted from %s", last, d);
	}
}

static void
doc_rel(struct strbuf *out, const char *id)
{
	strbuf_addf(out, "doc/%s.html", id);
}

static void
change_rel(struct strbuf *out, const char *id, const char *commit)
{
	/* not under doc/: a document "a" and a document "a/COMMIT" would
	 * then want the same file */
	strbuf_addf(out, "change/%s/%s.html", id, commit);
}

/* <a href="ROOT+target">, target a page of the site. */
static void
site_link(struct strbuf *p, const char *from_rel, const char *target_rel)
{
	strbuf_addstr(p, "<a href=\"");
	root_of(p, from_rel);
	html_text(p, target_rel);
	strbuf_addstr(p, "\">");
}

/* ---- the timeline picture --------------------------------------------- */

#define SVG_W 600
#define SVG_H 66
#define SVG_PAD 16

void
report_svg(struct strbuf *out, const struct report_point *v, size_t n)
{
	time_t t0 = 0, t1 = 0;
	size_t i, nmat = 0, nver = 0;
	char a[11], b[11];

	for (i = 0; i < n; i++) {
		if (!i || v[i].when < t0)
			t0 = v[i].when;
		if (!i || v[i].when > t1)
			t1 = v[i].when;
		nmat += v[i].mark == REPORT_MATERIAL;
		nver += v[i].mark != REPORT_DEADLINE;
	}
	if (t1 - t0 < 2 * 86400) {	/* one day or less: centre it */
		t0 -= 86400;
		t1 += 86400;
	}
	strbuf_addf(out, "<svg class=\"timeline\" xmlns=\"http://www.w3.org/2000/svg\" "
	    "viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"Timeline: %zu version(s), "
	    "%zu material\">\n", SVG_W, SVG_H, nver, nmat);
	strbuf_addf(out, "<line x1=\"%d\" y1=\"28\" x2=\"%d\" y2=\"28\" stroke=\"#9aa0a6\" "
	    "stroke-width=\"2\"/>\n", SVG_PAD, SVG_W - SVG_PAD);
	/* deadlines under the versions, so a change's dot is never hidden */
	for (int pass = 0; pass < 2; pass++)
		for (i = 0; i < n; i++) {
			const struct report_point *pt = &v[i];
			double x = SVG_PAD + (double)(pt->when - t0) * (SVG_W - 2 * SVG_PAD) /
			    (double)(t1 - t0);

			if ((pt->mark == REPORT_DEADLINE) != (pass == 0))
				continue;
			if (pt->href) {
				strbuf_addstr(out, "<a href=\"");
				html_text(out, pt->href);
				strbuf_addstr(out, "\">");
			}
			switch (pt->mark) {
			case REPORT_DEADLINE:
				strbuf_addf(out, "<path d=\"M%.1f 18l8 10-8 10-8-10z\" fill=\"#f29900\" "
				    "stroke=\"#b35c00\">", x);
				break;
			case REPORT_MATERIAL:
				strbuf_addf(out, "<circle cx=\"%.1f\" cy=\"28\" r=\"8\" fill=\"#d93025\" "
				    "stroke=\"#fff\" stroke-width=\"2\">", x);
				break;
			case REPORT_FIRST:
				strbuf_addf(out, "<circle cx=\"%.1f\" cy=\"28\" r=\"6\" fill=\"#fff\" "
				    "stroke=\"#1a5fb4\" stroke-width=\"3\">", x);
				break;
			case REPORT_MINOR:
				strbuf_addf(out, "<circle cx=\"%.1f\" cy=\"28\" r=\"5\" fill=\"#80868b\" "
				    "stroke=\"#fff\" stroke-width=\"1.5\">", x);
				break;
			}
			strbuf_addstr(out, "<title>");
			html_text(out, pt->label ? pt->label : "");
			strbuf_addstr(out, pt->mark == REPORT_DEADLINE ? "</title></path>" :
			    "</title></circle>");
			strbuf_addstr(out, pt->href ? "</a>\n" : "\n");
		}
	date_format((int32_t)(t0 / 86400), a);
	date_format((int32_t)(t1 / 86400), b);
	strbuf_addf(out, "<text x=\"%d\" y=\"60\" font-size=\"16\" fill=\"#5f6368\">%s</text>\n"
	    "<text x=\"%d\" y=\"60\" font-size=\"16\" fill=\"#5f6368\" text-anchor=\"end\">%s"
	    "</text>\n</svg>\n", SVG_PAD, a, SVG_W - SVG_PAD, b);
}

/* ---- collect ---------------------------------------------------------- */

struct entry {
	const char *id;
	size_t store, k;
};

static int
entry_cmp(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;
	int c = strcmp(x->id, y->id);

	if (c)
		return c;
	if (x->store != y->store)
		return x->store < y->store ? -1 : 1;
	return (x->k > y->k) - (x->k < y->k);
}

static int
doc_cmp(const void *a, const void *b)
{
	return strcmp(((const struct rdoc *)a)->id, ((const struct rdoc *)b)->id);
}

static struct rdoc *
add_doc(struct site *s, const char *id, size_t store)
{
	struct rdoc *d;

	ALLOC_GROW(s->doc, s->ndoc + 1, s->alloc);
	d = &s->doc[s->ndoc++];
	memset(d, 0, sizeof(*d));
	d->id = id;
	d->store = store;
	d->next = DATE_NONE;
	return d;
}

/* The first "# " heading of the latest text, for a document this host's
 * watchlist does not name (another host's store). */
static char *
heading_title(struct site *s, const struct rdoc *d)
{
	struct strbuf text = STRBUF_INIT, t = STRBUF_INIT;
	const char *p;

	text.cap = TEXT_CAP;
	if (d->nch && store_read_at(s->st[d->store], d->id, d->ch[0]->commit, &text, NULL) == 0 &&
	    (p = strstr(text.buf, "# ")) && (p == text.buf || p[-1] == '\n')) {
		const char *e = strchr(p, '\n');
		char *line = xstrndup(p + 2, e ? (size_t)(e - p - 2) : strlen(p + 2));

		mime_clean(&t, line, 200, 1);
		free(line);
	}
	strbuf_release(&text);
	if (!t.len) {
		strbuf_release(&t);
		return xstrdup(d->id);
	}
	return strbuf_detach(&t, NULL);
}

static void
finish_doc(struct site *s, struct rdoc *d)
{
	size_t k;

	if (s->o->wl)
		d->wd = watchlist_doc(s->o->wl, d->id);
	d->title = d->wd && d->wd->title ? xstrdup(d->wd->title) : heading_title(s, d);
	d->url = d->wd ? d->wd->url : d->nch ? d->ch[0]->rec.source : NULL;
	d->sd = state_find(&s->state[d->store], d->id);
	for (k = 0; k < d->nch; k++) {
		int32_t dl = record_open_deadline(&d->ch[k]->rec, d->ch[k]->ack != NULL, s->today);

		if (dl != DATE_NONE && (d->next == DATE_NONE || dl < d->next)) {
			d->next = dl;
			d->next_ch = d->ch[k];
		}
	}
}

/* Every store's history in one walk each, grouped by document. */
static int
collect(struct site *s, const char *const *paths)
{
	struct entry *e = NULL;
	size_t ne = 0, ealloc = 0, i, k, recorded;

	for (i = 0; i < s->nst; i++) {
		if (store_open(paths[i], 0, &s->st[i]) < 0 ||
		    store_recent(s->st[i], 0, &s->h[i], &s->nh[i]) < 0 ||
		    state_load(paths[i], &s->state[i]) < 0) {
			util_seterr("report: %s", util_err());
			free(e);
			return -1;
		}
		for (k = 0; k < s->nh[i]; k++) {
			/* an id that could leave DIR never becomes a path */
			if (!watchlist_id_ok(s->h[i][k].rec.document))
				continue;
			ALLOC_GROW(e, ne + 1, ealloc);
			e[ne].id = s->h[i][k].rec.document;
			e[ne].store = i;
			e[ne++].k = k;
		}
	}
	if (ne)
		qsort(e, ne, sizeof(*e), entry_cmp);
	for (i = 0; i < ne; i++) {
		struct rdoc *d = s->ndoc ? &s->doc[s->ndoc - 1] : NULL;

		if (!d || strcmp(d->id, e[i].id))
			d = add_doc(s, e[i].id, e[i].store);
		else if (d->store != e[i].store)
			continue;	/* the first store that has it owns it */
		ALLOC_GROW(d->ch, d->nch + 1, d->alloc);
		d->ch[d->nch++] = &s->h[e[i].store][e[i].k];
	}
	free(e);
	/* watched documents not recorded yet are listed too */
	recorded = s->ndoc;
	for (i = 0; s->o->wl && i < s->o->wl->ndoc; i++) {
		struct rdoc key = { .id = s->o->wl->doc[i].id };

		if (!recorded || !bsearch(&key, s->doc, recorded, sizeof(*s->doc), doc_cmp))
			add_doc(s, s->o->wl->doc[i].id, 0);
	}
	if (s->ndoc > recorded)
		qsort(s->doc, s->ndoc, sizeof(*s->doc), doc_cmp);
	for (i = 0; i < s->ndoc; i++)
		finish_doc(s, &s->doc[i]);
	return 0;
}

/* ---- a change --------------------------------------------------------- */

/* What the change page is made of, as one hash: when none of it moved,
 * the page is left as it is without judging the change again. */
static void
change_fingerprint(const struct site *s, const struct rdoc *d, size_t k, char out[17])
{
	const struct store_change *ch = d->ch[k];
	uint64_t h = TEXT_HASH_INIT;
	const char *parts[] = {
		ch->commit, k + 1 < d->nch ? d->ch[k + 1]->commit : "", d->title,
		d->url ? d->url : "", s->o->link ? s->o->link : "", ch->ack ? ch->ack : "",
	};
	char fmt[32];
	size_t i;

	snprintf(fmt, sizeof(fmt), "%d.%u", REPORT_FORMAT, d->wd ? d->wd->material : 0);
	h = text_hash(h, fmt, strlen(fmt) + 1);
	for (i = 0; i < sizeof(parts) / sizeof(parts[0]); i++)
		h = text_hash(h, parts[i], strlen(parts[i]) + 1);
	snprintf(out, 17, "%016llx", (unsigned long long)h);
}

static void
change_facts(const struct site *s, struct strbuf *p, const char *rel,
    const struct rdoc *d, size_t k)
{
	const struct store_change *ch = d->ch[k];
	struct strbuf w = STRBUF_INIT;
	char when[21];

	date_format_time(ch->when, when);
	strbuf_addstr(p, "<dl class=\"facts\">\n<dt>Recorded</dt><dd>");
	html_text(p, when);
	strbuf_addstr(p, "</dd>\n<dt>Verdict</dt><dd>");
	verdict_badge(p, &ch->rec);
	if (ch->rec.categories) {
		judge_categories_format(ch->rec.categories, &w);
		strbuf_addstr(p, " <small>");
		html_text(p, w.buf);
		strbuf_addstr(p, "</small>");
	}
	strbuf_addstr(p, "</dd>\n");
	strbuf_reset(&w);
	deadline_words(&w, &ch->rec);
	if (w.len)
		strbuf_addf(p, "<dt>Deadline</dt><dd>%s</dd>\n", w.buf);	/* ours: no outside text */
	if (ch->ack) {
		strbuf_addstr(p, "<dt>Acknowledged</dt><dd>");
		html_text(p, ch->ack);
		strbuf_addstr(p, "</dd>\n");
	}
	strbuf_addstr(p, "<dt>Commit</dt><dd>");
	commit_link(s, p, ch->commit);
	if (k + 1 < d->nch) {
		strbuf_reset(&w);
		change_rel(&w, d->id, d->ch[k + 1]->commit);
		strbuf_addstr(p, " \xc2\xb7 ");
		site_link(p, rel, w.buf);
		strbuf_addstr(p, "previous version</a>");
	}
	if (k > 0) {
		strbuf_reset(&w);
		change_rel(&w, d->id, d->ch[k - 1]->commit);
		strbuf_addstr(p, " \xc2\xb7 ");
		site_link(p, rel, w.buf);
		strbuf_addstr(p, "next version</a>");
	}
	strbuf_addstr(p, "</dd>\n</dl>\n");
	strbuf_release(&w);
}

static void
clause_section(struct strbuf *p, const struct judge_change *c)
{
	struct strbuf w = STRBUF_INIT;
	const char *text = c->redline ? c->redline : c->new_text ? c->new_text : c->old_text;

	strbuf_addf(p, "<section class=\"clause%s\"><h3>Clause ", c->material ? " material" : "");
	html_text(p, c->clause ? c->clause : "(no label)");
	strbuf_addf(p, " \xe2\x80\x94 %s, %s", judge_kind_name(c->kind), c->editorial ? "editorial" :
	    c->material ? "material" : "substantive, not material");
	if (c->categories) {
		judge_categories_format(c->categories, &w);
		strbuf_addstr(p, " <small>(");
		html_text(p, w.buf);
		strbuf_addstr(p, ")</small>");
	}
	strbuf_addstr(p, "</h3>\n");
	if (c->reason) {
		strbuf_addstr(p, "<p class=\"reason\">");
		html_text(p, c->reason);
		strbuf_addstr(p, "</p>\n");
	}
	if (text) {
		strbuf_addstr(p, "<div class=\"redline\">");
		if (c->kind == JUDGE_ADDED)
			strbuf_addstr(p, "<ins>");
		else if (c->kind == JUDGE_REMOVED)
			strbuf_addstr(p, "<del>");
		html_redline(p, text, "<del>", "<ins>");
		if (c->kind == JUDGE_ADDED)
			strbuf_addstr(p, "</ins>");
		else if (c->kind == JUDGE_REMOVED)
			strbuf_addstr(p, "</del>");
		strbuf_addstr(p, "</div>\n");
	}
	strbuf_addstr(p, "</section>\n");
	strbuf_release(&w);
}

static void
judgement(struct strbuf *p, const struct judge_result *j)
{
	size_t i;

	if (j->material_reason) {
		strbuf_addstr(p, "<h2>Why it is material</h2>\n<p class=\"reason\">");
		html_text(p, j->material_reason);
		strbuf_addstr(p, "</p>\n");
	}
	if (j->objection) {
		strbuf_addstr(p, "<h2>How to object</h2>\n<p>");
		html_text(p, j->objection);
		strbuf_addstr(p, "</p>\n");
	}
	strbuf_addf(p, "<h2>Clause by clause (%zu change%s)</h2>\n", j->n, j->n == 1 ? "" : "s");
	if (j->basis)
		strbuf_addf(p, "<p class=\"muted\">Materiality judged by the %s definition. "
		    "Deletions <del>like this</del>, additions <ins>like this</ins>.</p>\n",
		    !strcmp(j->basis, "own-definition") ? "document's own" : "default");
	for (i = 0; i < j->n; i++)
		clause_section(p, &j->v[i]);
}

/* The change's page: judged again from the two stored versions, as `diff`
 * does; a first record shows its text. */
static int
change_page(struct site *s, const struct rdoc *d, size_t k)
{
	const struct store_change *ch = d->ch[k];
	struct strbuf rel = STRBUF_INIT, p = STRBUF_INIT, a = STRBUF_INIT, b = STRBUF_INIT;
	struct strbuf title = STRBUF_INIT;
	struct judge_opts jo = { DATE_NONE, 0 };
	struct judge_result j;
	char fp[17], day[11];
	int rc = -1, judged = 0;

	change_rel(&rel, d->id, ch->commit);
	change_fingerprint(s, d, k, fp);
	if (fresh(s, rel.buf, fp)) {
		s->stats->unchanged++;
		rc = 0;
		goto cleanup;
	}
	a.cap = b.cap = TEXT_CAP;
	if (store_read_at(s->st[d->store], d->id, ch->commit, &b, NULL) < 0 ||
	    (k + 1 < d->nch && store_read_at(s->st[d->store], d->id, d->ch[k + 1]->commit, &a,
	    NULL) < 0))
		goto cleanup;
	if (k + 1 < d->nch) {
		jo.seen = (int32_t)(ch->when / 86400);
		jo.extra_material = d->wd ? d->wd->material : 0;
		if (judge_compare(a.buf, a.len, b.buf, b.len, &jo, &j) < 0)
			goto cleanup;
		judged = 1;
	}
	date_format((int32_t)(ch->when / 86400), day);
	strbuf_addf(&title, "%s, %s", d->title, day);
	page_begin(&p, rel.buf, title.buf, fp);
	strbuf_addstr(&p, "<p class=\"muted\">");
	site_link(&p, rel.buf, "index.html");
	strbuf_addstr(&p, "Documents</a> \xe2\x80\xba ");
	strbuf_reset(&title);
	doc_rel(&title, d->id);
	site_link(&p, rel.buf, title.buf);
	html_text(&p, d->title);
	strbuf_addstr(&p, "</a></p>\n<h1>");
	html_text(&p, ch->subject);
	strbuf_addstr(&p, "</h1>\n");
	change_facts(s, &p, rel.buf, d, k);
	if (judged)
		judgement(&p, &j);
	else {
		strbuf_addstr(&p, "<h2>The text as first recorded</h2>\n<div class=\"text\">");
		html_escape(&p, b.buf, b.len);
		strbuf_addstr(&p, "</div>\n");
	}
	page_end(&p);
	rc = put(s, rel.buf, &p);
	if (judged)
		judge_result_free(&j);
cleanup:
	if (rc < 0)
		util_seterr("report %s %.12s: %s", d->id, ch->commit, util_err());
	strbuf_release(&rel);
	strbuf_release(&p);
	strbuf_release(&a);
	strbuf_release(&b);
	strbuf_release(&title);
	return rc;
}

/* ---- a document ------------------------------------------------------- */

static void
fetch_status(struct strbuf *p, const struct state_doc *sd)
{
	char when[21];

	if (!sd || !sd->last_try) {
		strbuf_addstr(p, "<span class=\"muted\">never fetched</span>");
		return;
	}
	date_format_time(sd->last_try, when);
	when[16] = '\0';	/* to the minute */
	when[10] = ' ';
	if (sd->last_error) {
		strbuf_addstr(p, "<span class=\"fail\">failed: ");
		html_text(p, sd->last_error);
		strbuf_addstr(p, "</span>");
	} else {
		strbuf_addstr(p, "<span class=\"v ok\">ok</span>");
	}
	strbuf_addf(p, " <small class=\"when\">%s</small>", when);
}

static void
doc_timeline(struct strbuf *p, const char *rel, const struct rdoc *d)
{
	struct report_point *v = xcalloc(2 * d->nch + 1, sizeof(*v));
	struct strbuf *lab = xcalloc(2 * d->nch + 1, sizeof(*lab));
	struct strbuf *href = xcalloc(d->nch + 1, sizeof(*href));
	size_t k, n = 0;

	for (k = 0; k < d->nch; k++) {
		const struct store_change *ch = d->ch[k];
		const char *cls, *what = verdict(&ch->rec, &cls);
		char day[11];

		date_format((int32_t)(ch->when / 86400), day);
		root_of(&href[k], rel);
		change_rel(&href[k], d->id, ch->commit);
		strbuf_addf(&lab[n], "%s: %s \xe2\x80\x94 %s", day, what, ch->subject);
		v[n].when = ch->when;
		v[n].mark = !strcmp(cls, "material") ? REPORT_MATERIAL :
		    !strcmp(cls, "first") ? REPORT_FIRST : REPORT_MINOR;
		v[n].label = lab[n].buf;
		v[n++].href = href[k].buf;
		if (ch->rec.material && ch->rec.deadline_kind == JUDGE_DL_DATE &&
		    ch->rec.deadline != DATE_NONE) {
			date_format(ch->rec.deadline, day);
			strbuf_addf(&lab[n], "deadline %s%s", day, ch->ack ? " (acknowledged)" : "");
			v[n].when = (time_t)ch->rec.deadline * 86400;
			v[n].mark = REPORT_DEADLINE;
			v[n].label = lab[n].buf;
			v[n++].href = href[k].buf;
		}
	}
	report_svg(p, v, n);
	strbuf_addstr(p, "<p class=\"legend\"><span><b class=\"lm\">\xe2\x97\x8f</b> material "
	    "change</span> <span><b class=\"ln\">\xe2\x97\x8f</b> not material</span> <span>"
	    "<b class=\"lf\">\xe2\x97\x8b</b> first record</span> <span><b class=\"ld\">"
	    "\xe2\x97\x86</b> deadline</span></p>\n");
	for (k = 0; k < 2 * d->nch + 1; k++)
		strbuf_release(&lab[k]);
	for (k = 0; k < d->nch + 1; k++)
		strbuf_release(&href[k]);
	free(lab);
	free(href);
	free(v);
}

static void
version_item(const struct site *s, struct strbuf *p, const char *rel,
    const struct rdoc *d, size_t k)
{
	const struct store_change *ch = d->ch[k];
	struct strbuf w = STRBUF_INIT;
	const char *cls;
	char day[11];

	verdict(&ch->rec, &cls);
	date_format((int32_t)(ch->when / 86400), day);
	change_rel(&w, d->id, ch->commit);
	strbuf_addf(p, "<li class=\"%s\"><b>%s</b> ", cls, day);
	verdict_badge(p, &ch->rec);
	strbuf_addstr(p, "<br>");
	site_link(p, rel, w.buf);
	html_text(p, ch->subject);
	strbuf_addstr(p, "</a>");
	strbuf_reset(&w);
	deadline_words(&w, &ch->rec);
	if (w.len)
		strbuf_addf(p, "<br><small>%s%s</small>", w.buf,
		    ch->ack ? " \xc2\xb7 acknowledged" : "");
	strbuf_addstr(p, "<br><small>");
	commit_link(s, p, ch->commit);
	strbuf_addstr(p, "</small></li>\n");
	strbuf_release(&w);
}

static int
doc_page(struct site *s, const struct rdoc *d)
{
	struct strbuf rel = STRBUF_INIT, p = STRBUF_INIT;
	size_t k;
	int rc;

	doc_rel(&rel, d->id);
	page_begin(&p, rel.buf, d->title, NULL);
	strbuf_addstr(&p, "<h1>");
	html_text(&p, d->title);
	strbuf_addstr(&p, "</h1>\n<p class=\"id\">");
	html_text(&p, d->id);
	strbuf_addstr(&p, "</p>\n<dl class=\"facts\">");
	if (d->url) {
		strbuf_addstr(&p, "<dt>Source</dt><dd><a");
		html_href(&p, d->url);
		strbuf_addstr(&p, ">");
		html_text(&p, d->url);
		strbuf_addstr(&p, "</a></dd>\n");
	}
	strbuf_addstr(&p, "<dt>Last fetch</dt><dd>");
	fetch_status(&p, d->sd);
	strbuf_addstr(&p, "</dd>\n</dl>\n");
	if (d->nch) {
		doc_timeline(&p, rel.buf, d);
		strbuf_addf(&p, "<h2>Versions (%zu)</h2>\n<ol class=\"versions\">\n", d->nch);
		for (k = 0; k < d->nch; k++)
			version_item(s, &p, rel.buf, d, k);
		strbuf_addstr(&p, "</ol>\n");
	} else {
		strbuf_addstr(&p, "<p>No version recorded yet.</p>\n");
	}
	page_end(&p);
	rc = put(s, rel.buf, &p);
	strbuf_release(&rel);
	strbuf_release(&p);
	return rc;
}

/* ---- the index -------------------------------------------------------- */

static void
days_left(struct strbuf *p, int32_t dl, int32_t today)
{
	long n = (long)(dl - 1 - today);

	if (n > 1)
		strbuf_addf(p, " <small>(%ld days to object)</small>", n);
	else if (n == 1)
		strbuf_addstr(p, " <small>(1 day to object)</small>");
	else if (n == 0)
		strbuf_addstr(p, " <small>(last day to object)</small>");
	else
		strbuf_addstr(p, " <small>(objection period over)</small>");
}

static int
index_page(struct site *s)
{
	struct strbuf p = STRBUF_INIT, w = STRBUF_INIT;
	size_t i, open = 0;
	char today[11];
	int rc;

	for (i = 0; i < s->ndoc; i++)
		open += s->doc[i].next != DATE_NONE;
	date_format(s->today, today);
	page_begin(&p, "index.html", "Documents", NULL);
	strbuf_addf(&p, "<h1>Watched agreements</h1>\n<p class=\"summary\">%zu document%s"
	    " \xc2\xb7 <a href=\"deadlines.html\">%zu with an open deadline</a>"
	    " \xc2\xb7 as of %s</p>\n", s->ndoc, s->ndoc == 1 ? "" : "s", open, today);
	strbuf_addstr(&p, "<table class=\"cards\"><thead><tr><th>Document</th><th>Last change"
	    "</th><th>Verdict</th><th>Next deadline</th><th>Last fetch</th></tr></thead>"
	    "<tbody>\n");
	for (i = 0; i < s->ndoc; i++) {
		const struct rdoc *d = &s->doc[i];
		char day[11];

		strbuf_reset(&w);
		doc_rel(&w, d->id);
		strbuf_addstr(&p, "<tr><td class=\"title\"><a href=\"");
		html_text(&p, w.buf);
		strbuf_addstr(&p, "\">");
		html_text(&p, d->title);
		strbuf_addstr(&p, "</a><div class=\"id\">");
		html_text(&p, d->id);
		strbuf_addstr(&p, "</div></td>\n<td data-label=\"Last change\">");
		if (d->nch) {
			date_format((int32_t)(d->ch[0]->when / 86400), day);
			strbuf_reset(&w);
			change_rel(&w, d->id, d->ch[0]->commit);
			site_link(&p, "index.html", w.buf);
			strbuf_addf(&p, "%s</a><br><small>", day);
			commit_link(s, &p, d->ch[0]->commit);
			strbuf_addstr(&p, "</small></td>\n<td data-label=\"Verdict\">");
			verdict_badge(&p, &d->ch[0]->rec);
		} else {
			strbuf_addstr(&p, "\xe2\x80\x94</td>\n<td data-label=\"Verdict\">");
		}
		strbuf_addstr(&p, "</td>\n<td data-label=\"Next deadline\">");
		if (d->next != DATE_NONE) {
			date_format(d->next - 1, day);
			strbuf_addf(&p, "<span class=\"v dl\">object by %s</span>", day);
			days_left(&p, d->next, s->today);
			date_format(d->next, day);
			strbuf_addf(&p, "<br><small>accepted from %s</small>", day);
		} else {
			strbuf_addstr(&p, "<span class=\"muted\">none open</span>");
		}
		strbuf_addstr(&p, "</td>\n<td data-label=\"Last fetch\">");
		fetch_status(&p, d->sd);
		strbuf_addstr(&p, "</td></tr>\n");
	}
	strbuf_addstr(&p, "</tbody></table>\n");
	page_end(&p);
	rc = put(s, "index.html", &p);
	strbuf_release(&p);
	strbuf_release(&w);
	return rc;
}

/* ---- deadlines: the page and the feed --------------------------------- */

enum dl_state { DL_OPEN, DL_ACKED, DL_PASSED };

struct dl {
	const struct rdoc *d;
	const struct store_change *ch;
	enum dl_state state;
};

static int
dl_cmp(const void *a, const void *b)
{
	const struct dl *x = a, *y = b;

	if (x->state != y->state)
		return (int)x->state - (int)y->state;
	if (x->ch->rec.deadline != y->ch->rec.deadline)
		/* open ones soonest first, the others latest first */
		return (x->ch->rec.deadline < y->ch->rec.deadline) == (x->state == DL_OPEN) ?
		    -1 : 1;
	return strcmp(x->d->id, y->d->id);
}

/* Every material change with a dated deadline, by state. */
static struct dl *
deadlines(const struct site *s, size_t *n)
{
	struct dl *v = NULL;
	size_t i, k, alloc = 0;

	*n = 0;
	for (i = 0; i < s->ndoc; i++)
		for (k = 0; k < s->doc[i].nch; k++) {
			const struct store_change *ch = s->doc[i].ch[k];

			if (record_open_deadline(&ch->rec, 0, DATE_NONE) == DATE_NONE)
				continue;
			ALLOC_GROW(v, *n + 1, alloc);
			v[*n].d = &s->doc[i];
			v[*n].ch = ch;
			v[*n].state = ch->ack ? DL_ACKED :
			    record_open_deadline(&ch->rec, 0, s->today) != DATE_NONE ? DL_OPEN :
			    DL_PASSED;
			(*n)++;
		}
	if (*n)
		qsort(v, *n, sizeof(*v), dl_cmp);
	return v;
}

static void
dl_row(const struct site *s, struct strbuf *p, const struct dl *e)
{
	struct strbuf w = STRBUF_INIT;
	char day[11], last[11];

	date_format(e->ch->rec.deadline, day);
	date_format(e->ch->rec.deadline - 1, last);
	if (e->state == DL_OPEN) {
		strbuf_addf(p, "<tr><td data-label=\"Last day to object\"><span class=\"v dl\">%s"
		    "</span>", last);
		days_left(p, e->ch->rec.deadline, s->today);
		strbuf_addf(p, "</td><td data-label=\"Accepted from\">%s</td>", day);
	} else {
		strbuf_addf(p, "<tr><td data-label=\"Deadline\">%s</td>", day);
	}
	doc_rel(&w, e->d->id);
	strbuf_addstr(p, "<td class=\"title\"><a href=\"");
	html_text(p, w.buf);
	strbuf_addstr(p, "\">");
	html_text(p, e->d->title);
	strbuf_addstr(p, "</a></td><td data-label=\"Change\">");
	strbuf_reset(&w);
	change_rel(&w, e->d->id, e->ch->commit);
	site_link(p, "deadlines.html", w.buf);
	html_text(p, e->ch->subject);
	strbuf_addstr(p, "</a><br><small>");
	commit_link(s, p, e->ch->commit);
	strbuf_addstr(p, "</small></td>");
	if (e->state == DL_ACKED) {
		strbuf_addstr(p, "<td data-label=\"Acknowledged\">");
		html_text(p, e->ch->ack);
		strbuf_addstr(p, "</td>");
	}
	strbuf_addstr(p, "</tr>\n");
	strbuf_release(&w);
}

/* The rows of the announcements still to come (p NULL: count them). */
static size_t
announced_rows(const struct site *s, struct strbuf *p)
{
	struct strbuf w = STRBUF_INIT;
	size_t i, k, n = 0;

	for (i = 0; i < s->ndoc; i++)
		for (k = 0; k < s->doc[i].nch; k++) {
			const struct rdoc *d = &s->doc[i];
			const struct store_change *ch = d->ch[k];
			int32_t day = record_open_announcement(&ch->rec, ch->ack != NULL, s->today);
			char when[11];

			if (day == DATE_NONE)
				continue;
			n++;
			if (!p)
				continue;
			date_format(day, when);
			strbuf_reset(&w);
			doc_rel(&w, d->id);
			strbuf_addf(p, "<tr><td data-label=\"Announced for\">%s</td>"
			    "<td class=\"title\"><a href=\"", when);
			html_text(p, w.buf);
			strbuf_addstr(p, "\">");
			html_text(p, d->title);
			strbuf_addstr(p, "</a></td><td data-label=\"Record\">");
			strbuf_reset(&w);
			change_rel(&w, d->id, ch->commit);
			site_link(p, "deadlines.html", w.buf);
			html_text(p, ch->subject);
			strbuf_addstr(p, "</a><br><small>");
			commit_link(s, p, ch->commit);
			strbuf_addstr(p, "</small></td></tr>\n");
		}
	strbuf_release(&w);
	return n;
}

/* Pages announcing coming terms: no deadline yet (the terms are judged
 * when they are published), but worth planning for; listed, as by
 * `deadlines`, until their day. */
static void
announced(const struct site *s, struct strbuf *p)
{
	size_t n = announced_rows(s, NULL);

	if (!n)
		return;
	strbuf_addf(p, "<h2>Announced updates (%zu)</h2>\n<p class=\"muted\">The pages "
	    "announce new terms; clausewatch judges them, with their deadline, when they "
	    "are published.</p>\n<table class=\"cards\"><thead><tr><th>Announced for</th>"
	    "<th>Document</th><th>Record</th></tr></thead><tbody>\n", n);
	announced_rows(s, p);
	strbuf_addstr(p, "</tbody></table>\n");
}

static int
deadlines_page(struct site *s, const struct dl *v, size_t n)
{
	static const char *const heads[] = {
		"Open", "Acknowledged", "Passed, never acknowledged (deemed accepted)",
	};
	static const char *const cols[] = {
		"<th>Last day to object</th><th>Accepted from</th><th>Document</th><th>Change</th>",
		"<th>Deadline</th><th>Document</th><th>Change</th><th>Acknowledged</th>",
		"<th>Deadline</th><th>Document</th><th>Change</th>",
	};
	struct strbuf p = STRBUF_INIT;
	char today[11];
	size_t i;
	int st, rc;

	date_format(s->today, today);
	page_begin(&p, "deadlines.html", "Deadlines", NULL);
	strbuf_addf(&p, "<h1>Deadlines</h1>\n<p class=\"summary\">As of %s. Subscribe to "
	    "<a href=\"deadlines.ics\">deadlines.ics</a> for the last day to object to each "
	    "open one in your calendar.</p>\n", today);
	for (st = DL_OPEN; st <= DL_PASSED; st++) {
		size_t cnt = 0;

		for (i = 0; i < n; i++)
			cnt += v[i].state == (enum dl_state)st;
		strbuf_addf(&p, "<h2>%s (%zu)</h2>\n", heads[st], cnt);
		if (!cnt) {
			strbuf_addstr(&p, "<p class=\"muted\">None.</p>\n");
			continue;
		}
		strbuf_addf(&p, "<table class=\"cards\"><thead><tr>%s</tr></thead><tbody>\n",
		    cols[st]);
		for (i = 0; i < n; i++)
			if (v[i].state == (enum dl_state)st)
				dl_row(s, &p, &v[i]);
		strbuf_addstr(&p, "</tbody></table>\n");
	}
	announced(s, &p);
	page_end(&p);
	rc = put(s, "deadlines.html", &p);
	strbuf_release(&p);
	return rc;
}

/* One all-day event per open deadline, on the last day to object. Those
 * acknowledged or passed drop out of the feed rather than stay as
 * STATUS:CANCELLED: a subscribed calendar replaces its copy with the feed
 * on every refresh, so a missing UID is a removed event in Outlook, Google
 * and Apple alike, while a cancelled one lingers (struck through, or shown
 * as if nothing happened by clients that ignore STATUS). */
static int
feed(struct site *s, const struct dl *v, size_t n)
{
	struct strbuf out = STRBUF_INIT, uid = STRBUF_INIT, sum = STRBUF_INIT;
	struct strbuf desc = STRBUF_INIT, url = STRBUF_INIT, t = STRBUF_INIT;
	size_t i;
	int rc;

	ics_begin(&out, "clausewatch deadlines");
	for (i = 0; i < n && v[i].state == DL_OPEN; i++) {
		const struct store_change *ch = v[i].ch;
		struct ics_event e = { 0 };
		char day[11];

		strbuf_reset(&uid);
		strbuf_reset(&sum);
		strbuf_reset(&desc);
		strbuf_reset(&url);
		strbuf_reset(&t);
		ics_uid(&uid, "objection", v[i].d->id, ch->commit);
		mime_clean(&t, v[i].d->title, 200, 1);
		strbuf_addf(&sum, "Last day to object: %s", t.buf);
		date_format(ch->rec.deadline, day);
		strbuf_addf(&desc, "Material change to %s (%s)", t.buf, v[i].d->id);
		if (ch->rec.categories) {
			strbuf_addstr(&desc, ": ");
			judge_categories_format(ch->rec.categories, &desc);
		}
		strbuf_addf(&desc, ".\nFrom %s the changed terms count as accepted.\n", day);
		strbuf_reset(&t);
		mime_clean(&t, ch->subject, 300, 1);
		strbuf_addf(&desc, "%s\nCommit %s", t.buf, ch->commit);
		if (s->o->link)
			mail_link(&url, s->o->link, ch->commit);
		else if (v[i].d->url)
			strbuf_addstr(&url, v[i].d->url);
		e.uid = uid.buf;
		e.stamp = ch->when;	/* stable: the feed changes only when a deadline does */
		e.day = ch->rec.deadline - 1;
		e.summary = sum.buf;
		e.description = desc.buf;
		e.url = url.len ? url.buf : NULL;
		ics_event(&out, &e);
	}
	ics_end(&out);
	rc = put(s, "deadlines.ics", &out);
	strbuf_release(&out);
	strbuf_release(&uid);
	strbuf_release(&sum);
	strbuf_release(&desc);
	strbuf_release(&url);
	strbuf_release(&t);
	return rc;
}

/* ---- the whole site --------------------------------------------------- */

static int
pages(struct site *s)
{
	struct strbuf css = STRBUF_INIT;
	struct dl *v;
	size_t i, k, n;
	int rc = 0;

	strbuf_addstr(&css, CSS);
	if (put(s, "style.css", &css) < 0)
		rc = -1;
	strbuf_release(&css);
	for (i = 0; rc == 0 && i < s->ndoc; i++) {
		for (k = 0; rc == 0 && k < s->doc[i].nch; k++)
			rc = change_page(s, &s->doc[i], k);
		if (rc == 0)
			rc = doc_page(s, &s->doc[i]);
	}
	if (rc == 0)
		rc = index_page(s);
	v = deadlines(s, &n);
	if (rc == 0)
		rc = deadlines_page(s, v, n);
	if (rc == 0)
		rc = feed(s, v, n);
	free(v);
	return rc;
}

int
report_write(const char *dir, const char *const *stores, size_t nstores,
    const struct report_opts *o, struct report_stats *stats)
{
	struct site s;
	size_t i;
	int rc = -1;

	memset(&s, 0, sizeof(s));
	memset(stats, 0, sizeof(*stats));
	s.dir = dir;
	s.o = o;
	s.stats = stats;
	s.today = date_today();
	s.nst = nstores;
	s.st = xcalloc(nstores, sizeof(*s.st));
	s.h = xcalloc(nstores, sizeof(*s.h));
	s.nh = xcalloc(nstores, sizeof(*s.nh));
	s.state = xcalloc(nstores, sizeof(*s.state));
	if (util_mkdirs(dir, 0755) < 0) {
		util_seterr("report: %s: %s", dir, util_err());
		goto cleanup;
	}
	if (collect(&s, stores) < 0 || pages(&s) < 0)
		goto cleanup;
	rc = 0;
cleanup:
	for (i = 0; i < s.ndoc; i++) {
		free(s.doc[i].title);
		free(s.doc[i].ch);
	}
	free(s.doc);
	for (i = 0; i < nstores; i++) {
		store_changes_free(s.h[i], s.nh[i]);
		state_free(&s.state[i]);
		store_free(s.st[i]);
	}
	free(s.st);
	free(s.h);
	free(s.nh);
	free(s.state);
	return rc;
}

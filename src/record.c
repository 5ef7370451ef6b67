/* The change record: typed values <-> commit-message trailers, the
 * recording rule and the open-deadline rule. Trailers are read back with
 * libgit2's parser, the one `git log --format=%(trailers)` agrees with. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <git2.h>

#include "date.h"
#include "record.h"
#include "shrink.h"
#include "util.h"

/* Most body lines a subject's change list shows; the rest are counted. */
#define DESCRIBE_MAX 30

void
record_init(struct record *r)
{
	memset(r, 0, sizeof(*r));
	r->fetched = -1;
	r->kind = RECORD_CHANGE;
	r->deadline_kind = JUDGE_DL_NONE;
	r->deadline = DATE_NONE;
	r->effective = DATE_NONE;
	r->announced = DATE_NONE;
}

void
record_release(struct record *r)
{
	free(r->document);
	free(r->source);
	record_init(r);
}

void
record_set(struct record *r, const char *document, const char *source,
    time_t fetched, enum record_kind kind)
{
	free(r->document);
	free(r->source);
	r->document = document ? xstrdup(document) : NULL;
	r->source = source ? xstrdup(source) : NULL;
	r->fetched = fetched;
	r->kind = kind;
	/* what is not the publisher's change is judged by definition: it
	 * binds nobody (kept out of digests and reminders) */
	r->judged = 1;
	r->material = 0;
	r->categories = 0;
	r->deadline_kind = JUDGE_DL_NONE;
	r->deadline = DATE_NONE;
	if (kind == RECORD_CHANGE)
		r->judged = 0;
}

void
record_judged(struct record *r, const struct judge_result *j)
{
	r->judged = 1;
	r->material = j->material != 0;
	r->categories = j->categories;
	r->effective = j->effective;
	r->deadline_kind = JUDGE_DL_NONE;
	r->deadline = DATE_NONE;
	if (!j->changed || judge_editorial_only(j))
		return;
	if (j->deadline_kind == JUDGE_DL_DATE && j->deadline != DATE_NONE) {
		r->deadline_kind = JUDGE_DL_DATE;
		r->deadline = j->deadline;
	} else if (j->deadline_kind == JUDGE_DL_IMMEDIATE) {
		r->deadline_kind = JUDGE_DL_IMMEDIATE;
	}
}

void
record_deadline_format(const struct record *r, char out[11])
{
	if (r->deadline_kind == JUDGE_DL_DATE && r->deadline != DATE_NONE)
		date_format(r->deadline, out);
	else if (r->deadline_kind == JUDGE_DL_IMMEDIATE)
		memcpy(out, "immediate", 10);
	else
		memcpy(out, "none", 5);
}

static const char *const kind_names[] = {
	[RECORD_CHANGE] = NULL,
	[RECORD_FIRST] = "first",
	[RECORD_NEW_EXTRACTION] = "new-extraction",
	[RECORD_ANNOUNCEMENT] = "announcement",
};

const char *
record_kind_name(enum record_kind k)
{
	return (size_t)k < sizeof(kind_names) / sizeof(kind_names[0]) ? kind_names[k] : NULL;
}

/* ------------------------------------------------------------------ */
/* Writing                                                              */

/* Outside text on one line: a line break in a value would start a trailer
 * of its own (or end the trailer paragraph). */
static void
add_line(struct strbuf *out, const char *s)
{
	for (; *s; s++)
		strbuf_addch(out, (unsigned char)*s < 0x20 || *s == 0x7F ? ' ' : *s);
}

static void
add_trailer(struct strbuf *out, const char *key, const char *value)
{
	strbuf_addf(out, "%s: ", key);
	add_line(out, value ? value : "");
	strbuf_addch(out, '\n');
}

static void
add_date(struct strbuf *out, const char *key, int32_t day)
{
	char d[11];

	date_format(day, d);
	add_trailer(out, key, d);
}

/* A body line git would take for the start of a patch ("---"), hiding the
 * trailers after it, is indented; other control characters than line
 * breaks become spaces. */
static void
add_body(struct strbuf *out, const char *body)
{
	int bol = 1;

	for (; *body; body++) {
		if (bol && !strncmp(body, "---", 3))
			strbuf_addch(out, ' ');
		bol = *body == '\n';
		strbuf_addch(out, bol || ((unsigned char)*body >= 0x20 && *body != 0x7F) ?
		    *body : ' ');
	}
	if (out->len && out->buf[out->len - 1] != '\n')
		strbuf_addch(out, '\n');
}

static void
add_trailers(const struct record *r, struct strbuf *out)
{
	struct strbuf cats = STRBUF_INIT;
	char when[21], dl[11];

	add_trailer(out, "Document", r->document);
	add_trailer(out, "Source", r->source);
	if (r->fetched >= 0) {
		date_format_time(r->fetched, when);
		add_trailer(out, "Fetched", when);
	}
	if (r->judged) {
		add_trailer(out, "Material", r->material ? "yes" : "no");
		judge_categories_format(r->categories, &cats);
		/* git reads "Categories:" with nothing after it as a trailer */
		strbuf_addstr(out, cats.len ? "Categories: " : "Categories:");
		strbuf_add(out, cats.buf, cats.len);
		strbuf_addch(out, '\n');
		record_deadline_format(r, dl);
		add_trailer(out, "Deadline", dl);
	}
	if (r->kind == RECORD_CHANGE && r->effective != DATE_NONE)
		add_date(out, "Effective", r->effective);
	if (record_kind_name(r->kind))
		add_trailer(out, "Record", record_kind_name(r->kind));
	if (r->kind == RECORD_ANNOUNCEMENT && r->announced != DATE_NONE)
		add_date(out, "Announced", r->announced);
	strbuf_release(&cats);
}

void
record_message(const struct record *r, const char *subject, const char *body,
    struct strbuf *out)
{
	const char *s = subject && *subject ? subject : "Record";

	if (!strncmp(s, "---", 3))
		strbuf_addch(out, ' ');
	add_line(out, s);
	strbuf_addstr(out, "\n\n");
	if (body && *body) {
		add_body(out, body);
		strbuf_addch(out, '\n');
	}
	add_trailers(r, out);
}

void
record_message_firsts(const struct record *v, size_t n, struct strbuf *out)
{
	char when[21];
	size_t i;

	strbuf_addf(out, "First record of %zu document%s\n\n", n, n == 1 ? "" : "s");
	for (i = 0; i < n; i++) {
		add_trailer(out, "Document", v[i].document);
		if (v[i].source)
			add_trailer(out, "Source", v[i].source);
		if (v[i].fetched >= 0) {
			date_format_time(v[i].fetched, when);
			add_trailer(out, "Fetched", when);
		}
	}
	add_trailer(out, "Record", record_kind_name(RECORD_FIRST));
}

void
record_describe(const struct record *r, const char *title,
    const struct judge_result *j, struct strbuf *subj, struct strbuf *body)
{
	char dl[11];
	size_t i;

	switch (r->kind) {
	case RECORD_FIRST:
		strbuf_addf(subj, "First record of %s", title);
		return;
	case RECORD_NEW_EXTRACTION:
		strbuf_addf(subj, "New extraction of %s (url, select or remove changed "
		    "in the watchlist)", title);
		return;
	case RECORD_ANNOUNCEMENT:
		if (r->announced != DATE_NONE) {
			date_format(r->announced, dl);
			strbuf_addf(subj, "%s: update announced for %s", title, dl);
		} else {
			strbuf_addf(subj, "%s: update announced", title);
		}
		return;
	case RECORD_CHANGE:
		break;
	}
	record_deadline_format(r, dl);
	if (!r->judged || !j)
		strbuf_addf(subj, "%s: change recorded", title);
	else if (r->material && r->deadline_kind == JUDGE_DL_DATE)
		strbuf_addf(subj, "%s: material change, accepted by %s", title, dl);
	else if (r->material && r->deadline_kind == JUDGE_DL_IMMEDIATE)
		strbuf_addf(subj, "%s: material change, continued use already accepts it",
		    title);
	else if (r->material)
		strbuf_addf(subj, "%s: material change", title);
	else if (judge_editorial_only(j))
		strbuf_addf(subj, "%s: editorial change", title);
	else
		strbuf_addf(subj, "%s: change, not material", title);
	for (i = 0; j && i < j->n && i < DESCRIBE_MAX; i++) {
		const struct judge_change *ch = &j->v[i];

		strbuf_addf(body, "- %s %s: %s\n", ch->clause ? ch->clause : "?",
		    judge_kind_name(ch->kind), ch->reason ? ch->reason : "");
	}
	if (j && j->n > DESCRIBE_MAX)
		strbuf_addf(body, "- ... and %zu more\n", j->n - DESCRIBE_MAX);
}

/* ------------------------------------------------------------------ */
/* Reading                                                              */

static void
parse_categories(const char *v, unsigned *out)
{
	char *s = xstrdup(v), *tok, *save = NULL;
	int c;

	*out = 0;
	for (tok = strtok_r(s, ", ", &save); tok; tok = strtok_r(NULL, ", ", &save))
		if ((c = judge_category_parse(tok)) >= 0)
			*out |= 1u << c;
	free(s);
}

static void
parse_deadline(const char *v, struct record *r)
{
	r->deadline = DATE_NONE;
	r->deadline_kind = JUDGE_DL_NONE;
	if (!strcmp(v, "immediate"))
		r->deadline_kind = JUDGE_DL_IMMEDIATE;
	else if ((r->deadline = date_parse_iso(v)) != DATE_NONE)
		r->deadline_kind = JUDGE_DL_DATE;
}

static void
parse_kind(const char *v, struct record *r)
{
	size_t k;

	for (k = 0; k < sizeof(kind_names) / sizeof(kind_names[0]); k++)
		if (kind_names[k] && !strcmp(v, kind_names[k]))
			r->kind = (enum record_kind)k;
}

/* One trailer into r; the first of a key wins (a batched first record
 * names several documents: the first is the commit's). */
static void
parse_trailer(const char *key, const char *v, struct record *r, unsigned *seen)
{
	static const char *const keys[] = { "Document", "Source", "Fetched", "Material",
		"Categories", "Deadline", "Effective", "Record", "Announced" };
	size_t k;

	for (k = 0; k < sizeof(keys) / sizeof(keys[0]); k++)
		if (!strcasecmp(key, keys[k]))
			break;
	if (k == sizeof(keys) / sizeof(keys[0]) || (*seen & (1u << k)))
		return;
	*seen |= 1u << k;
	switch (k) {
	case 0: r->document = xstrdup(v); break;
	case 1: r->source = xstrdup(v); break;
	case 2: if (date_parse_time(v, &r->fetched) < 0) r->fetched = -1; break;
	case 3: r->judged = 1; r->material = !strcmp(v, "yes"); break;
	case 4: parse_categories(v, &r->categories); break;
	case 5: parse_deadline(v, r); break;
	case 6: r->effective = date_parse_iso(v); break;
	case 7: parse_kind(v, r); break;
	case 8: r->announced = date_parse_iso(v); break;
	}
}

static int
trailers(const char *message, git_message_trailer_array *tr)
{
	if (git_message_trailers(tr, message ? message : "") < 0) {
		const git_error *e = git_error_last();

		util_seterr("record: trailers: %s", e && e->message ? e->message : "unreadable");
		return -1;
	}
	return 0;
}

int
record_parse(const char *message, struct record *out)
{
	git_message_trailer_array tr = { 0 };
	unsigned seen = 0;
	size_t i;

	record_release(out);
	if (trailers(message, &tr) < 0)
		return -1;
	for (i = 0; i < tr.count; i++)
		parse_trailer(tr.trailers[i].key, tr.trailers[i].value, out, &seen);
	git_message_trailer_array_free(&tr);
	return 0;
}

static void
record_copy(struct record *dst, const struct record *src)
{
	*dst = *src;
	dst->document = src->document ? xstrdup(src->document) : NULL;
	dst->source = src->source ? xstrdup(src->source) : NULL;
}

int
record_parse_all(const char *message, struct record **v, size_t *n)
{
	return record_parse_kinds(message, ~0u, v, n);
}

int
record_parse_kinds(const char *message, unsigned kinds, struct record **v, size_t *n)
{
	git_message_trailer_array tr = { 0 };
	struct record common, *r = NULL;
	unsigned seen = 0, mine = 0;
	size_t i, ndoc = 0;

	*v = NULL;
	*n = 0;
	record_init(&common);
	if (trailers(message, &tr) < 0)
		return -1;
	for (i = 0; i < tr.count; i++) {
		parse_trailer(tr.trailers[i].key, tr.trailers[i].value, &common, &seen);
		ndoc += !strcasecmp(tr.trailers[i].key, "Document");
	}
	if (!(kinds & (1u << common.kind))) {
		/* not one asked for: no copy for each of its documents */
		record_release(&common);
		git_message_trailer_array_free(&tr);
		return 0;
	}
	*v = xcalloc(ndoc ? ndoc : 1, sizeof(**v));
	if (!ndoc) {
		(*v)[(*n)++] = common;
		git_message_trailer_array_free(&tr);
		return 0;
	}
	for (i = 0; i < tr.count; i++) {
		const char *key = tr.trailers[i].key, *val = tr.trailers[i].value;

		if (!strcasecmp(key, "Document")) {
			r = &(*v)[(*n)++];
			record_copy(r, &common);
			free(r->document);
			r->document = xstrdup(val);
			if (ndoc > 1) {
				/* each its own, or none: not the first one's */
				free(r->source);
				r->source = NULL;
				r->fetched = -1;
			}
			mine = 0;
		} else if (r && (!strcasecmp(key, "Source") || !strcasecmp(key, "Fetched"))) {
			unsigned bit = *key == 'S' || *key == 's' ? 1 : 2;

			if (mine & bit)
				continue;	/* the first after its Document wins */
			mine |= bit;
			if (bit == 1) {
				free(r->source);
				r->source = xstrdup(val);
			} else if (date_parse_time(val, &r->fetched) < 0) {
				r->fetched = -1;
			}
		}
	}
	record_release(&common);
	git_message_trailer_array_free(&tr);
	return 0;
}

int
record_parse_doc(const char *message, const char *id, struct record *out)
{
	struct record *v;
	size_t n, i, pick = 0;

	if (record_parse_all(message, &v, &n) < 0)
		return -1;
	for (i = 0; i < n; i++)
		if (v[i].document && id && !strcmp(v[i].document, id)) {
			pick = i;
			break;
		}
	record_release(out);
	*out = v[pick];
	for (i = 0; i < n; i++)
		if (i != pick)
			record_release(&v[i]);
	free(v);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Rules                                                                */

enum record_decision
record_decide(const struct strbuf *old, const struct strbuf *text, int reextracted,
    int *streak, int runs, int count, enum record_kind *kind)
{
	if (!old) {
		*streak = 0;
		*kind = RECORD_FIRST;
		return RECORD_WRITE;
	}
	if (old->len == text->len && !memcmp(old->buf, text->buf, old->len)) {
		*streak = 0;	/* page noise only */
		return RECORD_UNCHANGED;
	}
	if (reextracted) {
		/* a difference of our making: recorded, never held back */
		*streak = 0;
		*kind = RECORD_NEW_EXTRACTION;
		return RECORD_WRITE;
	}
	if (shrink_hold(old->len, text->len, streak, runs, count))
		return RECORD_HELD;
	*kind = RECORD_CHANGE;
	return RECORD_WRITE;
}

int32_t
record_open_deadline(const struct record *r, int acked, int32_t today)
{
	if (acked || r->kind != RECORD_CHANGE || !r->material ||
	    r->deadline_kind != JUDGE_DL_DATE || r->deadline == DATE_NONE ||
	    r->deadline < today)
		return DATE_NONE;
	return r->deadline;
}

int32_t
record_open_announcement(const struct record *r, int acked, int32_t today)
{
	if (acked || r->kind != RECORD_ANNOUNCEMENT || r->announced == DATE_NONE ||
	    r->announced < today)
		return DATE_NONE;
	return r->announced;
}

int32_t
record_passed_deadline(const struct record *r, int acked, int32_t today)
{
	if (acked || r->kind != RECORD_CHANGE || !r->material ||
	    r->deadline_kind != JUDGE_DL_DATE || r->deadline == DATE_NONE ||
	    r->deadline >= today)
		return DATE_NONE;
	return r->deadline;
}

void
record_note_deemed(int32_t day, struct strbuf *out)
{
	char d[11];

	date_format(day, d);
	strbuf_addf(out, "Deemed-accepted: %s (not acknowledged)\n", d);
}

void
record_note_parse(const char *note, int *acked, int32_t *deemed)
{
	const char *p;

	*acked = 0;
	*deemed = DATE_NONE;
	for (p = note; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
		if (!strncmp(p, "Acknowledged-by:", 16))
			*acked = 1;
		else if (!strncmp(p, "Deemed-accepted: ", 17) && strlen(p) >= 27) {
			char d[11];

			memcpy(d, p + 17, 10);
			d[10] = '\0';
			*deemed = date_parse_iso(d);
		}
	}
}

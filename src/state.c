/* The state file is one line per document, fields separated by tabs, with
 * \\, \t and \n escaped: read in one pass with no parser to set up, so
 * that `run --only ID` on thousands of documents costs a millisecond here.
 * Older stores have it in git-config syntax: read once with libgit2, then
 * written anew. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <git2.h>

#include "state.h"
#include "strbuf.h"
#include "util.h"

#define STATE_FILE "clausewatch-state"
#define STATE_MAGIC "# clausewatch fetch state v2"
#define STATE_CAP (1u << 30)

static void
setstr(char **dst, const char *v)
{
	free(*dst);
	*dst = v ? xstrdup(v) : NULL;
}

/* Entries are kept sorted by id: lookups are binary searches (bsearch),
 * and loading a file we wrote (sorted) appends. */
static int
cmp_id(const void *key, const void *elem)
{
	return strcmp(key, ((const struct state_doc *)elem)->id);
}

/* Where a new id goes: bsearch for the one entry whose id is the first
 * greater than it (the one before, if any, is less); at the end when the
 * last entry's id is less. */
struct slot {
	const char *id;
	const struct state_doc *v;
};

static int
cmp_slot(const void *key, const void *elem)
{
	const struct slot *k = key;
	const struct state_doc *d = elem;

	if (strcmp(d->id, k->id) < 0)
		return 1;
	return d > k->v && strcmp(d[-1].id, k->id) > 0 ? -1 : 0;
}

struct state_doc *
state_get(struct state *st, const char *id)
{
	struct state_doc *d = (struct state_doc *)state_find(st, id);
	struct slot key = { id, st->v };
	size_t i = st->n;

	if (d)
		return d;
	if (st->n && strcmp(st->v[st->n - 1].id, id) > 0)
		i = (size_t)((struct state_doc *)bsearch(&key, st->v, st->n,
		    sizeof(*st->v), cmp_slot) - st->v);
	ALLOC_GROW(st->v, st->n + 1, st->alloc);
	memmove(&st->v[i + 1], &st->v[i], (st->n - i) * sizeof(*st->v));
	memset(&st->v[i], 0, sizeof(*st->v));
	st->v[i].id = xstrdup(id);
	st->n++;
	return &st->v[i];
}

const struct state_doc *
state_find(const struct state *st, const char *id)
{
	return st->n ? bsearch(id, st->v, st->n, sizeof(*st->v), cmp_id) : NULL;
}

/* The fields of a line, in this order; strings empty when NULL. */
enum { F_ID, F_LAST_OK, F_LAST_TRY, F_FAILURES, F_SHRUNK, F_ALERTED, F_CONFIG, F_RAW,
	F_TEXT, F_ETAG, F_LAST_MODIFIED, F_LAST_ERROR, NFIELD };

/* Unescape s in place up to its end; NULL when empty. */
static char *
field(char *s)
{
	char *r = s, *w = s;

	if (!*s)
		return NULL;
	for (; *r; r++) {
		if (*r == '\\' && r[1]) {
			r++;
			*w++ = *r == 't' ? '\t' : *r == 'n' ? '\n' : *r;
		} else {
			*w++ = *r;
		}
	}
	*w = '\0';
	return s;
}

static void
load_line(struct state *st, char *line)
{
	char *f[NFIELD];
	struct state_doc *d;
	size_t k = 0;

	f[k++] = line;
	for (; *line && k < NFIELD; line++)
		if (*line == '\t') {
			*line = '\0';
			f[k++] = line + 1;
		}
	if (k < NFIELD || !*f[F_ID])
		return;		/* not a line we wrote */
	d = state_get(st, f[F_ID]);
	d->last_ok = (time_t)strtoll(f[F_LAST_OK], NULL, 10);
	d->last_try = (time_t)strtoll(f[F_LAST_TRY], NULL, 10);
	d->failures = atoi(f[F_FAILURES]);
	d->shrunk = atoi(f[F_SHRUNK]);
	d->alerted = atoi(f[F_ALERTED]);
	setstr(&d->config, field(f[F_CONFIG]));
	setstr(&d->raw, field(f[F_RAW]));
	setstr(&d->text, field(f[F_TEXT]));
	setstr(&d->etag, field(f[F_ETAG]));
	setstr(&d->last_modified, field(f[F_LAST_MODIFIED]));
	setstr(&d->last_error, field(f[F_LAST_ERROR]));
}

static int
load_lines(struct state *st, struct strbuf *text)
{
	char *line = text->buf, *nl;

	for (; line < text->buf + text->len; line = nl + 1) {
		if (!(nl = memchr(line, '\n', (size_t)(text->buf + text->len - line))))
			nl = text->buf + text->len;
		*nl = '\0';
		if (*line != '#')
			load_line(st, line);
	}
	return 0;
}

static int load_config(const char *path, struct state *st);

int
state_load(const char *store, struct state *st)
{
	struct strbuf p = STRBUF_INIT, text = STRBUF_INIT;
	int rc = 0;

	memset(st, 0, sizeof(*st));
	strbuf_addf(&p, "%s/" STATE_FILE, store);
	if (access(p.buf, F_OK) < 0)
		goto cleanup;
	if ((rc = util_read_file(p.buf, STATE_CAP, &text)) < 0)
		goto cleanup;
	if (text.len >= strlen(STATE_MAGIC) && !memcmp(text.buf, STATE_MAGIC, strlen(STATE_MAGIC)))
		rc = load_lines(st, &text);
	else
		rc = load_config(p.buf, st);
cleanup:
	strbuf_release(&text);
	strbuf_release(&p);
	return rc;
}

/* The git-config file of older versions. */
static int
load_config(const char *path, struct state *st)
{
	git_config *cfg = NULL;
	git_config_iterator *it = NULL;
	git_config_entry *e;
	int rc = 0;

	if (git_config_open_ondisk(&cfg, path) < 0 ||
	    git_config_iterator_new(&it, cfg) < 0) {
		const git_error *ge = git_error_last();

		util_seterr("%s: %s", path, ge ? ge->message : "unreadable");
		rc = -1;
		goto cleanup;
	}
	while (git_config_next(&e, it) == 0) {
		const char *d1 = strchr(e->name, '.'), *d2 = strrchr(e->name, '.');
		struct state_doc *d;
		char *id;
		const char *k = d2 + 1, *v = e->value ? e->value : "";

		if (!d1 || d1 == d2 || strncmp(e->name, "doc.", 4))
			continue;
		id = xstrndup(d1 + 1, (size_t)(d2 - d1 - 1));
		d = state_get(st, id);
		free(id);
		if (!strcmp(k, "etag"))
			setstr(&d->etag, v);
		else if (!strcmp(k, "last-modified"))
			setstr(&d->last_modified, v);
		else if (!strcmp(k, "last-ok"))
			d->last_ok = (time_t)strtoll(v, NULL, 10);
		else if (!strcmp(k, "last-try"))
			d->last_try = (time_t)strtoll(v, NULL, 10);
		else if (!strcmp(k, "failures"))
			d->failures = atoi(v);
		else if (!strcmp(k, "last-error"))
			setstr(&d->last_error, v);
		else if (!strcmp(k, "shrunk"))
			d->shrunk = atoi(v);
		else if (!strcmp(k, "alerted"))
			d->alerted = atoi(v);
		else if (!strcmp(k, "config"))
			setstr(&d->config, v);
		else if (!strcmp(k, "raw"))
			setstr(&d->raw, v);
		else if (!strcmp(k, "text"))
			setstr(&d->text, v);
	}
cleanup:
	git_config_iterator_free(it);
	git_config_free(cfg);
	return rc;
}

/* A field: no tab or line break unescaped; other controls dropped. The
 * bytes between two that need care are copied as one run. */
static void
put(struct strbuf *sb, const char *s)
{
	const char *run;

	strbuf_addch(sb, '\t');
	if (!s)
		return;
	for (run = s; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c >= ' ' && c != 0x7f && c != '\\')
			continue;
		strbuf_add(sb, run, (size_t)(s - run));
		run = s + 1;
		if (c == '\\')
			strbuf_addstr(sb, "\\\\");
		else if (c == '\t')
			strbuf_addstr(sb, "\\t");
		else if (c == '\n')
			strbuf_addstr(sb, "\\n");
	}
	strbuf_add(sb, run, (size_t)(s - run));
}

/* A tab and a number in decimal: a line's five numbers by strbuf_addf
 * were half the cost of writing the state of 2,000 documents. */
static void
put_num(struct strbuf *sb, long long v)
{
	char b[24], *p = b + sizeof(b);
	unsigned long long u = v < 0 ? 0 - (unsigned long long)v : (unsigned long long)v;

	do
		*--p = (char)('0' + u % 10);
	while (u /= 10);
	if (v < 0)
		*--p = '-';
	*--p = '\t';
	strbuf_add(sb, p, (size_t)(b + sizeof(b) - p));
}

int
state_save(const char *store, const struct state *st)
{
	struct strbuf out = STRBUF_INIT, p = STRBUF_INIT;
	size_t i;
	int rc;

	strbuf_addstr(&out, STATE_MAGIC "; rewritten by every run\n# id\tlast-ok\t"
	    "last-try\tfailures\tshrunk\talerted\tconfig\traw\ttext\tetag\t"
	    "last-modified\tlast-error\n");
	for (i = 0; i < st->n; i++) {
		const struct state_doc *d = &st->v[i];

		/* ids are validated ([a-z0-9._-/]) so they need no escaping */
		strbuf_addstr(&out, d->id);
		put_num(&out, (long long)d->last_ok);
		put_num(&out, (long long)d->last_try);
		put_num(&out, d->failures);
		put_num(&out, d->shrunk);
		put_num(&out, d->alerted);
		put(&out, d->config);
		put(&out, d->raw);
		put(&out, d->text);
		put(&out, d->etag);
		put(&out, d->last_modified);
		put(&out, d->last_error);
		strbuf_addch(&out, '\n');
	}
	strbuf_addf(&p, "%s/" STATE_FILE, store);
	rc = util_write_file_atomic(p.buf, out.buf, out.len);
	strbuf_release(&out);
	strbuf_release(&p);
	return rc;
}

void
state_free(struct state *st)
{
	size_t i;

	for (i = 0; i < st->n; i++) {
		free(st->v[i].id);
		free(st->v[i].etag);
		free(st->v[i].last_modified);
		free(st->v[i].last_error);
		free(st->v[i].config);
		free(st->v[i].raw);
		free(st->v[i].text);
	}
	free(st->v);
	memset(st, 0, sizeof(*st));
}

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <git2.h>

#include "state.h"
#include "strbuf.h"
#include "util.h"

#define STATE_FILE "clausewatch-state"

static void
setstr(char **dst, const char *v)
{
	free(*dst);
	*dst = v ? xstrdup(v) : NULL;
}

/* Entries are kept sorted by id: lookups are binary searches, and loading
 * a file we wrote (sorted) appends. */
static size_t
lower_bound(const struct state *st, const char *id)
{
	size_t lo = 0, hi = st->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(st->v[mid].id, id) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

struct state_doc *
state_get(struct state *st, const char *id)
{
	size_t i = lower_bound(st, id);

	if (i < st->n && !strcmp(st->v[i].id, id))
		return &st->v[i];
	st->v = xrealloc(st->v, (st->n + 1) * sizeof(*st->v));
	memmove(&st->v[i + 1], &st->v[i], (st->n - i) * sizeof(*st->v));
	memset(&st->v[i], 0, sizeof(*st->v));
	st->v[i].id = xstrdup(id);
	st->n++;
	return &st->v[i];
}

const struct state_doc *
state_find(const struct state *st, const char *id)
{
	size_t i = lower_bound(st, id);

	return i < st->n && !strcmp(st->v[i].id, id) ? &st->v[i] : NULL;
}

int
state_load(const char *store, struct state *st)
{
	git_config *cfg = NULL;
	git_config_iterator *it = NULL;
	git_config_entry *e;
	struct strbuf p = STRBUF_INIT;
	int rc = 0;

	memset(st, 0, sizeof(*st));
	strbuf_addf(&p, "%s/" STATE_FILE, store);
	if (access(p.buf, F_OK) < 0)
		goto cleanup;
	if (git_config_open_ondisk(&cfg, p.buf) < 0 ||
	    git_config_iterator_new(&it, cfg) < 0) {
		const git_error *ge = git_error_last();

		util_seterr("%s: %s", p.buf, ge ? ge->message : "unreadable");
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
	strbuf_release(&p);
	return rc;
}

/* A git-config value: quoted, with \\, \", \n, \t escaped, no other controls. */
static void
quote(struct strbuf *sb, const char *s)
{
	strbuf_addch(sb, '"');
	for (; *s; s++) {
		switch (*s) {
		case '\\': strbuf_addstr(sb, "\\\\"); break;
		case '"': strbuf_addstr(sb, "\\\""); break;
		case '\n': strbuf_addstr(sb, "\\n"); break;
		case '\t': strbuf_addstr(sb, "\\t"); break;
		default:
			if ((unsigned char)*s >= ' ' && *s != 0x7f)
				strbuf_addch(sb, *s);
		}
	}
	strbuf_addch(sb, '"');
}

int
state_save(const char *store, const struct state *st)
{
	struct strbuf out = STRBUF_INIT, p = STRBUF_INIT;
	size_t i;
	int rc;

	strbuf_addstr(&out, "# clausewatch fetch state; rewritten by every run\n");
	for (i = 0; i < st->n; i++) {
		const struct state_doc *d = &st->v[i];

		/* ids are validated ([a-z0-9._-/]) so they need no escaping */
		strbuf_addf(&out, "[doc \"%s\"]\n", d->id);
		if (d->etag) {
			strbuf_addstr(&out, "\tetag = ");
			quote(&out, d->etag);
			strbuf_addch(&out, '\n');
		}
		if (d->last_modified) {
			strbuf_addstr(&out, "\tlast-modified = ");
			quote(&out, d->last_modified);
			strbuf_addch(&out, '\n');
		}
		strbuf_addf(&out, "\tlast-ok = %lld\n\tlast-try = %lld\n"
		    "\tfailures = %d\n\tshrunk = %d\n\talerted = %d\n",
		    (long long)d->last_ok, (long long)d->last_try, d->failures,
		    d->shrunk, d->alerted);
		if (d->config) {
			strbuf_addstr(&out, "\tconfig = ");
			quote(&out, d->config);
			strbuf_addch(&out, '\n');
		}
		if (d->raw)
			strbuf_addf(&out, "\traw = %s\n", d->raw);
		if (d->text)
			strbuf_addf(&out, "\ttext = %s\n", d->text);
		if (d->last_error) {
			strbuf_addstr(&out, "\tlast-error = ");
			quote(&out, d->last_error);
			strbuf_addch(&out, '\n');
		}
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

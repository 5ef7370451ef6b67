/* Open Terms Archive declarations -> watchlist entries.
 *
 * Declarations are data from outside: every string may hold quotes,
 * newlines or comment characters, so values are quoted for git-config
 * and everything written into a comment line is flattened to one line.
 * Selectors are checked with the same translator the fetch uses, so that
 * what is imported also passes `clausewatch check`. */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "cli.h"
#include "date.h"
#include "normalize.h"
#include "ota.h"
#include "text.h"
#include "util.h"
#include "watchlist.h"

#define DECL_CAP (8u << 20)	/* a declaration is a few KB */

void
ota_init(struct ota *o)
{
	o->ids = NULL;
	o->nids = 0;
}

void
ota_free(struct ota *o)
{
	util_strv_free(o->ids, o->nids);
	ota_init(o);
}

/* ------------------------------------------------------------------ */
/* Ids and values                                                       */

/* Latin-1 Supplement and Latin Extended-A letters -> ASCII into buf;
 * NULL for the rest. */
static const char *
translit(uint32_t c, char buf[2])
{
	static const char sup[] =	/* U+00C0..U+00FF, '*' = special */
	    "aaaaaa*ceeeeiiiidnooooo-ouuuuy**aaaaaa*ceeeeiiiidnooooo-ouuuuy*y";
	static const char exta[] =	/* U+0100..U+017F */
	    "aaaaaaccccccccddddeeeeeeeeeegggggggghhhhiiiiiiiiii**jjkkk"
	    "llllllllllnnnnnnnnnoooooo**rrrrrrssssssssttttttuuuuuuuuuuuu"
	    "wwyyyzzzzzzs";

	switch (c) {
	case 0xC6: case 0xE6: return "ae";
	case 0xDE: case 0xFE: return "th";
	case 0xDF: return "ss";
	case 0x132: case 0x133: return "ij";
	case 0x152: case 0x153: return "oe";
	}
	if (c >= 0xC0 && c <= 0xFF)
		buf[0] = sup[c - 0xC0];
	else if (c >= 0x100 && c <= 0x17F)
		buf[0] = exta[c - 0x100];
	else
		return NULL;
	buf[1] = '\0';
	return buf[0] == '-' ? NULL : buf;
}

void
ota_id_part(const char *name, struct strbuf *out)
{
	size_t start = out->len, n = strlen(name), i = 0;
	ucs4_t c;
	const char *t;
	char tb[2];

	while (i < n) {
		/* bad bytes decode as U+FFFD, which is dropped */
		i += text_u8_next(name + i, n - i, &c, NULL);
		if (c >= 'A' && c <= 'Z')
			c += 'a' - 'A';
		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    c == '_') {
			strbuf_addch(out, (int)c);
		} else if (c == ' ' || c == '\t' || c == '-' || c == 0xA0) {
			/* one '-' for a run of blanks and dashes */
			if (out->len > start && out->buf[out->len - 1] != '-')
				strbuf_addch(out, '-');
		} else if (c == '.') {
			if (out->len > start && out->buf[out->len - 1] != '.' &&
			    out->buf[out->len - 1] != '-')
				strbuf_addch(out, '.');
		} else if ((t = translit(c, tb)) != NULL) {
			strbuf_addstr(out, t);
		}
	}
	while (out->len > start && (out->buf[out->len - 1] == '-' ||
	    out->buf[out->len - 1] == '.'))
		strbuf_setlen(out, out->len - 1);
}

void
ota_config_value(const char *s, struct strbuf *out)
{
	size_t n = strlen(s);
	const char *p;
	int quote = n && (s[0] == ' ' || s[0] == '\t' || s[n - 1] == ' ' ||
	    s[n - 1] == '\t');

	for (p = s; *p && !quote; p++)
		quote = *p == '"' || *p == '\\' || *p == '#' || *p == ';' ||
		    (unsigned char)*p < 0x20 || *p == 0x7F;
	if (!quote) {
		strbuf_addstr(out, s);
		return;
	}
	strbuf_addch(out, '"');
	for (p = s; *p; p++) {
		switch (*p) {
		case '"': strbuf_addstr(out, "\\\""); break;
		case '\\': strbuf_addstr(out, "\\\\"); break;
		case '\n': strbuf_addstr(out, "\\n"); break;
		case '\t': strbuf_addstr(out, "\\t"); break;
		case '\b': strbuf_addstr(out, "\\b"); break;
		default:
			/* git-config has no escape for the others */
			if ((unsigned char)*p < 0x20 || *p == 0x7F)
				strbuf_addch(out, ' ');
			else
				strbuf_addch(out, *p);
		}
	}
	strbuf_addch(out, '"');
}

/* Outside text on one line (a comment or a message): control
 * characters -> ' '. */
static void
add_flat(struct strbuf *out, const char *s)
{
	for (; *s; s++)
		strbuf_addch(out, (unsigned char)*s < 0x20 || *s == 0x7F ?
		    ' ' : *s);
}

/* ------------------------------------------------------------------ */
/* One document                                                         */

struct doc {
	const char *service, *type;	/* names as declared */
	struct strbuf entry;		/* the key lines */
	struct strbuf comments;		/* "# unsupported: ..." lines */
	struct strbuf *notes;
	int partial;
	int dropped;			/* a selector was dropped */
};

static void
unsupported(struct doc *d, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void
unsupported(struct doc *d, const char *fmt, ...)
{
	struct strbuf msg = STRBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	strbuf_vaddf(&msg, fmt, ap);
	va_end(ap);
	strbuf_addstr(d->notes, "import-ota ");
	add_flat(d->notes, d->service);
	strbuf_addch(d->notes, '/');
	add_flat(d->notes, d->type);
	strbuf_addstr(d->notes, ": ");
	add_flat(d->notes, msg.buf);
	strbuf_addch(d->notes, '\n');
	strbuf_addstr(&d->comments, "# unsupported: ");
	add_flat(&d->comments, msg.buf);
	strbuf_addch(&d->comments, '\n');
	d->partial = 1;
	strbuf_release(&msg);
}

/* A JSON value, short, for messages (malloc'd). */
static char *
show(json_t *v)
{
	char *s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);

	if (!s)
		return xstrdup("?");
	if (strlen(s) > 120)
		strcpy(s + 117, "...");
	return s;
}

/* A range object -> range(...); NULL with why set when it is not one. */
static char *
range_value(json_t *obj, struct strbuf *why)
{
	static const char *const keys[] = { "startBefore", "startAfter",
	    "endBefore", "endAfter" };
	const char *point[4] = { NULL, NULL, NULL, NULL }, *k;
	struct strbuf r = STRBUF_INIT;
	json_t *v;
	size_t i;

	json_object_foreach(obj, k, v) {
		for (i = 0; i < 4; i++)
			if (!strcmp(k, keys[i]))
				break;
		if (i == 4) {
			strbuf_addf(why, "key '%s' in a range", k);
			return NULL;
		}
		if (!json_is_string(v) || !*json_string_value(v)) {
			strbuf_addf(why, "%s is not a selector", k);
			return NULL;
		}
		point[i] = json_string_value(v);
	}
	if (!point[0] == !point[1]) {
		strbuf_addstr(why, point[0] ? "a range with two starts" :
		    "a range without startBefore or startAfter");
		return NULL;
	}
	if (point[2] && point[3]) {
		strbuf_addstr(why, "a range with two ends");
		return NULL;
	}
	i = point[0] ? 0 : 1;
	strbuf_addf(&r, "range(%s: %s", keys[i], point[i]);
	i = point[2] ? 2 : point[3] ? 3 : 4;
	if (i < 4)
		strbuf_addf(&r, "; %s: %s", keys[i], point[i]);
	strbuf_addch(&r, ')');
	return strbuf_detach(&r, NULL);
}

/* One selector (string or range object) -> v, or a note. */
static void
selector(struct doc *d, const char *key, json_t *v, char ***out, size_t *n)
{
	struct strbuf why = STRBUF_INIT, xp = STRBUF_INIT;
	char *sel = NULL, *s;

	if (json_is_string(v))
		sel = xstrdup(json_string_value(v));
	else if (json_is_object(v))
		sel = range_value(v, &why);
	else
		strbuf_addstr(&why, "not a selector");
	if (sel && normalize_css_to_xpath(sel, &xp) < 0)
		strbuf_addstr(&why, util_err());
	if (why.len) {
		s = sel ? xstrdup(sel) : show(v);
		unsupported(d, "%s %s not supported (%s), dropped", key, s,
		    why.buf);
		d->dropped = 1;
		free(s);
	} else {
		util_strv_push(out, n, sel);
		sel = NULL;
	}
	free(sel);
	strbuf_release(&why);
	strbuf_release(&xp);
}

static void
selectors(struct doc *d, const char *key, json_t *v, char ***out, size_t *n)
{
	size_t i;
	json_t *e;

	if (!v)
		return;
	if (json_is_array(v)) {
		json_array_foreach(v, i, e)
			selector(d, key, e, out, n);
	} else {
		selector(d, key, v, out, n);
	}
}

/* filter: ["name", {"name": params}...] -> "[name, name]". */
static void
filter_names(json_t *v, struct strbuf *out)
{
	json_t *e, *x;
	const char *k;
	size_t i;

	strbuf_addch(out, '[');
	if (!json_is_array(v)) {
		char *s = show(v);

		strbuf_addstr(out, s);
		free(s);
	} else {
		json_array_foreach(v, i, e) {
			if (i)
				strbuf_addstr(out, ", ");
			if (json_is_string(e)) {
				strbuf_addstr(out, json_string_value(e));
			} else if (json_is_object(e)) {
				int first = 1;

				json_object_foreach(e, k, x) {
					strbuf_addf(out, "%s%s", first ? "" :
					    ", ", k);
					first = 0;
				}
			} else {
				char *s = show(e);

				strbuf_addstr(out, s);
				free(s);
			}
		}
	}
	strbuf_addch(out, ']');
}

static int
url_ok(const char *u)
{
	const char *p;

	if (strncmp(u, "https://", 8) && strncmp(u, "http://", 7))
		return 0;
	for (p = u; *p; p++)
		if ((unsigned char)*p <= ' ' || *p == 0x7F)
			return 0;
	return 1;
}

/* The document's source: fetch (a URL, or an array = several pages), or
 * combine (several {fetch, select...} sources).  Only one page can be
 * watched: the first, and the rest is reported.  *src is the object whose
 * select/remove apply (the combine element, else decl). */
static const char *
source(struct doc *d, json_t *decl, json_t **src)
{
	json_t *fetch = json_object_get(decl, "fetch");
	json_t *comb = json_object_get(decl, "combine"), *e;
	struct strbuf rest = STRBUF_INIT;
	const char *url = NULL;
	size_t i;

	*src = decl;
	if (comb && json_is_array(comb) && json_array_size(comb) &&
	    json_is_object(json_array_get(comb, 0))) {
		*src = json_array_get(comb, 0);
		fetch = json_object_get(*src, "fetch");
		if (!fetch)
			fetch = json_object_get(decl, "fetch");
		json_array_foreach(comb, i, e)
			if (i && json_is_object(e) &&
			    json_is_string(json_object_get(e, "fetch")))
				strbuf_addf(&rest, "%s%s", rest.len ? ", " : "",
				    json_string_value(json_object_get(e,
				    "fetch")));
		unsupported(d, "combined from %zu sources, only the first is "
		    "watched; dropped: %s", json_array_size(comb),
		    rest.len ? rest.buf : "(sources without fetch)");
	} else if (comb) {
		unsupported(d, "combine is not an array of sources, ignored");
	}
	if (json_is_array(fetch)) {
		json_array_foreach(fetch, i, e)
			if (i && json_is_string(e))
				strbuf_addf(&rest, "%s%s", rest.len ? ", " : "",
				    json_string_value(e));
		if (json_array_size(fetch) > 1)
			unsupported(d, "fetch of %zu pages, only the first is "
			    "watched; dropped: %s", json_array_size(fetch),
			    rest.buf);
		fetch = json_array_get(fetch, 0);
	}
	if (json_is_string(fetch))
		url = json_string_value(fetch);
	strbuf_release(&rest);
	return url;
}

void
ota_doc_release(struct ota_doc *od)
{
	free(od->id);
	free(od->url);
	util_strv_free(od->select, od->nselect);
	util_strv_free(od->remove, od->nremove);
	memset(od, 0, sizeof(*od));
}

/* Everything about decl that is not its source or selectors: notes. */
static void
other_keys(struct doc *d, json_t *decl)
{
	static const char *const known[] = { "fetch", "select", "remove",
	    "filter", "executeClientScripts", "combine", "validUntil", NULL };
	const char *k;
	json_t *v;
	size_t i;

	if ((v = json_object_get(decl, "filter")) != NULL) {
		struct strbuf names = STRBUF_INIT;

		filter_names(v, &names);
		unsupported(d, "custom filters %s not supported, dropped",
		    names.buf);
		strbuf_release(&names);
	}
	if (json_is_true(json_object_get(decl, "executeClientScripts")))
		unsupported(d, "executeClientScripts not supported (the page "
		    "is fetched without running its scripts)");
	json_object_foreach(decl, k, v) {
		for (i = 0; known[i]; i++)
			if (!strcmp(k, known[i]))
				break;
		if (!known[i])
			unsupported(d, "key '%s' not supported, ignored", k);
	}
}

/* decl -> od: the one reading of a declaration, for import-ota and
 * replay; notes (d) say what is not carried over. -1 when the document
 * cannot be watched (a note says why). With o, an id o already took is
 * refused. */
static int
read_doc(struct ota *o, struct doc *d, json_t *decl, struct ota_doc *od)
{
	struct strbuf id = STRBUF_INIT;
	json_t *src;
	const char *url;

	memset(od, 0, sizeof(*od));
	if (!json_is_object(decl)) {
		unsupported(d, "not a document declaration (an object), "
		    "not imported");
		return -1;
	}
	ota_id_part(d->service, &id);
	strbuf_addch(&id, '/');
	ota_id_part(d->type, &id);
	od->id = strbuf_detach(&id, NULL);
	if (!watchlist_id_ok(od->id)) {
		unsupported(d, "no usable id ('%s'), not imported", od->id);
		goto fail;
	}
	if (o && util_strv_has(o->ids, o->nids, od->id)) {
		unsupported(d, "id '%s' already taken by another "
		    "declaration, not imported", od->id);
		goto fail;
	}
	url = source(d, decl, &src);
	if (!url) {
		unsupported(d, "no fetch URL, not imported");
		goto fail;
	}
	if (!url_ok(url)) {
		unsupported(d, "fetch '%s' is not an http(s) URL, not imported",
		    url);
		goto fail;
	}
	od->url = xstrdup(url);
	/* shared selectors of a combined document, then the source's own */
	selectors(d, "select", json_object_get(decl, "select"), &od->select, &od->nselect);
	if (src != decl)
		selectors(d, "select", json_object_get(src, "select"), &od->select,
		    &od->nselect);
	selectors(d, "remove", json_object_get(decl, "remove"), &od->remove, &od->nremove);
	if (src != decl)
		selectors(d, "remove", json_object_get(src, "remove"), &od->remove,
		    &od->nremove);
	od->dropped = d->dropped;
	other_keys(d, decl);
	return 0;
fail:
	ota_doc_release(od);
	return -1;
}

/* decl -> d->entry / d->comments; the id (malloc'd) or NULL when the
 * document cannot be a watchlist entry (the note says why). */
static char *
document(struct ota *o, struct doc *d, json_t *decl)
{
	struct ota_doc od;
	struct strbuf t = STRBUF_INIT;
	char *id;
	size_t i;

	if (read_doc(o, d, decl, &od) < 0)
		return NULL;
	strbuf_addstr(&d->entry, "\turl = ");
	ota_config_value(od.url, &d->entry);	/* '#' and ';' are comments unquoted */
	strbuf_addstr(&d->entry, "\n\ttitle = ");
	add_flat(&t, d->service);
	strbuf_addch(&t, ' ');
	add_flat(&t, d->type);
	ota_config_value(t.buf, &d->entry);
	strbuf_addch(&d->entry, '\n');
	for (i = 0; i < od.nselect; i++) {
		strbuf_addstr(&d->entry, "\tselect = ");
		ota_config_value(od.select[i], &d->entry);
		strbuf_addch(&d->entry, '\n');
	}
	for (i = 0; i < od.nremove; i++) {
		strbuf_addstr(&d->entry, "\tremove = ");
		ota_config_value(od.remove[i], &d->entry);
		strbuf_addch(&d->entry, '\n');
	}
	util_strv_push(&o->ids, &o->nids, xstrdup(od.id));
	id = od.id;
	od.id = NULL;
	ota_doc_release(&od);
	strbuf_release(&t);
	return id;
}

/* ------------------------------------------------------------------ */
/* A declaration file                                                   */

static const char *
base_name(const char *path)
{
	const char *s = strrchr(path, '/');

	return s ? s + 1 : path;
}

static int
ends_with(const char *s, const char *suf)
{
	size_t n = strlen(s), k = strlen(suf);

	return n >= k && !strcmp(s + n - k, suf);
}

/* The declaration's keys other than name and terms: a note and a comment
 * each; 1 when there was one. */
static int
root_keys(json_t *root, const char *service, struct strbuf *body, struct strbuf *nb)
{
	const char *k;
	json_t *v;
	int partial = 0;

	json_object_foreach(root, k, v) {
		if (strcmp(k, "name") && strcmp(k, "terms") &&
		    strcmp(k, "$schema")) {
			/* keys are outside text too: flattened like the rest */
			strbuf_addstr(nb, "import-ota ");
			add_flat(nb, service);
			strbuf_addstr(nb, ": key '");
			add_flat(nb, k);
			strbuf_addstr(nb, "' not supported, ignored\n");
			strbuf_addstr(body, "# unsupported: key '");
			add_flat(body, k);
			strbuf_addstr(body, "' ignored\n");
			partial = 1;
		}
	}
	return partial;
}

/* A declaration file's JSON; -1 with util_err ("FILE:LINE:COLUMN: why"). */
static int
load_json(const char *path, json_t **root)
{
	struct strbuf raw = STRBUF_INIT;
	json_error_t err;
	int error = 0;

	*root = NULL;
	if ((error = util_read_file(path, DECL_CAP, &raw)) < 0)
		goto cleanup;
	if (!(*root = json_loadb(raw.buf, raw.len, JSON_REJECT_DUPLICATES, &err))) {
		util_seterr("%s:%d:%d: %s", path, err.line, err.column, err.text);
		error = -1;
	}
cleanup:
	strbuf_release(&raw);
	return error;
}

int
ota_import_file(struct ota *o, const char *path, struct strbuf *out,
    struct strbuf *notes)
{
	struct strbuf body = STRBUF_INIT, nb = STRBUF_INIT;
	struct strbuf fname = STRBUF_INIT;
	json_t *root = NULL, *terms, *v;
	const char *service, *k;
	size_t nids = o->nids;
	int r = -1, partial = 0;

	if (ends_with(path, ".history.json")) {
		strbuf_addstr(notes, "import-ota ");
		add_flat(notes, path);
		strbuf_addstr(notes, ": earlier declarations (with validUntil), "
		    "skipped: the current ones are in the file without "
		    ".history\n");
		return OTA_SKIPPED;
	}
	if (load_json(path, &root) < 0)
		goto cleanup;
	terms = json_object_get(root, "terms");
	if (!json_is_object(root) || !json_is_object(terms)) {
		util_seterr("%s: not an Open Terms Archive declaration (no "
		    "\"terms\" object)", path);
		goto cleanup;
	}
	if (json_is_string(json_object_get(root, "name"))) {
		service = json_string_value(json_object_get(root, "name"));
	} else {
		/* the file is named after the service */
		strbuf_addstr(&fname, base_name(path));
		if (ends_with(fname.buf, ".json"))
			strbuf_setlen(&fname, fname.len - 5);
		service = fname.buf;
	}
	strbuf_addstr(&body, "\n# ");
	add_flat(&body, service);
	strbuf_addstr(&body, ", from the Open Terms Archive declaration ");
	add_flat(&body, base_name(path));
	strbuf_addch(&body, '\n');
	partial = root_keys(root, service, &body, &nb);
	json_object_foreach(terms, k, v) {
		struct doc d;
		char *id;

		memset(&d, 0, sizeof(d));
		d.service = service;
		d.type = k;
		d.notes = &nb;
		id = document(o, &d, v);
		strbuf_addch(&body, '\n');
		strbuf_add(&body, d.comments.buf, d.comments.len);
		if (id) {
			strbuf_addf(&body, "[document \"%s\"]\n", id);
			strbuf_add(&body, d.entry.buf, d.entry.len);
		}
		partial |= d.partial;
		free(id);
		strbuf_release(&d.entry);
		strbuf_release(&d.comments);
	}
	strbuf_add(out, body.buf, body.len);
	strbuf_add(notes, nb.buf, nb.len);
	r = partial ? OTA_PARTIAL : OTA_OK;
cleanup:
	if (r < 0) {
		/* the ids of this file were not written */
		while (o->nids > nids)
			free(o->ids[--o->nids]);
	}
	json_decref(root);
	strbuf_release(&body);
	strbuf_release(&nb);
	strbuf_release(&fname);
	return r;
}

void
ota_docs_free(struct ota_doc *v, size_t n)
{
	while (n)
		ota_doc_release(&v[--n]);
	free(v);
}

static int
until_cmp(const void *a, const void *b)
{
	const struct ota_doc *x = a, *y = b;

	return (x->valid_until > y->valid_until) - (x->valid_until < y->valid_until);
}

/* One declaration of service/type into od; -1 when it cannot be watched. */
static int
read_one(const char *service, const char *type, json_t *decl, struct strbuf *notes,
    struct ota_doc *od)
{
	struct doc d;
	int error;

	memset(&d, 0, sizeof(d));
	d.service = service;
	d.type = type;
	d.notes = notes;
	error = read_doc(NULL, &d, decl, od);
	strbuf_release(&d.entry);
	strbuf_release(&d.comments);
	return error;
}

int
ota_read_doc(const char *dir, const char *file, const char *type,
    struct ota_doc **v, size_t *n, struct strbuf *notes)
{
	struct strbuf path = STRBUF_INIT;
	json_t *root = NULL, *hist = NULL, *cur, *arr, *e, *name;
	const char *service = file, *vu;
	size_t i;
	int error = -1;

	*v = NULL;
	*n = 0;
	strbuf_addf(&path, "%s/%s.json", dir, file);
	if (load_json(path.buf, &root) < 0)
		goto cleanup;
	if (json_is_string(name = json_object_get(root, "name")))
		service = json_string_value(name);
	if (!(cur = json_object_get(json_object_get(root, "terms"), type))) {
		util_seterr("no declaration of '%s' in %s", type, path.buf);
		goto cleanup;
	}
	strbuf_reset(&path);
	strbuf_addf(&path, "%s/%s.history.json", dir, file);
	if (access(path.buf, F_OK) == 0 && load_json(path.buf, &hist) < 0)
		goto cleanup;
	arr = json_object_get(hist, type);
	*v = xcalloc(json_array_size(arr) + 1, sizeof(**v));
	json_array_foreach(arr, i, e) {
		vu = json_string_value(json_object_get(e, "validUntil"));
		if (read_one(service, type, e, notes, &(*v)[*n]) < 0 || !vu ||
		    date_parse_time(vu, &(*v)[*n].valid_until) < 0 ||
		    (*v)[*n].valid_until <= 0) {
			ota_doc_release(&(*v)[*n]);
			util_seterr("%s: bad history entry for '%s'", path.buf, type);
			goto cleanup;
		}
		(*n)++;
	}
	qsort(*v, *n, sizeof(**v), until_cmp);
	if (read_one(service, type, cur, notes, &(*v)[*n]) < 0) {
		util_seterr("%s/%s.json: '%s' cannot be watched", dir, file, type);
		goto cleanup;
	}
	(*v)[(*n)++].valid_until = 0;
	error = 0;
cleanup:
	if (error < 0) {
		ota_docs_free(*v, *n);
		*v = NULL;
		*n = 0;
	}
	json_decref(root);
	json_decref(hist);
	strbuf_release(&path);
	return error;
}

int
cli_import_ota(struct cli *c, int argc, char **argv)
{
	struct ota o;
	struct strbuf out = STRBUF_INIT, notes = STRBUF_INIT;
	int i, r, rc = 0;

	(void)c;
	if (argc < 2 || argv[1][0] == '-') {
		cli_usage("import-ota");
		return 2;
	}
	ota_init(&o);
	strbuf_addstr(&out, "# Imported by clausewatch import-ota from Open "
	    "Terms Archive declarations\n# (opentermsarchive.org, ODC-BY 1.0: "
	    "attribute Open Terms Archive).\n");
	for (i = 1; i < argc; i++) {
		if ((r = ota_import_file(&o, argv[i], &out, &notes)) < 0) {
			fputs(notes.buf, stderr);
			fprintf(stderr, "clausewatch: import-ota %s\n",
			    util_err());
			rc = 2;
			goto cleanup;
		}
		if (r == OTA_PARTIAL)
			rc = 1;
	}
	fputs(notes.buf, stderr);
	fwrite(out.buf, 1, out.len, stdout);
	if (fflush(stdout) == EOF || ferror(stdout)) {
		fprintf(stderr, "clausewatch: import-ota: cannot write the "
		    "output\n");
		rc = 2;
	}
cleanup:
	ota_free(&o);
	strbuf_release(&out);
	strbuf_release(&notes);
	return rc;
}

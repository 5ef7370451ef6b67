/* Watchlist loading. libgit2 parses (git-config syntax); we only validate.
 * libgit2 does not report line numbers for entries, so locate_line() finds
 * the line of a key in the file text for the error message. */
#include <ctype.h>
#include <errno.h>
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <git2.h>

#include "judge.h"
#include "mime.h"
#include "normalize.h"
#include "text.h"
#include "util.h"
#include "watchlist.h"

struct loader {
	struct watchlist *wl;
	struct strbuf *errors;
	const char *file;
	struct strbuf text;	/* the file, to locate lines */
	int nerr;
	char *badid;		/* last invalid document id reported */
	/* team names used by documents, with where, checked at the end */
	char **used;
	char **used_where;
	size_t nused;
	/* documents by id while loading: index + 1, 0 empty; a power of two */
	size_t *slot, nslot, adoc;
};

/* Line of the occurrence-th "key" in [section "sub"]; 0 when not found. */
static int
locate_line(const char *text, const char *section, const char *sub,
    const char *key, int occurrence)
{
	const char *p = text, *e;
	int line = 0, in = 0, seen = 0;
	size_t slen = strlen(section), klen = key ? strlen(key) : 0;

	for (; *p; p = *e ? e + 1 : e) {
		const char *s;

		e = strchr(p, '\n');
		if (!e)
			e = p + strlen(p);
		line++;
		for (s = p; s < e && isspace((unsigned char)*s); s++)
			;
		if (s < e && *s == '[') {
			const char *q = s + 1, *close = memchr(s, ']', (size_t)(e - s));

			in = 0;
			if (!close || (size_t)(close - q) < slen ||
			    strncasecmp(q, section, slen))
				continue;
			q += slen;
			if (!sub) {
				in = q == close;
			} else if (*q == ' ' || *q == '.') {
				const char *b = q + 1, *end = close;

				while (b < end && (*b == ' ' || *b == '"'))
					b++;
				while (end > b && (end[-1] == '"' || end[-1] == ' '))
					end--;
				in = (size_t)(end - b) == strlen(sub) &&
				    !strncmp(b, sub, (size_t)(end - b));
			}
			if (in && !key)
				return line;
			continue;
		}
		if (in && key && (size_t)(e - s) >= klen && !strncasecmp(s, key, klen) &&
		    (s + klen == e || s[klen] == '=' || isspace((unsigned char)s[klen])))
			if (++seen >= occurrence)
				return line;
	}
	return 0;
}

static void
error(struct loader *ld, const char *section, const char *sub, const char *key,
    int occ, const char *fmt, ...) __attribute__((format(printf, 6, 7)));

static void
error(struct loader *ld, const char *section, const char *sub, const char *key,
    int occ, const char *fmt, ...)
{
	va_list ap;
	int line = locate_line(ld->text.buf, section, sub, key, occ);

	if (!line && key)
		line = locate_line(ld->text.buf, section, sub, NULL, 1);
	if (line)
		strbuf_addf(ld->errors, "%s:%d: ", ld->file, line);
	else
		strbuf_addf(ld->errors, "%s: ", ld->file);
	va_start(ap, fmt);
	strbuf_vaddf(ld->errors, fmt, ap);
	va_end(ap);
	strbuf_addch(ld->errors, '\n');
	ld->nerr++;
}

int
watchlist_id_ok(const char *id)
{
	const char *p, *slash = NULL;

	if (!*id || strlen(id) > 200)
		return 0;
	for (p = id; *p; p++) {
		if (*p == '/') {
			if (slash)
				return 0;
			slash = p;
		} else if (!(islower((unsigned char)*p) || isdigit((unsigned char)*p) ||
		    *p == '.' || *p == '_' || *p == '-')) {
			return 0;
		}
	}
	/* no empty part, no part that is "." or starts with "." (.., .git) */
	if (id[0] == '/' || id[0] == '.' || p[-1] == '/' || p[-1] == '.')
		return 0;
	if (slash && (slash[1] == '.' || slash[-1] == '.'))
		return 0;
	/* a part starting with '-' reads as an option to clausewatch and git */
	if (id[0] == '-' || (slash && slash[1] == '-'))
		return 0;
	if (strstr(id, ".."))
		return 0;
	return 1;
}

/* A team named at line of the current file: checked at the end. */
static void
use_team(struct loader *ld, const char *name, int line)
{
	struct strbuf w = STRBUF_INIT;

	ld->used = xrealloc(ld->used, (ld->nused + 1) * sizeof(char *));
	ld->used_where = xrealloc(ld->used_where, (ld->nused + 1) * sizeof(char *));
	ld->used[ld->nused] = xstrdup(name);
	strbuf_addf(&w, "%s:%d", ld->file, line);
	ld->used_where[ld->nused++] = strbuf_detach(&w, NULL);
}

static size_t
slot_of(const char *id, size_t nslot)
{
	return text_hash32(TEXT_HASH32_INIT, id, strlen(id)) & (nslot - 1);
}

static void
slot_add(struct loader *ld, const char *id, size_t idx)
{
	size_t k;

	for (k = slot_of(id, ld->nslot); ld->slot[k]; k = (k + 1) & (ld->nslot - 1))
		;
	ld->slot[k] = idx + 1;
}

static struct watchlist_doc *
get_doc(struct loader *ld, const char *id, int *fresh)
{
	struct watchlist *wl = ld->wl;
	size_t i;

	*fresh = 0;
	/* a section's keys come one after another: try the last one first */
	if (wl->ndoc && !strcmp(wl->doc[wl->ndoc - 1].id, id))
		return &wl->doc[wl->ndoc - 1];
	for (i = ld->nslot ? slot_of(id, ld->nslot) : 0; ld->nslot && ld->slot[i];
	    i = (i + 1) & (ld->nslot - 1))
		if (!strcmp(wl->doc[ld->slot[i] - 1].id, id))
			return &wl->doc[ld->slot[i] - 1];
	if (2 * (wl->ndoc + 1) > ld->nslot) {
		free(ld->slot);
		ld->nslot = ld->nslot ? 2 * ld->nslot : 64;
		ld->slot = xcalloc(ld->nslot, sizeof(*ld->slot));
		for (i = 0; i < wl->ndoc; i++)
			slot_add(ld, wl->doc[i].id, i);
	}
	slot_add(ld, id, wl->ndoc);
	ALLOC_GROW(wl->doc, wl->ndoc + 1, ld->adoc);
	memset(&wl->doc[wl->ndoc], 0, sizeof(*wl->doc));
	wl->doc[wl->ndoc].id = xstrdup(id);
	wl->doc[wl->ndoc].file = xstrdup(ld->file);
	*fresh = 1;
	return &wl->doc[wl->ndoc++];
}

static struct watchlist_team *
get_team(struct watchlist *wl, const char *name)
{
	size_t i;

	for (i = 0; i < wl->nteam; i++)
		if (!strcmp(wl->team[i].name, name))
			return &wl->team[i];
	wl->team = xrealloc(wl->team, (wl->nteam + 1) * sizeof(*wl->team));
	memset(&wl->team[wl->nteam], 0, sizeof(*wl->team));
	wl->team[wl->nteam].name = xstrdup(name);
	return &wl->team[wl->nteam++];
}

static void
set_once(struct loader *ld, char **dst, const char *sec, const char *sub,
    const char *key, const char *val)
{
	if (*dst) {
		error(ld, sec, sub, key, 2, "%s given twice", key);
		return;
	}
	*dst = xstrdup(val);
}

static int
parse_uint(const char *s, long max, long *out)
{
	char *end;
	long v, mult = 1;

	if (!*s || !isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	v = strtol(s, &end, 10);
	if (*end == 'k' || *end == 'K') { mult = 1024; end++; }
	else if (*end == 'm' || *end == 'M') { mult = 1024 * 1024; end++; }
	if (*end || errno || v < 0 || v > max / mult)
		return -1;
	v *= mult;
	*out = v;
	return 0;
}

static int
url_ok(const char *url)
{
	const char *p;

	if (!strncasecmp(url, "http://", 7) || !strncasecmp(url, "https://", 8) ||
	    !strncasecmp(url, "file://", 7)) {
		for (p = url; *p; p++)
			if ((unsigned char)*p <= ' ' || *p == 0x7f)
				return 0;
		return 1;
	}
	return 0;
}


/* render = chromium | none; where it is said, for `check`. */
static void
render_key(struct loader *ld, const char *sec, const char *sub, const char *val,
    int *render, char **where)
{
	struct strbuf w = STRBUF_INIT;

	if (!strcmp(val, "chromium"))
		*render = 1;
	else if (!strcmp(val, "none"))
		*render = 0;
	else {
		error(ld, sec, sub, "render", 1, "render is 'chromium' or 'none', not '%s'", val);
		return;
	}
	strbuf_addf(&w, "%s:%d", ld->file, locate_line(ld->text.buf, sec, sub, "render", 1));
	free(*where);
	*where = strbuf_detach(&w, NULL);
}

static int
has_control(const char *s)
{
	for (; *s; s++)
		if (iscntrl((unsigned char)*s))
			return 1;
	return 0;
}

static void
doc_key(struct loader *ld, const char *id, const char *key, const char *val,
    int *occ_select, int *occ_remove)
{
	struct watchlist_doc *d;
	int fresh;

	if (!watchlist_id_ok(id)) {
		/* once per section: its entries come one after another */
		if (ld->badid && !strcmp(ld->badid, id))
			return;
		free(ld->badid);
		ld->badid = xstrdup(id);
		error(ld, "document", id, NULL, 1,
			    "document id '%s' is not valid: lower-case letters, digits, "
			    "'.', '_', '-' (not first), at most one '/', no '..'", id);
		return;
	}
	d = get_doc(ld, id, &fresh);
	if (!fresh && strcmp(d->file, ld->file) && !strcmp(key, "url")) {
		error(ld, "document", id, NULL, 1, "document '%s' is also defined in %s",
		    id, d->file);
		return;
	}
	if (!val || !*val) {
		/* git-config reads '#' and ';' as comments: "select = #terms" is empty */
		error(ld, "document", id, key, 1, "%s needs a value (quote values that "
		    "start with '#' or contain ';': %s = \"#terms\")", key, key);
		return;
	}
	if (!strcmp(key, "url")) {
		if (!url_ok(val))
			error(ld, "document", id, key, 1,
			    "url '%s': only http, https and file URLs are watched", val);
		set_once(ld, &d->url, "document", id, key, val);
	} else if (!strcmp(key, "title")) {
		/* it becomes a commit subject and a mail subject: one line */
		if (has_control(val))
			error(ld, "document", id, key, 1, "title holds a control "
			    "character (a line break?): it must be one line");
		set_once(ld, &d->title, "document", id, key, val);
	} else if (!strcmp(key, "select")) {
		(*occ_select)++;
		util_strv_push(&d->select, &d->nselect, xstrdup(val));
	} else if (!strcmp(key, "remove")) {
		(*occ_remove)++;
		util_strv_push(&d->remove, &d->nremove, xstrdup(val));
	} else if (!strcmp(key, "team")) {
		util_strv_push(&d->team, &d->nteam, xstrdup(val));
		use_team(ld, val, locate_line(ld->text.buf, "document", id, "team",
		    (int)d->nteam));
	} else if (!strcmp(key, "render")) {
		render_key(ld, "document", id, val, &d->render, &d->render_where);
	} else if (!strcmp(key, "material")) {
		char *copy = xstrdup(val), *tok, *save = NULL;

		for (tok = strtok_r(copy, ", ", &save); tok; tok = strtok_r(NULL, ", ", &save)) {
			int c = judge_category_parse(tok);

			if (c < 0)
				error(ld, "document", id, key, 1,
				    "material: unknown category '%s'", tok);
			else
				d->material |= 1u << c;
		}
		free(copy);
	} else {
		error(ld, "document", id, key, 1, "unknown key '%s' in [document \"%s\"]",
		    key, id);
	}
}

static void
team_key(struct loader *ld, const char *name, const char *key, const char *val)
{
	struct watchlist_team *t = get_team(ld->wl, name);

	if (!t->file)
		t->file = xstrdup(ld->file);

	if (!val) {
		error(ld, "team", name, key, 1, "%s needs a value", key);
	} else if (!strcmp(key, "email")) {
		/* the rule mail_compose applies: what passes here can be sent */
		if (!mime_address_ok(val))
			error(ld, "team", name, key, 1, "email '%s' is not a plain address "
			    "(user@domain, ASCII)", val);
		else
			util_strv_push(&t->email, &t->nemail, xstrdup(val));
	} else if (!strcmp(key, "notify")) {
		if (!strcmp(val, "all"))
			t->notify_all = 1;
		else if (!strcmp(val, "material"))
			t->notify_all = 0;
		else
			error(ld, "team", name, key, 1, "notify is 'material' or 'all', not '%s'", val);
	} else {
		error(ld, "team", name, key, 1, "unknown key '%s' in [team \"%s\"]", key, name);
	}
}

static void
smtp_setting(struct loader *ld, const char *sec, const char *key, const char *val)
{
	struct watchlist_smtp *s = &ld->wl->smtp;
	long v;

	if (!strcmp(key, "host")) {
		set_once(ld, &s->host, sec, NULL, key, val);
	} else if (!strcmp(key, "port")) {
		if (parse_uint(val, 65535, &v) < 0 || v == 0)
			error(ld, sec, NULL, key, 1, "port '%s' is not a port number", val);
		else
			s->port = (int)v;
	} else if (!strcmp(key, "security")) {
		if (!strcmp(val, "none"))
			s->security = WL_SEC_NONE;
		else if (!strcmp(val, "starttls"))
			s->security = WL_SEC_STARTTLS;
		else if (!strcmp(val, "tls") || !strcmp(val, "ssl"))
			error(ld, sec, NULL, key, 1, "security = %s: libesmtp has no "
			    "implicit TLS; use security = starttls on port 587", val);
		else
			error(ld, sec, NULL, key, 1,
			    "security is 'none' or 'starttls', not '%s'", val);
	} else if (!strcmp(key, "user")) {
		set_once(ld, &s->user, sec, NULL, key, val);
	} else if (!strcmp(key, "password-file")) {
		set_once(ld, &s->password_file, sec, NULL, key, val);
	} else if (!strcmp(key, "password-env")) {
		set_once(ld, &s->password_env, sec, NULL, key, val);
	} else if (!strcmp(key, "cafile")) {
		set_once(ld, &s->cafile, sec, NULL, key, val);
	} else if (!strcmp(key, "timeout")) {
		if (parse_uint(val, 3600, &v) < 0 || v == 0)
			error(ld, sec, NULL, key, 1, "timeout '%s' is not a number of seconds", val);
		else
			s->timeout = (int)v;
	} else if (!strcmp(key, "password")) {
		error(ld, sec, NULL, key, 1, "passwords never go in the watchlist: "
		    "use password-file or the CLAUSEWATCH_SMTP_PASSWORD environment variable");
	} else {
		error(ld, sec, NULL, key, 1, "unknown key '%s' in [smtp]", key);
	}
}

static void
mail_setting(struct loader *ld, const char *sec, const char *key, const char *val)
{
	struct watchlist *wl = ld->wl;

	if (!strcmp(key, "from")) {
		if (!mime_address_ok(val))
			error(ld, sec, NULL, key, 1, "from '%s' is not a plain address "
			    "(user@domain, ASCII)", val);
		else
			set_once(ld, &wl->mail_from, sec, NULL, key, val);
	} else if (!strcmp(key, "link")) {
		if (strncmp(val, "https://", 8) && strncmp(val, "http://", 7))
			error(ld, sec, NULL, key, 1, "link '%s' is not an http(s) URL", val);
		else if (strpbrk(val, " \t\r\n\"<>"))
			error(ld, sec, NULL, key, 1, "link may not contain spaces, quotes or <>");
		else
			set_once(ld, &wl->mail_link, sec, NULL, key, val);
	} else if (!strcmp(key, "default-team")) {
		set_once(ld, &wl->default_team, sec, NULL, key, val);
		use_team(ld, val, locate_line(ld->text.buf, sec, NULL, key, 1));
	} else {
		error(ld, sec, NULL, key, 1, "unknown key '%s' in [mail]", key);
	}
}

static void
remind_setting(struct loader *ld, const char *sec, const char *key, const char *val)
{
	struct watchlist *wl = ld->wl;
	char *copy, *tok, *save = NULL;
	long v;

	if (strcmp(key, "days")) {
		error(ld, sec, NULL, key, 1, "unknown key '%s' in [remind]", key);
		return;
	}
	copy = xstrdup(val);
	wl->nremind = 0;
	for (tok = strtok_r(copy, ", ", &save); tok; tok = strtok_r(NULL, ", ", &save)) {
		if (parse_uint(tok, 3650, &v) < 0)
			error(ld, sec, NULL, key, 1, "days: '%s' is not a number", tok);
		else if (wl->nremind < sizeof(wl->remind) / sizeof(wl->remind[0]))
			wl->remind[wl->nremind++] = (int)v;
	}
	free(copy);
}

static void
run_setting(struct loader *ld, const char *sec, const char *key, const char *val)
{
	static const struct { const char *k; long max; } nums[] = {
		{ "jobs", 256 }, { "max-size", 1L << 30 }, { "timeout", 3600 },
		{ "connect-timeout", 600 }, { "fail-alert", 1000 },
		{ "confirm-shrink", 1000 }, { "deadline", 86400 },
	};
	struct watchlist *wl = ld->wl;
	size_t i;
	long v;

	if (!strcmp(key, "render")) {
		render_key(ld, sec, NULL, val, &wl->render, &wl->render_where);
		return;
	}
	for (i = 0; i < sizeof(nums) / sizeof(nums[0]); i++)
		if (!strcmp(key, nums[i].k))
			break;
	if (i == sizeof(nums) / sizeof(nums[0])) {
		error(ld, sec, NULL, key, 1, "unknown key '%s' in [run]", key);
		return;
	}
	if (parse_uint(val, nums[i].max, &v) < 0 || v == 0) {
		error(ld, sec, NULL, key, 1, "%s '%s' is not a positive number", key, val);
		return;
	}
	switch (i) {
	case 0: wl->jobs = (int)v; break;
	case 1: wl->max_size = (size_t)v; break;
	case 2: wl->timeout = v; break;
	case 3: wl->connect_timeout = v; break;
	case 4: wl->fail_alert = (int)v; break;
	case 5: wl->suspect_runs = (int)v; break;
	case 6: wl->deadline = v; break;
	}
}

static void
setting_key(struct loader *ld, const char *sec, const char *key, const char *val)
{
	if (!val)
		error(ld, sec, NULL, key, 1, "%s needs a value", key);
	else if (!strcmp(sec, "smtp"))
		smtp_setting(ld, sec, key, val);
	else if (!strcmp(sec, "mail"))
		mail_setting(ld, sec, key, val);
	else if (!strcmp(sec, "remind"))
		remind_setting(ld, sec, key, val);
	else if (!strcmp(sec, "run"))
		run_setting(ld, sec, key, val);
}

/* A remote the store may be pushed to: a URL libgit2 can push to, with
 * no password in it (credentials live in files named by the config). */
static int
push_url_ok(const char *url, const char **why)
{
	static const char *const schemes[] = { "https://", "http://", "ssh://", "git://",
		"file://" };
	const char *rest = NULL, *at, *colon;
	size_t i;

	for (i = 0; i < sizeof(schemes) / sizeof(schemes[0]); i++)
		if (!strncmp(url, schemes[i], strlen(schemes[i])))
			rest = url + strlen(schemes[i]);
	if (!rest) {
		/* scp-like user@host:path, as git accepts it */
		colon = strchr(url, ':');
		if (!colon || colon == url || strchr(url, '/') < colon) {
			*why = "is not an https, ssh, git or file URL (nor user@host:path)";
			return 0;
		}
		return 1;
	}
	at = strchr(rest, '@');
	colon = strchr(rest, ':');
	if (at && colon && colon < at) {
		*why = "has a password in it: use token-file";
		return 0;
	}
	if (strpbrk(url, " \t\r\n")) {
		*why = "has white space in it";
		return 0;
	}
	return 1;
}

static void
store_key(struct loader *ld, const char *key, const char *val)
{
	struct watchlist *wl = ld->wl;
	const char *why;

	if (!val) {
		error(ld, "store", NULL, key, 1, "%s needs a value", key);
	} else if (!strcmp(key, "push")) {
		if (!push_url_ok(val, &why))
			error(ld, "store", NULL, key, 1, "push '%s' %s", val, why);
		else
			util_strv_push(&wl->push, &wl->npush, xstrdup(val));
	} else if (!strcmp(key, "user")) {
		set_once(ld, &wl->push_user, "store", NULL, key, val);
	} else if (!strcmp(key, "token-file")) {
		set_once(ld, &wl->push_token_file, "store", NULL, key, val);
	} else if (!strcmp(key, "ssh-key")) {
		set_once(ld, &wl->push_ssh_key, "store", NULL, key, val);
	} else if (!strcmp(key, "token") || !strcmp(key, "password")) {
		error(ld, "store", NULL, key, 1, "credentials never go in the watchlist: "
		    "name a file with token-file");
	} else {
		error(ld, "store", NULL, key, 1, "unknown key '%s' in [store]", key);
	}
}

static void
report_key(struct loader *ld, const char *key, const char *val)
{
	if (!val)
		error(ld, "report", NULL, key, 1, "%s needs a value", key);
	else if (!strcmp(key, "dir"))
		set_once(ld, &ld->wl->report_dir, "report", NULL, key, val);
	else
		error(ld, "report", NULL, key, 1, "unknown key '%s' in [report]", key);
}

/* Split "section.sub.var" (sub may contain dots) into its three parts,
 * in a copy in buf: no allocation an entry (a watchlist of thousands of
 * documents has tens of thousands of entries). */
static int
split_name(const char *name, struct strbuf *buf, char **sec, char **sub, char **var)
{
	char *d1, *d2;

	strbuf_reset(buf);
	if (strbuf_addstr(buf, name) < 0 || !(d1 = strchr(buf->buf, '.')))
		return -1;
	d2 = strrchr(buf->buf, '.');
	*d1 = *d2 = 0;
	*sec = buf->buf;
	*var = d2 + 1;
	*sub = d1 == d2 ? NULL : d1 + 1;
	return 0;
}

static void
load_file(struct loader *ld, const char *path)
{
	git_config *cfg = NULL;
	git_config_iterator *it = NULL;
	git_config_entry *e;
	struct strbuf name = STRBUF_INIT;
	int occ_select = 0, occ_remove = 0;

	ld->file = path;
	if (util_read_file(path, 1 << 20, &ld->text) < 0) {
		strbuf_addf(ld->errors, "%s\n", util_err());
		ld->nerr++;
		return;
	}
	if (git_config_open_ondisk(&cfg, path) < 0 ||
	    git_config_iterator_new(&it, cfg) < 0) {
		const git_error *ge = git_error_last();

		/* libgit2's message carries "(in FILE:LINE, column N)" */
		strbuf_addf(ld->errors, "%s: %s\n", path, ge ? ge->message : "unreadable");
		ld->nerr++;
		goto cleanup;
	}
	while (git_config_next(&e, it) == 0) {
		char *sec, *sub, *var;

		if (split_name(e->name, &name, &sec, &sub, &var) < 0)
			continue;
		if (!strcmp(sec, "document") && sub)
			doc_key(ld, sub, var, e->value, &occ_select, &occ_remove);
		else if (!strcmp(sec, "team") && sub)
			team_key(ld, sub, var, e->value);
		else if (!sub && (!strcmp(sec, "smtp") || !strcmp(sec, "mail") ||
		    !strcmp(sec, "remind") || !strcmp(sec, "run")))
			setting_key(ld, sec, var, e->value);
		else if (!sub && !strcmp(sec, "store"))
			store_key(ld, var, e->value);
		else if (!sub && !strcmp(sec, "report"))
			report_key(ld, var, e->value);
		else if (strcmp(sec, "include") && strcmp(sec, "includeif"))
			error(ld, sec, sub, NULL, 1, "unknown section [%s%s%s%s]", sec,
			    sub ? " \"" : "", sub ? sub : "", sub ? "\"" : "");
	}
cleanup:
	strbuf_release(&name);
	git_config_iterator_free(it);
	git_config_free(cfg);
}

static int
cmpstr(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
int_desc(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x < y) - (x > y);
}

static void
finish(struct loader *ld)
{
	struct watchlist *wl = ld->wl;
	size_t i, j;

	for (i = 0; i < wl->ndoc; i++) {
		struct watchlist_doc *d = &wl->doc[i];

		if (d->url && (d->nteam || wl->default_team))
			continue;
		/* the text again only to name the line */
		ld->file = d->file;
		util_read_file(d->file, 1 << 20, &ld->text);
		if (!d->url)
			error(ld, "document", d->id, NULL, 1, "document '%s' has no url", d->id);
		if (!d->nteam && !wl->default_team)
			error(ld, "document", d->id, NULL, 1, "document '%s' has no team: "
			    "nobody would be told of its changes (add team = NAME, or set "
			    "[mail] default-team)", d->id);
	}
	for (i = 0; i < wl->ndoc; i++)
		if (!wl->doc[i].nteam && wl->default_team)
			util_strv_push(&wl->doc[i].team, &wl->doc[i].nteam,
			    xstrdup(wl->default_team));
	/* [run] render is the default of documents that say nothing */
	for (i = 0; i < wl->ndoc; i++)
		if (!wl->doc[i].render_where && wl->render_where) {
			wl->doc[i].render = wl->render;
			wl->doc[i].render_where = xstrdup(wl->render_where);
		}
	for (i = 0; i < ld->nused; i++) {
		if (watchlist_team(wl, ld->used[i]))
			continue;
		strbuf_addf(ld->errors, "%s: team '%s' is used but not defined\n",
		    ld->used_where[i], ld->used[i]);
		ld->nerr++;
	}
	for (i = 0; i < wl->nteam; i++)
		if (!wl->team[i].nemail) {
			ld->file = wl->team[i].file;
			util_read_file(ld->file, 1 << 20, &ld->text);
			error(ld, "team", wl->team[i].name, NULL, 1, "team '%s' has no email",
			    wl->team[i].name);
		}
	/* what the [smtp] values mean together is smtp_check_config's to say:
	 * 'check' and 'run' ask it, so each problem is reported once */
	if (!wl->smtp.port)
		wl->smtp.port = wl->smtp.security == WL_SEC_STARTTLS ? 587 : 25;
	/* descending, without duplicates */
	qsort(wl->remind, wl->nremind, sizeof(wl->remind[0]), int_desc);
	for (i = j = 0; i < wl->nremind; i++)
		if (!j || wl->remind[j - 1] != wl->remind[i])
			wl->remind[j++] = wl->remind[i];
	wl->nremind = j;
}

static int
cmpdoc(const void *a, const void *b)
{
	return strcmp((*(struct watchlist_doc *const *)a)->id,
	    (*(struct watchlist_doc *const *)b)->id);
}

int
watchlist_load(const char *dir, struct watchlist *wl, struct strbuf *errors)
{
	struct loader ld = { 0 };
	struct dirent *de;
	char **files = NULL;
	size_t nfiles = 0, i;
	DIR *d;

	memset(wl, 0, sizeof(*wl));
	wl->remind[0] = 30; wl->remind[1] = 14; wl->remind[2] = 7;
	wl->remind[3] = 3; wl->remind[4] = 1;
	wl->nremind = 5;
	wl->fail_alert = 3;
	wl->suspect_runs = 3;
	wl->jobs = 8;
	wl->max_size = 10 << 20;
	wl->connect_timeout = 10;
	wl->timeout = 60;
	wl->smtp.timeout = 60;
	ld.wl = wl;
	ld.errors = errors;
	strbuf_init(&ld.text, 1 << 20);

	if (!(d = opendir(dir))) {
		strbuf_addf(errors, "%s: cannot open watchlist folder\n", dir);
		return -1;
	}
	while ((de = readdir(d))) {
		size_t n = strlen(de->d_name);
		struct strbuf p = STRBUF_INIT;

		if (n < 6 || strcmp(de->d_name + n - 5, ".conf") || de->d_name[0] == '.')
			continue;
		strbuf_addf(&p, "%s/%s", dir, de->d_name);
		util_strv_push(&files, &nfiles, strbuf_detach(&p, NULL));
	}
	closedir(d);
	if (nfiles)
		qsort(files, nfiles, sizeof(*files), cmpstr);
	if (!nfiles) {
		strbuf_addf(errors, "%s: no *.conf files\n", dir);
		ld.nerr++;
	}
	for (i = 0; i < nfiles; i++)
		load_file(&ld, files[i]);
	finish(&ld);
	util_strv_free(files, nfiles);
	wl->byid = xcalloc(wl->ndoc ? wl->ndoc : 1, sizeof(*wl->byid));
	for (i = 0; i < wl->ndoc; i++)
		wl->byid[i] = &wl->doc[i];
	if (wl->ndoc)
		qsort(wl->byid, wl->ndoc, sizeof(*wl->byid), cmpdoc);
	util_strv_free(ld.used, ld.nused);
	util_strv_free(ld.used_where, ld.nused);
	strbuf_release(&ld.text);
	free(ld.badid);
	free(ld.slot);
	return ld.nerr ? -1 : 0;
}

/* A selector is checked by translating it, as the fetch will: an
 * unquoted '#' or ';' cuts a value short, which shows up here. */
static void
selectors_ok(struct loader *ld, const struct watchlist_doc *d, const char *key,
    char *const *sel, size_t nsel)
{
	struct strbuf xp = STRBUF_INIT;
	size_t i;

	for (i = 0; i < nsel; i++) {
		char *why;

		strbuf_reset(&xp);
		if (normalize_css_to_xpath(sel[i], &xp) == 0)
			continue;
		why = xstrdup(util_err());
		/* the text only to name the line, and only when there is one */
		if (!ld->file) {
			ld->file = d->file;
			util_read_file(d->file, 1 << 20, &ld->text);
		}
		error(ld, "document", d->id, key, (int)i + 1, "%s: %s", key, why);
		free(why);
	}
	strbuf_release(&xp);
}

int
watchlist_check_selectors(const struct watchlist_doc *d, struct strbuf *errors)
{
	struct loader ld = { 0 };

	ld.errors = errors;
	strbuf_init(&ld.text, 1 << 20);
	selectors_ok(&ld, d, "select", d->select, d->nselect);
	selectors_ok(&ld, d, "remove", d->remove, d->nremove);
	strbuf_release(&ld.text);
	return ld.nerr ? -1 : 0;
}

const char *
watchlist_doc_title(const struct watchlist_doc *d)
{
	return d->title ? d->title : d->id;
}

void
watchlist_free(struct watchlist *wl)
{
	size_t i;

	for (i = 0; i < wl->ndoc; i++) {
		struct watchlist_doc *d = &wl->doc[i];

		free(d->id);
		free(d->url);
		free(d->title);
		free(d->file);
		free(d->render_where);
		util_strv_free(d->select, d->nselect);
		util_strv_free(d->remove, d->nremove);
		util_strv_free(d->team, d->nteam);
	}
	free(wl->doc);
	free(wl->byid);
	for (i = 0; i < wl->nteam; i++) {
		free(wl->team[i].name);
		free(wl->team[i].file);
		util_strv_free(wl->team[i].email, wl->team[i].nemail);
	}
	free(wl->team);
	free(wl->smtp.host);
	free(wl->smtp.user);
	free(wl->smtp.password_file);
	free(wl->smtp.password_env);
	free(wl->smtp.cafile);
	free(wl->mail_from);
	free(wl->default_team);
	free(wl->render_where);
	free(wl->mail_link);
	util_strv_free(wl->push, wl->npush);
	free(wl->push_user);
	free(wl->push_token_file);
	free(wl->push_ssh_key);
	free(wl->report_dir);
	memset(wl, 0, sizeof(*wl));
}

const struct watchlist_team *
watchlist_team(const struct watchlist *wl, const char *name)
{
	size_t i;

	for (i = 0; i < wl->nteam; i++)
		if (!strcmp(wl->team[i].name, name))
			return &wl->team[i];
	return NULL;
}

static int
cmpkey(const void *key, const void *elem)
{
	return strcmp(key, (*(struct watchlist_doc *const *)elem)->id);
}

const struct watchlist_doc *
watchlist_doc(const struct watchlist *wl, const char *id)
{
	struct watchlist_doc **d;
	size_t i;

	if (!wl->byid) {	/* while loading */
		for (i = 0; i < wl->ndoc; i++)
			if (!strcmp(wl->doc[i].id, id))
				return &wl->doc[i];
		return NULL;
	}
	d = wl->ndoc ? bsearch(id, wl->byid, wl->ndoc, sizeof(*wl->byid), cmpkey) : NULL;
	return d ? *d : NULL;
}

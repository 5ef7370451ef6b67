/* ledger: durable outgoing-message state (see ledger.h for the layout). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <git2.h>

#include "date.h"
#include "ledger.h"
#include "smtp.h"
#include "util.h"

#define META_MAX (1 << 20)
#define EML_MAX (64 << 20)
#define STATE_MAX 65536

struct ledger {
	char *dir;		/* STORE/ledger */
	char *outbox;		/* STORE/outbox */
	int lockfd;
	size_t recovered;	/* sending -> uncertain/sent/pending at open */
	size_t unlogged;	/* audit log lines not written, not yet reported */
	struct strbuf logerr;	/* ... the first failure */
	struct strbuf lasterr;
};

struct entry {
	char hash[41];
	enum ledger_state state;
	long long time;
	long tries;
	char *via;
	char *response;		/* unescaped */
	long long added;
};

static const char *const state_names[] = { "pending", "sending", "sent", "uncertain",
	"failed" };
#define NSTATES (sizeof(state_names) / sizeof(state_names[0]))

const char *
ledger_state_name(enum ledger_state s)
{
	return (unsigned)s < NSTATES ? state_names[s] : "?";
}

/* ---- small helpers ---------------------------------------------------- */

/* Tab-separated fields must stay one field on one line. */
static void
escape(struct strbuf *out, const char *s)
{
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '\\')
			strbuf_addstr(out, "\\\\");
		else if (c == '\t')
			strbuf_addstr(out, "\\t");
		else if (c == '\n')
			strbuf_addstr(out, "\\n");
		else if (c == '\r')
			strbuf_addstr(out, "\\r");
		else if (c < 0x20 || c == 0x7f)
			strbuf_addf(out, "\\x%02x", c);
		else
			strbuf_addch(out, c);
	}
}

static void
unescape(struct strbuf *out, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (s[i] != '\\' || i + 1 == n) {
			strbuf_addch(out, s[i]);
			continue;
		}
		switch (s[++i]) {
		case 't': strbuf_addch(out, '\t'); break;
		case 'n': strbuf_addch(out, '\n'); break;
		case 'r': strbuf_addch(out, '\r'); break;
		case 'x':
			if (i + 2 < n) {
				char h[3] = { s[i + 1], s[i + 2], 0 };

				strbuf_addch(out, (int)strtol(h, NULL, 16));
				i += 2;
			}
			break;
		default: strbuf_addch(out, s[i]); break;
		}
	}
}

static int
key_hash(const char *key, char out[41])
{
	git_oid oid;

	if (git_odb_hash(&oid, key, strlen(key), GIT_OBJECT_BLOB) < 0) {
		util_seterr("ledger: cannot hash a key");
		return -1;
	}
	git_oid_tostr(out, 41, &oid);
	return 0;
}

static int
fsync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC), r;

	if (fd < 0) {
		util_seterr("%s: %s", dir, strerror(errno));
		return -1;
	}
	r = fsync(fd);
	close(fd);
	if (r < 0) {
		util_seterr("fsync %s: %s", dir, strerror(errno));
		return -1;
	}
	return 0;
}

static int
write_all(const char *path, const void *buf, size_t len, int excl)
{
	const char *p = buf;
	ssize_t n;
	int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC | (excl ? O_EXCL : O_TRUNC), 0644);

	if (fd < 0) {
		util_seterr("%s: %s", path, strerror(errno));
		return -1;
	}
	while (len) {
		if ((n = write(fd, p, len)) < 0) {
			if (errno == EINTR)
				continue;
			util_seterr("%s: %s", path, strerror(errno));
			close(fd);
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	if (fsync(fd) < 0 || close(fd) < 0) {
		util_seterr("%s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

/* write tmp, fsync, rename, fsync the folder */
static int
write_durable(const char *dir, const char *name, const void *buf, size_t len)
{
	struct strbuf path = STRBUF_INIT, tmp = STRBUF_INIT;
	int ret = -1;

	strbuf_addf(&path, "%s/%s", dir, name);
	strbuf_addf(&tmp, "%s/.%s.tmp", dir, name);
	if (write_all(tmp.buf, buf, len, 0) < 0)
		goto cleanup;
	if (rename(tmp.buf, path.buf) < 0) {
		util_seterr("rename %s: %s", path.buf, strerror(errno));
		unlink(tmp.buf);
		goto cleanup;
	}
	ret = fsync_dir(dir);
cleanup:
	strbuf_release(&path);
	strbuf_release(&tmp);
	return ret;
}

/* One line in the audit log. The state files are what counts; a line that
 * cannot be written is counted in the ledger (l->unlogged, the first
 * failure kept), for the flush to report: the ledger never prints. */
static int
audit(struct ledger *l, const char *state, const char *key, const char *detail)
{
	struct strbuf line = STRBUF_INIT, path = STRBUF_INIT;
	char t[21];
	int fd, error = 0;

	date_format_time(date_now(), t);
	strbuf_addf(&line, "%s\t%s\t", t, state);
	escape(&line, key);
	strbuf_addch(&line, '\t');
	escape(&line, detail ? detail : "");
	strbuf_addch(&line, '\n');
	strbuf_addf(&path, "%s/log", l->dir);
	/* one write() of one line with O_APPEND: lines never interleave */
	if ((fd = open(path.buf, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644)) < 0) {
		util_seterr("%s: %s", path.buf, strerror(errno));
		error = -1;
	} else {
		if (write(fd, line.buf, line.len) != (ssize_t)line.len || fsync(fd) < 0) {
			util_seterr("%s: %s", path.buf, errno ? strerror(errno) : "short write");
			error = -1;
		}
		close(fd);
	}
	if (error < 0 && !l->unlogged++) {
		strbuf_reset(&l->logerr);
		strbuf_addstr(&l->logerr, util_err());
	}
	strbuf_release(&line);
	strbuf_release(&path);
	return error;
}

/* Audit log lines that could not be written since the last report. */
static void
report_unlogged(struct ledger *l)
{
	struct strbuf *e = &l->lasterr;

	if (!l->unlogged)
		return;
	strbuf_addf(e, "%s%zu line%s of the audit log not written: %s", e->len ? "; " : "",
	    l->unlogged, l->unlogged == 1 ? "" : "s", l->logerr.buf);
	l->unlogged = 0;
}

/* ---- the unsent index ------------------------------------------------ */

/* ledger/unsent/SHA (empty files) names every message not yet sent:
 * pending, sending or uncertain. Open and flush read only these, so their
 * cost follows the work left, not every message ever sent; msg/SHA stays
 * for good (idempotency, ledger_state, the audit trail).
 *
 * The index may name too much, never too little: the entry is made before
 * the message becomes visible in msg/ and removed after its state says
 * "sent" (both durable), so a crash leaves at worst an entry without a
 * message or for a sent one, and every scan drops those. */

static void
index_path(struct strbuf *p, const struct ledger *l, const char *hash)
{
	strbuf_addf(p, "%s/unsent", l->dir);
	if (hash)
		strbuf_addf(p, "/%s", hash);
}

static int
index_add(struct ledger *l, const char *hash)
{
	struct strbuf p = STRBUF_INIT, d = STRBUF_INIT;
	int fd, ret = -1;

	index_path(&p, l, hash);
	index_path(&d, l, NULL);
	if ((fd = open(p.buf, O_WRONLY | O_CREAT | O_CLOEXEC, 0644)) < 0 || close(fd) < 0)
		util_seterr("%s: %s", p.buf, strerror(errno));
	else
		ret = fsync_dir(d.buf);
	strbuf_release(&p);
	strbuf_release(&d);
	return ret;
}

/* Best effort: an entry left behind is dropped by the next scan. */
static void
index_del(struct ledger *l, const char *hash)
{
	struct strbuf p = STRBUF_INIT;

	index_path(&p, l, hash);
	if (unlink(p.buf) == 0) {
		strbuf_reset(&p);
		index_path(&p, l, NULL);
		fsync_dir(p.buf);
	}
	strbuf_release(&p);
}

/* Whether the file at the path fmt gives exists. */
static int __attribute__((format(printf, 1, 2)))
exists(const char *fmt, ...)
{
	struct strbuf p = STRBUF_INIT;
	va_list ap;
	int r;

	va_start(ap, fmt);
	strbuf_vaddf(&p, fmt, ap);
	va_end(ap);
	r = access(p.buf, F_OK) == 0;
	strbuf_release(&p);
	return r;
}

static int
msg_exists(struct ledger *l, const char *hash)
{
	return exists("%s/msg/%s", l->dir, hash);
}

/* The index of unsent messages, read entry by entry: index_next gives
 * the next hash whose message exists (an entry left by a crash before the
 * add's rename is dropped), NULL at the end.  NULL from index_open with
 * util_err set. */
static DIR *
index_open(struct ledger *l)
{
	struct strbuf p = STRBUF_INIT;
	DIR *d;

	index_path(&p, l, NULL);
	if (!(d = opendir(p.buf)))
		util_seterr("%s: %s", p.buf, strerror(errno));
	strbuf_release(&p);
	return d;
}

static const char *
index_next(struct ledger *l, DIR *d)
{
	struct dirent *de;

	while ((de = readdir(d))) {
		if (strlen(de->d_name) != 40)
			continue;
		if (msg_exists(l, de->d_name))
			return de->d_name;
		index_del(l, de->d_name);
	}
	return NULL;
}

static int read_state(struct ledger *l, const char *hash, struct entry *e);

/* A ledger from before the index: build it once, in tmp/, from every
 * message not sent, and rename it into place whole. */
static int
index_build(struct ledger *l)
{
	struct strbuf idx = STRBUF_INIT, tmp = STRBUF_INIT, p = STRBUF_INIT;
	DIR *d = NULL;
	struct dirent *de;
	int ret = -1;

	index_path(&idx, l, NULL);
	if (access(idx.buf, F_OK) == 0) {
		ret = 0;
		goto cleanup;
	}
	strbuf_addf(&tmp, "%s/tmp/unsent.%ld", l->dir, (long)getpid());
	util_rmtree(tmp.buf);
	if (mkdir(tmp.buf, 0755) < 0) {
		util_seterr("mkdir %s: %s", tmp.buf, strerror(errno));
		goto cleanup;
	}
	strbuf_addf(&p, "%s/msg", l->dir);
	if (!(d = opendir(p.buf))) {
		util_seterr("%s: %s", p.buf, strerror(errno));
		goto cleanup;
	}
	while ((de = readdir(d))) {
		struct entry e = { 0 };
		int fd, r;

		if (strlen(de->d_name) != 40)
			continue;
		r = read_state(l, de->d_name, &e);
		free(e.via);
		free(e.response);
		if (r < 0)
			goto cleanup;
		if (e.state == LEDGER_SENT || e.state == LEDGER_FAILED)
			continue;
		strbuf_reset(&p);
		strbuf_addf(&p, "%s/%s", tmp.buf, de->d_name);
		if ((fd = open(p.buf, O_WRONLY | O_CREAT | O_CLOEXEC, 0644)) < 0) {
			util_seterr("%s: %s", p.buf, strerror(errno));
			goto cleanup;
		}
		close(fd);
	}
	if (fsync_dir(tmp.buf) < 0)
		goto cleanup;
	if (rename(tmp.buf, idx.buf) < 0) {
		util_seterr("rename %s: %s", idx.buf, strerror(errno));
		goto cleanup;
	}
	ret = fsync_dir(l->dir);
cleanup:
	if (d)
		closedir(d);
	if (ret < 0)
		util_rmtree(tmp.buf);
	strbuf_release(&idx);
	strbuf_release(&tmp);
	strbuf_release(&p);
	return ret;
}

/* ---- entries ---------------------------------------------------------- */

static void
entry_clear(struct entry *e)
{
	free(e->via);
	free(e->response);
	e->via = e->response = NULL;
}

static int
read_state(struct ledger *l, const char *hash, struct entry *e)
{
	struct strbuf path = STRBUF_INIT, sb = STRBUF_INIT, resp = STRBUF_INIT;
	char *f[5] = { 0 }, *p;
	int i, ret = -1;

	strbuf_addf(&path, "%s/msg/%s/state", l->dir, hash);
	if (util_read_file(path.buf, STATE_MAX, &sb) < 0)
		goto cleanup;
	if (sb.len && sb.buf[sb.len - 1] == '\n')
		strbuf_setlen(&sb, sb.len - 1);
	for (i = 0, p = sb.buf; i < 5 && p; i++) {
		f[i] = p;
		if ((p = strchr(p, '\t')))
			*p++ = '\0';
	}
	if (!f[3]) {
		util_seterr("%s: malformed", path.buf);
		goto cleanup;
	}
	for (i = 0; i < (int)NSTATES; i++)
		if (!strcmp(f[0], state_names[i]))
			break;
	if (i == (int)NSTATES) {
		util_seterr("%s: unknown state", path.buf);
		goto cleanup;
	}
	memcpy(e->hash, hash, 41);
	e->state = (enum ledger_state)i;
	e->time = strtoll(f[1], NULL, 10);
	e->tries = strtol(f[2], NULL, 10);
	e->via = xstrdup(f[3]);
	if (f[4])
		unescape(&resp, f[4], strlen(f[4]));
	e->response = strbuf_detach(&resp, NULL);
	ret = 0;
cleanup:
	strbuf_release(&path);
	strbuf_release(&sb);
	strbuf_release(&resp);
	return ret;
}

static int
write_state(struct ledger *l, const char *hash, enum ledger_state st,
    long tries, const char *via, const char *response)
{
	struct strbuf dir = STRBUF_INIT, sb = STRBUF_INIT;
	int ret;

	strbuf_addf(&dir, "%s/msg/%s", l->dir, hash);
	strbuf_addf(&sb, "%s\t%lld\t%ld\t%s\t", state_names[st],
	    (long long)date_now(), tries, via ? via : "-");
	escape(&sb, response);
	strbuf_addch(&sb, '\n');
	ret = write_durable(dir.buf, "state", sb.buf, sb.len);
	strbuf_release(&dir);
	strbuf_release(&sb);
	return ret;
}

struct meta {
	char *key, *from;
	char **to;
	size_t nto;
	long long added;
};

static void
meta_free(struct meta *m)
{
	size_t i;

	free(m->key);
	free(m->from);
	for (i = 0; i < m->nto; i++)
		free(m->to[i]);
	free(m->to);
	memset(m, 0, sizeof(*m));
}

static int
read_meta(struct ledger *l, const char *hash, struct meta *m)
{
	struct strbuf path = STRBUF_INIT, sb = STRBUF_INIT, v = STRBUF_INIT;
	char *line, *next, *tab;
	size_t alloc = 0;
	int ret = -1;

	memset(m, 0, sizeof(*m));
	strbuf_addf(&path, "%s/msg/%s/meta", l->dir, hash);
	if (util_read_file(path.buf, META_MAX, &sb) < 0)
		goto cleanup;
	for (line = sb.buf; *line; line = next) {
		if ((next = strchr(line, '\n')))
			*next++ = '\0';
		else
			next = line + strlen(line);
		if (!(tab = strchr(line, '\t')))
			continue;
		*tab++ = '\0';
		strbuf_reset(&v);
		unescape(&v, tab, strlen(tab));
		if (!strcmp(line, "key") && !m->key)
			m->key = xstrdup(v.buf);
		else if (!strcmp(line, "from") && !m->from)
			m->from = xstrdup(v.buf);
		else if (!strcmp(line, "added"))
			m->added = strtoll(v.buf, NULL, 10);
		else if (!strcmp(line, "to")) {
			ALLOC_GROW(m->to, m->nto + 1, alloc);
			m->to[m->nto++] = xstrdup(v.buf);
		}
	}
	if (!m->key || !m->from || !m->nto) {
		util_seterr("%s: incomplete", path.buf);
		meta_free(m);
		goto cleanup;
	}
	ret = 0;
cleanup:
	strbuf_release(&path);
	strbuf_release(&sb);
	strbuf_release(&v);
	return ret;
}

/* ---- open / recover --------------------------------------------------- */

static int
outbox_has(struct ledger *l, const char *hash)
{
	return exists("%s/new/%s.eml", l->outbox, hash);
}

static int
recover(struct ledger *l, size_t *recovered)
{
	struct strbuf p = STRBUF_INIT;
	struct meta m;
	const char *hash;
	DIR *d;
	struct dirent *de;
	int ret = 0;

	/* half-assembled additions never became visible: drop them */
	strbuf_addf(&p, "%s/tmp", l->dir);
	if ((d = opendir(p.buf))) {
		while ((de = readdir(d))) {
			struct strbuf q = STRBUF_INIT;

			if (de->d_name[0] == '.')
				continue;
			strbuf_addf(&q, "%s/%s", p.buf, de->d_name);
			util_rmtree(q.buf);
			strbuf_release(&q);
		}
		closedir(d);
	}
	if (index_build(l) < 0) {
		strbuf_release(&p);
		return -1;
	}
	strbuf_release(&p);
	/* only unsent messages can have been caught mid-send */
	if (!(d = index_open(l)))
		return -1;
	while ((hash = index_next(l, d))) {
		struct entry e = { 0 };

		if (read_state(l, hash, &e) < 0) {
			ret = -1;
			break;
		}
		if (e.state == LEDGER_SENT || e.state == LEDGER_FAILED)
			index_del(l, e.hash);	/* crash before the index caught up */
		if (e.state == LEDGER_SENDING && read_meta(l, e.hash, &m) == 0) {
			enum ledger_state ns;
			const char *why;

			if (!strcmp(e.via, "outbox")) {
				ns = outbox_has(l, e.hash) ? LEDGER_SENT : LEDGER_PENDING;
				why = ns == LEDGER_SENT ? "crash after outbox delivery" :
				    "crash before outbox delivery";
			} else {
				ns = LEDGER_UNCERTAIN;
				why = "crash while handing the message to the SMTP server: "
				    "it may or may not have been delivered; not resent";
			}
			if (write_state(l, e.hash, ns, e.tries, e.via, why) < 0)
				ret = -1;
			else {
				audit(l, state_names[ns], m.key, why);
				(*recovered)++;
				if (ns == LEDGER_SENT)
					index_del(l, e.hash);
			}
			meta_free(&m);
		}
		entry_clear(&e);
		if (ret < 0)
			break;
	}
	closedir(d);
	return ret;
}

static struct ledger *
ledger_new(const char *store)
{
	struct ledger *l = xcalloc(1, sizeof(*l));
	struct strbuf p = STRBUF_INIT;

	git_libgit2_init();
	l->lockfd = -1;
	strbuf_init(&l->lasterr, 0);
	strbuf_init(&l->logerr, 0);
	strbuf_addf(&p, "%s/ledger", store);
	l->dir = strbuf_detach(&p, NULL);
	strbuf_addf(&p, "%s/outbox", store);
	l->outbox = strbuf_detach(&p, NULL);
	return l;
}

int
ledger_open_readonly(struct ledger **out, const char *store)
{
	*out = ledger_new(store);
	return 0;
}

int
ledger_open(struct ledger **out, const char *store)
{
	struct ledger *l = ledger_new(store);
	struct strbuf p = STRBUF_INIT;
	const char *sub[] = { "msg", "tmp" };
	size_t i;

	for (i = 0; i < 2; i++) {
		strbuf_reset(&p);
		strbuf_addf(&p, "%s/%s", l->dir, sub[i]);
		if (util_mkdirs(p.buf, 0755) < 0)
			goto fail;
	}
	strbuf_reset(&p);
	strbuf_addf(&p, "%s/lock", l->dir);
	if ((l->lockfd = open(p.buf, O_RDWR | O_CREAT | O_CLOEXEC, 0644)) < 0) {
		util_seterr("%s: %s", p.buf, strerror(errno));
		goto fail;
	}
	if (flock(l->lockfd, LOCK_EX | LOCK_NB) < 0) {
		util_seterr("%s: another clausewatch process is sending mail", p.buf);
		goto fail;
	}
	if (recover(l, &l->recovered) < 0)
		goto fail;
	strbuf_release(&p);
	*out = l;
	return 0;
fail:
	strbuf_release(&p);
	ledger_free(l);
	return -1;
}

void
ledger_free(struct ledger *l)
{
	if (!l)
		return;
	if (l->lockfd >= 0)
		close(l->lockfd);
	free(l->dir);
	free(l->outbox);
	strbuf_release(&l->lasterr);
	strbuf_release(&l->logerr);
	free(l);
	git_libgit2_shutdown();
}

const char *
ledger_last_error(const struct ledger *l)
{
	return l->lasterr.buf;
}

/* ---- add -------------------------------------------------------------- */

int
ledger_add(struct ledger *l, const char *key, const char *from,
    const char *const *to, size_t nto, const char *eml, size_t len)
{
	struct strbuf final = STRBUF_INIT, tmp = STRBUF_INIT, meta = STRBUF_INIT,
	    path = STRBUF_INIT, st = STRBUF_INIT;
	char hash[41];
	size_t i;
	int ret = -1;

	if (!key || !*key || !from || !nto) {
		util_seterr("ledger: a message needs a key, a sender and recipients");
		return -1;
	}
	if (key_hash(key, hash) < 0)
		return -1;
	strbuf_addf(&final, "%s/msg/%s", l->dir, hash);
	if (access(final.buf, F_OK) == 0) {
		ret = 0;
		goto cleanup;
	}
	/* assemble in tmp/, then one rename makes it visible whole */
	strbuf_addf(&tmp, "%s/tmp/%s.%ld", l->dir, hash, (long)getpid());
	util_rmtree(tmp.buf);
	if (mkdir(tmp.buf, 0755) < 0) {
		util_seterr("mkdir %s: %s", tmp.buf, strerror(errno));
		goto cleanup;
	}
	strbuf_addf(&path, "%s/message.eml", tmp.buf);
	if (write_all(path.buf, eml, len, 1) < 0)
		goto fail;
	strbuf_addstr(&meta, "key\t");
	escape(&meta, key);
	strbuf_addstr(&meta, "\nfrom\t");
	escape(&meta, from);
	strbuf_addf(&meta, "\nadded\t%lld\n", (long long)date_now());
	for (i = 0; i < nto; i++) {
		strbuf_addstr(&meta, "to\t");
		escape(&meta, to[i]);
		strbuf_addch(&meta, '\n');
	}
	strbuf_reset(&path);
	strbuf_addf(&path, "%s/meta", tmp.buf);
	if (write_all(path.buf, meta.buf, meta.len, 1) < 0)
		goto fail;
	strbuf_addf(&st, "pending\t%lld\t0\t-\t\n", (long long)date_now());
	strbuf_reset(&path);
	strbuf_addf(&path, "%s/state", tmp.buf);
	if (write_all(path.buf, st.buf, st.len, 1) < 0 || fsync_dir(tmp.buf) < 0)
		goto fail;
	/* indexed before it is visible: a crash in between leaves an index
	 * entry without a message, which the next scan drops */
	if (index_add(l, hash) < 0)
		goto fail;
	if (rename(tmp.buf, final.buf) < 0) {
		if (errno == EEXIST || errno == ENOTEMPTY) {
			ret = 0;	/* added meanwhile */
			goto fail;
		}
		util_seterr("rename %s: %s", final.buf, strerror(errno));
		goto fail;
	}
	strbuf_reset(&path);
	strbuf_addf(&path, "%s/msg", l->dir);
	if (fsync_dir(path.buf) < 0)
		goto cleanup;
	audit(l, "pending", key, NULL);
	ret = 1;
	goto cleanup;
fail:
	util_rmtree(tmp.buf);
cleanup:
	strbuf_release(&final);
	strbuf_release(&tmp);
	strbuf_release(&meta);
	strbuf_release(&path);
	strbuf_release(&st);
	return ret;
}

int
ledger_known(struct ledger *l, const char *key)
{
	char hash[41];

	if (!key || !*key) {
		util_seterr("ledger: empty key");
		return -1;
	}
	if (key_hash(key, hash) < 0)
		return -1;
	return msg_exists(l, hash);
}

int
ledger_state(struct ledger *l, const char *key, enum ledger_state *state)
{
	struct strbuf p = STRBUF_INIT;
	struct entry e = { 0 };
	char hash[41];
	int ret;

	if (key_hash(key, hash) < 0)
		return -1;
	strbuf_addf(&p, "%s/msg/%s", l->dir, hash);
	if (access(p.buf, F_OK) < 0) {
		strbuf_release(&p);
		return 0;
	}
	strbuf_release(&p);
	if ((ret = read_state(l, hash, &e)) == 0) {
		*state = e.state;
		ret = 1;
	}
	entry_clear(&e);
	return ret;
}

int
ledger_release(struct ledger *l, const char *key)
{
	struct entry e = { 0 };
	char hash[41];
	int ret = -1;

	if (key_hash(key, hash) < 0)
		return -1;
	if (!msg_exists(l, hash)) {
		util_seterr("ledger: no message with key %s", key);
		goto cleanup;
	}
	if (read_state(l, hash, &e) < 0)
		goto cleanup;
	if (e.state != LEDGER_UNCERTAIN) {
		util_seterr("ledger: %s is %s, not uncertain", key, state_names[e.state]);
		goto cleanup;
	}
	if (write_state(l, hash, LEDGER_PENDING, e.tries, e.via, "released by operator") < 0)
		goto cleanup;
	strbuf_reset(&l->lasterr);
	audit(l, "pending", key, "released by operator");
	report_unlogged(l);
	ret = 0;
cleanup:
	entry_clear(&e);
	return ret;
}

/* ---- flush ------------------------------------------------------------ */

static int
entry_cmp(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;

	if (x->added != y->added)
		return x->added < y->added ? -1 : 1;
	return strcmp(x->hash, y->hash);
}

/* The unsent entries (pending, sending, uncertain), sorted by the time
 * they were added. Sent messages are never read. */
static int
load_unsent(struct ledger *l, struct entry **out, size_t *n)
{
	struct entry *v = NULL;
	size_t nv = 0, alloc = 0;
	const char *hash;
	DIR *d;
	int ret = 0;

	if (!(d = index_open(l)))
		return -1;
	while ((hash = index_next(l, d))) {
		struct meta m;

		ALLOC_GROW(v, nv + 1, alloc);
		memset(&v[nv], 0, sizeof(v[nv]));
		if (read_state(l, hash, &v[nv]) < 0) {
			entry_clear(&v[nv]);
			ret = -1;
			break;
		}
		if (v[nv].state == LEDGER_SENT || v[nv].state == LEDGER_FAILED) {
			index_del(l, hash);
			entry_clear(&v[nv]);
			continue;
		}
		if (read_meta(l, hash, &m) == 0) {
			v[nv].added = m.added;
			meta_free(&m);
		}
		nv++;
	}
	closedir(d);
	if (ret < 0) {
		while (nv)
			entry_clear(&v[--nv]);
		free(v);
		return -1;
	}
	if (nv)
		qsort(v, nv, sizeof(*v), entry_cmp);
	*out = v;
	*n = nv;
	return 0;
}

static int
deliver_outbox(struct ledger *l, const char *hash, const struct strbuf *eml,
    struct strbuf *resp)
{
	struct strbuf tmpd = STRBUF_INIT, newd = STRBUF_INIT, t = STRBUF_INIT,
	    n = STRBUF_INIT;
	int ret = -1;

	strbuf_addf(&tmpd, "%s/tmp", l->outbox);
	strbuf_addf(&newd, "%s/new", l->outbox);
	if (util_mkdirs(tmpd.buf, 0755) < 0 || util_mkdirs(newd.buf, 0755) < 0)
		goto cleanup;
	strbuf_addf(&n, "%s/cur", l->outbox);
	util_mkdirs(n.buf, 0755);	/* Maildir readers expect it */
	strbuf_reset(&n);
	strbuf_addf(&t, "%s/%s.eml", tmpd.buf, hash);
	strbuf_addf(&n, "%s/%s.eml", newd.buf, hash);
	if (write_all(t.buf, eml->buf, eml->len, 0) < 0)
		goto cleanup;
	if (rename(t.buf, n.buf) < 0) {
		util_seterr("rename %s: %s", n.buf, strerror(errno));
		unlink(t.buf);
		goto cleanup;
	}
	if (fsync_dir(newd.buf) < 0)
		goto cleanup;
	strbuf_addf(resp, "outbox/new/%s.eml", hash);
	ret = 0;
cleanup:
	strbuf_release(&tmpd);
	strbuf_release(&newd);
	strbuf_release(&t);
	strbuf_release(&n);
	return ret;
}

/* One flush: where it sends, and what it will report. */
struct flush {
	const struct watchlist_smtp *smtp;
	const char *via;		/* "smtp" or "outbox" */
	int down;			/* the server failed: the rest wait */
	struct ledger_stats *st;
	struct strbuf transient;	/* the last failure of a message kept */
	struct strbuf uncertain, partial, rejected;	/* "KEY (DETAIL), ..." */
	size_t nunc, npart, nrej;
};

/* "KEY (DETAIL)" onto a ", "-separated list, at most a few: the list goes
 * into one line on stderr. */
#define REPORT_MAX 5

static void
report_add(struct strbuf *list, size_t *n, const char *key, const char *detail)
{
	if ((*n)++ >= REPORT_MAX) {
		if (*n == REPORT_MAX + 1)
			strbuf_addstr(list, ", ...");
		return;
	}
	if (list->len)
		strbuf_addstr(list, ", ");
	escape(list, key);
	if (detail && *detail) {
		strbuf_addstr(list, " (");
		escape(list, detail);
		strbuf_addch(list, ')');
	}
}

/* ledger_last_error after a flush: what the operator must know, one line,
 * each part saying what happened and what to do. */
static void
report(struct ledger *l, const struct flush *f)
{
	struct strbuf *e = &l->lasterr;

	strbuf_reset(e);
	strbuf_addstr(e, f->transient.buf);
	if (f->nunc) {
		strbuf_addf(e, "%s%zu uncertain (the server may or may not have "
		    "them): run 'clausewatch mail' to release them: %s",
		    e->len ? "; " : "", f->nunc, f->uncertain.buf);
	}
	if (f->rejected.len)
		strbuf_addf(e, "%srefused for good, not retried (now 'failed'): %s",
		    e->len ? "; " : "", f->rejected.buf);
	if (f->partial.len)
		strbuf_addf(e, "%sdelivered to some recipients only, not resent: %s",
		    e->len ? "; " : "", f->partial.buf);
	report_unlogged(l);
}

/* An uncertain message waits for an operator: counted and named. */
static void
note_uncertain(struct ledger *l, struct flush *f, const struct entry *e)
{
	struct meta m;

	f->st->uncertain++;
	if (read_meta(l, e->hash, &m) == 0) {
		report_add(&f->uncertain, &f->nunc, m.key, NULL);
		meta_free(&m);
	}
}

/* The state an attempt leaves, durable, then its audit line and counts.
 * -1 when the state could not be written (a disk error: stop the flush). */
static int
settle(struct ledger *l, struct flush *f, const struct entry *e, const char *key,
    int r, const char *resp, int connect_failed)
{
	struct strbuf why = STRBUF_INIT;
	enum ledger_state ns;

	/* the reply, else the transport's error: copied, as util_err changes */
	strbuf_addstr(&why, *resp || r >= 0 ? resp : util_err());
	ns = r == SMTP_SENT || r == SMTP_PARTIAL ? LEDGER_SENT :
	    r == SMTP_REFUSED ? LEDGER_FAILED :
	    r == SMTP_UNCERTAIN ? LEDGER_UNCERTAIN : LEDGER_PENDING;
	if (ns == LEDGER_PENDING) {
		strbuf_reset(&f->transient);
		strbuf_addstr(&f->transient, util_err());
	}
	if (write_state(l, e->hash, ns, e->tries + 1, f->via, why.buf) < 0) {
		strbuf_release(&why);
		return -1;
	}
	audit(l, state_names[ns], key, why.buf);
	switch (ns) {
	case LEDGER_SENT:
		index_del(l, e->hash);
		f->st->sent++;
		if (r == SMTP_PARTIAL) {
			/* resending would give the others a second copy:
			 * reported, not retried */
			f->st->partial++;
			report_add(&f->partial, &f->npart, key, why.buf);
		}
		break;
	case LEDGER_FAILED:
		/* a permanent refusal: retrying cannot help, and a message
		 * kept pending would fail every run for good. Reported once
		 * (this flush); the key stays known, so it is not queued
		 * again either. */
		index_del(l, e->hash);
		f->st->failed++;
		f->st->rejected++;
		report_add(&f->rejected, &f->nrej, key, why.buf);
		break;
	case LEDGER_UNCERTAIN:
		/* stays in unsent/, like a message found in "sending" after a
		 * crash: reported by every flush until an operator releases
		 * it (mail --release), never resent on our own */
		f->st->uncertain++;
		report_add(&f->uncertain, &f->nunc, key, NULL);
		break;
	default:
		f->st->failed++;
		f->st->pending++;
		break;
	}
	if ((ns == LEDGER_PENDING || ns == LEDGER_UNCERTAIN) &&
	    (connect_failed || !strcmp(f->via, "outbox")))
		f->down = 1;
	strbuf_release(&why);
	return 0;
}

/* Hand one pending message over (SMTP or the outbox) and settle its state.
 * -1 on a local error (disk). */
static int
attempt(struct ledger *l, struct flush *f, const struct entry *e)
{
	struct meta m;
	struct strbuf eml = STRBUF_INIT, path = STRBUF_INIT, resp = STRBUF_INIT;
	int error = 0, r, cf = 0;

	if ((error = read_meta(l, e->hash, &m)) < 0)
		return error;
	strbuf_addf(&path, "%s/msg/%s/message.eml", l->dir, e->hash);
	if ((error = util_read_file(path.buf, EML_MAX, &eml)) < 0 ||
	    (error = write_state(l, e->hash, LEDGER_SENDING, e->tries, f->via, NULL)) < 0)
		goto cleanup;
	audit(l, "sending", m.key, f->via);
	if (!strcmp(f->via, "outbox"))
		r = deliver_outbox(l, e->hash, &eml, &resp);
	else
		r = smtp_send(f->smtp, m.from, (const char *const *)m.to, m.nto,
		    eml.buf, eml.len, &resp, &cf);
	error = settle(l, f, e, m.key, r, resp.buf, cf);
cleanup:
	meta_free(&m);
	strbuf_release(&eml);
	strbuf_release(&path);
	strbuf_release(&resp);
	return error;
}

int
ledger_flush(struct ledger *l, const struct watchlist_smtp *smtp, struct ledger_stats *st)
{
	struct flush f = { .smtp = smtp, .st = st, .transient = STRBUF_INIT,
	    .uncertain = STRBUF_INIT, .partial = STRBUF_INIT, .rejected = STRBUF_INIT };
	struct entry *v = NULL;
	size_t n = 0, i;
	int error = 0;

	f.via = smtp && smtp->host ? "smtp" : "outbox";
	memset(st, 0, sizeof(*st));
	st->recovered = l->recovered;
	strbuf_reset(&l->lasterr);
	if ((error = load_unsent(l, &v, &n)) < 0)
		goto cleanup;
	for (i = 0; i < n; i++) {
		if (v[i].state == LEDGER_UNCERTAIN)
			note_uncertain(l, &f, &v[i]);
		else if (v[i].state != LEDGER_PENDING)
			continue;
		else if (f.down)
			st->pending++;
		else if ((error = attempt(l, &f, &v[i])) < 0)
			goto cleanup;
	}
	st->unlogged = l->unlogged;
	report(l, &f);
cleanup:
	for (i = 0; i < n; i++)
		entry_clear(&v[i]);
	free(v);
	strbuf_release(&f.transient);
	strbuf_release(&f.uncertain);
	strbuf_release(&f.partial);
	strbuf_release(&f.rejected);
	return error;
}

int
ledger_list(struct ledger *l, struct ledger_item **out, size_t *n)
{
	struct entry *v = NULL;
	struct ledger_item *it = NULL;
	size_t nv = 0, i, k = 0;

	*out = NULL;
	*n = 0;
	if (load_unsent(l, &v, &nv) < 0)
		return -1;
	if (nv)
		it = xcalloc(nv, sizeof(*it));
	for (i = 0; i < nv; i++) {
		struct meta m;

		/* a message whose meta cannot be read has no key to show
		 * or release: skipped (flush reports the read error) */
		if (read_meta(l, v[i].hash, &m) == 0) {
			it[k].key = m.key;
			m.key = NULL;
			it[k].state = v[i].state;
			it[k].tries = v[i].tries;
			it[k].time = v[i].time;
			it[k].response = v[i].response;
			v[i].response = NULL;
			k++;
			meta_free(&m);
		}
		entry_clear(&v[i]);
	}
	free(v);
	*out = it;
	*n = k;
	return 0;
}

void
ledger_items_free(struct ledger_item *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].key);
		free(v[i].response);
	}
	free(v);
}

void
ledger_uncertain_keys(struct ledger *l, struct strbuf *out)
{
	struct entry *v = NULL;
	size_t n = 0, i;

	if (load_unsent(l, &v, &n) < 0)
		return;
	for (i = 0; i < n; i++) {
		struct meta m;

		if (v[i].state == LEDGER_UNCERTAIN && read_meta(l, v[i].hash, &m) == 0) {
			escape(out, m.key);
			strbuf_addch(out, '\n');
			meta_free(&m);
		}
		entry_clear(&v[i]);
	}
	free(v);
}

/* The browser prints the DOM after the page's scripts ran (--dump-dom,
 * with a virtual-time budget so that timers and fetches a page starts on
 * load get to run).  Each run gets a fresh --user-data-dir: two headless
 * chromiums on one profile hand their work to each other, and a page must
 * not see another's cookies.  Root cannot use chromium's sandbox, so as
 * root (containers, CI) we must pass --no-sandbox; README says to run
 * clausewatch as an unprivileged user, where the sandbox stays on.
 * Children of chromium (zygote, renderer) may keep stdout open after the
 * main process exited: the main process's exit ends the run, then the
 * whole process group is killed. */
#include <errno.h>
#include <limits.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <libxml/HTMLparser.h>

#include "render.h"
#include "util.h"

extern char **environ;

#define ERR_TAIL 2048		/* bytes of the browser's stderr kept */
#define BUDGET_MS "10000"	/* virtual time for the page's scripts */
#define REAP_MS 50		/* how often an exited child is looked for */

struct render_proc {
	pid_t pid;
	int out, err;		/* pipe ends, -1 once closed */
	struct strbuf *body;
	struct strbuf errtail;
	char *profile;
	char *name;		/* for messages: the browser's file name */
	long deadline;		/* monotonic ms */
	long timeout;
	int status, exited, toobig, timedout;
};

static long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

static char *
search_path(const char *name)
{
	const char *path = getenv("PATH"), *p, *e;
	struct strbuf sb = STRBUF_INIT;

	if (strchr(name, '/'))
		return access(name, X_OK) == 0 ? xstrdup(name) : NULL;
	if (!path)
		path = "/usr/local/bin:/usr/bin:/bin";
	for (p = path; ; p = e + 1) {
		e = strchr(p, ':');
		if (!e)
			e = p + strlen(p);
		strbuf_reset(&sb);
		strbuf_addf(&sb, "%.*s/%s", (int)(e - p), e > p ? p : ".", name);
		if (access(sb.buf, X_OK) == 0)
			return strbuf_detach(&sb, NULL);
		if (!*e)
			break;
	}
	strbuf_release(&sb);
	return NULL;
}

int
render_find(char **path)
{
	const char *env = getenv("CLAUSEWATCH_CHROMIUM");

	if (env && *env) {
		if ((*path = search_path(env)))
			return 0;
		util_seterr("the browser CLAUSEWATCH_CHROMIUM names (%s) is not installed "
		    "or not executable", env);
		return -1;
	}
	if ((*path = search_path("chromium")) || (*path = search_path("chromium-browser")))
		return 0;
	util_seterr("chromium is not installed (not found in PATH; on Debian: apt-get "
	    "install chromium, or set CLAUSEWATCH_CHROMIUM)");
	return -1;
}

static void
close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

static int
spawn(struct render_proc *p, const char *browser, const char *url, int out[2], int err[2])
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t at;
	sigset_t none, dfl;
	struct strbuf dir = STRBUF_INIT;
	char *argv[20];
	int argc = 0, rc;

	strbuf_addf(&dir, "--user-data-dir=%s", p->profile);
	argv[argc++] = (char *)browser;
	argv[argc++] = "--headless";
	if (geteuid() == 0)
		argv[argc++] = "--no-sandbox";
	argv[argc++] = "--disable-gpu";
	argv[argc++] = "--no-first-run";
	argv[argc++] = "--no-default-browser-check";
	argv[argc++] = "--disable-extensions";
	argv[argc++] = "--disable-background-networking";
	argv[argc++] = "--disable-sync";
	argv[argc++] = "--disable-crash-reporter";
	argv[argc++] = "--mute-audio";
	argv[argc++] = dir.buf;
	argv[argc++] = "--virtual-time-budget=" BUDGET_MS;
	argv[argc++] = "--dump-dom";
	argv[argc++] = "--";	/* what follows is the URL, whatever it says */
	argv[argc++] = (char *)url;
	argv[argc] = NULL;

	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, out[1], 1);
	posix_spawn_file_actions_adddup2(&fa, err[1], 2);
	/* nothing of ours (sockets, the store's files) leaks into the browser */
	posix_spawn_file_actions_addclosefrom_np(&fa, 3);
	posix_spawnattr_init(&at);
	sigemptyset(&none);
	sigemptyset(&dfl);
	sigaddset(&dfl, SIGPIPE);
	sigaddset(&dfl, SIGCHLD);
	sigaddset(&dfl, SIGTERM);
	sigaddset(&dfl, SIGINT);
	posix_spawnattr_setsigmask(&at, &none);
	posix_spawnattr_setsigdefault(&at, &dfl);
	/* its own group: a timeout kills the browser and all its helpers */
	posix_spawnattr_setpgroup(&at, 0);
	posix_spawnattr_setflags(&at, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK |
	    POSIX_SPAWN_SETSIGDEF);
	rc = posix_spawn(&p->pid, browser, &fa, &at, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&at);
	strbuf_release(&dir);
	if (rc) {
		util_seterr("cannot run %s: %s", browser, strerror(rc));
		return -1;
	}
	return 0;
}

int
render_start(const char *browser, const char *url, long timeout, struct strbuf *out,
    struct render_proc **pp)
{
	struct render_proc *p = xcalloc(1, sizeof(*p));
	const char *tmp = getenv("TMPDIR"), *slash = strrchr(browser, '/');
	struct strbuf dir = STRBUF_INIT;
	int po[2] = { -1, -1 }, pe[2] = { -1, -1 };

	p->out = p->err = -1;
	p->pid = -1;
	p->body = out;
	p->timeout = timeout;
	p->name = xstrdup(slash ? slash + 1 : browser);
	strbuf_init(&p->errtail, ERR_TAIL);
	strbuf_addf(&dir, "%s/clausewatch-browser-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(dir.buf)) {
		util_seterr("%s: cannot make a profile folder in %s: %s", p->name,
		    tmp && *tmp ? tmp : "/tmp", strerror(errno));
		strbuf_release(&dir);
		goto fail;
	}
	p->profile = strbuf_detach(&dir, NULL);
	if (pipe2(po, O_CLOEXEC) < 0 || pipe2(pe, O_CLOEXEC) < 0) {
		util_seterr("%s: pipe: %s", p->name, strerror(errno));
		goto fail;
	}
	if (spawn(p, browser, url, po, pe) < 0)
		goto fail;
	close_fd(&po[1]);
	close_fd(&pe[1]);
	p->out = po[0];
	p->err = pe[0];
	fcntl(p->out, F_SETFL, fcntl(p->out, F_GETFL) | O_NONBLOCK);
	fcntl(p->err, F_SETFL, fcntl(p->err, F_GETFL) | O_NONBLOCK);
	p->deadline = now_ms() + timeout * 1000L;
	*pp = p;
	return 0;
fail:
	close_fd(&po[0]);
	close_fd(&po[1]);
	close_fd(&pe[0]);
	close_fd(&pe[1]);
	p->pid = -1;
	render_end(p);
	return -1;
}

size_t
render_fds(const struct render_proc *p, int *fds)
{
	size_t n = 0;

	if (p->out >= 0)
		fds[n++] = p->out;
	if (p->err >= 0)
		fds[n++] = p->err;
	return n;
}

long
render_wait_ms(const struct render_proc *p)
{
	long left = p->deadline - now_ms();

	if (left < 0)
		left = 0;
	/* an exited browser whose helpers hold the pipes sends no EOF */
	return left < REAP_MS ? left : REAP_MS;
}

/* Drains a descriptor: 1 at EOF. */
static int
drain(struct render_proc *p, int *fd, struct strbuf *sb, int tail)
{
	char buf[16384];
	ssize_t n;

	while (*fd >= 0) {
		n = read(*fd, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return 0;
		if (n <= 0) {
			close_fd(fd);
			return 1;
		}
		if (tail) {
			/* keep the end: the last lines say why it failed */
			const char *src = buf;
			size_t m = (size_t)n, drop;

			if (m > sb->cap) {
				src += m - sb->cap;
				m = sb->cap;
			}
			if (sb->len + m > sb->cap) {
				drop = sb->len + m - sb->cap;
				memmove(sb->buf, sb->buf + drop, sb->len - drop);
				strbuf_setlen(sb, sb->len - drop);
			}
			strbuf_add(sb, src, m);
		} else if (strbuf_add(sb, buf, (size_t)n) < 0) {
			p->toobig = 1;
			return 1;
		}
	}
	return 1;
}

int
render_step(struct render_proc *p)
{
	int st;

	drain(p, &p->out, p->body, 0);
	drain(p, &p->err, &p->errtail, 1);
	if (p->toobig)
		return 1;
	if (!p->exited && waitpid(p->pid, &st, WNOHANG) == p->pid) {
		p->exited = 1;
		p->status = st;
		/* what it wrote before exiting is in the pipe: take it all */
		drain(p, &p->out, p->body, 0);
		return 1;
	}
	if (now_ms() >= p->deadline) {
		p->timedout = 1;
		return 1;
	}
	return 0;
}

/* The last non-empty line the browser wrote on stderr. */
static void
last_line(struct strbuf *sb, struct strbuf *line)
{
	size_t e = sb->len, s;

	while (e && (sb->buf[e - 1] == '\n' || sb->buf[e - 1] == '\r' || sb->buf[e - 1] == ' '))
		e--;
	for (s = e; s && sb->buf[s - 1] != '\n'; s--)
		;
	strbuf_add(line, sb->buf + s, e - s);
}

int
render_end(struct render_proc *p)
{
	struct strbuf why = STRBUF_INIT;
	int rc = -1, st;

	if (p->pid > 0) {
		kill(-p->pid, SIGKILL);	/* the helpers, or all of it */
		if (!p->exited && waitpid(p->pid, &st, 0) == p->pid && !p->timedout &&
		    !p->toobig) {
			p->exited = 1;
			p->status = st;
		}
	}
	close_fd(&p->out);
	close_fd(&p->err);
	if (p->pid <= 0) {
		/* render_start failed: util_err is set */
	} else if (p->toobig) {
		util_seterr("%s: the rendered page is larger than %zu bytes", p->name,
		    p->body->cap);
	} else if (p->timedout) {
		util_seterr("%s timed out after %ld s", p->name, p->timeout);
	} else if (WIFSIGNALED(p->status)) {
		util_seterr("%s was killed by signal %d", p->name, WTERMSIG(p->status));
	} else if (WEXITSTATUS(p->status)) {
		last_line(&p->errtail, &why);
		util_seterr("%s exited with status %d%s%s", p->name, WEXITSTATUS(p->status),
		    why.len ? ": " : "", why.buf);
	} else if (!p->body->len) {
		util_seterr("%s printed no page", p->name);
	} else {
		rc = 0;
	}
	if (rc < 0 && p->body)
		strbuf_release(p->body);
	if (p->profile) {
		util_rmtree(p->profile);
		free(p->profile);
	}
	strbuf_release(&p->errtail);
	strbuf_release(&why);
	free(p->name);
	free(p);
	return rc;
}

#define INLINE_CODE 2048	/* bytes of inline script that can build a page */

/* The page's scripts, counted as libxml2 reads them: no tree is built, so
 * a page of millions of elements (one its normaliser refused as over its
 * memory budget) costs nothing more here. */
struct scan {
	size_t src, code;
	int code_on;		/* inside a script whose text is code */
};

static void
scan_start(void *ctx, const xmlChar *name, const xmlChar **atts)
{
	struct scan *s = ((htmlParserCtxtPtr)ctx)->_private;
	const xmlChar *type = NULL;
	int src = 0, data;
	size_t i;

	if (xmlStrcasecmp(name, (const xmlChar *)"script"))
		return;
	/* the parser lower-cases attribute names and drops repeated ones */
	for (i = 0; atts && atts[i]; i += 2) {
		if (xmlStrEqual(atts[i], (const xmlChar *)"type"))
			type = atts[i + 1] ? atts[i + 1] : (const xmlChar *)"";
		else if (xmlStrEqual(atts[i], (const xmlChar *)"src"))
			src = 1;
	}
	data = type && (xmlStrcasestr(type, (const xmlChar *)"json") ||
	    xmlStrcasestr(type, (const xmlChar *)"template"));
	if (!data && src)
		s->src++;
	s->code_on = !data && !src;
}

static void
scan_end(void *ctx, const xmlChar *name)
{
	struct scan *s = ((htmlParserCtxtPtr)ctx)->_private;

	s->code_on = 0;
}

static void
scan_text(void *ctx, const xmlChar *ch, int len)
{
	struct scan *s = ((htmlParserCtxtPtr)ctx)->_private;

	if (s->code_on && len > 0)
		s->code += (size_t)len;
}

int
render_scripted(const char *html, size_t len)
{
	htmlParserCtxtPtr ctxt;
	htmlDocPtr doc;
	struct scan s = { 0, 0, 0 };

	if (!len || len > INT_MAX || !(ctxt = htmlNewParserCtxt()))
		return 0;
	/* only these callbacks: no document, no tree */
	memset(ctxt->sax, 0, sizeof(*ctxt->sax));
	ctxt->sax->startElement = scan_start;
	ctxt->sax->endElement = scan_end;
	ctxt->sax->characters = scan_text;
	ctxt->sax->cdataBlock = scan_text;
	ctxt->_private = &s;
	doc = htmlCtxtReadMemory(ctxt, html, (int)len, NULL, NULL,
	    HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
	    HTML_PARSE_NONET);
	xmlFreeDoc(doc);	/* NULL: nothing built it */
	htmlFreeParserCtxt(ctxt);
	return s.src > 0 || s.code >= INLINE_CODE;
}

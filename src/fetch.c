/* Admission is ours, not curl's: an easy handle joins the multi handle only
 * when its host has a free slot (o->per_host) and fewer than o->jobs
 * transfers run in total. curl counts CURLOPT_TIMEOUT from the moment a
 * handle is added, pending queue included (CURLMOPT_MAX_HOST_CONNECTIONS(3)),
 * so a handle left waiting behind a slow host would time out before it
 * started. Each host has its own FIFO and a ready list holds the hosts that
 * could start one more transfer, so one slow host never holds back the
 * others and admission is O(1) per transfer. A timeout or 5xx gets one retry
 * after retry_delay_ms, scheduled without blocking others. */
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>

#include "fetch.h"
#include "render.h"
#include "text.h"
#include "util.h"

#define USER_AGENT "clausewatch/0.1 (legal terms monitor; +https://example.invalid/clausewatch)"

enum { XFER_WAIT, XFER_ACTIVE, XFER_DONE };

struct xfer {
	struct fetch_item *it;
	CURL *easy;
	struct render_proc *proc;	/* a render item's browser */
	struct curl_slist *hdrs;
	int toobig;
	int state;
	long due_ms;		/* retry not before */
	size_t host;		/* index into sched.h */
	size_t next;		/* in a host queue or the retry wait list */
	char *errbuf;		/* CURL_ERROR_SIZE while a transfer runs: one
				 * per watchlist document would be 5 MB of 20,000 */
};

static long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

static size_t
on_data(char *p, size_t size, size_t nmemb, void *arg)
{
	struct xfer *x = arg;
	size_t n = size * nmemb;

	if (strbuf_add(&x->it->body, p, n) < 0) {
		x->toobig = 1;
		return 0;	/* aborts the transfer with CURLE_WRITE_ERROR */
	}
	return n;
}

static char *
header(CURL *e, const char *name)
{
	struct curl_header *h;

	if (curl_easy_header(e, name, 0, CURLH_HEADER, -1, &h) != CURLHE_OK)
		return NULL;
	return xstrdup(h->value);
}

static int
setup(struct xfer *x, const struct fetch_opts *o)
{
	struct fetch_item *it = x->it;
	struct strbuf h = STRBUF_INIT;
	CURL *e;

	if (!(e = curl_easy_init())) {
		util_seterr("fetch %s: curl_easy_init failed", it->id);
		return -1;
	}
	x->easy = e;
	x->toobig = 0;
	x->errbuf = xmalloc(CURL_ERROR_SIZE);
	x->errbuf[0] = '\0';
	strbuf_release(&it->body);
	it->body.cap = o->max_size;
	curl_easy_setopt(e, CURLOPT_URL, it->url);
	curl_easy_setopt(e, CURLOPT_PRIVATE, x);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, x);
	curl_easy_setopt(e, CURLOPT_ERRORBUFFER, x->errbuf);
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https,file");
	/* a page must never redirect us onto the local disk */
	curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(e, CURLOPT_MAXREDIRS, 5L);
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT, o->connect_timeout);
	curl_easy_setopt(e, CURLOPT_TIMEOUT, o->timeout);
	curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)o->max_size);
	curl_easy_setopt(e, CURLOPT_USERAGENT, USER_AGENT);
	curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 2L);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	x->hdrs = curl_slist_append(NULL, "Accept: text/html,application/xhtml+xml,text/plain;q=0.9,*/*;q=0.5");
	if (it->etag && *it->etag && !strpbrk(it->etag, "\r\n")) {
		strbuf_addf(&h, "If-None-Match: %s", it->etag);
		x->hdrs = curl_slist_append(x->hdrs, h.buf);
		strbuf_reset(&h);
	}
	if (it->last_modified && *it->last_modified && !strpbrk(it->last_modified, "\r\n")) {
		strbuf_addf(&h, "If-Modified-Since: %s", it->last_modified);
		x->hdrs = curl_slist_append(x->hdrs, h.buf);
	}
	strbuf_release(&h);
	curl_easy_setopt(e, CURLOPT_HTTPHEADER, x->hdrs);
	it->tries++;
	return 0;
}

static void
teardown(struct xfer *x)
{
	curl_easy_cleanup(x->easy);
	curl_slist_free_all(x->hdrs);
	free(x->errbuf);
	x->easy = NULL;
	x->hdrs = NULL;
	x->errbuf = NULL;
}

static void
set_error(struct fetch_item *it, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void
set_error(struct fetch_item *it, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	if (it->tries > 1)
		strbuf_addf(&sb, " after %d tries", it->tries);
	free(it->error);
	it->error = strbuf_detach(&sb, NULL);
}

/* 1 when the transfer should be tried again. */
static int
finish(struct xfer *x, CURLcode rc)
{
	struct fetch_item *it = x->it;
	char *ct = NULL;

	curl_easy_getinfo(x->easy, CURLINFO_RESPONSE_CODE, &it->status);
	if (rc == CURLE_OK && (it->status == 0 || (it->status >= 200 && it->status < 300) ||
	    it->status == 304)) {
		it->ok = 1;
		it->not_modified = it->status == 304;
		curl_easy_getinfo(x->easy, CURLINFO_CONTENT_TYPE, &ct);
		if (ct)
			it->content_type = xstrdup(ct);
		it->etag_new = header(x->easy, "ETag");
		it->last_modified_new = header(x->easy, "Last-Modified");
		free(it->error);
		it->error = NULL;
		return 0;
	}
	strbuf_release(&it->body);
	if (x->toobig || rc == CURLE_FILESIZE_EXCEEDED) {
		set_error(it, "larger than %zu bytes", it->body.cap);
		return 0;
	}
	if (rc == CURLE_OK) {
		set_error(it, "HTTP %ld", it->status);
		return it->status >= 500 && it->tries < 2;
	}
	if (rc == CURLE_UNSUPPORTED_PROTOCOL || rc == CURLE_TOO_MANY_REDIRECTS) {
		set_error(it, "%s", x->errbuf[0] ? x->errbuf : curl_easy_strerror(rc));
		return 0;
	}
	set_error(it, "%s", x->errbuf[0] ? x->errbuf : curl_easy_strerror(rc));
	return (rc == CURLE_OPERATION_TIMEDOUT || rc == CURLE_COULDNT_CONNECT ||
	    rc == CURLE_GOT_NOTHING || rc == CURLE_RECV_ERROR ||
	    rc == CURLE_SEND_ERROR || rc == CURLE_PARTIAL_FILE) && it->tries < 2;
}

#define NIL ((size_t)-1)

/* One per host, plus one for the URLs without a host (file://, or a URL the
 * URL API refuses: curl then fails it quickly on its own). */
struct host {
	char *name;		/* lowercase; NULL for the hostless bucket */
	size_t qhead, qtail;	/* items not tried yet, FIFO */
	size_t rhead, rtail;	/* retries that are due: older, so first */
	size_t next_ready;
	int active, cap, ready;
};

struct sched {
	struct xfer *x;
	struct host *h;
	size_t nh, ah;
	size_t *slot;		/* host hash table: index + 1, 0 = empty */
	size_t nslot;		/* a power of two, at least 2 nh */
	size_t ready_head, ready_tail;	/* hosts that can start one more */
	size_t wait_head, wait_tail;	/* retries not due yet */
	size_t queued;		/* items in host queues */
	int active;		/* transfers on the multi handle, and renders */
	size_t *rend;		/* the running renders (at most jobs) */
	size_t nrend;
	struct curl_waitfd *wfd;	/* their pipes, for curl_multi_poll */
};

static char *
url_host(const char *url)
{
	CURLU *u;
	char *h = NULL, *r = NULL, *p;

	if (!(u = curl_url()))
		return NULL;
	if (curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_HOST, &h, 0) == CURLUE_OK && h && *h) {
		r = xstrdup(h);
		for (p = r; *p; p++)
			if (*p >= 'A' && *p <= 'Z')
				*p += 'a' - 'A';
	}
	curl_free(h);
	curl_url_cleanup(u);
	return r;
}

static struct host *
host_add(struct sched *s, char *name, int cap)
{
	struct host *h;

	ALLOC_GROW(s->h, s->nh + 1, s->ah);
	h = &s->h[s->nh++];
	memset(h, 0, sizeof(*h));
	h->name = name;
	h->cap = cap;
	h->qhead = h->qtail = h->rhead = h->rtail = h->next_ready = NIL;
	return h;
}

static size_t
host_slot(const struct sched *s, const char *name)
{
	size_t k = text_hash32(TEXT_HASH32_INIT, name, strlen(name)) & (s->nslot - 1);

	while (s->slot[k] && strcmp(s->h[s->slot[k] - 1].name, name))
		k = (k + 1) & (s->nslot - 1);
	return k;
}

/* The table grows with the hosts found, not with the items: a watchlist
 * has far fewer hosts than documents. */
static void
host_table_grow(struct sched *s)
{
	size_t i;

	if (2 * (s->nh + 1) <= s->nslot)
		return;
	free(s->slot);
	s->nslot = s->nslot ? 2 * s->nslot : 16;
	s->slot = xcalloc(s->nslot, sizeof(*s->slot));
	for (i = 1; i < s->nh; i++)
		s->slot[host_slot(s, s->h[i].name)] = i + 1;
}

static size_t
host_index(struct sched *s, const char *url, int cap)
{
	char *name = url_host(url);
	size_t k;

	if (!name)
		return 0;
	host_table_grow(s);
	k = host_slot(s, name);
	if (s->slot[k]) {
		free(name);
		return s->slot[k] - 1;
	}
	host_add(s, name, cap);
	s->slot[k] = s->nh;
	return s->nh - 1;
}

static void
mark_ready(struct sched *s, size_t hi)
{
	struct host *h = &s->h[hi];

	if (h->ready || h->active >= h->cap || (h->qhead == NIL && h->rhead == NIL))
		return;
	h->ready = 1;
	h->next_ready = NIL;
	if (s->ready_tail == NIL)
		s->ready_head = hi;
	else
		s->h[s->ready_tail].next_ready = hi;
	s->ready_tail = hi;
}

static void
push(struct xfer *x, size_t *head, size_t *tail, size_t i)
{
	x[i].next = NIL;
	if (*tail == NIL)
		*head = i;
	else
		x[*tail].next = i;
	*tail = i;
}

static size_t
pop(struct xfer *x, size_t *head, size_t *tail)
{
	size_t i = *head;

	if (i == NIL)
		return NIL;
	*head = x[i].next;
	if (*head == NIL)
		*tail = NIL;
	return i;
}

static void
enqueue(struct sched *s, size_t i, int retry)
{
	struct host *h = &s->h[s->x[i].host];

	if (retry)
		push(s->x, &h->rhead, &h->rtail, i);
	else
		push(s->x, &h->qhead, &h->qtail, i);
	s->queued++;
	mark_ready(s, s->x[i].host);
}

static void
complete(struct xfer *x, fetch_done_fn done, void *arg)
{
	x->state = XFER_DONE;
	done(x->it, arg);
}

/* --- renders: a browser process per item, its pipes polled with curl's */

static int
render_begin(struct sched *s, struct xfer *r, const struct fetch_opts *o)
{
	struct fetch_item *it = r->it;

	it->tries++;
	strbuf_release(&it->body);
	it->body.cap = o->max_size;
	if (!o->browser) {
		set_error(it, "%s", o->browser_error ? o->browser_error : "no browser");
		return -1;
	}
	if (render_start(o->browser, it->url, o->timeout, &it->body, &r->proc) < 0) {
		set_error(it, "%s", util_err());
		return -1;
	}
	r->state = XFER_ACTIVE;
	s->rend[s->nrend++] = (size_t)(r - s->x);
	return 0;
}

/* The renders' pipes into s->wfd; *timeout lowered to when one needs a
 * look without output (reaping, its deadline). */
static unsigned
render_poll_set(struct sched *s, int *timeout)
{
	unsigned n = 0;
	size_t i, k, nf;
	int fds[2];

	for (i = 0; i < s->nrend; i++) {
		struct render_proc *p = s->x[s->rend[i]].proc;
		long w = render_wait_ms(p);

		if (w >= 0 && w < *timeout)
			*timeout = (int)w;
		nf = render_fds(p, fds);
		for (k = 0; k < nf; k++) {
			s->wfd[n].fd = fds[k];
			s->wfd[n].events = CURL_WAIT_POLLIN;
			s->wfd[n].revents = 0;
			n++;
		}
	}
	return n;
}

/* Steps every running render; the finished ones complete. */
static int
render_collect(struct sched *s, fetch_done_fn done, void *arg)
{
	size_t i = 0;
	int completed = 0;

	while (i < s->nrend) {
		struct xfer *r = &s->x[s->rend[i]];
		struct fetch_item *it = r->it;

		if (!render_step(r->proc)) {
			i++;
			continue;
		}
		s->rend[i] = s->rend[--s->nrend];
		if (render_end(r->proc) < 0) {
			set_error(it, "%s", util_err());
		} else {
			it->ok = 1;
			it->status = 200;
			/* chromium serialises the DOM in UTF-8, whatever the page said */
			it->content_type = xstrdup("text/html; charset=utf-8");
			free(it->error);
			it->error = NULL;
		}
		r->proc = NULL;
		s->active--;
		s->h[r->host].active--;
		mark_ready(s, r->host);
		complete(r, done, arg);
		completed++;
	}
	return completed;
}

/* Start transfers while a slot is free overall and some host has one.
 * Hosts take turns, so a long queue on one host shares the jobs fairly. */
static void
admit(struct sched *s, CURLM *m, const struct fetch_opts *o, int jobs,
    fetch_done_fn done, void *arg)
{
	while (s->active < jobs && s->ready_head != NIL) {
		size_t hi = s->ready_head, i;
		struct host *h = &s->h[hi];
		struct xfer *r;
		CURLMcode mc;

		s->ready_head = h->next_ready;
		if (s->ready_head == NIL)
			s->ready_tail = NIL;
		h->ready = 0;
		if ((i = pop(s->x, &h->rhead, &h->rtail)) == NIL)
			i = pop(s->x, &h->qhead, &h->qtail);
		s->queued--;
		r = &s->x[i];
		if (r->it->render) {
			if (render_begin(s, r, o) < 0) {
				complete(r, done, arg);
			} else {
				h->active++;
				s->active++;
			}
		} else if (setup(r, o) < 0) {
			set_error(r->it, "%s", util_err());
			complete(r, done, arg);
		} else if ((mc = curl_multi_add_handle(m, r->easy)) != CURLM_OK) {
			teardown(r);
			set_error(r->it, "curl_multi_add_handle: %s", curl_multi_strerror(mc));
			complete(r, done, arg);
		} else {
			r->state = XFER_ACTIVE;
			h->active++;
			s->active++;
		}
		mark_ready(s, hi);
	}
}

/* done() stays once per item: what did not finish failed, with why. */
static void
fail_unfinished(struct sched *s, CURLM *m, size_t n, const char *why,
    fetch_done_fn done, void *arg)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (s->x[i].state == XFER_DONE)
			continue;
		if (s->x[i].easy) {
			curl_multi_remove_handle(m, s->x[i].easy);
			teardown(&s->x[i]);
		}
		if (s->x[i].proc) {
			render_end(s->x[i].proc);
			s->x[i].proc = NULL;
		}
		strbuf_release(&s->x[i].it->body);
		set_error(s->x[i].it, "%s", why);
		complete(&s->x[i], done, arg);
	}
}

/* Every item queued on its host; the multi handle's caps. */
static void
sched_init(struct sched *s, CURLM *m, struct fetch_item *items, size_t n, int jobs,
    int per_host)
{
	size_t i;

	memset(s, 0, sizeof(*s));
	s->x = xcalloc(n, sizeof(*s->x));
	s->rend = xcalloc((size_t)jobs, sizeof(*s->rend));
	s->wfd = xcalloc(2 * (size_t)jobs + 1, sizeof(*s->wfd));
	s->ready_head = s->ready_tail = s->wait_head = s->wait_tail = NIL;
	/* the hostless bucket: local files, no server to be polite to */
	host_add(s, NULL, jobs);
	/* Our admission makes curl's caps idle but for a redirect onto another
	 * host, which we do not account: they keep that polite too. */
	curl_multi_setopt(m, CURLMOPT_MAX_TOTAL_CONNECTIONS, (long)jobs);
	curl_multi_setopt(m, CURLMOPT_MAX_HOST_CONNECTIONS, (long)per_host);
	for (i = 0; i < n; i++) {
		s->x[i].it = &items[i];
		s->x[i].host = host_index(s, items[i].url, per_host);
		enqueue(s, i, 0);
	}
}

static void
sched_free(struct sched *s)
{
	size_t i;

	for (i = 0; i < s->nh; i++)
		free(s->h[i].name);
	free(s->h);
	free(s->slot);
	free(s->rend);
	free(s->wfd);
	free(s->x);
}

/* The transfers curl finished: each completes, or waits for its retry.
 * How many freed their slot. */
static int
collect(struct sched *s, CURLM *m, const struct fetch_opts *o, fetch_done_fn done,
    void *arg)
{
	CURLMsg *msg;
	int q, completed = 0;

	while ((msg = curl_multi_info_read(m, &q))) {
		struct xfer *r;

		if (msg->msg != CURLMSG_DONE)
			continue;
		curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&r);
		curl_multi_remove_handle(m, r->easy);
		s->active--;
		s->h[r->host].active--;
		mark_ready(s, r->host);
		completed++;
		r->state = XFER_WAIT;
		if (finish(r, msg->data.result)) {
			teardown(r);
			/* one fixed delay keeps the wait list sorted */
			r->due_ms = now_ms() + o->retry_delay_ms;
			push(s->x, &s->wait_head, &s->wait_tail, (size_t)(r - s->x));
			continue;
		}
		teardown(r);
		complete(r, done, arg);
	}
	if (s->nrend)
		completed += render_collect(s, done, arg);
	return completed;
}

/* Until a transfer, a render's pipe or the caller's fd (on_poll) has
 * something, or timeout ms (the next retry's due time at the latest). */
static int
wait_events(struct sched *s, CURLM *m, const struct fetch_opts *o, int timeout,
    void *arg)
{
	if (s->wait_head != NIL) {
		long d = s->x[s->wait_head].due_ms - now_ms();

		if (d < timeout)
			timeout = d > 0 ? (int)d : 0;
	}
	if (s->active) {
		unsigned nw = s->nrend ? render_poll_set(s, &timeout) : 0;

		if (o->on_poll) {
			s->wfd[nw].fd = o->poll_fd;
			s->wfd[nw].events = CURL_WAIT_POLLIN;
			s->wfd[nw++].revents = 0;
		}
		if (curl_multi_poll(m, s->wfd, nw, timeout, NULL) != CURLM_OK) {
			util_seterr("fetch: curl_multi_poll failed");
			return -1;
		}
		if (o->on_poll && s->wfd[nw - 1].revents)
			o->on_poll(arg);
	} else if (o->on_poll) {
		struct pollfd pfd = { o->poll_fd, POLLIN, 0 };

		if (poll(&pfd, 1, timeout) > 0)
			o->on_poll(arg);
	} else if (timeout > 0) {
		struct timespec ts = { timeout / 1000, (timeout % 1000) * 1000000L };

		nanosleep(&ts, NULL);
	}
	return 0;
}

/* Transfers run until none is left (0), the deadline passes (1) or the
 * multi handle fails (-1, util_err). */
static int
run_transfers(struct sched *s, CURLM *m, const struct fetch_opts *o, int jobs,
    fetch_done_fn done, void *arg)
{
	long end = o->deadline > 0 ? now_ms() + o->deadline * 1000 : 0;
	int running = 0;

	for (;;) {
		long now = now_ms();

		if (end && now >= end)
			return 1;	/* hung servers cannot hold a cron run */
		while (s->wait_head != NIL && s->x[s->wait_head].due_ms <= now)
			enqueue(s, pop(s->x, &s->wait_head, &s->wait_tail), 1);
		admit(s, m, o, jobs, done, arg);
		if (!s->active && !s->queued && s->wait_head == NIL)
			return 0;
		if (s->active) {
			if (curl_multi_perform(m, &running) != CURLM_OK) {
				util_seterr("fetch: curl_multi_perform failed");
				return -1;
			}
			if (collect(s, m, o, done, arg))
				continue;	/* fill the freed slots before waiting */
		}
		if (wait_events(s, m, o, 1000, arg) < 0)
			return -1;
	}
}

int
fetch_all(struct fetch_item *items, size_t n, const struct fetch_opts *o,
    fetch_done_fn done, void *arg)
{
	struct sched s;
	struct strbuf why = STRBUF_INIT;
	int rc, jobs, per_host;
	CURLM *m;

	if (!n)
		return 0;
	if (!(m = curl_multi_init())) {
		util_seterr("fetch: curl_multi_init failed");
		return -1;
	}
	jobs = o->jobs > 0 ? o->jobs : 1;
	per_host = o->per_host > 0 && o->per_host < jobs ? o->per_host : jobs;
	sched_init(&s, m, items, n, jobs, per_host);
	rc = run_transfers(&s, m, o, jobs, done, arg);
	if (rc < 0) {
		strbuf_addstr(&why, util_err());
	} else if (rc > 0) {
		strbuf_addf(&why, "not fetched within the run's deadline (%ld s)",
		    o->deadline);
		rc = 0;
	}
	/* done() stays once per item: what did not finish failed, with why */
	if (why.len)
		fail_unfinished(&s, m, n, why.buf, done, arg);
	if (rc < 0)
		util_seterr("%s", why.buf);
	strbuf_release(&why);
	curl_multi_cleanup(m);
	sched_free(&s);
	return rc;
}

void
fetch_item_release(struct fetch_item *it)
{
	strbuf_release(&it->body);
	free(it->content_type);
	free(it->etag_new);
	free(it->last_modified_new);
	free(it->error);
	it->content_type = it->etag_new = it->last_modified_new = it->error = NULL;
}

int
fetch_global_init(void)
{
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		util_seterr("curl_global_init failed");
		return -1;
	}
	return 0;
}

void
fetch_global_cleanup(void)
{
	curl_global_cleanup();
}

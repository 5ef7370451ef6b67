/* Transfers run in a window of o->jobs easy handles on one multi handle;
 * curl enforces the per-host and total connection caps. A timeout or 5xx
 * gets one retry after retry_delay_ms, scheduled without blocking others. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>

#include "fetch.h"
#include "util.h"

#define USER_AGENT "clausewatch/0.1 (legal terms monitor; +https://example.invalid/clausewatch)"

struct xfer {
	struct fetch_item *it;
	CURL *easy;
	struct curl_slist *hdrs;
	int toobig;
	long due_ms;		/* retry not before, 0 = now */
	char errbuf[CURL_ERROR_SIZE];
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
	x->easy = NULL;
	x->hdrs = NULL;
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

int
fetch_all(struct fetch_item *items, size_t n, const struct fetch_opts *o,
    fetch_done_fn done, void *arg)
{
	struct xfer *x;
	size_t next = 0, i, nretry = 0;
	size_t *retry;
	int running = 0, active = 0, rc = 0;
	CURLM *m;

	if (!n)
		return 0;
	if (!(m = curl_multi_init())) {
		util_seterr("fetch: curl_multi_init failed");
		return -1;
	}
	x = xcalloc(n, sizeof(*x));
	retry = xcalloc(n, sizeof(*retry));
	curl_multi_setopt(m, CURLMOPT_MAX_TOTAL_CONNECTIONS, (long)o->jobs);
	curl_multi_setopt(m, CURLMOPT_MAX_HOST_CONNECTIONS, (long)o->per_host);
	for (i = 0; i < n; i++)
		x[i].it = &items[i];

	while (next < n || active || nretry) {
		CURLMsg *msg;
		int q, timeout = 1000;
		long now = now_ms();

		/* retries first: they are older */
		for (i = 0; i < nretry && active < o->jobs * 2; ) {
			struct xfer *r = &x[retry[i]];

			if (r->due_ms > now) {
				if (r->due_ms - now < timeout)
					timeout = (int)(r->due_ms - now);
				i++;
				continue;
			}
			retry[i] = retry[--nretry];
			if (setup(r, o) < 0 || curl_multi_add_handle(m, r->easy) != CURLM_OK) {
				set_error(r->it, "%s", util_err());
				done(r->it, arg);
				continue;
			}
			active++;
		}
		/* keep a window of queued handles: curl's connection caps do the rest */
		while (next < n && active < o->jobs * 2) {
			struct xfer *r = &x[next++];

			if (setup(r, o) < 0 || curl_multi_add_handle(m, r->easy) != CURLM_OK) {
				set_error(r->it, "%s", util_err());
				done(r->it, arg);
				continue;
			}
			active++;
		}
		if (curl_multi_perform(m, &running) != CURLM_OK) {
			util_seterr("fetch: curl_multi_perform failed");
			rc = -1;
			break;
		}
		while ((msg = curl_multi_info_read(m, &q))) {
			struct xfer *r;

			if (msg->msg != CURLMSG_DONE)
				continue;
			curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&r);
			curl_multi_remove_handle(m, r->easy);
			active--;
			if (finish(r, msg->data.result)) {
				teardown(r);
				r->due_ms = now_ms() + o->retry_delay_ms * r->it->tries;
				retry[nretry++] = (size_t)(r - x);
				continue;
			}
			teardown(r);
			done(r->it, arg);
		}
		if (active && curl_multi_poll(m, NULL, 0, timeout, NULL) != CURLM_OK) {
			util_seterr("fetch: curl_multi_poll failed");
			rc = -1;
			break;
		}
		if (!active && nretry) {
			struct timespec ts = { timeout / 1000, (timeout % 1000) * 1000000L };

			nanosleep(&ts, NULL);
		}
	}
	for (i = 0; i < n; i++)
		if (x[i].easy) {
			curl_multi_remove_handle(m, x[i].easy);
			teardown(&x[i]);
		}
	curl_multi_cleanup(m);
	free(x);
	free(retry);
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

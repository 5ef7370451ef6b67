/* fetch_all against a real HTTP server (tests/slowhttpd.py) on 127.0.0.1 and
 * 127.0.0.2: per-host admission, no head-of-line blocking, retries. */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fetch.h"
#include "strbuf.h"
#include "util.h"

static pid_t srv_pid = -1;
static int srv_stdin = -1;
static int srv_port[2];

static const char *
script(void)
{
	static char path[4096];
	const char *slash = strrchr(__FILE__, '/');

	if (slash) {
		snprintf(path, sizeof(path), "%.*s/slowhttpd.py", (int)(slash - __FILE__), __FILE__);
		if (access(path, R_OK) == 0)
			return path;
	}
	return "tests/slowhttpd.py";
}

static void
server_stop(void)
{
	int st;

	if (srv_stdin >= 0)
		close(srv_stdin);
	srv_stdin = -1;
	if (srv_pid > 0) {
		kill(srv_pid, SIGTERM);
		waitpid(srv_pid, &st, 0);
	}
	srv_pid = -1;
}

static void
server_start(void)
{
	int in[2], out[2], got = 0;
	char line[128];
	FILE *f;

	cr_assert(fetch_global_init() == 0);
	cr_assert(pipe(in) == 0 && pipe(out) == 0);
	srv_pid = fork();
	cr_assert(srv_pid >= 0);
	if (srv_pid == 0) {
		dup2(in[0], 0);
		dup2(out[1], 1);
		close(in[0]);
		close(in[1]);
		close(out[0]);
		close(out[1]);
		execlp("python3", "python3", script(), "127.0.0.1", "127.0.0.2", (char *)NULL);
		_exit(127);
	}
	close(in[0]);
	close(out[1]);
	srv_stdin = in[1];
	fcntl(srv_stdin, F_SETFD, FD_CLOEXEC);
	if ((f = fdopen(out[0], "r"))) {
		if (fgets(line, sizeof(line), f))
			got = sscanf(line, "ports %d %d", &srv_port[0], &srv_port[1]);
		fclose(f);
	} else {
		close(out[0]);
	}
	cr_assert_eq(got, 2, "slowhttpd.py did not start");
}

static void
teardown_all(void)
{
	server_stop();
	fetch_global_cleanup();
}

struct log {
	struct fetch_item *base;
	size_t n;
	int calls[64];
};

static void
on_done(struct fetch_item *it, void *arg)
{
	struct log *lg = arg;
	size_t i = (size_t)(it - lg->base);

	cr_assert_lt(i, lg->n);
	lg->calls[i]++;
}

static struct fetch_opts
opts(int jobs, int per_host, long timeout)
{
	struct fetch_opts o = { 0 };

	o.jobs = jobs;
	o.per_host = per_host;
	o.connect_timeout = 10;
	o.timeout = timeout;
	o.max_size = 1 << 20;
	o.retry_delay_ms = 100;
	return o;
}

static void
items_init(struct fetch_item *it, size_t n, struct strbuf *urls)
{
	size_t i;

	memset(it, 0, n * sizeof(*it));
	for (i = 0; i < n; i++) {
		it[i].id = urls[i].buf;
		it[i].url = urls[i].buf;
		strbuf_init(&it[i].body, 0);
	}
}

static void
items_free(struct fetch_item *it, size_t n, struct strbuf *urls)
{
	size_t i;

	for (i = 0; i < n; i++) {
		fetch_item_release(&it[i]);
		strbuf_release(&urls[i]);
	}
}

/* max: the most requests the listener served at once; served: answered */
static void
stats(int host, int *max, int *served)
{
	struct strbuf url = STRBUF_INIT;
	struct fetch_item it;
	struct fetch_opts o = opts(1, 1, 30);
	struct log lg = { &it, 1, { 0 } };
	int now, got;

	strbuf_addf(&url, "http://127.0.0.%d:%d/stats", host + 1, srv_port[host]);
	items_init(&it, 1, &url);
	cr_assert_eq(fetch_all(&it, 1, &o, on_done, &lg), 0);
	cr_assert(it.ok, "stats: %s", it.error);
	got = sscanf(it.body.buf, "max=%d now=%d served=%d", max, &now, served);
	cr_assert_eq(got, 3, "stats: %s", it.body.buf);
	items_free(&it, 1, &url);
}

/* Twelve 1-second answers from one host, two at a time, a 3-second timeout:
 * a handle waiting in curl's per-host queue would time out there. */
Test(fetch, one_slow_host_no_timeouts, .init = server_start, .fini = teardown_all,
    .timeout = 120)
{
	enum { N = 12 };
	struct strbuf urls[N];
	struct fetch_item it[N];
	struct fetch_opts o = opts(8, 2, 3);
	struct log lg = { it, N, { 0 } };
	int max, served;
	size_t i;

	for (i = 0; i < N; i++) {
		strbuf_init(&urls[i], 0);
		strbuf_addf(&urls[i], "http://127.0.0.1:%d/slow/1?doc=%zu", srv_port[0], i);
	}
	items_init(it, N, urls);
	cr_assert_eq(fetch_all(it, N, &o, on_done, &lg), 0);
	for (i = 0; i < N; i++) {
		cr_expect_eq(lg.calls[i], 1, "done() %d times for %zu", lg.calls[i], i);
		cr_expect(it[i].ok, "item %zu: %s", i, it[i].error);
		cr_expect_eq(it[i].status, 200);
		cr_expect_eq(it[i].tries, 1, "item %zu tried %d times", i, it[i].tries);
		cr_expect_str_eq(it[i].body.buf, "slept 1");
	}
	items_free(it, N, urls);
	stats(0, &max, &served);
	cr_expect(max >= 1 && max <= 2, "the host saw %d requests at once", max);
	cr_expect_eq(served, N, "the host answered %d requests", served);
}

/* Host A's answers wait (up to 10 s) until host B has answered 4 requests;
 * B's documents come after A's in the list, so they must not queue behind
 * A's per-host limit. */
Test(fetch, other_hosts_not_held_behind_one, .init = server_start,
    .fini = teardown_all, .timeout = 120)
{
	enum { NA = 6, NB = 4, N = NA + NB };
	struct strbuf urls[N];
	struct fetch_item it[N];
	struct fetch_opts o = opts(8, 2, 30);
	struct log lg = { it, N, { 0 } };
	int max, served;
	size_t i;

	for (i = 0; i < N; i++) {
		strbuf_init(&urls[i], 0);
		if (i < NA)
			strbuf_addf(&urls[i], "http://127.0.0.1:%d/gate/%d?doc=%zu",
			    srv_port[0], NB, i);
		else
			strbuf_addf(&urls[i], "http://127.0.0.2:%d/slow/0.2?doc=%zu",
			    srv_port[1], i);
	}
	items_init(it, N, urls);
	cr_assert_eq(fetch_all(it, N, &o, on_done, &lg), 0);
	for (i = 0; i < N; i++) {
		cr_expect_eq(lg.calls[i], 1, "done() %d times for %zu", lg.calls[i], i);
		cr_expect(it[i].ok, "item %zu: %s", i, it[i].error);
		cr_expect_str_eq(it[i].body.buf, i < NA ? "open" : "slept 0.2",
		    "item %zu", i);
	}
	items_free(it, N, urls);
	stats(0, &max, &served);
	cr_expect(max >= 1 && max <= 2, "host A saw %d requests at once", max);
	cr_expect_eq(served, NA);
	stats(1, &max, &served);
	cr_expect(max >= 1 && max <= 2, "host B saw %d requests at once", max);
	cr_expect_eq(served, NB);
}

/* One retry for 5xx and timeouts, none for 4xx; retries queue on their host
 * like the rest, and a bad URL or a local file fails or passes on its own. */
Test(fetch, retries_and_hostless, .init = server_start, .fini = teardown_all,
    .timeout = 120)
{
	enum { N = 9 };
	struct strbuf urls[N];
	struct fetch_item it[N];
	struct fetch_opts o = opts(4, 1, 1);
	struct log lg = { it, N, { 0 } };
	char path[] = "/tmp/test_fetch_XXXXXX";
	int fd, max, served;
	size_t i;

	fd = mkstemp(path);
	cr_assert(fd >= 0);
	cr_assert_eq(write(fd, "local text\n", 11), 11);
	close(fd);
	for (i = 0; i < N; i++)
		strbuf_init(&urls[i], 0);
	strbuf_addf(&urls[0], "http://127.0.0.1:%d/flaky/a", srv_port[0]);
	strbuf_addf(&urls[1], "http://127.0.0.1:%d/status/503", srv_port[0]);
	strbuf_addf(&urls[2], "http://127.0.0.1:%d/status/404", srv_port[0]);
	/* the server keeps sleeping for a client that gave up: another host */
	strbuf_addf(&urls[3], "http://127.0.0.2:%d/slow/4", srv_port[1]);
	strbuf_addf(&urls[4], "http://127.0.0.1:%d/slow/0?x", srv_port[0]);
	strbuf_addf(&urls[5], "file://%s", path);
	strbuf_addf(&urls[6], "file://%s", path);
	strbuf_addstr(&urls[7], "http://[::1");
	strbuf_addf(&urls[8], "HTTP://127.0.0.1:%d/slow/0?y", srv_port[0]);
	items_init(it, N, urls);
	cr_assert_eq(fetch_all(it, N, &o, on_done, &lg), 0);
	unlink(path);
	for (i = 0; i < N; i++)
		cr_expect_eq(lg.calls[i], 1, "done() %d times for %zu", lg.calls[i], i);
	cr_expect(it[0].ok && it[0].tries == 2, "flaky: %s, %d tries", it[0].error, it[0].tries);
	cr_expect(!it[1].ok && it[1].tries == 2);
	cr_expect_str_eq(it[1].error ? it[1].error : "", "HTTP 503 after 2 tries");
	cr_expect(!it[2].ok && it[2].tries == 1);
	cr_expect_str_eq(it[2].error ? it[2].error : "", "HTTP 404");
	cr_expect(!it[3].ok && it[3].tries == 2, "timeout: %d tries", it[3].tries);
	cr_expect(it[3].error && strstr(it[3].error, "after 2 tries"), "%s", it[3].error);
	cr_expect(it[4].ok && it[8].ok);
	for (i = 5; i <= 6; i++) {
		cr_expect(it[i].ok, "file: %s", it[i].error);
		cr_expect_eq(it[i].status, 0);
		cr_expect_str_eq(it[i].body.buf, "local text\n");
	}
	cr_expect(!it[7].ok && it[7].error, "a bad URL fails");
	items_free(it, N, urls);
	stats(0, &max, &served);
	cr_expect_eq(max, 1, "per_host 1, but %d requests at once", max);
}

Test(fetch, nothing_to_do)
{
	struct fetch_opts o = opts(2, 2, 1);

	cr_expect_eq(fetch_all(NULL, 0, &o, on_done, NULL), 0);
}

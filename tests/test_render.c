/* render: the browser process, played by small shell scripts (the real
 * chromium is exercised by tests/e2e/test_pdf_render.py). */
#include <criterion/criterion.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "render.h"
#include "strbuf.h"
#include "testutil.h"
#include "util.h"
#include "xmlmem.h"

static char dir[] = "/tmp/cw-render-XXXXXX";

static void
setup(void)
{
	cr_assert_not_null(mkdtemp(dir));
}

static void
teardown(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	cr_expect_eq(system(cmd), 0);
}

TestSuite(render, .init = setup, .fini = teardown);

/* A browser that runs body as a shell script; returns its path. */
static char *
fake(const char *name, const char *body)
{
	static char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	cr_assert_not_null(f = fopen(path, "w"));
	fprintf(f, "#!/bin/sh\n%s\n", body);
	cr_assert_eq(fclose(f), 0);
	cr_assert_eq(chmod(path, 0755), 0);
	return path;
}

/* What the caller of render does: poll, step, end. */
static int
render(const char *browser, const char *url, long timeout, struct strbuf *out)
{
	struct render_proc *p;
	struct pollfd pf[2];
	int fds[2];
	size_t n, i;

	if (render_start(browser, url, timeout, out, &p) < 0)
		return -1;
	do {
		n = render_fds(p, fds);
		for (i = 0; i < n; i++) {
			pf[i].fd = fds[i];
			pf[i].events = POLLIN;
		}
		poll(pf, n, (int)render_wait_ms(p));
	} while (!render_step(p));
	return render_end(p);
}

Test(render, find)
{
	char *path = NULL, *saved = xstrdup(getenv("PATH") ? getenv("PATH") : "/usr/bin:/bin");

	setenv("CLAUSEWATCH_CHROMIUM", "/nonexistent/chromium", 1);
	cr_expect_eq(render_find(&path), -1);
	cr_expect(strstr(util_err(), "not installed"), "%s", util_err());
	setenv("CLAUSEWATCH_CHROMIUM", fake("mybrowser", "exit 0"), 1);
	cr_assert_eq(render_find(&path), 0, "%s", util_err());
	cr_expect_str_eq(path, fake("mybrowser", "exit 0"));
	free(path);
	/* a bare name is looked up in PATH */
	setenv("PATH", dir, 1);
	setenv("CLAUSEWATCH_CHROMIUM", "mybrowser", 1);
	cr_assert_eq(render_find(&path), 0, "%s", util_err());
	cr_expect_str_eq(path, fake("mybrowser", "exit 0"));
	free(path);
	unsetenv("CLAUSEWATCH_CHROMIUM");
	cr_expect_eq(render_find(&path), -1);
	cr_expect(strstr(util_err(), "chromium is not installed"), "%s", util_err());
	setenv("PATH", saved, 1);
	free(saved);
}

/* The URL is one argument, after "--", exactly as written: no shell ever
 * sees it. */
Test(render, url_is_one_argument)
{
	static const char url[] = "http://127.0.0.1:9/a b?x=$(touch pwned);y='`id`'&z=\"q\"";
	struct strbuf out;
	const char *last, *prev;

	strbuf_init(&out, 1 << 16);
	cr_assert_eq(render(fake("args", "for a in \"$@\"; do printf '%s\\n' \"$a\"; done"),
	    url, 10, &out), 0, "%s", util_err());
	cr_assert(out.len > 0 && out.buf[out.len - 1] == '\n');
	out.buf[--out.len] = '\0';
	last = strrchr(out.buf, '\n');
	cr_assert_not_null(last);
	cr_expect_str_eq(last + 1, url);
	for (prev = last - 1; prev > out.buf && prev[-1] != '\n'; prev--)
		;
	cr_expect(!strncmp(prev, "--\n", 3), "%s", out.buf);
	cr_expect(!strncmp(out.buf, "--headless\n", 11), "%s", out.buf);
	cr_expect(strstr(out.buf, "\n--dump-dom\n"), "%s", out.buf);
	cr_expect(strstr(out.buf, "\n--user-data-dir=/"), "%s", out.buf);
	cr_expect(access("pwned", F_OK) < 0);
	strbuf_release(&out);
}

Test(render, output_and_profile_removed)
{
	struct strbuf out;
	char profile[512] = "";
	FILE *f;

	strbuf_init(&out, 1 << 16);
	/* prints the page; notes where its profile was */
	cr_assert_eq(render(fake("ok", "for a in \"$@\"; do case $a in --user-data-dir=*) "
	    "echo \"${a#--user-data-dir=}\" > \"$(dirname \"$0\")/profile\"; "
	    "touch \"${a#--user-data-dir=}/Cookies\";; esac; done; "
	    "echo '<html><body><p>Hello</p></body></html>'"), "http://x.invalid/", 10,
	    &out), 0, "%s", util_err());
	cr_expect_str_eq(out.buf, "<html><body><p>Hello</p></body></html>\n");
	snprintf(profile, sizeof(profile), "%s/profile", dir);
	cr_assert_not_null(f = fopen(profile, "r"));
	cr_assert_not_null(fgets(profile, sizeof(profile), f));
	fclose(f);
	profile[strcspn(profile, "\n")] = '\0';
	cr_expect(access(profile, F_OK) < 0, "profile %s left behind", profile);
	strbuf_release(&out);
}

Test(render, exit_status_and_its_reason)
{
	struct strbuf out;

	strbuf_init(&out, 1 << 16);
	cr_expect_eq(render(fake("fail", "echo noise >&2; echo 'cannot open display' >&2; "
	    "echo partial; exit 3"), "http://x.invalid/", 10, &out), -1);
	cr_expect(strstr(util_err(), "fail exited with status 3: cannot open display"), "%s",
	    util_err());
	cr_expect_eq(out.len, 0);
	cr_expect_eq(render(fake("silent", "exit 0"), "http://x.invalid/", 10, &out), -1);
	cr_expect(strstr(util_err(), "printed no page"), "%s", util_err());
	strbuf_release(&out);
}

Test(render, size_cap)
{
	struct strbuf out;

	strbuf_init(&out, 1000);
	cr_expect_eq(render(fake("big", "yes '<p>terms</p>' | head -c 100000; sleep 30"),
	    "http://x.invalid/", 60, &out), -1);
	cr_expect(strstr(util_err(), "larger than 1000 bytes"), "%s", util_err());
	cr_expect_eq(out.len, 0);
	strbuf_release(&out);
}

/* The whole process group goes at the timeout: a helper the browser
 * started does not outlive it. */
Test(render, timeout_kills_the_group)
{
	struct strbuf out, pid = STRBUF_INIT, stat = STRBUF_INIT;
	char path[256];

	strbuf_init(&out, 1 << 16);
	snprintf(path, sizeof(path), "%s/helper.pid", dir);
	cr_expect_eq(render(fake("hang", "sleep 300 & echo $! > \"$(dirname \"$0\")/helper.pid\"; "
	    "echo '<html>'; wait"), "http://x.invalid/", 1, &out), -1);
	cr_expect(strstr(util_err(), "hang timed out after 1 s"), "%s", util_err());
	cr_assert_eq(util_read_file(path, 64, &pid), 0);
	strbuf_trim(&pid);
	snprintf(path, sizeof(path), "/proc/%s/stat", pid.buf);
	/* gone, or a zombie waiting for init */
	if (util_read_file(path, 4096, &stat) == 0)
		cr_expect(strstr(stat.buf, ") Z "), "helper %s still runs: %s", pid.buf, stat.buf);
	strbuf_release(&out);
	strbuf_release(&pid);
	strbuf_release(&stat);
}

Test(render, scripted)
{
	static const char shell[] = "<!doctype html><html><head><script src=\"/app.js\">"
	    "</script></head><body><div id=\"root\"></div></body></html>";
	static const char data[] = "<html><head><script type=\"application/ld+json\">"
	    "{\"a\":1}</script></head><body><main>Terms</main></body></html>";
	static const char plain[] = "<html><body><main><p>Terms</p></main></body></html>";
	struct strbuf big = STRBUF_INIT;
	int i;

	cr_expect(render_scripted(shell, sizeof(shell) - 1));
	cr_expect(!render_scripted(data, sizeof(data) - 1));
	cr_expect(!render_scripted(plain, sizeof(plain) - 1));
	strbuf_addstr(&big, "<html><body><div id=app></div><script>");
	for (i = 0; i < 200; i++)
		strbuf_addstr(&big, "app.render(h('p', 'x'));\n");
	strbuf_addstr(&big, "</script></body></html>");
	cr_expect(render_scripted(big.buf, big.len));
	strbuf_release(&big);
}

static void
count_libxml2(void)
{
	xmlmem_init();
}

/* The scan builds no tree: libxml2 holds little more than its copy of the
 * page, whatever the markup (2 MiB of it that the normaliser refuses as
 * over its memory budget; a tree would take 30 times the page).  A script
 * below libxml2's depth limit for trees (256) is seen too. */
Test(render, scripted_scan_builds_no_tree, .init = count_libxml2)
{
	struct strbuf h = STRBUF_INIT;
	struct xmlmem m;
	int i;

	strbuf_addstr(&h, "<html><body>");
	for (i = 0; i < 1 << 18; i++)
		strbuf_addstr(&h, "<i>x</i>");
	for (i = 0; i < 300; i++)
		strbuf_addstr(&h, "<div>");
	strbuf_addstr(&h, "<script>");
	for (i = 0; i < 100; i++)
		strbuf_addstr(&h, "app.render(h('p', 'x'));\n");
	strbuf_addstr(&h, "</script></body></html>");
	xmlmem_begin(&m, 0);
	cr_expect(render_scripted(h.buf, h.len));
	xmlmem_end(&m);
	cr_expect_lt(m.peak, 3 * h.len, "%zu bytes for a page of %zu", m.peak,
	    h.len);
	/* what libxml2 keeps of the last parse error for this thread */
	cr_expect_lt(m.live, 4096, "%zu", m.live);
	strbuf_release(&h);
}

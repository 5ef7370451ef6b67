/* Watchlist loading through libgit2's config parser, and its validation. */
#include <criterion/criterion.h>
#include <git2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "judge.h"
#include "util.h"
#include "watchlist.h"

static char dir[64];

static void
setup(void)
{
	git_libgit2_init();
	strcpy(dir, "/tmp/cw-wl-XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
}

static void
teardown(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	cr_assert_eq(system(cmd), 0);
	git_libgit2_shutdown();
}

static void
put(const char *name, const char *text)
{
	char p[128];
	FILE *f;

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	cr_assert_not_null(f = fopen(p, "w"));
	fputs(text, f);
	fclose(f);
}

TestSuite(watchlist, .init = setup, .fini = teardown);

Test(watchlist, ids)
{
	cr_assert(watchlist_id_ok("faceplusplus/privacy-policy"));
	cr_assert(watchlist_id_ok("realsee.developer_agreement"));
	cr_assert(!watchlist_id_ok("a/b/c"));
	cr_assert(!watchlist_id_ok("../etc"));
	cr_assert(!watchlist_id_ok("a/.."));
	cr_assert(!watchlist_id_ok("a/..b"));
	cr_assert(!watchlist_id_ok("/abs"));
	cr_assert(!watchlist_id_ok("a/"));
	cr_assert(!watchlist_id_ok("Upper/case"));
	cr_assert(!watchlist_id_ok(".git/config"));
	cr_assert(!watchlist_id_ok("a/.git"));
	cr_assert(!watchlist_id_ok(""));
	cr_assert(!watchlist_id_ok("sp ace"));
	/* read as an option by clausewatch diff ID and by git */
	cr_assert(!watchlist_id_ok("-x"));
	cr_assert(!watchlist_id_ok("--help"));
	cr_assert(!watchlist_id_ok("a/-b"));
	cr_assert(watchlist_id_ok("a-/b-c"));
}

/* A title is a commit subject and a mail subject: a line break in it
 * (git-config's "\n" escape) would add trailers or headers. */
Test(watchlist, title_with_a_line_break_is_refused)
{
	struct watchlist wl;
	struct strbuf err = STRBUF_INIT;
	char want[256];

	put("x.conf", "[document \"ok/a\"]\n"
	    "\turl = file:///tmp/a.html\n"
	    "\ttitle = \"Terms\\nMaterial: no\"\n"
	    "[document \"ok/b\"]\n"
	    "\turl = file:///tmp/b.html\n"
	    "\ttitle = Terms\\bBcc: x@example.com\n"
	    "[document \"ok/c\"]\n"
	    "\turl = file:///tmp/c.html\n"
	    "\ttitle = Terms \xe2\x80\x94 fine\n");
	cr_assert_eq(watchlist_load(dir, &wl, &err), -1);
	snprintf(want, sizeof(want), "%s/x.conf:3: title holds a control", dir);
	cr_assert(strstr(err.buf, want), "%s", err.buf);
	snprintf(want, sizeof(want), "%s/x.conf:6: title holds a control", dir);
	cr_assert(strstr(err.buf, want), "%s", err.buf);
	cr_assert_null(strstr(err.buf, "x.conf:9"), "%s", err.buf);
	watchlist_free(&wl);
	strbuf_release(&err);
}

Test(watchlist, loads_and_merges_files)
{
	struct watchlist wl;
	struct strbuf err = STRBUF_INIT;
	const struct watchlist_doc *d;

	put("a.conf", "[document \"face/privacy\"]\n"
	    "\turl = https://example.com/privacy\n"
	    "\ttitle = Face Privacy\n"
	    "\tselect = main article\n\tselect = \"#terms\"\n"
	    "\tremove = .cookie-banner\n"
	    "\tteam = legal\n\tteam = eng\n"
	    "\tmaterial = fees, security\n"
	    "[team \"legal\"]\n\temail = a@example.com\n\temail = b@example.com\n"
	    "[remind]\n\tdays = 7, 30, 1, 30\n");
	put("b.conf", "[team \"eng\"]\n\temail = eng@example.com\n\tnotify = all\n"
	    "[smtp]\n\thost = 127.0.0.1\n\tport = 2525\n[mail]\n\tfrom = cw@example.com\n");
	put("ignored.txt", "not a conf\n");
	cr_assert_eq(watchlist_load(dir, &wl, &err), 0, "%s", err.buf);
	cr_assert_eq(wl.ndoc, 1);
	d = watchlist_doc(&wl, "face/privacy");
	cr_assert_not_null(d);
	cr_assert_str_eq(d->title, "Face Privacy");
	cr_assert_eq(d->nselect, 2);
	cr_assert_str_eq(d->select[1], "#terms");
	cr_assert_eq(d->nremove, 1);
	cr_assert_eq(d->nteam, 2);
	cr_assert_eq(d->material, (1u << JUDGE_C_FEES) | (1u << JUDGE_C_SECURITY));
	cr_assert_eq(watchlist_team(&wl, "legal")->nemail, 2);
	cr_assert(watchlist_team(&wl, "eng")->notify_all);
	cr_assert_str_eq(wl.smtp.host, "127.0.0.1");
	cr_assert_eq(wl.smtp.port, 2525);
	cr_assert_str_eq(wl.mail_from, "cw@example.com");
	cr_assert_eq(wl.nremind, 3);
	cr_assert_eq(wl.remind[0], 30);
	cr_assert_eq(wl.remind[1], 7);
	cr_assert_eq(wl.remind[2], 1);
	cr_assert_eq(wl.jobs, 8);
	watchlist_free(&wl);
	strbuf_release(&err);
}

Test(watchlist, reports_all_problems_with_lines)
{
	struct watchlist wl;
	struct strbuf err = STRBUF_INIT;
	char want[256];

	put("x.conf", "[document \"ok/a\"]\n"		/* 1 */
	    "\turl = file:///tmp/a.html\n"		/* 2 */
	    "\tmaterial = weather\n"			/* 3 */
	    "[document \"bad//id\"]\n"			/* 4 */
	    "\turl = https://example.com/\n"		/* 5 */
	    "[team \"t\"]\n"				/* 6 */
	    "\temail = l\xc3\xa9gal@example.com\n"	/* 7 */
	    "[smtp]\n\tsecurity = tls\n"		/* 8, 9 */
	    "[document \"ok/b\"]\n\turl = https://example.com/b\n"	/* 10, 11 */
	    "\tselect = #main\n"			/* 12: a comment, so empty */
	    "[run]\n\tmax-size = 99999999999999999999m\n"	/* 13, 14 */
	    "[mail]\n\tfrom = Watch <cw@example.com>\n");	/* 15, 16 */
	cr_assert_eq(watchlist_load(dir, &wl, &err), -1);
	snprintf(want, sizeof(want), "%s/x.conf:3: material: unknown category 'weather'", dir);
	cr_assert(strstr(err.buf, want), "%s", err.buf);
	snprintf(want, sizeof(want), "%s/x.conf:4: document id 'bad//id'", dir);
	cr_assert(strstr(err.buf, want), "%s", err.buf);
	snprintf(want, sizeof(want), "%s/x.conf:7: email 'l\xc3\xa9gal@example.com'", dir);
	cr_assert(strstr(err.buf, want), "%s", err.buf);
	snprintf(want, sizeof(want), "%s/x.conf:9: security = tls", dir);
	cr_assert(strstr(err.buf, want), "%s", err.buf);
	cr_assert(strstr(err.buf, "team 't' has no email"), "%s", err.buf);
	snprintf(want, sizeof(want), "%s/x.conf:12: select needs a value (quote", dir);
	cr_assert(strstr(err.buf, want), "%s", err.buf);
	snprintf(want, sizeof(want), "%s/x.conf:14: max-size '99999999999999999999m'", dir);
	cr_assert(strstr(err.buf, want), "%s", err.buf);
	/* what check accepts, mail_compose can send */
	snprintf(want, sizeof(want), "%s/x.conf:16: from 'Watch <cw@example.com>'", dir);
	cr_assert(strstr(err.buf, want), "%s", err.buf);
	watchlist_free(&wl);
	strbuf_release(&err);
}

/* Selectors are checked on demand (check: all documents; run: the ones it
 * fetches), each bad one named with its line, the others left alone. */
Test(watchlist, bad_selectors_are_named_on_demand)
{
	struct watchlist wl;
	struct strbuf err = STRBUF_INIT;
	char want[256];

	put("x.conf", "[team \"t\"]\n\temail = t@example.com\n"	/* 1, 2 */
	    "[document \"ok/a\"]\n"				/* 3 */
	    "\turl = file:///tmp/a.html\n\tteam = t\n"		/* 4, 5 */
	    "\tselect = main\n"				/* 6 */
	    "\tselect = \"range(startBefore: h1\"\n"		/* 7 */
	    "\tremove = nav\n"				/* 8 */
	    "\tremove = p:hover\n"				/* 9 */
	    "[document \"ok/b\"]\n"				/* 10 */
	    "\turl = file:///tmp/b.html\n\tteam = t\n"		/* 11, 12 */
	    "\tselect = article\n");				/* 13 */
	cr_assert_eq(watchlist_load(dir, &wl, &err), 0, "%s", err.buf);
	cr_assert_eq(watchlist_check_selectors(watchlist_doc(&wl, "ok/b"), &err), 0,
	    "%s", err.buf);
	cr_assert_eq(err.len, 0, "%s", err.buf);
	cr_assert_eq(watchlist_check_selectors(watchlist_doc(&wl, "ok/a"), &err), -1);
	snprintf(want, sizeof(want), "%s/x.conf:7: select: range", dir);
	cr_assert(strstr(err.buf, want), "%s", err.buf);
	snprintf(want, sizeof(want), "%s/x.conf:9: remove: ", dir);
	cr_assert(strstr(err.buf, want), "%s", err.buf);
	cr_assert(strstr(err.buf, "'p:hover'"), "%s", err.buf);
	cr_assert_null(strstr(err.buf, "x.conf:6"), "%s", err.buf);
	cr_assert_null(strstr(err.buf, "x.conf:8"), "%s", err.buf);
	watchlist_free(&wl);
	strbuf_release(&err);
}

Test(watchlist, empty_folder_is_an_error)
{
	struct watchlist wl;
	struct strbuf err = STRBUF_INIT;

	cr_assert_eq(watchlist_load(dir, &wl, &err), -1);
	cr_assert(strstr(err.buf, "no *.conf files"));
	watchlist_free(&wl);
	strbuf_release(&err);
	cr_assert_eq(watchlist_load("/nonexistent-cw", &wl, &err), -1);
	watchlist_free(&wl);
	strbuf_release(&err);
}

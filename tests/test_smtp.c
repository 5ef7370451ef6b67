/* smtp: the settings check, and the transport against real SMTP servers
 * on 127.0.0.1 (tests/smtpsink.py) that misbehave on purpose. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <ftw.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>

#include "smtp.h"
#include "strbuf.h"
#include "util.h"
#include "sinkutil.h"

static char tmpdir[64];
static pid_t sink;

static int
rm_cb(const char *p, const struct stat *st, int flag, struct FTW *f)
{
	(void)st, (void)flag, (void)f;
	return remove(p);
}

static void
setup(void)
{
	strcpy(tmpdir, "/tmp/cw_smtp_XXXXXX");
	cr_assert(mkdtemp(tmpdir));
}

static void
teardown(void)
{
	if (sink > 0) {
		kill(sink, SIGKILL);
		waitpid(sink, NULL, 0);
		sink = 0;
	}
	if (tmpdir[0] && !getenv("CW_TEST_KEEP"))
		nftw(tmpdir, rm_cb, 16, FTW_DEPTH | FTW_PHYS);
}

TestSuite(smtp, .init = setup, .fini = teardown);

static const char *const to1[] = { "legal@example.com" };

Test(smtp, check_config)
{
	struct watchlist_smtp s;
	struct strbuf e = STRBUF_INIT;

	memset(&s, 0, sizeof(s));
	cr_assert_eq(smtp_check_config(&s, &e), 0);	/* outbox */
	s.host = "smtp.example.com";
	s.port = 25;
	cr_assert_eq(smtp_check_config(&s, &e), 0);
	s.port = 465;
	cr_assert_eq(smtp_check_config(&s, &e), -1);
	cr_assert(strstr(e.buf, "587"), "%s", e.buf);
	strbuf_reset(&e);
	s.port = 587;
	s.user = "me";
	cr_assert_eq(smtp_check_config(&s, &e), -1);
	cr_assert(strstr(e.buf, "starttls"), "%s", e.buf);
	strbuf_reset(&e);
	s.security = WL_SEC_STARTTLS;
	cr_assert_eq(smtp_check_config(&s, &e), 0, "%s", e.buf);
	s.password_file = "/nonexistent/pw";
	cr_assert_eq(smtp_check_config(&s, &e), -1);
	strbuf_release(&e);
}

/* ---- a real server on 127.0.0.1 that misbehaves ---- */

static void
start(int *port, struct strbuf *maildir, const char *const *extra)
{
	struct strbuf log = STRBUF_INIT;

	if (!have_aiosmtpd())
		cr_skip_test("python3-aiosmtpd is not installed");
	*port = free_port();
	strbuf_addf(maildir, "%s/sink", tmpdir);
	strbuf_addf(&log, "%s/sink.log", tmpdir);
	sink = sinkutil_start(*port, maildir->buf, log.buf, extra);
	strbuf_release(&log);
}

static size_t
received(const struct strbuf *maildir)
{
	struct strbuf p = STRBUF_INIT;
	struct dirent *e;
	size_t n = 0;
	DIR *d;

	strbuf_addf(&p, "%s/new", maildir->buf);
	if ((d = opendir(p.buf))) {
		while ((e = readdir(d)))
			n += strstr(e->d_name, ".eml") != NULL;
		closedir(d);
	}
	strbuf_release(&p);
	return n;
}

static void
settings(struct watchlist_smtp *s, int port)
{
	memset(s, 0, sizeof(*s));
	s->host = "127.0.0.1";
	s->port = port;
	s->timeout = 30;	/* no test below waits for it */
}

/* A message of about size bytes, in lines of 76 characters. */
static void
message(struct strbuf *out, size_t size)
{
	strbuf_addstr(out, "From: clausewatch@example.net\r\nTo: legal@example.com\r\n"
	    "Subject: big\r\nMessage-ID: <big@example.net>\r\n\r\n");
	while (out->len < size)
		strbuf_addstr(out, "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
		    "xxxxxxxxxxxxxxxxxxxx\r\n");
}

/* The server closes the connection in the middle of the message: our
 * writes fail (SIGPIPE, which killed the process), the server cannot have
 * it, and it is a failure for now, not an uncertain delivery. 40 MB is
 * far more than the loopback buffers hold, so the drop always comes
 * before the message's end. */
Test(smtp, connection_dropped_during_data_is_transient)
{
	const char *const extra[] = { "--drop-in-data", NULL };
	struct watchlist_smtp s;
	struct strbuf md = STRBUF_INIT, msg = STRBUF_INIT, resp = STRBUF_INIT;
	sigset_t mask, pending;
	int port, cf = 0, r;

	start(&port, &md, extra);
	settings(&s, port);
	message(&msg, 40 << 20);
	r = smtp_send(&s, "clausewatch@example.net", to1, 1, msg.buf, msg.len, &resp, &cf);
	cr_assert_eq(r, SMTP_TRANSIENT, "%d: %s", r, util_err());
	cr_assert(strstr(resp.buf, "before its end"), "%s", resp.buf);
	cr_assert(strstr(util_err(), "not delivered"), "%s", util_err());
	cr_assert_eq(cf, 1, "the next message went to a server in trouble");
	cr_assert_eq(received(&md), 0);
	/* the signal mask is as it was, and no SIGPIPE is left behind */
	cr_assert_eq(sigprocmask(SIG_BLOCK, NULL, &mask), 0);
	cr_assert_not(sigismember(&mask, SIGPIPE));
	cr_assert_eq(sigpending(&pending), 0);
	cr_assert_not(sigismember(&pending, SIGPIPE));
	strbuf_release(&md);
	strbuf_release(&msg);
	strbuf_release(&resp);
}

/* The server keeps the whole message and closes without replying: it may
 * have it (here it has): uncertain, never a plain failure to retry. */
Test(smtp, reply_lost_after_the_dot_is_uncertain)
{
	const char *const extra[] = { "--after-dot", "drop", NULL };
	struct watchlist_smtp s;
	struct strbuf md = STRBUF_INIT, msg = STRBUF_INIT, resp = STRBUF_INIT;
	int port, cf = 0, r;

	start(&port, &md, extra);
	settings(&s, port);
	message(&msg, 4096);
	r = smtp_send(&s, "clausewatch@example.net", to1, 1, msg.buf, msg.len, &resp, &cf);
	cr_assert_eq(r, SMTP_UNCERTAIN, "%d: %s", r, util_err());
	cr_assert(strstr(resp.buf, "may or may not have it"), "%s", resp.buf);
	cr_assert_eq(cf, 1);
	cr_assert_eq(received(&md), 1);
	strbuf_release(&md);
	strbuf_release(&msg);
	strbuf_release(&resp);
}

/* Reply text is the server's: a multi-line reply, a bare CR and an escape
 * sequence reach neither the response (the ledger) nor util_err (stderr)
 * as control characters. */
Test(smtp, reply_text_is_one_clean_line)
{
	const char *const extra[] = { "--rcpt-reply",
	    "451-4.3.0 busy\x1b[2J\rclausewatch: forged|451 4.3.0 clausewatch: sent", NULL };
	struct watchlist_smtp s;
	struct strbuf md = STRBUF_INIT, msg = STRBUF_INIT, resp = STRBUF_INIT;
	const char *p;
	int port, cf = 0, r;

	start(&port, &md, extra);
	settings(&s, port);
	message(&msg, 1024);
	r = smtp_send(&s, "clausewatch@example.net", to1, 1, msg.buf, msg.len, &resp, &cf);
	cr_assert_eq(r, SMTP_TRANSIENT, "%d: %s", r, util_err());
	cr_assert(strstr(resp.buf, "legal@example.com: 451 4.3.0 busy [2J clausewatch: "
	    "forged 4.3.0 clausewatch: sent"), "%s", resp.buf);
	for (p = resp.buf; *p; p++)
		cr_assert((unsigned char)*p >= 0x20 && *p != 0x7f, "control in %s", resp.buf);
	for (p = util_err(); *p; p++)
		cr_assert((unsigned char)*p >= 0x20 && *p != 0x7f, "control in %s", util_err());
	strbuf_release(&md);
	strbuf_release(&msg);
	strbuf_release(&resp);
}

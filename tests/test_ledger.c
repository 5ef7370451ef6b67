/* ledger: idempotency, durable states, crash recovery, outbox, and real SMTP
 * delivery (tests/smtpsink.py) including outage, retry and STARTTLS. */
#include <criterion/criterion.h>
#include <criterion/redirect.h>
#include <arpa/inet.h>
#include <dirent.h>
#include <fcntl.h>
#include <ftw.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <git2.h>

#include "date.h"
#include "cli.h"
#include "ledger.h"
#include "mail.h"
#include "mailcmd.h"
#include "strbuf.h"
#include "util.h"
#include "sinkutil.h"
#include "testutil.h"

static char tmpdir[64];
static pid_t sinks[4];

static int
rm_cb(const char *p, const struct stat *st, int flag, struct FTW *f)
{
	(void)st, (void)flag, (void)f;
	return remove(p);
}

static void
setup(void)
{
	strcpy(tmpdir, "/tmp/cw_ledger_XXXXXX");
	cr_assert(mkdtemp(tmpdir));
	util_verbose = 0;
}

static void
teardown(void)
{
	size_t i;

	/* servers started by a test are stopped on every path */
	for (i = 0; i < sizeof(sinks) / sizeof(sinks[0]); i++)
		if (sinks[i] > 0) {
			kill(sinks[i], SIGKILL);
			waitpid(sinks[i], NULL, 0);
			sinks[i] = 0;
		}
	if (tmpdir[0] && !getenv("CW_TEST_KEEP"))
		nftw(tmpdir, rm_cb, 16, FTW_DEPTH | FTW_PHYS);
}

TestSuite(ledger, .init = setup, .fini = teardown);

static const char *const to1[] = { "legal@example.com", "dpo@example.org" };

static void
compose(struct strbuf *out, struct strbuf *key, const char *commit, int32_t dl)
{
	struct mail_msg m;

	memset(&m, 0, sizeof(m));
	m.kind = MAIL_CHANGE;
	m.from = "clausewatch@example.net";
	m.to = to1;
	m.nto = 2;
	m.team = "legal";
	m.doc_id = "acme/privacy";
	m.title = "ACME Datenschutzerkl\xc3\xa4rung";
	m.url = "https://acme.example/privacy";
	m.commit = commit;
	m.store = tmpdir;
	m.material = 1;
	m.deadline_kind = dl == DATE_NONE ? JUDGE_DL_IMMEDIATE : JUDGE_DL_DATE;
	m.deadline = dl;
	m.date = 1795334400;
	cr_assert_eq(mail_compose(out, &m), 0, "%s", util_err());
	cr_assert_eq(mail_key(key, &m), 0);
}

static int
add(struct ledger *l, const char *commit)
{
	struct strbuf eml = STRBUF_INIT, key = STRBUF_INIT;
	int r;

	compose(&eml, &key, commit, date_from_ymd(2026, 12, 22));
	r = ledger_add(l, key.buf, "clausewatch@example.net", to1, 2, eml.buf, eml.len);
	strbuf_release(&eml);
	strbuf_release(&key);
	return r;
}

static size_t
count_files(const char *dir, const char *suffix)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t n = 0, sl = strlen(suffix);

	if (!d)
		return 0;
	while ((e = readdir(d))) {
		size_t l = strlen(e->d_name);

		if (l > sl && !strcmp(e->d_name + l - sl, suffix))
			n++;
	}
	closedir(d);
	return n;
}

static void
path(struct strbuf *sb, const char *rel)
{
	strbuf_reset(sb);
	strbuf_addf(sb, "%s/%s", tmpdir, rel);
}

Test(ledger, add_is_idempotent)
{
	struct ledger *l;
	enum ledger_state s;
	struct strbuf p = STRBUF_INIT;

	cr_assert_eq(ledger_open(&l, tmpdir), 0, "%s", util_err());
	cr_assert_eq(add(l, "aaaa"), 1);
	cr_assert_eq(add(l, "aaaa"), 0, "second add queued a copy");
	cr_assert_eq(add(l, "bbbb"), 1);
	cr_assert_eq(ledger_state(l, "change.aaaa.legal", &s), 1);
	cr_assert_eq(s, LEDGER_PENDING);
	cr_assert_eq(ledger_state(l, "change.cccc.legal", &s), 0);
	path(&p, "ledger/msg");
	cr_assert_eq(count_files(p.buf, ""), 2 + 2 /* . and .. */);
	ledger_free(l);
	/* still known after reopening */
	cr_assert_eq(ledger_open(&l, tmpdir), 0);
	cr_assert_eq(add(l, "aaaa"), 0);
	ledger_free(l);
	strbuf_release(&p);
}

/* run.c asks before composing: known in every state, sent included */
Test(ledger, known_without_composing)
{
	struct ledger *l;
	struct ledger_stats st;
	struct watchlist_smtp smtp;

	memset(&smtp, 0, sizeof(smtp));
	cr_assert_eq(ledger_open(&l, tmpdir), 0);
	cr_assert_eq(ledger_known(l, "change.aaaa.legal"), 0);
	cr_assert_eq(add(l, "aaaa"), 1);
	cr_assert_eq(ledger_known(l, "change.aaaa.legal"), 1);
	cr_assert_eq(ledger_known(l, "change.aaaa.eng"), 0);
	cr_assert_eq(ledger_flush(l, &smtp, &st), 0);
	cr_assert_eq(st.sent, 1);
	cr_assert_eq(ledger_known(l, "change.aaaa.legal"), 1);
	cr_assert_eq(ledger_known(l, ""), -1);
	ledger_free(l);
}

Test(ledger, keys_never_form_paths)
{
	struct ledger *l;
	struct strbuf p = STRBUF_INIT;
	DIR *d;
	struct dirent *e;
	const char *key = "../../../etc/evil\t\nkey";

	cr_assert_eq(ledger_open(&l, tmpdir), 0);
	cr_assert_eq(ledger_add(l, key, "a@b.c", to1, 1, "x\r\n", 3), 1);
	path(&p, "ledger/msg");
	cr_assert(d = opendir(p.buf));
	while ((e = readdir(d))) {
		size_t i;

		if (e->d_name[0] == '.')
			continue;
		cr_assert_eq(strlen(e->d_name), 40, "%s", e->d_name);
		for (i = 0; i < 40; i++)
			cr_assert(strchr("0123456789abcdef", e->d_name[i]));
	}
	closedir(d);
	/* the audit log keeps the line structure: key escaped */
	path(&p, "ledger/log");
	{
		struct strbuf log = STRBUF_INIT;

		cr_assert_eq(util_read_file(p.buf, 0, &log), 0);
		cr_assert(strstr(log.buf, "\tpending\t../../../etc/evil\\t\\nkey\t\n"), "%s", log.buf);
		strbuf_release(&log);
	}
	ledger_free(l);
	strbuf_release(&p);
}

Test(ledger, lock_excludes_second_process)
{
	struct ledger *a, *b;

	cr_assert_eq(ledger_open(&a, tmpdir), 0);
	cr_assert_eq(ledger_open(&b, tmpdir), -1);
	cr_assert(strstr(util_err(), "another"), "%s", util_err());
	ledger_free(a);
	cr_assert_eq(ledger_open(&b, tmpdir), 0);
	ledger_free(b);
}

Test(ledger, outbox_delivery)
{
	struct ledger *l;
	struct watchlist_smtp smtp;
	struct ledger_stats st;
	struct strbuf p = STRBUF_INIT, log = STRBUF_INIT;
	enum ledger_state s;

	memset(&smtp, 0, sizeof(smtp));
	cr_assert_eq(ledger_open(&l, tmpdir), 0);
	cr_assert_eq(add(l, "aaaa"), 1);
	cr_assert_eq(add(l, "bbbb"), 1);
	cr_assert_eq(ledger_flush(l, &smtp, &st), 0, "%s", util_err());
	cr_assert_eq(st.sent, 2);
	cr_assert_eq(st.pending, 0);
	path(&p, "outbox/new");
	cr_assert_eq(count_files(p.buf, ".eml"), 2);
	path(&p, "outbox/tmp");
	cr_assert_eq(count_files(p.buf, ".eml"), 0);
	cr_assert_eq(ledger_state(l, "change.aaaa.legal", &s), 1);
	cr_assert_eq(s, LEDGER_SENT);
	/* a rerun sends nothing more */
	cr_assert_eq(add(l, "aaaa"), 0);
	cr_assert_eq(ledger_flush(l, &smtp, &st), 0);
	cr_assert_eq(st.sent, 0);
	path(&p, "outbox/new");
	cr_assert_eq(count_files(p.buf, ".eml"), 2);
	path(&p, "ledger/log");
	cr_assert_eq(util_read_file(p.buf, 0, &log), 0);
	cr_assert(strstr(log.buf, "\tsending\tchange.aaaa.legal\toutbox\n"));
	cr_assert(strstr(log.buf, "\tsent\tchange.aaaa.legal\toutbox/new/"));
	ledger_free(l);
	strbuf_release(&p);
	strbuf_release(&log);
}

/* An audit log that cannot be written is the flush's to report (counted,
 * named in ledger_last_error), never printed by the ledger; the messages
 * themselves go out. */
Test(ledger, unwritable_audit_log_is_reported_not_printed, .init = cr_redirect_stderr)
{
	struct ledger *l;
	struct watchlist_smtp smtp;
	struct ledger_stats st;
	struct strbuf p = STRBUF_INIT;

	setup();
	util_verbose = 1;	/* where warnings would show */
	memset(&smtp, 0, sizeof(smtp));
	cr_assert_eq(ledger_open(&l, tmpdir), 0);
	path(&p, "ledger/log");
	cr_assert_eq(mkdir(p.buf, 0755), 0);	/* open(O_WRONLY) fails: EISDIR */
	cr_assert_eq(add(l, "aaaa"), 1);
	cr_assert_eq(ledger_flush(l, &smtp, &st), 0, "%s", util_err());
	cr_assert_eq(st.sent, 1);
	cr_assert_eq(st.unlogged, 3, "%zu", st.unlogged);	/* pending, sending, sent */
	cr_assert(strstr(ledger_last_error(l), "3 lines of the audit log not written"),
	    "%s", ledger_last_error(l));
	cr_assert(strstr(ledger_last_error(l), "ledger/log: Is a directory"),
	    "%s", ledger_last_error(l));
	/* reported once */
	cr_assert_eq(ledger_flush(l, &smtp, &st), 0);
	cr_assert_eq(st.unlogged, 0);
	cr_assert_eq(ledger_last_error(l)[0], '\0', "%s", ledger_last_error(l));
	ledger_free(l);
	fflush(stderr);
	cr_assert_stderr_eq_str("");
	strbuf_release(&p);
}

/* Pretend the process died after writing "sending". */
static void
fake_sending(const char *key, const char *via)
{
	struct strbuf p = STRBUF_INIT, c = STRBUF_INIT;
	const char *msg = "ledger/msg/";
	struct ledger *l;
	DIR *d;
	struct dirent *e;

	(void)key;
	path(&p, msg);
	cr_assert(d = opendir(p.buf));
	while ((e = readdir(d)))
		if (e->d_name[0] != '.') {
			strbuf_addf(&p, "%s/state", e->d_name);
			break;
		}
	closedir(d);
	strbuf_addf(&c, "sending\t1795334400\t0\t%s\t\n", via);
	cr_assert_eq(util_write_file_atomic(p.buf, c.buf, c.len), 0);
	(void)l;
	strbuf_release(&p);
	strbuf_release(&c);
}

Test(ledger, crash_mid_smtp_send_is_uncertain)
{
	struct ledger *l;
	struct watchlist_smtp smtp;
	struct ledger_stats st;
	struct strbuf keys = STRBUF_INIT, p = STRBUF_INIT;
	enum ledger_state s;

	memset(&smtp, 0, sizeof(smtp));
	cr_assert_eq(ledger_open(&l, tmpdir), 0);
	cr_assert_eq(add(l, "aaaa"), 1);
	ledger_free(l);
	fake_sending("change.aaaa.legal", "smtp");
	cr_assert_eq(ledger_open(&l, tmpdir), 0);
	cr_assert_eq(ledger_state(l, "change.aaaa.legal", &s), 1);
	cr_assert_eq(s, LEDGER_UNCERTAIN);
	cr_assert_eq(ledger_flush(l, &smtp, &st), 0);
	cr_assert_eq(st.recovered, 1);
	cr_assert_eq(st.uncertain, 1);
	cr_assert_eq(st.sent, 0, "an uncertain message was resent");
	path(&p, "outbox/new");
	cr_assert_eq(count_files(p.buf, ".eml"), 0);
	ledger_uncertain_keys(l, &keys);
	cr_assert_str_eq(keys.buf, "change.aaaa.legal\n");
	/* the run's warning says which and how to release them */
	cr_assert(strstr(ledger_last_error(l), "1 uncertain"), "%s", ledger_last_error(l));
	cr_assert(strstr(ledger_last_error(l), "run 'clausewatch mail' to release them: "
	    "change.aaaa.legal"), "%s", ledger_last_error(l));
	/* the operator decides to resend */
	cr_assert_eq(ledger_release(l, "change.aaaa.legal"), 0);
	cr_assert_eq(ledger_release(l, "change.aaaa.legal"), -1);
	cr_assert_eq(ledger_flush(l, &smtp, &st), 0);
	cr_assert_eq(st.sent, 1);
	cr_assert_eq(st.uncertain, 0);
	ledger_free(l);
	strbuf_release(&keys);
	strbuf_release(&p);
}

/* What the last mail_cmd said on stderr: kept out of the test log, where
 * an expected "clausewatch: mail: ..." would read like a failure. */
static struct strbuf cmd_err = STRBUF_INIT;

/* Run "clausewatch mail ARGS" in-process; its stdout into out, its stderr
 * into cmd_err. */
static int
mail_cmd(struct strbuf *out, const char *a1, const char *a2)
{
	struct cli c = { "/nonexistent", tmpdir };
	char *argv[] = { "mail", (char *)a1, (char *)a2, NULL };
	struct strbuf f = STRBUF_INIT, e = STRBUF_INIT;
	int saved, saved_err, fd, rc;

	path(&f, "cmd.out");
	path(&e, "cmd.err");
	fflush(stdout);
	fflush(stderr);
	saved = dup(1);
	saved_err = dup(2);
	cr_assert((fd = open(f.buf, O_WRONLY | O_CREAT | O_TRUNC, 0644)) >= 0);
	dup2(fd, 1);
	close(fd);
	cr_assert((fd = open(e.buf, O_WRONLY | O_CREAT | O_TRUNC, 0644)) >= 0);
	dup2(fd, 2);
	close(fd);
	rc = cli_mail(&c, a1 ? a2 ? 3 : 2 : 1, argv);
	fflush(stdout);
	fflush(stderr);
	dup2(saved, 1);
	dup2(saved_err, 2);
	close(saved);
	close(saved_err);
	strbuf_reset(out);
	cr_assert_eq(util_read_file(f.buf, 0, out), 0);
	strbuf_reset(&cmd_err);
	cr_assert_eq(util_read_file(e.buf, 0, &cmd_err), 0);
	strbuf_release(&f);
	strbuf_release(&e);
	return rc;
}

/* The operator's way out of "uncertain": list, release, and the next
 * flush sends it (before, every run exited 1 for good). */
Test(ledger, mail_command_lists_and_releases)
{
	struct ledger *l;
	struct ledger_stats st;
	struct watchlist_smtp smtp;
	struct strbuf out = STRBUF_INIT, p = STRBUF_INIT;
	enum ledger_state s;

	memset(&smtp, 0, sizeof(smtp));
	/* no ledger yet: nothing to list, and none created */
	cr_assert_eq(mail_cmd(&out, NULL, NULL), 0);
	cr_assert_str_eq(out.buf, "");
	path(&p, "ledger");
	cr_assert_neq(access(p.buf, F_OK), 0);
	cr_assert_eq(mail_cmd(&out, "--release", "change.aaaa.legal"), 2);
	cr_assert(strstr(cmd_err.buf, "no message with key change.aaaa.legal"), "%s", cmd_err.buf);

	cr_assert_eq(ledger_open(&l, tmpdir), 0);
	cr_assert_eq(add(l, "aaaa"), 1);
	ledger_free(l);
	fake_sending("change.aaaa.legal", "smtp");
	cr_assert_eq(ledger_open(&l, tmpdir), 0);	/* -> uncertain */
	cr_assert_eq(add(l, "bbbb"), 1);
	ledger_free(l);
	cr_assert_eq(mail_cmd(&out, NULL, NULL), 0);
	cr_assert(strstr(out.buf, "change.aaaa.legal\tuncertain\t0\tcrash while handing"),
	    "%s", out.buf);
	cr_assert(strstr(out.buf, "change.bbbb.legal\tpending\t0\t\n"), "%s", out.buf);
	/* unknown, or not uncertain: exit 2, nothing changes */
	cr_assert_eq(mail_cmd(&out, "--release", "change.zzzz.legal"), 2);
	cr_assert(strstr(cmd_err.buf, "no message with key change.zzzz.legal"), "%s", cmd_err.buf);
	cr_assert_eq(mail_cmd(&out, "--release", "change.bbbb.legal"), 2);
	cr_assert(strstr(cmd_err.buf, "change.bbbb.legal is pending, not uncertain"), "%s",
	    cmd_err.buf);
	cr_assert_eq(mail_cmd(&out, "--bogus", NULL), 2);
	cr_assert(strstr(cmd_err.buf, "usage: clausewatch mail"), "%s", cmd_err.buf);
	cr_assert_eq(mail_cmd(&out, "--release", "change.aaaa.legal"), 0);
	cr_assert(strstr(out.buf, "change.aaaa.legal released"), "%s", out.buf);
	cr_assert_eq(mail_cmd(&out, "--release", "change.aaaa.legal"), 2);
	cr_assert_eq(ledger_open(&l, tmpdir), 0);
	cr_assert_eq(ledger_state(l, "change.aaaa.legal", &s), 1);
	cr_assert_eq(s, LEDGER_PENDING);
	cr_assert_eq(ledger_flush(l, &smtp, &st), 0);	/* outbox */
	cr_assert_eq(st.sent, 2);
	cr_assert_eq(st.uncertain, 0);
	ledger_free(l);
	cr_assert_eq(mail_cmd(&out, NULL, NULL), 0);
	cr_assert_str_eq(out.buf, "");
	strbuf_release(&out);
	strbuf_release(&p);
	strbuf_release(&cmd_err);
}

Test(ledger, crash_mid_outbox_delivery_resolves)
{
	struct ledger *l;
	enum ledger_state s;

	cr_assert_eq(ledger_open(&l, tmpdir), 0);
	cr_assert_eq(add(l, "aaaa"), 1);
	ledger_free(l);
	/* the .eml never reached outbox/new: pending again, not lost */
	fake_sending("change.aaaa.legal", "outbox");
	cr_assert_eq(ledger_open(&l, tmpdir), 0);
	cr_assert_eq(ledger_state(l, "change.aaaa.legal", &s), 1);
	cr_assert_eq(s, LEDGER_PENDING);
	ledger_free(l);
}

Test(ledger, leftover_tmp_is_dropped)
{
	struct ledger *l;
	struct strbuf p = STRBUF_INIT;

	cr_assert_eq(ledger_open(&l, tmpdir), 0);
	ledger_free(l);
	path(&p, "ledger/tmp/0123.99");
	cr_assert_eq(mkdir(p.buf, 0755), 0);
	cr_assert_eq(ledger_open(&l, tmpdir), 0);
	cr_assert_neq(access(p.buf, F_OK), 0);
	ledger_free(l);
	strbuf_release(&p);
}

/* ---- the unsent index: open and flush never read sent messages ---- */

static void
key_hash(const char *key, char out[41])
{
	git_oid oid;

	cr_assert_eq(git_odb_hash(&oid, key, strlen(key), GIT_OBJECT_BLOB), 0);
	git_oid_tostr(out, 41, &oid);
}

static size_t
count_unsent(void)
{
	struct strbuf p = STRBUF_INIT;
	size_t n;

	path(&p, "ledger/unsent");
	n = count_files(p.buf, "") - 2;	/* . and .. */
	strbuf_release(&p);
	return n;
}

Test(ledger, sent_messages_are_not_read_again)
{
	struct ledger *l;
	struct watchlist_smtp smtp;
	struct ledger_stats st;
	struct strbuf p = STRBUF_INIT, log = STRBUF_INIT;
	enum ledger_state s;
	char h[41];

	memset(&smtp, 0, sizeof(smtp));
	cr_assert_eq(ledger_open(&l, tmpdir), 0, "%s", util_err());
	cr_assert_eq(add(l, "aaaa"), 1);
	cr_assert_eq(add(l, "bbbb"), 1);
	cr_assert_eq(count_unsent(), 2);
	cr_assert_eq(ledger_flush(l, &smtp, &st), 0, "%s", util_err());
	cr_assert_eq(st.sent, 2);
	cr_assert_eq(count_unsent(), 0);
	ledger_free(l);
	/* a sent message's state made unreadable: open and flush must not
	 * notice, because they no longer look at sent messages at all */
	git_libgit2_init();
	key_hash("change.aaaa.legal", h);
	git_libgit2_shutdown();
	strbuf_addf(&p, "%s/ledger/msg/%s/state", tmpdir, h);
	cr_assert_eq(util_write_file_atomic(p.buf, "garbage\n", 8), 0);
	cr_assert_eq(ledger_open(&l, tmpdir), 0, "%s", util_err());
	/* still known: a key seen before is refused */
	cr_assert_eq(add(l, "aaaa"), 0);
	cr_assert_eq(add(l, "bbbb"), 0);
	cr_assert_eq(add(l, "cccc"), 1);
	cr_assert_eq(ledger_flush(l, &smtp, &st), 0, "%s", util_err());
	cr_assert_eq(st.sent, 1);
	cr_assert_eq(st.pending, 0);
	cr_assert_eq(ledger_state(l, "change.bbbb.legal", &s), 1);
	cr_assert_eq(s, LEDGER_SENT);
	ledger_free(l);
	path(&p, "outbox/new");
	cr_assert_eq(count_files(p.buf, ".eml"), 3);
	/* the audit trail keeps every message */
	path(&p, "ledger/log");
	cr_assert_eq(util_read_file(p.buf, 0, &log), 0);
	cr_assert(strstr(log.buf, "\tsent\tchange.aaaa.legal\t"));
	cr_assert(strstr(log.buf, "\tsent\tchange.cccc.legal\t"));
	strbuf_release(&p);
	strbuf_release(&log);
}

Test(ledger, index_built_for_a_ledger_without_one)
{
	struct ledger *l;
	struct watchlist_smtp smtp;
	struct ledger_stats st;
	struct strbuf p = STRBUF_INIT;

	memset(&smtp, 0, sizeof(smtp));
	cr_assert_eq(ledger_open(&l, tmpdir), 0);
	cr_assert_eq(add(l, "aaaa"), 1);
	cr_assert_eq(ledger_flush(l, &smtp, &st), 0);
	cr_assert_eq(add(l, "bbbb"), 1);
	cr_assert_eq(add(l, "cccc"), 1);
	ledger_free(l);
	/* as a ledger written before the index existed */
	path(&p, "ledger/unsent");
	cr_assert_eq(nftw(p.buf, rm_cb, 4, FTW_DEPTH | FTW_PHYS), 0);
	cr_assert_eq(ledger_open(&l, tmpdir), 0, "%s", util_err());
	cr_assert_eq(count_unsent(), 2);
	cr_assert_eq(ledger_flush(l, &smtp, &st), 0, "%s", util_err());
	cr_assert_eq(st.sent, 2);
	cr_assert_eq(count_unsent(), 0);
	ledger_free(l);
	path(&p, "outbox/new");
	cr_assert_eq(count_files(p.buf, ".eml"), 3);
	strbuf_release(&p);
}

Test(ledger, stale_index_entries_are_dropped)
{
	struct ledger *l;
	struct watchlist_smtp smtp;
	struct ledger_stats st;
	struct strbuf p = STRBUF_INIT;
	char h[41];

	memset(&smtp, 0, sizeof(smtp));
	cr_assert_eq(ledger_open(&l, tmpdir), 0);
	cr_assert_eq(add(l, "aaaa"), 1);
	cr_assert_eq(ledger_flush(l, &smtp, &st), 0);
	ledger_free(l);
	/* crash after "sent" before the index caught up; crash between the
	 * index entry and the rename that adds the message */
	git_libgit2_init();
	key_hash("change.aaaa.legal", h);
	git_libgit2_shutdown();
	strbuf_addf(&p, "%s/ledger/unsent/%s", tmpdir, h);
	cr_assert_eq(util_write_file_atomic(p.buf, "", 0), 0);
	path(&p, "ledger/unsent/0123456789012345678901234567890123456789");
	cr_assert_eq(util_write_file_atomic(p.buf, "", 0), 0);
	cr_assert_eq(count_unsent(), 2);
	cr_assert_eq(ledger_open(&l, tmpdir), 0, "%s", util_err());
	cr_assert_eq(ledger_flush(l, &smtp, &st), 0, "%s", util_err());
	cr_assert_eq(st.sent, 0);
	cr_assert_eq(st.pending, 0);
	cr_assert_eq(count_unsent(), 0);
	ledger_free(l);
	path(&p, "outbox/new");
	cr_assert_eq(count_files(p.buf, ".eml"), 1);
	strbuf_release(&p);
}

/* ---- real SMTP ---- */

/* Start tests/smtpsink.py; slot in sinks[] so teardown kills it. */
static void
sink_start(int slot, int port, const char *maildir, const char *mode,
    const char *cert, const char *key)
{
	const char *fail[] = { "--fail", NULL };
	const char *refuse_one[] = { "--refuse", "dpo@example.org", NULL };
	const char *refuse_all[] = { "--refuse", "dpo@example.org",
	    "--refuse", "legal@example.com", NULL };
	const char *reject_data[] = { "--reject-data", NULL };
	const char *drop_in_data[] = { "--drop-in-data", NULL };
	const char *auth[] = { "--starttls", cert, key, "--auth", "clerk:s3cret pass", NULL };
	const char *tls[] = { "--starttls", cert, key, NULL };
	const char *const *extra = NULL;
	char logf[128];

	if (mode && !strcmp(mode, "fail"))
		extra = fail;
	else if (mode && !strcmp(mode, "refuse-one"))
		extra = refuse_one;
	else if (mode && !strcmp(mode, "refuse-all"))
		extra = refuse_all;
	else if (mode && !strcmp(mode, "reject-data"))
		extra = reject_data;
	else if (mode && !strcmp(mode, "drop-in-data"))
		extra = drop_in_data;
	else if (mode && !strcmp(mode, "auth"))
		extra = auth;
	else if (mode && !strcmp(mode, "tls"))
		extra = tls;
	snprintf(logf, sizeof(logf), "%s/sink%d.log", tmpdir, slot);
	sinks[slot] = sinkutil_start(port, maildir, logf, extra);
}

static void
sink_stop(int slot)
{
	sinkutil_stop(&sinks[slot]);
}

static int
run_mimecheck(const char *file, struct strbuf *out)
{
	int pfd[2], st;
	pid_t pid;
	char buf[4096];
	ssize_t n;

	cr_assert_eq(pipe(pfd), 0);
	if ((pid = fork()) == 0) {
		dup2(pfd[1], 1);
		close(pfd[0]);
		close(pfd[1]);
		execlp(python(), python(), "tests/mimecheck.py", file, (char *)NULL);
		_exit(127);
	}
	close(pfd[1]);
	while ((n = read(pfd[0], buf, sizeof(buf))) > 0)
		strbuf_add(out, buf, (size_t)n);
	close(pfd[0]);
	waitpid(pid, &st, 0);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void
smtp_to(struct watchlist_smtp *s, const char *host, int port)
{
	memset(s, 0, sizeof(*s));
	s->host = (char *)host;
	s->port = port;
	/* generous: a loaded machine must not turn a slow reply into a
	 * failure; no test waits for this timeout to expire */
	s->timeout = 30;
}

Test(ledger, smtp_delivery_parses_strictly)
{
	struct ledger *l;
	struct watchlist_smtp smtp;
	struct ledger_stats st;
	struct strbuf md = STRBUF_INIT, f = STRBUF_INIT, j = STRBUF_INIT, env = STRBUF_INIT;
	int port;

	if (!have_aiosmtpd())
		cr_skip_test("python3-aiosmtpd is not installed");
	port = free_port();
	path(&md, "sink");
	sink_start(0, port, md.buf, NULL, NULL, NULL);
	smtp_to(&smtp, "127.0.0.1", port);
	cr_assert_eq(ledger_open(&l, tmpdir), 0);
	cr_assert_eq(add(l, "aaaa"), 1);
	cr_assert_eq(ledger_flush(l, &smtp, &st), 0, "%s", util_err());
	cr_assert_eq(st.sent, 1, "%s", ledger_last_error(l));
	cr_assert_eq(st.pending, 0);
	sink_stop(0);
	path(&f, "sink/new");
	cr_assert_eq(count_files(f.buf, ".eml"), 1);
	path(&f, "sink/new/1.eml");
	cr_assert_eq(run_mimecheck(f.buf, &j), 0, "delivered message does not parse strictly");
	cr_assert(strstr(j.buf, "\"subject\": \"Material change: ACME Datenschutzerkl\xc3\xa4rung "
	    "\xe2\x80\x94 accepted by 2026-12-22\""), "%s", j.buf);
	cr_assert(strstr(j.buf, "\"text/calendar\""));
	cr_assert(strstr(j.buf, "DTSTART;VALUE=DATE:20261221"));	/* the last day to object */
	path(&f, "sink/new/1.env");
	cr_assert_eq(util_read_file(f.buf, 0, &env), 0);
	cr_assert(strstr(env.buf, "\"to\": [\"legal@example.com\", \"dpo@example.org\"]"), "%s", env.buf);
	cr_assert(strstr(env.buf, "\"from\": \"clausewatch@example.net\""), "%s", env.buf);
	ledger_free(l);
	strbuf_release(&md);
	strbuf_release(&f);
	strbuf_release(&j);
	strbuf_release(&env);
}

Test(ledger, smtp_down_then_up_delivers_exactly_once)
{
	struct ledger *l;
	struct watchlist_smtp smtp;
	struct ledger_stats st;
	struct strbuf md = STRBUF_INIT, f = STRBUF_INIT;
	enum ledger_state s;
	int port;

	if (!have_aiosmtpd())
		cr_skip_test("python3-aiosmtpd is not installed");
	port = free_port();
	smtp_to(&smtp, "127.0.0.1", port);
	path(&md, "sink");
	cr_assert_eq(ledger_open(&l, tmpdir), 0);
	cr_assert_eq(add(l, "aaaa"), 1);
	cr_assert_eq(add(l, "bbbb"), 1);
	/* nothing listening */
	cr_assert_eq(ledger_flush(l, &smtp, &st), 0);
	cr_assert_eq(st.sent, 0);
	cr_assert_eq(st.pending, 2);
	cr_assert_eq(st.failed, 1, "kept trying after the connection failed");
	cr_assert_neq(ledger_last_error(l)[0], '\0');
	/* the server answers 451 */
	sink_start(0, port, md.buf, "fail", NULL, NULL);
	cr_assert_eq(ledger_flush(l, &smtp, &st), 0);
	cr_assert_eq(st.sent, 0);
	cr_assert_eq(st.pending, 2);
	cr_assert(strstr(ledger_last_error(l), "451"), "%s", ledger_last_error(l));
	cr_assert_eq(ledger_state(l, "change.aaaa.legal", &s), 1);
	cr_assert_eq(s, LEDGER_PENDING);
	sink_stop(0);
	/* up: each delivered once, and never again */
	sink_start(0, port, md.buf, NULL, NULL, NULL);
	cr_assert_eq(ledger_flush(l, &smtp, &st), 0);
	cr_assert_eq(st.sent, 2, "%s", ledger_last_error(l));
	cr_assert_eq(st.pending, 0);
	cr_assert_eq(add(l, "aaaa"), 0);
	cr_assert_eq(ledger_flush(l, &smtp, &st), 0);
	cr_assert_eq(st.sent, 0);
	sink_stop(0);
	path(&f, "sink/new");
	cr_assert_eq(count_files(f.buf, ".eml"), 2);
	ledger_free(l);
	strbuf_release(&md);
	strbuf_release(&f);
}

/* 550 for one of two addresses: the other has the message, so it is not
 * resent, but the refusal is reported, not counted as a plain delivery. */
Test(ledger, partly_refused_recipients_are_reported)
{
	struct ledger *l;
	struct watchlist_smtp smtp;
	struct ledger_stats st;
	struct strbuf md = STRBUF_INIT, f = STRBUF_INIT, log = STRBUF_INIT;
	int port;

	if (!have_aiosmtpd())
		cr_skip_test("python3-aiosmtpd is not installed");
	port = free_port();
	path(&md, "sink");
	sink_start(0, port, md.buf, "refuse-one", NULL, NULL);
	smtp_to(&smtp, "127.0.0.1", port);
	cr_assert_eq(ledger_open(&l, tmpdir), 0);
	cr_assert_eq(add(l, "aaaa"), 1);
	cr_assert_eq(ledger_flush(l, &smtp, &st), 0, "%s", util_err());
	cr_assert_eq(st.sent, 1, "%s", ledger_last_error(l));
	cr_assert_eq(st.partial, 1, "a partly refused message counted as delivered");
	cr_assert_eq(st.pending, 0);
	cr_assert(strstr(ledger_last_error(l), "change.aaaa.legal"), "%s", ledger_last_error(l));
	cr_assert(strstr(ledger_last_error(l), "dpo@example.org: 550"), "%s", ledger_last_error(l));
	path(&f, "ledger/log");
	cr_assert_eq(util_read_file(f.buf, 0, &log), 0);
	cr_assert(strstr(log.buf, "dpo@example.org: 550"), "%s", log.buf);
	/* the other recipient has it: never resent, reported once */
	cr_assert_eq(ledger_flush(l, &smtp, &st), 0);
	cr_assert_eq(st.sent, 0);
	cr_assert_eq(st.partial, 0);
	cr_assert_eq(ledger_last_error(l)[0], '\0', "%s", ledger_last_error(l));
	sink_stop(0);
	path(&f, "sink/new");
	cr_assert_eq(count_files(f.buf, ".eml"), 1);
	ledger_free(l);
	strbuf_release(&md);
	strbuf_release(&f);
	strbuf_release(&log);
}

/* A 5xx to every recipient or to DATA is the same answer next time: the
 * message becomes "failed" (reported once), not pending for ever. */
static void
permanent_case(const char *mode, const char *code)
{
	struct ledger *l;
	struct watchlist_smtp smtp;
	struct ledger_stats st;
	struct strbuf md = STRBUF_INIT, f = STRBUF_INIT, log = STRBUF_INIT;
	enum ledger_state s;
	int port;

	if (!have_aiosmtpd())
		cr_skip_test("python3-aiosmtpd is not installed");
	port = free_port();
	path(&md, "sink");
	sink_start(0, port, md.buf, mode, NULL, NULL);
	smtp_to(&smtp, "127.0.0.1", port);
	cr_assert_eq(ledger_open(&l, tmpdir), 0);
	cr_assert_eq(add(l, "aaaa"), 1);
	cr_assert_eq(add(l, "bbbb"), 1);
	cr_assert_eq(ledger_flush(l, &smtp, &st), 0, "%s", util_err());
	cr_assert_eq(st.sent, 0);
	cr_assert_eq(st.pending, 0, "%s: a permanent refusal stays pending", mode);
	cr_assert_eq(st.rejected, 2, "%s", ledger_last_error(l));
	cr_assert_eq(st.failed, 2, "a permanent refusal stopped the run's other messages");
	cr_assert_eq(ledger_state(l, "change.aaaa.legal", &s), 1);
	cr_assert_eq(s, LEDGER_FAILED);
	cr_assert_str_eq(ledger_state_name(s), "failed");
	cr_assert(strstr(ledger_last_error(l), "refused for good"), "%s", ledger_last_error(l));
	cr_assert(strstr(ledger_last_error(l), "change.aaaa.legal"), "%s", ledger_last_error(l));
	cr_assert(strstr(ledger_last_error(l), code), "%s", ledger_last_error(l));
	path(&f, "ledger/log");
	cr_assert_eq(util_read_file(f.buf, 0, &log), 0);
	cr_assert(strstr(log.buf, "\tfailed\tchange.aaaa.legal\t"), "%s", log.buf);
	/* final: not tried again, not reported again, the key stays known */
	cr_assert_eq(ledger_flush(l, &smtp, &st), 0);
	cr_assert_eq(st.failed + st.rejected + st.pending + st.sent, 0);
	cr_assert_eq(ledger_last_error(l)[0], '\0', "%s", ledger_last_error(l));
	cr_assert_eq(add(l, "aaaa"), 0);
	ledger_free(l);
	/* and it stays so across an open (recovery, index) */
	cr_assert_eq(ledger_open(&l, tmpdir), 0);
	cr_assert_eq(ledger_state(l, "change.aaaa.legal", &s), 1);
	cr_assert_eq(s, LEDGER_FAILED);
	cr_assert_eq(ledger_flush(l, &smtp, &st), 0);
	cr_assert_eq(st.failed + st.pending, 0);
	sink_stop(0);
	ledger_free(l);
	strbuf_release(&md);
	strbuf_release(&f);
	strbuf_release(&log);
}

/* A connection dropped in the middle of the message (40 MB: more than the
 * loopback buffers hold, so the drop comes before its end) does not kill
 * the process (SIGPIPE), and the message, which the server cannot have,
 * stays pending and goes out with the next flush, once. */
Test(ledger, connection_dropped_during_data_is_retried)
{
	struct ledger *l;
	struct watchlist_smtp smtp;
	struct ledger_stats st;
	struct strbuf md = STRBUF_INIT, f = STRBUF_INIT, eml = STRBUF_INIT;
	enum ledger_state s;
	int port;

	if (!have_aiosmtpd())
		cr_skip_test("python3-aiosmtpd is not installed");
	port = free_port();
	path(&md, "sink");
	sink_start(0, port, md.buf, "drop-in-data", NULL, NULL);
	smtp_to(&smtp, "127.0.0.1", port);
	strbuf_addstr(&eml, "From: clausewatch@example.net\r\nTo: legal@example.com\r\n"
	    "Subject: big\r\n\r\n");
	while (eml.len < 40 << 20)
		strbuf_addstr(&eml, "yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy\r\n");
	cr_assert_eq(ledger_open(&l, tmpdir), 0);
	cr_assert_eq(ledger_add(l, "big.1", "clausewatch@example.net", to1, 1, eml.buf,
	    eml.len), 1);
	cr_assert_eq(ledger_flush(l, &smtp, &st), 0, "%s", util_err());
	cr_assert_eq(st.sent, 0);
	cr_assert_eq(st.uncertain, 0, "%s", ledger_last_error(l));
	cr_assert_eq(st.pending, 1);
	cr_assert(strstr(ledger_last_error(l), "before its end"), "%s", ledger_last_error(l));
	cr_assert_eq(ledger_state(l, "big.1", &s), 1);
	cr_assert_eq(s, LEDGER_PENDING);
	sink_stop(0);
	sink_start(0, port, md.buf, NULL, NULL, NULL);
	cr_assert_eq(ledger_flush(l, &smtp, &st), 0, "%s", util_err());
	cr_assert_eq(st.sent, 1, "%s", ledger_last_error(l));
	cr_assert_eq(ledger_flush(l, &smtp, &st), 0);
	cr_assert_eq(st.sent, 0);
	sink_stop(0);
	path(&f, "sink/new");
	cr_assert_eq(count_files(f.buf, ".eml"), 1);
	ledger_free(l);
	strbuf_release(&md);
	strbuf_release(&f);
	strbuf_release(&eml);
}

Test(ledger, every_recipient_refused_is_failed)
{
	permanent_case("refuse-all", "550");
}

Test(ledger, data_refused_is_failed)
{
	permanent_case("reject-data", "554");
}

Test(ledger, starttls_verifies_certificate)
{
	struct ledger *l;
	struct watchlist_smtp smtp;
	struct ledger_stats st;
	struct strbuf md = STRBUF_INIT, f = STRBUF_INIT, cert = STRBUF_INIT,
	    key = STRBUF_INIT, cmd = STRBUF_INIT, env = STRBUF_INIT;
	int port;

	if (!have_aiosmtpd())
		cr_skip_test("python3-aiosmtpd is not installed");
	path(&cert, "cert.pem");
	path(&key, "key.pem");
	strbuf_addf(&cmd, "openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=localhost "
	    "-days 2 -keyout %s -out %s >/dev/null 2>&1", key.buf, cert.buf);
	cr_assert_eq(system(cmd.buf), 0, "openssl req failed");
	port = free_port();
	path(&md, "sink");
	sink_start(0, port, md.buf, "tls", cert.buf, key.buf);
	smtp_to(&smtp, "localhost", port);
	smtp.security = WL_SEC_STARTTLS;
	cr_assert_eq(ledger_open(&l, tmpdir), 0);
	cr_assert_eq(add(l, "aaaa"), 1);
	/* self-signed and not trusted: refused */
	cr_assert_eq(ledger_flush(l, &smtp, &st), 0);
	cr_assert_eq(st.sent, 0);
	cr_assert_eq(st.pending, 1);
	cr_assert(strstr(ledger_last_error(l), "self-signed") ||
	    strstr(ledger_last_error(l), "certificate"), "%s", ledger_last_error(l));
	path(&f, "sink/new");
	cr_assert_eq(count_files(f.buf, ".eml"), 0);
	/* trusted through cafile: delivered, over TLS */
	smtp.cafile = cert.buf;
	cr_assert_eq(ledger_flush(l, &smtp, &st), 0);
	cr_assert_eq(st.sent, 1, "%s", ledger_last_error(l));
	sink_stop(0);
	cr_assert_eq(count_files(f.buf, ".eml"), 1);
	path(&f, "sink/new/1.env");
	cr_assert_eq(util_read_file(f.buf, 0, &env), 0);
	cr_assert(strstr(env.buf, "\"tls\": true"), "%s", env.buf);
	ledger_free(l);
	strbuf_release(&md);
	strbuf_release(&f);
	strbuf_release(&cert);
	strbuf_release(&key);
	strbuf_release(&cmd);
	strbuf_release(&env);
}

Test(ledger, starttls_wrong_name_refused)
{
	struct ledger *l;
	struct watchlist_smtp smtp;
	struct ledger_stats st;
	struct strbuf md = STRBUF_INIT, cert = STRBUF_INIT, key = STRBUF_INIT,
	    cmd = STRBUF_INIT, f = STRBUF_INIT;
	int port;

	if (!have_aiosmtpd())
		cr_skip_test("python3-aiosmtpd is not installed");
	path(&cert, "cert.pem");
	path(&key, "key.pem");
	strbuf_addf(&cmd, "openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=mail.other.test "
	    "-days 2 -keyout %s -out %s >/dev/null 2>&1", key.buf, cert.buf);
	cr_assert_eq(system(cmd.buf), 0);
	port = free_port();
	path(&md, "sink");
	sink_start(0, port, md.buf, "tls", cert.buf, key.buf);
	smtp_to(&smtp, "localhost", port);
	smtp.security = WL_SEC_STARTTLS;
	smtp.cafile = cert.buf;	/* trusted, but for another name */
	cr_assert_eq(ledger_open(&l, tmpdir), 0);
	cr_assert_eq(add(l, "aaaa"), 1);
	cr_assert_eq(ledger_flush(l, &smtp, &st), 0);
	cr_assert_eq(st.sent, 0);
	cr_assert_eq(st.pending, 1);
	sink_stop(0);
	path(&f, "sink/new");
	cr_assert_eq(count_files(f.buf, ".eml"), 0);
	ledger_free(l);
	strbuf_release(&md);
	strbuf_release(&cert);
	strbuf_release(&key);
	strbuf_release(&cmd);
	strbuf_release(&f);
}

Test(ledger, starttls_auth)
{
	struct ledger *l;
	enum ledger_state s;
	struct watchlist_smtp smtp;
	struct ledger_stats st;
	struct strbuf md = STRBUF_INIT, cert = STRBUF_INIT, key = STRBUF_INIT,
	    cmd = STRBUF_INIT, f = STRBUF_INIT, pw = STRBUF_INIT;
	int port;

	if (!have_aiosmtpd())
		cr_skip_test("python3-aiosmtpd is not installed");
	path(&cert, "cert.pem");
	path(&key, "key.pem");
	strbuf_addf(&cmd, "openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=localhost "
	    "-days 2 -keyout %s -out %s >/dev/null 2>&1", key.buf, cert.buf);
	cr_assert_eq(system(cmd.buf), 0);
	port = free_port();
	path(&md, "sink");
	sink_start(0, port, md.buf, "auth", cert.buf, key.buf);
	smtp_to(&smtp, "localhost", port);
	smtp.security = WL_SEC_STARTTLS;
	smtp.cafile = cert.buf;
	smtp.user = "clerk";
	smtp.password_env = "CW_TEST_SMTP_PW";
	cr_assert_eq(ledger_open(&l, tmpdir), 0);
	cr_assert_eq(add(l, "aaaa"), 1);
	cr_assert_eq(add(l, "bbbb"), 1);
	/* wrong password: the server answers 535 at once (no read timeout);
	 * the failure names the login, both messages stay pending, and the
	 * second is not tried with the same bad login */
	setenv("CW_TEST_SMTP_PW", "wrong", 1);
	cr_assert_eq(ledger_flush(l, &smtp, &st), 0, "%s", util_err());
	cr_assert_eq(st.sent, 0, "%s", ledger_last_error(l));
	cr_assert_eq(st.failed, 1, "%s", ledger_last_error(l));
	cr_assert_eq(st.pending, 2);
	cr_assert(strstr(ledger_last_error(l), "authentication failed") &&
	    strstr(ledger_last_error(l), "535"), "%s", ledger_last_error(l));
	cr_assert_eq(ledger_state(l, "change.aaaa.legal", &s), 1);
	cr_assert_eq(s, LEDGER_PENDING);
	path(&f, "sink/new");
	cr_assert_eq(count_files(f.buf, ".eml"), 0);
	/* the right one, from a file (first line only) */
	path(&pw, "pw");
	cr_assert_eq(util_write_file_atomic(pw.buf, "s3cret pass\nignored\n", 19), 0);
	smtp.password_file = pw.buf;
	cr_assert_eq(ledger_flush(l, &smtp, &st), 0, "%s", util_err());
	cr_assert_eq(st.sent, 2, "%s", ledger_last_error(l));
	cr_assert_eq(st.pending, 0);
	sink_stop(0);
	path(&f, "sink/new");
	cr_assert_eq(count_files(f.buf, ".eml"), 2);
	ledger_free(l);
	strbuf_release(&md);
	strbuf_release(&cert);
	strbuf_release(&key);
	strbuf_release(&cmd);
	strbuf_release(&f);
	strbuf_release(&pw);
}

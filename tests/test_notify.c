/* notify: which messages the recorded changes queue, read back from a real
 * ledger by key (the e2e tests read the mail itself). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "ledger.h"
#include "notify.h"
#include "util.h"

static char dir[] = "/tmp/cw-notify-XXXXXX";
static struct watchlist wl;
static struct ledger *lg;
static struct notify nt;
static char selected[2] = { 1, 1 };
static int32_t today;
static char store[64];

static void
put(const char *name, const char *text)
{
	char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	cr_assert_not_null(f = fopen(path, "w"));
	fputs(text, f);
	fclose(f);
}

static void
setup(void)
{
	struct strbuf errors = STRBUF_INIT, p = STRBUF_INIT;

	strcpy(dir, "/tmp/cw-notify-XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
	date_set_now(1795000000);	/* 2026-11-18 */
	today = date_today();
	strbuf_addf(&p, "%s/wl", dir);
	cr_assert_eq(util_mkdirs(p.buf, 0755), 0);
	put("wl/a.conf", "[document \"ex/terms\"]\n\turl = https://ex.example/t\n"
	    "\tteam = legal\n\tteam = eng\n"
	    "[document \"ex/privacy\"]\n\turl = https://ex.example/p\n\tteam = eng\n"
	    "[team \"legal\"]\n\temail = legal@example.com\n"
	    "[team \"eng\"]\n\temail = eng@example.com\n\tnotify = all\n");
	cr_assert_eq(watchlist_load(p.buf, &wl, &errors), 0, "%s", errors.buf);
	snprintf(store, sizeof(store), "%s/store", dir);
	cr_assert_eq(util_mkdirs(store, 0755), 0);
	cr_assert_eq(ledger_open(&lg, store), 0, "%s", util_err());
	notify_init(&nt, &wl, lg, "cw@example.com", store, selected);
	strbuf_release(&errors);
	strbuf_release(&p);
}

static void
teardown(void)
{
	char cmd[64];

	notify_release(&nt);
	ledger_free(lg);
	watchlist_free(&wl);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd) != 0)
		cr_log_warn("could not remove %s", dir);
}

TestSuite(notify, .init = setup, .fini = teardown);

/* A recorded change of id, days before today, as store_recent gives it. */
static void
change(struct store_change *c, const char *commit, const char *id, int days_ago,
    enum record_kind kind, int material, int deadline_in)
{
	memset(c, 0, sizeof(*c));
	snprintf(c->commit, sizeof(c->commit), "%s", commit);
	c->when = (time_t)(today - days_ago) * 86400 + 8 * 3600;
	record_init(&c->rec);
	record_set(&c->rec, id, "https://ex.example/", c->when, kind);
	if (kind == RECORD_CHANGE) {
		c->rec.judged = 1;
		c->rec.material = material;
		if (deadline_in) {
			c->rec.deadline_kind = JUDGE_DL_DATE;
			c->rec.deadline = today + deadline_in;
		}
	}
}

static void
release(struct store_change *v, size_t n)
{
	while (n)
		record_release(&v[--n].rec);
}

static size_t
queued(void)
{
	struct ledger_item *v;
	size_t n;

	cr_assert_eq(ledger_list(lg, &v, &n), 0);
	ledger_items_free(v, n);
	return n;
}

Test(notify, reminders_at_the_threshold_reached_for_open_deadlines)
{
	struct store_change h[4];

	/* recorded 20 days ago, due in 14: the 14-day reminder, to both teams */
	change(&h[0], "c0", "ex/terms", 20, RECORD_CHANGE, 1, 14);
	/* the same, acknowledged: none */
	change(&h[1], "c1", "ex/terms", 20, RECORD_CHANGE, 1, 14);
	h[1].ack = "Acknowledged-by: ann\n";
	/* not material, or a first record: none */
	change(&h[2], "c2", "ex/privacy", 20, RECORD_CHANGE, 0, 14);
	change(&h[3], "c3", "ex/privacy", 20, RECORD_FIRST, 0, 0);
	notify_reminders(&nt, h, 4);
	cr_assert_str_eq(nt.errors.buf, "");
	cr_assert_eq(ledger_known(lg, "reminder.c0.legal.14"), 1);
	cr_assert_eq(ledger_known(lg, "reminder.c0.eng.14"), 1);
	cr_assert_eq(queued(), 2);
	/* the next run that day queues nothing new */
	notify_reminders(&nt, h, 4);
	cr_assert_eq(queued(), 2);
	/* a document not in this run (--only) gets none */
	release(h, 4);
	change(&h[0], "c9", "ex/privacy", 20, RECORD_CHANGE, 1, 7);
	selected[1] = 0;
	notify_reminders(&nt, h, 1);
	selected[1] = 1;
	cr_assert_eq(queued(), 2);
	/* recorded today inside the 7-day threshold: the change mail said it */
	release(h, 1);
	change(&h[0], "c8", "ex/privacy", 0, RECORD_CHANGE, 1, 7);
	notify_reminders(&nt, h, 1);
	cr_assert_eq(queued(), 2);
	/* recorded yesterday: today reaches the threshold */
	h[0].when -= 86400;
	notify_reminders(&nt, h, 1);
	cr_assert_eq(ledger_known(lg, "reminder.c8.eng.7"), 1);
	cr_assert_eq(queued(), 3);
	release(h, 1);
}

Test(notify, digest_of_what_was_not_material_for_notify_all)
{
	struct store_change h[3];
	char key[64], day[11];

	/* newest first: yesterday a change not material and a material one,
	 * and a first record two days ago */
	change(&h[0], "d0", "ex/terms", 1, RECORD_CHANGE, 0, 0);
	change(&h[1], "d1", "ex/privacy", 1, RECORD_CHANGE, 1, 30);
	change(&h[2], "d2", "ex/privacy", 2, RECORD_FIRST, 0, 0);
	notify_digests(&nt, h, 3);
	cr_assert_str_eq(nt.errors.buf, "");
	/* eng (notify = all) gets yesterday's; legal never gets digests; the
	 * first record's day has no change to tell */
	date_format(today - 1, day);
	snprintf(key, sizeof(key), "digest.eng.%s", day);
	cr_assert_eq(ledger_known(lg, key), 1, "%s", key);
	cr_assert_eq(queued(), 1);
	release(h, 3);
	/* only a material change that day: no digest */
	change(&h[0], "d3", "ex/privacy", 3, RECORD_CHANGE, 1, 30);
	notify_digests(&nt, h, 1);
	cr_assert_eq(queued(), 1);
	release(h, 1);
}

Test(notify, change_mail_only_when_material_and_errors_kept)
{
	struct judge_result j;

	memset(&j, 0, sizeof(j));
	j.changed = 1;
	j.effective = DATE_NONE;
	j.deadline = DATE_NONE;
	notify_change(&nt, watchlist_doc(&wl, "ex/terms"), "e0", &j, NULL);
	cr_assert_eq(queued(), 0);
	j.material = 1;
	notify_change(&nt, watchlist_doc(&wl, "ex/terms"), "e0", &j, NULL);
	cr_assert_eq(ledger_known(lg, "change.e0.legal"), 1);
	cr_assert_eq(ledger_known(lg, "change.e0.eng"), 1);
	/* what cannot be queued is kept for the caller, never printed */
	notify_change(&nt, watchlist_doc(&wl, "ex/terms"), NULL, &j, NULL);
	cr_assert(strstr(nt.errors.buf, "mail ex/terms: "), "%s", nt.errors.buf);
	cr_assert(strstr(nt.errors.buf, "commit id is required"), "%s", nt.errors.buf);
}

/* The store through libgit2, read back with the git CLI. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <git2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <utime.h>

#include "date.h"
#include "pack.h"
#include "store.h"
#include "util.h"

static char dir[64];

static void
setup(void)
{
	git_libgit2_init();
	strcpy(dir, "/tmp/cw-store-XXXXXX");
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

TestSuite(store, .init = setup, .fini = teardown);

/* Output of a git command run on the store. */
static void
git_out(struct strbuf *out, const char *args)
{
	char cmd[512], buf[4096];
	FILE *p;
	size_t n;

	snprintf(cmd, sizeof(cmd), "git -C %s/s %s 2>&1", dir, args);
	cr_assert_not_null(p = popen(cmd, "r"));
	strbuf_reset(out);
	while ((n = fread(buf, 1, sizeof(buf), p)) > 0)
		strbuf_add(out, buf, n);
	cr_assert_eq(pclose(p), 0, "%s: %s", cmd, out->buf);
}

/* The names in the store's objects/pack, sorted, one a line. */
static void
pack_dir(struct strbuf *out)
{
	char path[128];
	struct dirent **e;
	int i, n;

	snprintf(path, sizeof(path), "%s/s/objects/pack", dir);
	strbuf_reset(out);
	cr_assert_geq(n = scandir(path, &e, NULL, alphasort), 0);
	for (i = 0; i < n; i++) {
		if (e[i]->d_name[0] != '.')
			strbuf_addf(out, "%s\n", e[i]->d_name);
		free(e[i]);
	}
	free(e);
}

static void
commit(struct store *st, const char *id, const char *text, time_t when, char hex[41])
{
	struct store_record r = { id, text, strlen(text),
		"Subject line\n\nDocument: x\nMaterial: yes\nDeadline: 2026-12-22\n", when };

	cr_assert_eq(store_commit(st, &r, hex), 0, "%s", util_err());
}

Test(store, commits_history_notes)
{
	struct store *st;
	struct store_change *h;
	struct strbuf sb = STRBUF_INIT, path = STRBUF_INIT;
	char c1[41], c2[41], c3[41];
	size_t n;

	strbuf_addf(&path, "%s/s", dir);
	cr_assert_eq(store_open(path.buf, 0, &st), -1);
	cr_assert_eq(store_open(path.buf, 1, &st), 0, "%s", util_err());
	cr_assert_eq(store_read(st, "pub/doc", &sb, NULL), 1);
	commit(st, "pub/doc", "# One\n", 1000000000, c1);
	commit(st, "pub/other", "# Other\n", 1000000100, c2);
	commit(st, "pub/doc", "# Two\n", 1000000200, c3);
	cr_assert_eq(store_read(st, "pub/doc", &sb, NULL), 0);
	cr_assert_str_eq(sb.buf, "# Two\n");
	cr_assert_eq(store_read_at(st, "pub/doc", c1, &sb, NULL), 0);
	cr_assert_str_eq(sb.buf, "# One\n");

	cr_assert_eq(store_history(st, "pub/doc", &h, &n), 0);
	cr_assert_eq(n, 2);
	cr_assert_str_eq(h[0].commit, c3);
	cr_assert_str_eq(h[0].parent, c2);	/* previous commit on main */
	cr_assert_str_eq(h[1].commit, c1);
	cr_assert_str_eq(h[1].parent, "");
	cr_assert(h[0].rec.material);
	cr_assert_eq(h[0].rec.deadline, date_parse_iso("2026-12-22"));
	cr_assert_null(h[0].ack);
	store_changes_free(h, n);

	cr_assert_eq(store_note(st, c3, "Acknowledged-by: ann\n", "ann", 1000000300), 0);
	cr_assert_eq(store_history(st, "pub/doc", &h, &n), 0);
	cr_assert_not_null(h[0].ack);
	cr_assert(strstr(h[0].ack, "ann"));
	store_changes_free(h, n);

	cr_assert_eq(store_snapshot(st, "pub/doc", "html", "<p>x</p>", 8, "snap", 1000000000), 0);
	cr_assert_eq(store_snapshot(st, "pub/doc", "html", "<p>x</p>", 8, "snap", 1000000001), 0);
	store_free(st);

	/* read back with git itself */
	git_out(&sb, "rev-list --count main");
	cr_assert_str_eq(sb.buf, "3\n");
	git_out(&sb, "rev-list --count snapshots");
	cr_assert_str_eq(sb.buf, "1\n");	/* identical bytes: no second snapshot */
	git_out(&sb, "show main:pub/other.md");
	cr_assert_str_eq(sb.buf, "# Other\n");
	git_out(&sb, "log -1 --format=%B main");
	cr_assert(strstr(sb.buf, "Subject line\n\nDocument: x\n"), "%s", sb.buf);
	git_out(&sb, "log -1 main");
	cr_assert(strstr(sb.buf, "Acknowledged-by: ann"), "%s", sb.buf);
	git_out(&sb, "fsck --strict");
	git_out(&sb, "rev-parse --is-bare-repository");
	cr_assert_str_eq(sb.buf, "true\n");
	strbuf_release(&sb);
	strbuf_release(&path);
}

Test(store, lock_is_exclusive)
{
	struct store *a, *b;
	struct strbuf path = STRBUF_INIT;

	strbuf_addf(&path, "%s/s", dir);
	cr_assert_eq(store_open(path.buf, 1, &a), 0);
	cr_assert_eq(store_open(path.buf, 0, &b), 0);
	cr_assert_eq(store_lock(a, NULL), 0);
	cr_assert_eq(store_lock(b, NULL), -1);
	cr_assert(strstr(util_err(), "another clausewatch run"));
	store_free(a);
	cr_assert_eq(store_lock(b, NULL), 0);	/* released with its holder */
	store_free(b);
	strbuf_release(&path);
}

/* Ref locks a killed run left: removed once old, named for the caller to
 * report (the store prints nothing); fresh ones may be git's own. */
Test(store, lock_clears_stale_ref_locks)
{
	struct store *st;
	struct strbuf path = STRBUF_INIT, lock = STRBUF_INIT, fresh = STRBUF_INIT;
	struct strbuf cleared = STRBUF_INIT;
	struct utimbuf old = { 1000000000, 1000000000 };
	FILE *f;

	strbuf_addf(&path, "%s/s", dir);
	cr_assert_eq(store_open(path.buf, 1, &st), 0);
	strbuf_addf(&lock, "%s/refs/heads/main.lock", path.buf);
	strbuf_addf(&fresh, "%s/packed-refs.lock", path.buf);
	cr_assert_not_null(f = fopen(lock.buf, "w"));
	fclose(f);
	cr_assert_not_null(f = fopen(fresh.buf, "w"));
	fclose(f);
	cr_assert_eq(utime(lock.buf, &old), 0);
	cr_assert_eq(store_lock(st, &cleared), 0);
	cr_assert_eq(access(lock.buf, F_OK), -1);
	cr_assert_eq(access(fresh.buf, F_OK), 0);
	strbuf_addch(&lock, '\n');
	cr_assert_str_eq(cleared.buf, lock.buf);
	store_free(st);
	strbuf_release(&path);
	strbuf_release(&lock);
	strbuf_release(&fresh);
	strbuf_release(&cleared);
}

Test(store, batch_is_invisible_until_flushed)
{
	struct store *st, *other;
	struct strbuf sb = STRBUF_INIT, path = STRBUF_INIT;
	char c1[41], c2[41], c3[41];

	strbuf_addf(&path, "%s/s", dir);
	cr_assert_eq(store_open(path.buf, 1, &st), 0);
	commit(st, "pub/doc", "# Before\n", 1000000000, c1);	/* outside a batch */
	cr_assert_eq(store_begin(st), 0);
	commit(st, "pub/doc", "# One\n", 1000000100, c2);
	commit(st, "pub/two", "# Two\n", 1000000200, c3);
	cr_assert_eq(store_snapshot(st, "pub/doc", "html", "<p>1</p>", 8, "snap", 1000000100), 0);
	cr_assert_eq(store_read(st, "pub/doc", &sb, NULL), 0);
	cr_assert_str_eq(sb.buf, "# One\n");	/* the batch reads its own writes */

	/* another reader sees the branch as it was */
	cr_assert_eq(store_open(path.buf, 0, &other), 0);
	cr_assert_eq(store_read(other, "pub/doc", &sb, NULL), 0);
	cr_assert_str_eq(sb.buf, "# Before\n");
	cr_assert_eq(store_read(other, "pub/two", &sb, NULL), 1);
	store_free(other);
	git_out(&sb, "rev-list --count main");
	cr_assert_str_eq(sb.buf, "1\n");

	cr_assert_eq(store_flush(st), 0, "%s", util_err());
	cr_assert_eq(store_flush(st), 0);	/* nothing left: no-op */
	store_free(st);
	git_out(&sb, "rev-list --count main");
	cr_assert_str_eq(sb.buf, "3\n");
	git_out(&sb, "rev-parse main");
	cr_assert(!strncmp(sb.buf, c3, 40));
	git_out(&sb, "show main:pub/doc.md");
	cr_assert_str_eq(sb.buf, "# One\n");
	git_out(&sb, "rev-list --count snapshots");
	cr_assert_str_eq(sb.buf, "1\n");
	git_out(&sb, "fsck --strict");
	strbuf_release(&sb);
	strbuf_release(&path);
}

Test(store, batch_dropped_leaves_store_as_it_was)
{
	struct store *st;
	struct strbuf sb = STRBUF_INIT, path = STRBUF_INIT;
	char c1[41], c2[41];

	strbuf_addf(&path, "%s/s", dir);
	cr_assert_eq(store_open(path.buf, 1, &st), 0);
	commit(st, "pub/doc", "# Before\n", 1000000000, c1);
	cr_assert_eq(store_begin(st), 0);
	commit(st, "pub/doc", "# Lost\n", 1000000100, c2);
	store_free(st);		/* as if killed before store_flush */
	git_out(&sb, "show main:pub/doc.md");
	cr_assert_str_eq(sb.buf, "# Before\n");
	pack_dir(&sb);	/* the pack being written had no name */
	cr_assert_str_eq(sb.buf, "");
	git_out(&sb, "fsck --strict");
	strbuf_release(&sb);
	strbuf_release(&path);
}

/* A run killed while libgit2 made the store (HEAD comes last) leaves the
 * mark made before and the repository's first files, locks among them: the
 * next run makes the store there again; without the mark such a folder
 * stays refused. */
Test(store, unfinished_creation_is_made_again)
{
	struct store *st;
	struct strbuf sb = STRBUF_INIT;
	char cmd[512];

	snprintf(cmd, sizeof(cmd), "mkdir -p %s/s/objects/info %s/s/refs/heads && "
	    "cd %s/s && touch clausewatch-creating config.lock _git2_x README.md", dir, dir,
	    dir);
	cr_assert_eq(system(cmd), 0);
	strbuf_addf(&sb, "%s/s", dir);
	cr_assert_eq(store_probe(sb.buf), 1, "%s", util_err());
	cr_assert_eq(store_open(sb.buf, 1, &st), 0, "%s", util_err());
	cr_assert(store_created(st));
	commit(st, "pub/doc", "# Doc\n", 1000000000, NULL);
	store_free(st);
	cr_assert_eq(store_probe(sb.buf), 2);
	git_out(&sb, "fsck --strict");
	snprintf(cmd, sizeof(cmd), "cd %s/s && test -f README.md && ! test -e config.lock && "
	    "! test -e _git2_x && ! test -e clausewatch-creating", dir);
	cr_assert_eq(system(cmd), 0);

	snprintf(cmd, sizeof(cmd), "mkdir -p %s/o/objects/info && touch %s/o/config.lock",
	    dir, dir);
	cr_assert_eq(system(cmd), 0);
	strbuf_reset(&sb);
	strbuf_addf(&sb, "%s/o", dir);
	cr_assert_eq(store_probe(sb.buf), -1);
	cr_assert(strstr(util_err(), "folder of other files"), "%s", util_err());
	strbuf_release(&sb);
}

/* First records of a batch: one commit naming each document, its objects
 * in one pack (no loose object), each document's history and the recent
 * changes reading one change per document out of it. */
Test(store, batch_first_records_share_one_commit_in_one_pack)
{
	enum { N = 40 };	/* enough objects for a pack */
	char ids[N][24];
	struct store *st;
	struct store_change *h;
	struct strbuf sb = STRBUF_INIT, path = STRBUF_INIT;
	struct record rec;
	char c0[41], c1[41], cmd[256];
	size_t i, n;

	strbuf_addf(&path, "%s/s", dir);
	cr_assert_eq(store_open(path.buf, 1, &st), 0);
	commit(st, "pub/old", "# Old\n", 1000000000, c0);	/* loose, outside a batch */
	cr_assert_eq(store_begin(st), 0);
	record_init(&rec);
	strcpy(ids[0], "pub/a");
	strcpy(ids[1], "pub/b");
	strcpy(ids[2], "other/c");
	for (i = 3; i < N; i++)
		snprintf(ids[i], sizeof(ids[i]), "fill/d%02zu", i);
	for (i = 0; i < N; i++) {
		struct store_record r = { ids[i], ids[i], strlen(ids[i]), "First record of X\n\n"
			"Document: pub/a\nRecord: first\n", 1000000100 };
		char raw[64];

		record_set(&rec, ids[i], "https://example.com/x", 1000000100, RECORD_FIRST);
		cr_assert_eq(store_commit_first(st, &r, &rec), 0, "%s", util_err());
		snprintf(raw, sizeof(raw), "<p>%s</p>", ids[i]);
		cr_assert_eq(store_snapshot(st, ids[i], "html", raw, strlen(raw), "s",
		    1000000100), 0);
	}
	record_release(&rec);
	cr_assert_eq(store_read(st, "pub/a", &sb, NULL), 1);	/* not committed yet */
	commit(st, "pub/old", "# Old, changed\n", 1000000200, c1);	/* a change in the same run */
	cr_assert_eq(store_commit_firsts(st), 0, "%s", util_err());
	cr_assert_eq(store_flush(st), 0, "%s", util_err());
	cr_assert_eq(strlen(store_first_commit(st)), 40);
	cr_assert_eq(store_read(st, "other/c", &sb, NULL), 0);
	cr_assert_str_eq(sb.buf, "other/c");

	cr_assert_eq(store_history(st, "pub/b", &h, &n), 0, "%s", util_err());
	cr_assert_eq(n, 1);
	cr_assert_str_eq(h[0].commit, store_first_commit(st));
	cr_assert_str_eq(h[0].rec.document, "pub/b");
	cr_assert_eq(h[0].rec.kind, RECORD_FIRST);
	store_changes_free(h, n);
	cr_assert_eq(store_recent(st, 0, &h, &n), 0);
	cr_assert_eq(n, N + 2);	/* the first records, the change, pub/old's first */
	cr_assert_str_eq(h[0].rec.document, "pub/a");
	cr_assert_str_eq(h[1].rec.document, "pub/b");
	cr_assert_str_eq(h[2].rec.document, "other/c");
	cr_assert_str_eq(h[2].rec.source, "https://example.com/x");
	cr_assert_str_eq(h[N].commit, c1);
	store_changes_free(h, n);
	store_free(st);

	git_out(&sb, "log -1 --format=%s main");
	cr_assert_str_eq(sb.buf, "First record of 40 documents\n");
	git_out(&sb, "log -1 '--format=%(trailers:key=Document,valueonly)' main");
	cr_assert(!strncmp(sb.buf, "pub/a\npub/b\nother/c\nfill/d03\n", 29), "%s", sb.buf);
	cr_assert(strstr(sb.buf, "\nfill/d39\n"), "%s", sb.buf);
	git_out(&sb, "rev-list --count main");
	cr_assert_str_eq(sb.buf, "3\n");
	git_out(&sb, "show main:pub/a.md main:other/c.md snapshots:pub/b.html");
	cr_assert_str_eq(sb.buf, "pub/aother/c<p>pub/b</p>");
	/* the batch wrote no loose object: only pub/old's first commit did */
	git_out(&sb, "count-objects -v");
	cr_assert(!strncmp(sb.buf, "count: 4\n", 9), "%s", sb.buf);	/* blob, 2 trees, commit */
	cr_assert(strstr(sb.buf, "\npacks: 1\n"), "%s", sb.buf);
	/* the pack and the index written for it, which git reads as its own */
	pack_dir(&sb);
	cr_assert(strlen(sb.buf) == 101 && !strncmp(sb.buf, "pack-", 5) &&
	    !strncmp(sb.buf + 45, ".idx\npack-", 10) &&
	    !strncmp(sb.buf + 5, sb.buf + 55, 40) && !strcmp(sb.buf + 95, ".pack\n"),
	    "%s", sb.buf);
	snprintf(cmd, sizeof(cmd), "verify-pack -v %s/s/objects/pack/%.49s", dir, sb.buf);
	git_out(&sb, cmd);
	cr_assert(strstr(sb.buf, ".pack: ok\n"), "%s", sb.buf);
	git_out(&sb, "fsck --strict --no-dangling");
	strbuf_release(&sb);
	strbuf_release(&path);
}

/* A blob made ready on another thread is written as it is, and reads back
 * as the same bytes; an offer not used is dropped. */
Test(store, offered_blobs_are_written_as_made)
{
	static const char text[] = "# Made ahead\n\nOn a worker.\n";
	struct store *st;
	struct strbuf sb = STRBUF_INIT, path = STRBUF_INIT, big = STRBUF_INIT;
	struct record rec;
	struct store_record r = { "pub/ahead", text, sizeof(text) - 1, "First\n", 1000000000 };
	struct pack_obj *o;
	char hex[41];
	int i;

	strbuf_addf(&path, "%s/s", dir);
	cr_assert_eq(store_open(path.buf, 1, &st), 0);
	cr_assert_eq(store_begin(st), 0);
	cr_assert_not_null(o = store_blob_make(text, sizeof(text) - 1));
	store_hash(text, sizeof(text) - 1, hex);
	store_offer(st, o);
	store_offer(st, store_blob_make("unused", 6));
	record_init(&rec);
	record_set(&rec, "pub/ahead", "https://example.com/a", 1000000000, RECORD_FIRST);
	cr_assert_eq(store_commit_first(st, &r, &rec), 0, "%s", util_err());
	store_offers_clear(st);
	/* enough other objects for a pack */
	for (i = 0; i < 80; i++) {
		char id[24];

		snprintf(id, sizeof(id), "pub/s%d", i);
		strbuf_reset(&big);
		strbuf_addf(&big, "snapshot %d", i);
		cr_assert_eq(store_snapshot(st, id, "html", big.buf, big.len, "s",
		    1000000000 + i), 0);
		store_offer(st, store_blob_make(big.buf, big.len));
		store_offers_clear(st);
	}
	cr_assert_eq(store_commit_firsts(st), 0);
	cr_assert_eq(store_flush(st), 0, "%s", util_err());
	record_release(&rec);
	store_free(st);
	git_out(&sb, "show main:pub/ahead.md");
	cr_assert_str_eq(sb.buf, text);
	git_out(&sb, "rev-parse main:pub/ahead.md");
	cr_assert(!strncmp(sb.buf, hex, 40));
	git_out(&sb, "fsck --strict --no-dangling");
	strbuf_release(&sb);
	strbuf_release(&big);
	strbuf_release(&path);
}

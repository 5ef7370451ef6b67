/* The store: a bare git repository written through libgit2's object API,
 * never through a work tree. Refs are updated by git_commit_create, which
 * writes a lock file and renames it, so a run killed at any moment leaves
 * either the old or the new tip, and only unreferenced loose objects. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <git2.h>

#include "date.h"
#include "pack.h"
#include "store.h"
#include "util.h"

#define MAIN_REF "refs/heads/main"
/* main's commit up to which every change was announced (mail queued) */
#define ANNOUNCED_REF "refs/clausewatch/announced"
#define STALE_LOCK_SECONDS 600
#define SNAP_REF "refs/heads/snapshots"

/* In a batch (store_begin .. store_flush) objects are written as usual but
 * the branch tips are kept here, and store_flush moves the refs once per
 * branch. A run killed before that leaves the refs as they were and only
 * unreferenced objects (git fsck accepts them; gc prunes them), and the next
 * run records the same changes again. It also saves a lock, a ref write and
 * a reflog append per commit. */
struct tipref {
	const char *ref;
	git_oid old, now;
	int had_old, moved;
};

struct store {
	git_repository *repo;
	char *path;
	int lockfd;
	int created;		/* store_open made the repository */
	int batch;
	struct tipref tips[2];		/* main, snapshots */
	/* a batch's raw snapshots: one commit on snapshots at the flush */
	git_tree_update *snap;
	char **snap_path;
	size_t nsnap, asnap, asnap_path;
	time_t snap_when;
	/* a batch's first records: one commit on main at the flush, so that
	 * adding thousands of documents builds the tree once */
	git_tree_update *first;
	struct record *first_rec;
	char **first_path;
	char *first_msg;	/* the message of a lone first record */
	size_t nfirst, afirst, afirst_rec, afirst_path;
	time_t first_when;
	char first_commit[41];
	/* a batch's objects go into one pack at the flush (pack.h) */
	struct pack *pack;
	git_odb *odb;
	struct pack_obj *offer[4];	/* blobs made ready ahead (store_offer) */
	size_t noffer;
};

static int
gerr(const char *what)
{
	const git_error *e = git_error_last();

	util_seterr("store: %s: %s", what, e && e->message ? e->message : "failed");
	return -1;
}

/* Made in the folder before libgit2 makes the repository there, removed
 * once it did (HEAD, which it writes last, is there): a run killed in
 * between leaves it with the repository's first folders and files (lock
 * and temporary files among them), which the next run removes before it
 * makes the store again. */
#define CREATING "clausewatch-creating"

static int
is_placeholder(const char *name)
{
	return !strcmp(name, "README") || !strcmp(name, "README.md") ||
	    !strcmp(name, ".gitignore");
}

/* What is at path, for the store rules: 0 missing, 1 a folder a store
 * may be created in (empty, or only the project's placeholder README and
 * .gitignore), 2 a clausewatch store (bare repository), -1 anything else
 * (util_err says what and why it is refused). */
int
store_probe(const char *path)
{
	struct strbuf p = STRBUF_INIT;
	struct stat sb;
	struct dirent *e;
	DIR *dir;
	int rc = 1;

	if (stat(path, &sb) < 0) {
		if (errno != ENOENT) {
			util_seterr("store %s: %s", path, strerror(errno));
			return -1;
		}
		return 0;
	}
	if (!S_ISDIR(sb.st_mode)) {
		util_seterr("store %s is not a folder", path);
		return -1;
	}
	strbuf_addf(&p, "%s/HEAD", path);
	if (access(p.buf, F_OK) == 0) {
		strbuf_reset(&p);
		strbuf_addf(&p, "%s/objects", path);
		rc = access(p.buf, F_OK) == 0 ? 2 : -1;
		if (rc < 0)
			util_seterr("store %s has a HEAD file but is no git repository", path);
		strbuf_release(&p);
		return rc;
	}
	strbuf_reset(&p);
	strbuf_addf(&p, "%s/" CREATING, path);
	if (access(p.buf, F_OK) == 0) {
		strbuf_release(&p);
		return 1;	/* a creation that did not finish */
	}
	strbuf_release(&p);
	if (!(dir = opendir(path))) {
		util_seterr("store %s: %s", path, strerror(errno));
		return -1;
	}
	while ((e = readdir(dir))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..") ||
		    is_placeholder(e->d_name))
			continue;
		if (!strcmp(e->d_name, ".git"))
			util_seterr("store %s is a git work tree, not a clausewatch store: "
			    "give -s a new or empty folder", path);
		else
			util_seterr("store %s is a folder of other files (%s), not a "
			    "clausewatch store: give -s a new or empty folder", path, e->d_name);
		rc = -1;
		break;
	}
	closedir(dir);
	return rc;
}

/* The folder a store is made in, with the CREATING mark: made when
 * missing (place 0), emptied of what an unfinished creation left but the
 * placeholders. */
static int
creating(const char *path, int place)
{
	struct strbuf p = STRBUF_INIT;
	struct dirent *e;
	DIR *dir;
	int fd, rc = 0;

	if (place == 0 && mkdir(path, 0777) < 0 && errno != EEXIST)
		rc = -1;
	strbuf_addf(&p, "%s/" CREATING, path);
	if (rc == 0 && access(p.buf, F_OK) == 0 && (dir = opendir(path))) {
		while (rc == 0 && (e = readdir(dir))) {
			if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..") &&
			    strcmp(e->d_name, CREATING) && !is_placeholder(e->d_name)) {
				strbuf_reset(&p);
				strbuf_addf(&p, "%s/%s", path, e->d_name);
				rc = util_rmtree(p.buf);
			}
		}
		closedir(dir);
		strbuf_reset(&p);
		strbuf_addf(&p, "%s/" CREATING, path);
	}
	if (rc == 0 && ((fd = open(p.buf, O_WRONLY | O_CREAT | O_CLOEXEC, 0644)) < 0 ||
	    close(fd) < 0))
		rc = -1;
	if (rc < 0)
		util_seterr("store %s: %s", path, strerror(errno));
	strbuf_release(&p);
	return rc;
}

static void
created(const char *path)
{
	struct strbuf p = STRBUF_INIT;

	strbuf_addf(&p, "%s/" CREATING, path);
	unlink(p.buf);	/* gone already unless a run was killed here */
	strbuf_release(&p);
}

int
store_open(const char *path, int create, struct store **out)
{
	git_repository_init_options opts;
	struct store *st;
	struct strbuf parent = STRBUF_INIT;
	const char *slash;
	int rc, place;

	*out = NULL;
	if ((place = store_probe(path)) < 0)
		return -1;
	if (place < 2 && !create) {
		util_seterr("no store at %s (nothing recorded there yet): 'clausewatch -s %s "
		    "run' creates it", path, path);
		return -1;
	}
	if (place == 0) {
		/* a misspelled -s would otherwise grow a new tree of folders */
		slash = strrchr(path, '/');
		strbuf_add(&parent, path, slash ? (size_t)(slash - path) : 0);
		if (slash && parent.len && access(parent.buf, F_OK) < 0) {
			util_seterr("store %s: folder %s does not exist", path, parent.buf);
			strbuf_release(&parent);
			return -1;
		}
		strbuf_release(&parent);
	}
	st = xcalloc(1, sizeof(*st));
	st->lockfd = -1;
	st->path = xstrdup(path);
	if (place == 2) {
		rc = git_repository_open_ext(&st->repo, path,
		    GIT_REPOSITORY_OPEN_NO_SEARCH, NULL);
	} else if (creating(path, place) < 0) {
		store_free(st);
		return -1;
	} else {
		git_repository_init_options_init(&opts, GIT_REPOSITORY_INIT_OPTIONS_VERSION);
		opts.flags = GIT_REPOSITORY_INIT_MKDIR | GIT_REPOSITORY_INIT_BARE;
		opts.initial_head = "main";
		opts.description = "clausewatch store: recorded versions of watched agreements\n";
		rc = git_repository_init_ext(&st->repo, path, &opts);
		st->created = rc == 0;
	}
	if (rc != 0) {
		gerr(path);
		store_free(st);
		return -1;
	}
	created(path);
	*out = st;
	return 0;
}

int
store_created(const struct store *st)
{
	return st->created;
}

static void
snap_clear(struct store *st)
{
	size_t i;

	for (i = 0; i < st->nsnap; i++)
		free(st->snap_path[i]);
	free(st->snap_path);
	free(st->snap);
	st->snap_path = NULL;
	st->snap = NULL;
	st->nsnap = st->asnap = st->asnap_path = 0;
}

static void
first_clear(struct store *st)
{
	size_t i;

	for (i = 0; i < st->nfirst; i++) {
		free(st->first_path[i]);
		record_release(&st->first_rec[i]);
	}
	free(st->first_path);
	free(st->first_rec);
	free(st->first);
	free(st->first_msg);
	st->first_path = NULL;
	st->first_rec = NULL;
	st->first = NULL;
	st->first_msg = NULL;
	st->nfirst = st->afirst = st->afirst_rec = st->afirst_path = 0;
}

void
store_free(struct store *st)
{
	if (!st)
		return;
	if (st->lockfd >= 0)
		close(st->lockfd);
	snap_clear(st);
	first_clear(st);
	store_offers_clear(st);
	git_odb_free(st->odb);
	git_repository_free(st->repo);
	free(st->path);
	free(st);
}

const char *
store_path(const struct store *st)
{
	return st->path;
}

/* A run killed while libgit2 held a ref's lock file leaves it behind, and
 * every later run would fail on it. Holding our own lock, we remove such
 * files once they are old enough that no git command can still own them;
 * the announced mark's at once: only a run writes that ref. */
static void
clear_stale_locks(struct store *st, struct strbuf *cleared)
{
	static const char *const locks[] = {
		ANNOUNCED_REF ".lock",
		"refs/heads/main.lock", "refs/heads/snapshots.lock",
		"refs/notes/commits.lock", "packed-refs.lock", "HEAD.lock",
	};
	struct strbuf p = STRBUF_INIT;
	struct stat sb;
	size_t i;

	for (i = 0; i < sizeof(locks) / sizeof(locks[0]); i++) {
		strbuf_reset(&p);
		strbuf_addf(&p, "%s/%s", st->path, locks[i]);
		if (stat(p.buf, &sb) == 0 && (i == 0 ||
		    sb.st_mtime < time(NULL) - STALE_LOCK_SECONDS) &&
		    unlink(p.buf) == 0 && cleared)
			strbuf_addf(cleared, "%s\n", p.buf);
	}
	strbuf_release(&p);
}

int
store_lock(struct store *st, struct strbuf *cleared)
{
	struct strbuf p = STRBUF_INIT;
	int fd;

	strbuf_addf(&p, "%s/clausewatch.lock", st->path);
	fd = open(p.buf, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0) {
		util_seterr("%s: %s", p.buf, strerror(errno));
		strbuf_release(&p);
		return -1;
	}
	/* flock, not O_EXCL: a run killed with -9 releases it with the process */
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		util_seterr("another clausewatch run holds %s; not starting", p.buf);
		close(fd);
		strbuf_release(&p);
		return -1;
	}
	st->lockfd = fd;
	strbuf_release(&p);
	clear_stale_locks(st, cleared);
	return 0;
}

static struct tipref *
batch_tip(struct store *st, const char *ref)
{
	size_t i;

	if (!st->batch)
		return NULL;
	for (i = 0; i < 2; i++)
		if (!strcmp(st->tips[i].ref, ref))
			return &st->tips[i];
	return NULL;
}

static int
tip(struct store *st, const char *ref, git_commit **out)
{
	struct tipref *t = batch_tip(st, ref);
	git_oid oid;
	int rc;

	*out = NULL;
	if (t) {
		/* in a batch the branch moves at store_flush alone, which keeps
		 * its tip here: no ref read for every document */
		if (!t->moved && !t->had_old)
			return 1;
		if (git_commit_lookup(out, st->repo, t->moved ? &t->now : &t->old) < 0)
			return gerr(ref);
		return 0;
	}
	rc = git_reference_name_to_id(&oid, st->repo, ref);
	if (rc == GIT_ENOTFOUND)
		return 1;
	if (rc < 0 || git_commit_lookup(out, st->repo, &oid) < 0)
		return gerr(ref);
	return 0;
}

static void
doc_path(struct strbuf *sb, const char *id, const char *ext)
{
	strbuf_reset(sb);
	strbuf_addf(sb, "%s.%s", id, ext);
}

/* Blob of path in commit; 1 when absent. */
static int
blob_at(struct store *st, git_commit *c, const char *path, git_blob **out)
{
	git_tree *tree = NULL;
	git_tree_entry *te = NULL;
	int rc = 1;

	*out = NULL;
	if (git_commit_tree(&tree, c) < 0)
		return gerr("tree");
	if (git_tree_entry_bypath(&te, tree, path) == 0) {
		rc = git_blob_lookup(out, st->repo, git_tree_entry_id(te)) < 0 ?
		    gerr(path) : 0;
	}
	git_tree_entry_free(te);
	git_tree_free(tree);
	return rc;
}

int
store_read_at(struct store *st, const char *id, const char *rev,
    struct strbuf *out, char commit_hex[41])
{
	git_object *obj = NULL;
	git_commit *c = NULL;
	git_blob *b = NULL;
	struct strbuf p = STRBUF_INIT;
	int rc;

	if (rev) {
		if (git_revparse_single(&obj, st->repo, rev) < 0 ||
		    git_object_peel((git_object **)&c, obj, GIT_OBJECT_COMMIT) < 0) {
			rc = gerr(rev);
			goto cleanup;
		}
	} else if ((rc = tip(st, MAIN_REF, &c)) != 0) {
		goto cleanup;
	}
	doc_path(&p, id, "md");
	if ((rc = blob_at(st, c, p.buf, &b)) != 0)
		goto cleanup;
	strbuf_reset(out);
	if (strbuf_add(out, git_blob_rawcontent(b), (size_t)git_blob_rawsize(b)) < 0) {
		util_seterr("store: %s is larger than the cap", p.buf);
		rc = -1;
		goto cleanup;
	}
	if (commit_hex)
		git_oid_tostr(commit_hex, 41, git_commit_id(c));
cleanup:
	git_blob_free(b);
	git_commit_free(c);
	git_object_free(obj);
	strbuf_release(&p);
	return rc;
}

int
store_read(struct store *st, const char *id, struct strbuf *out, char commit_hex[41])
{
	return store_read_at(st, id, NULL, out, commit_hex);
}

static int
signature(git_signature **sig, time_t when)
{
	if (git_signature_new(sig, "clausewatch", "clausewatch@localhost",
	    (git_time_t)when, 0) < 0)
		return gerr("signature");
	return 0;
}

/* Commit tree updates on ref, on top of its tip (in a batch: the tip kept
 * in memory). */
static int
commit_updates(struct store *st, const char *ref, const git_tree_update *upd,
    size_t nupd, const char *msg, time_t when, char commit_hex[41])
{
	struct tipref *t = batch_tip(st, ref);
	git_commit *parent = NULL;
	git_tree *base = NULL, *tree = NULL;
	git_signature *sig = NULL;
	git_oid tree_oid, commit;
	int rc = -1;

	if (tip(st, ref, &parent) < 0)
		return -1;
	if (parent && git_commit_tree(&base, parent) < 0) {
		gerr("tree");
		goto cleanup;
	}
	if (git_tree_create_updated(&tree_oid, st->repo, base, nupd, upd) < 0 ||
	    git_tree_lookup(&tree, st->repo, &tree_oid) < 0) {
		gerr("tree update");
		goto cleanup;
	}
	if (signature(&sig, when) < 0)
		goto cleanup;
	if (git_commit_create(&commit, st->repo, t ? NULL : ref, sig, sig, "UTF-8",
	    msg, tree, parent ? 1 : 0, (const git_commit **)&parent) < 0) {
		gerr("commit");
		goto cleanup;
	}
	if (t) {
		t->now = commit;
		t->moved = 1;
	}
	if (commit_hex)
		git_oid_tostr(commit_hex, 41, &commit);
	rc = 0;
cleanup:
	git_tree_free(tree);
	git_tree_free(base);
	git_signature_free(sig);
	git_commit_free(parent);
	return rc;
}

static void
blob_update(git_tree_update *u, const git_oid *blob, const char *path)
{
	memset(u, 0, sizeof(*u));
	u->action = GIT_TREE_UPDATE_UPSERT;
	u->id = *blob;
	u->filemode = GIT_FILEMODE_BLOB;
	u->path = path;
}

/* The id of buf's blob: an offer made from these very bytes knows it
 * (hashed on the worker), anything else is hashed here. */
static const struct pack_obj *
blob_id(struct store *st, const void *buf, size_t len, git_oid *oid)
{
	size_t i;

	for (i = 0; i < st->noffer; i++)
		if (st->offer[i]->src == buf && st->offer[i]->size == len) {
			git_oid_cpy(oid, &st->offer[i]->id);
			return st->offer[i];
		}
	pack_hash(GIT_OBJECT_BLOB, buf, len, oid);
	return NULL;
}

/* Write a blob whose id blob_id gave; in a batch straight into the pack
 * (as offered when it was). */
static int
put_blob_id(struct store *st, const void *buf, size_t len, const git_oid *oid,
    const struct pack_obj *offered)
{
	/* no refresh: a miss need not rescan objects/pack */
	if (git_odb_exists_ext(st->odb, oid, GIT_ODB_LOOKUP_NO_REFRESH))
		return 0;
	if (offered)
		return pack_put_obj(st->pack, offered);
	return pack_put(st->pack, oid, GIT_OBJECT_BLOB, buf, len);
}

/* Write a blob; in a batch straight into the pack, hashed once by us. */
static int
put_blob(struct store *st, const void *buf, size_t len, git_oid *oid)
{
	if (!st->batch) {
		if (git_blob_create_from_buffer(oid, st->repo, buf, len) < 0)
			return gerr("blob");
		return 0;
	}
	return put_blob_id(st, buf, len, oid, blob_id(st, buf, len, oid));
}

struct pack_obj *
store_blob_make(const void *buf, size_t len)
{
	struct pack_obj *o = xmalloc(sizeof(*o));

	if (pack_obj_make(o, GIT_OBJECT_BLOB, buf, len) < 0) {
		pack_obj_release(o);
		free(o);
		return NULL;
	}
	return o;
}

void
store_offer(struct store *st, struct pack_obj *o)
{
	if (!o)
		return;
	if (st->noffer == sizeof(st->offer) / sizeof(st->offer[0])) {
		pack_obj_release(o);	/* no room: written the usual way */
		free(o);
		return;
	}
	st->offer[st->noffer++] = o;
}

void
store_offers_clear(struct store *st)
{
	while (st->noffer) {
		pack_obj_release(st->offer[--st->noffer]);
		free(st->offer[st->noffer]);
	}
}

/* Commit path=buf on ref. */
static int
commit_file(struct store *st, const char *ref, const char *path, const void *buf,
    size_t len, const char *msg, time_t when, char commit_hex[41])
{
	git_tree_update upd;
	git_oid blob;

	if (put_blob(st, buf, len, &blob) < 0)
		return -1;
	blob_update(&upd, &blob, path);
	return commit_updates(st, ref, &upd, 1, msg, when, commit_hex);
}

int
store_commit(struct store *st, const struct store_record *r, char commit_hex[41])
{
	struct strbuf p = STRBUF_INIT;
	int rc;

	doc_path(&p, r->id, "md");
	rc = commit_file(st, MAIN_REF, p.buf, r->text, r->len, r->message, r->when, commit_hex);
	strbuf_release(&p);
	return rc;
}

int
store_commit_first(struct store *st, const struct store_record *r,
    const struct record *rec)
{
	struct record *x;
	git_oid blob;

	if (!st->batch)
		return store_commit(st, r, NULL);
	if (put_blob(st, r->text, r->len, &blob) < 0)
		return -1;
	ALLOC_GROW(st->first, st->nfirst + 1, st->afirst);
	ALLOC_GROW(st->first_rec, st->nfirst + 1, st->afirst_rec);
	ALLOC_GROW(st->first_path, st->nfirst + 1, st->afirst_path);
	st->first_path[st->nfirst] = xmalloc(strlen(r->id) + 4);
	strcpy(st->first_path[st->nfirst], r->id);
	strcat(st->first_path[st->nfirst], ".md");
	blob_update(&st->first[st->nfirst], &blob, st->first_path[st->nfirst]);
	x = &st->first_rec[st->nfirst];
	record_init(x);
	record_set(x, rec->document, rec->source, rec->fetched, rec->kind);
	if (!st->nfirst)
		st->first_msg = xstrdup(r->message);
	st->nfirst++;
	if (r->when > st->first_when)
		st->first_when = r->when;
	return 0;
}

const char *
store_first_commit(const struct store *st)
{
	return st->first_commit;
}

int
store_snapshot(struct store *st, const char *id, const char *ext,
    const char *raw, size_t len, const char *msg, time_t when)
{
	const struct pack_obj *offered;
	git_commit *c = NULL;
	git_blob *old = NULL;
	git_oid oid;
	struct strbuf p = STRBUF_INIT;
	int rc = 0;

	doc_path(&p, id, ext);
	/* skip identical bytes: the snapshot branch records raw changes only */
	offered = blob_id(st, raw, len, &oid);
	if (tip(st, SNAP_REF, &c) == 0 && blob_at(st, c, p.buf, &old) == 0 &&
	    git_oid_equal(&oid, git_blob_id(old)))
		goto cleanup;
	if (!st->batch) {
		rc = commit_file(st, SNAP_REF, p.buf, raw, len, msg, when, NULL);
		goto cleanup;
	}
	if (put_blob_id(st, raw, len, &oid, offered) < 0) {
		rc = -1;
		goto cleanup;
	}
	ALLOC_GROW(st->snap, st->nsnap + 1, st->asnap);
	ALLOC_GROW(st->snap_path, st->nsnap + 1, st->asnap_path);
	st->snap_path[st->nsnap] = xstrdup(p.buf);	/* not p's 64 bytes: one a document */
	blob_update(&st->snap[st->nsnap], &oid, st->snap_path[st->nsnap]);
	st->nsnap++;
	st->snap_when = when;
cleanup:
	git_blob_free(old);
	git_commit_free(c);
	strbuf_release(&p);
	return rc;
}

int
store_snapshot_read(struct store *st, const char *id, const char *ext, struct strbuf *out)
{
	git_commit *c = NULL;
	git_blob *b = NULL;
	struct strbuf p = STRBUF_INIT;
	int rc;

	doc_path(&p, id, ext);
	if ((rc = tip(st, SNAP_REF, &c)) != 0 || (rc = blob_at(st, c, p.buf, &b)) != 0)
		goto cleanup;
	strbuf_reset(out);
	if (strbuf_add(out, git_blob_rawcontent(b), (size_t)git_blob_rawsize(b)) < 0) {
		util_seterr("store: snapshot %s is larger than the cap", p.buf);
		rc = -1;
	}
cleanup:
	git_blob_free(b);
	git_commit_free(c);
	strbuf_release(&p);
	return rc;
}

int
store_begin(struct store *st)
{
	size_t i;

	if (st->batch)
		return 0;
	if (!st->pack && (pack_attach(st->repo, &st->pack) < 0 ||
	    git_repository_odb(&st->odb, st->repo) < 0))
		return st->pack ? gerr("odb") : -1;
	st->batch = 1;
	st->tips[0].ref = MAIN_REF;
	st->tips[1].ref = SNAP_REF;
	for (i = 0; i < 2; i++) {
		struct tipref *t = &st->tips[i];

		t->moved = 0;
		t->had_old = git_reference_name_to_id(&t->old, st->repo, t->ref) == 0;
	}
	return 0;
}

int
store_commit_firsts(struct store *st)
{
	struct strbuf msg = STRBUF_INIT;
	int rc;

	st->first_commit[0] = '\0';
	if (!st->nfirst)
		return 0;
	if (st->nfirst == 1)
		strbuf_addstr(&msg, st->first_msg);
	else
		record_message_firsts(st->first_rec, st->nfirst, &msg);
	rc = commit_updates(st, MAIN_REF, st->first, st->nfirst, msg.buf,
	    st->first_when, st->first_commit);
	strbuf_release(&msg);
	if (rc == 0)
		first_clear(st);
	return rc;
}

int
store_flush(struct store *st)
{
	git_reference *ref = NULL;
	size_t i;

	if (!st->batch)
		return 0;
	if (st->nsnap) {
		struct strbuf msg = STRBUF_INIT;
		int rc;

		strbuf_addf(&msg, "Raw snapshots of %zu document%s\n\n", st->nsnap,
		    st->nsnap == 1 ? "" : "s");
		for (i = 0; i < st->nsnap; i++)
			strbuf_addf(&msg, "File: %s\n", st->snap_path[i]);
		rc = commit_updates(st, SNAP_REF, st->snap, st->nsnap, msg.buf,
		    st->snap_when, NULL);
		strbuf_release(&msg);
		if (rc < 0)
			return -1;
		snap_clear(st);
	}
	/* every object in place before any ref names it */
	if (pack_flush(st->pack) < 0)
		return -1;
	/* snapshots first: main is what the next run compares against */
	for (i = 2; i-- > 0; ) {
		struct tipref *t = &st->tips[i];

		if (!t->moved)
			continue;
		/* the expected old value guards against a writer outside the lock */
		if (git_reference_create_matching(&ref, st->repo, t->ref, &t->now,
		    t->had_old, t->had_old ? &t->old : NULL, "clausewatch run") < 0)
			return gerr(t->ref);
		git_reference_free(ref);
		ref = NULL;
		t->old = t->now;
		t->had_old = 1;
		t->moved = 0;
	}
	return 0;
}

void
store_hash(const void *buf, size_t len, char hex[41])
{
	git_oid oid;

	pack_hash(GIT_OBJECT_BLOB, buf, len, &oid);
	git_oid_tostr(hex, 41, &oid);
}

int
store_resolve(struct store *st, const char *rev, char commit_hex[41])
{
	git_object *obj = NULL, *peeled = NULL;
	int rc = 0;

	if (git_revparse_single(&obj, st->repo, rev) < 0 ||
	    git_object_peel(&peeled, obj, GIT_OBJECT_COMMIT) < 0)
		rc = gerr(rev);
	else
		git_oid_tostr(commit_hex, 41, git_object_id(peeled));
	git_object_free(peeled);
	git_object_free(obj);
	return rc;
}

static char *
note_of(struct store *st, const git_oid *oid)
{
	git_note *n = NULL;
	char *s = NULL;

	if (git_note_read(&n, st->repo, NULL, oid) == 0) {
		s = xstrdup(git_note_message(n));
		git_note_free(n);
	}
	return s;
}

/* Append a change for commit c, its record already parsed (moved into
 * the change). */
static struct store_change *
push_change(struct store *st, struct store_change **v, size_t *n, size_t *alloc,
    git_commit *c, struct record *rec)
{
	struct store_change *sc;

	ALLOC_GROW(*v, *n + 1, *alloc);
	sc = &(*v)[(*n)++];
	memset(sc, 0, sizeof(*sc));
	git_oid_tostr(sc->commit, sizeof(sc->commit), git_commit_id(c));
	sc->when = (time_t)git_commit_time(c);
	sc->subject = xstrdup(git_commit_summary(c));
	sc->rec = *rec;
	record_init(rec);
	sc->deemed = DATE_NONE;
	/* acknowledgements matter only for dated deadlines */
	if (sc->rec.deadline_kind == JUDGE_DL_DATE &&
	    (sc->note = note_of(st, git_commit_id(c)))) {
		int acked;

		record_note_parse(sc->note, &acked, &sc->deemed);
		if (acked)
			sc->ack = xstrdup(sc->note);
	}
	return sc;
}


/* A change per document the commit records (a batched first record names
 * several) whose kind is in kinds (1u << RECORD_*); commits that name none
 * are left out. The records are moved. */
static void
push_changes(struct store *st, struct store_change **v, size_t *n, size_t *alloc,
    git_commit *c, struct record *recs, size_t nrecs, unsigned kinds)
{
	size_t i;

	for (i = 0; i < nrecs; i++) {
		if (recs[i].document && (kinds & (1u << recs[i].kind)))
			push_change(st, v, n, alloc, c, &recs[i]);
		record_release(&recs[i]);
	}
	free(recs);
}

/* Where path stood in c's first parent: 1 with its blob id and the parent's
 * id, 0 when the parent has no such file (or c has no parent). */
static int
parent_entry(git_commit *c, const char *path, git_oid *blob, char parent_hex[41])
{
	git_commit *parent = NULL;
	git_tree *tree = NULL;
	git_tree_entry *te = NULL;
	int found = 0;

	if (git_commit_parentcount(c) > 0 && git_commit_parent(&parent, c, 0) == 0 &&
	    git_commit_tree(&tree, parent) == 0 &&
	    git_tree_entry_bypath(&te, tree, path) == 0) {
		git_oid_cpy(blob, git_tree_entry_id(te));
		git_oid_tostr(parent_hex, 41, git_commit_id(parent));
		found = 1;
	}
	git_tree_entry_free(te);
	git_tree_free(tree);
	git_commit_free(parent);
	return found;
}

/* A walk of main, newest first; 1 when there is no main yet. */
static int
main_walk(struct store *st, git_revwalk **walk)
{
	git_oid tip;
	int err;

	/* nothing recorded yet is a normal state: libgit2 1.5's push_ref says
	 * GIT_ERROR, not GIT_ENOTFOUND, for a missing ref, so look first */
	if ((err = git_reference_name_to_id(&tip, st->repo, MAIN_REF)) < 0)
		return err == GIT_ENOTFOUND ? 1 : gerr("main");
	if (git_revwalk_new(walk, st->repo) < 0)
		return gerr("revwalk");
	git_revwalk_sorting(*walk, GIT_SORT_TOPOLOGICAL);
	if (git_revwalk_push(*walk, &tip) < 0)
		return gerr("main");
	return 0;
}

static void
changes_drop(struct store_change **v, size_t *n)
{
	store_changes_free(*v, *n);
	*v = NULL;
	*n = 0;
}

int
store_history(struct store *st, const char *id, struct store_change **v, size_t *n)
{
	git_revwalk *walk = NULL;
	git_commit *c = NULL;
	git_tree *tree = NULL;
	git_tree_entry *te = NULL;
	struct strbuf p = STRBUF_INIT;
	struct record rec;
	git_oid oid, prev;
	char parent[41];
	size_t alloc = 0;
	int rc = -1, err;

	record_init(&rec);
	*v = NULL;
	*n = 0;
	doc_path(&p, id, "md");
	if ((err = main_walk(st, &walk)) != 0) {
		rc = err > 0 ? 0 : -1;
		goto cleanup;
	}
	while (git_revwalk_next(&oid, walk) == 0) {
		if (git_commit_lookup(&c, st->repo, &oid) < 0 ||
		    git_commit_tree(&tree, c) < 0) {
			gerr("commit");
			goto cleanup;
		}
		if (git_tree_entry_bypath(&te, tree, p.buf) == 0) {
			int had = parent_entry(c, p.buf, &prev, parent);

			if (!had || !git_oid_equal(git_tree_entry_id(te), &prev)) {
				struct store_change *sc;

				if (record_parse_doc(git_commit_message(c), id, &rec) < 0)
					goto cleanup;
				sc = push_change(st, v, n, &alloc, c, &rec);
				if (had)
					memcpy(sc->parent, parent, sizeof(sc->parent));
			}
		}
		git_tree_entry_free(te);
		git_tree_free(tree);
		git_commit_free(c);
		te = NULL;
		tree = NULL;
		c = NULL;
	}
	rc = 0;
cleanup:
	record_release(&rec);
	git_tree_entry_free(te);
	git_tree_free(tree);
	git_commit_free(c);
	git_revwalk_free(walk);
	strbuf_release(&p);
	if (rc < 0)
		changes_drop(v, n);
	return rc;
}

int
store_recent_kinds(struct store *st, time_t since, unsigned kinds,
    struct store_change **v, size_t *n)
{
	git_revwalk *walk = NULL;
	git_commit *c = NULL;
	struct record *recs;
	git_oid oid;
	size_t nrecs, alloc = 0;
	int rc = -1, err;

	*v = NULL;
	*n = 0;
	if ((err = main_walk(st, &walk)) != 0) {
		rc = err > 0 ? 0 : -1;
		goto cleanup;
	}
	/* main is linear and written in time order: stop at the first old one */
	while (git_revwalk_next(&oid, walk) == 0) {
		if (git_commit_lookup(&c, st->repo, &oid) < 0) {
			gerr("commit");
			goto cleanup;
		}
		if ((time_t)git_commit_time(c) < since)
			break;
		if (record_parse_kinds(git_commit_message(c), kinds, &recs, &nrecs) < 0)
			goto cleanup;
		push_changes(st, v, n, &alloc, c, recs, nrecs, kinds);
		git_commit_free(c);
		c = NULL;
	}
	rc = 0;
cleanup:
	git_commit_free(c);
	git_revwalk_free(walk);
	if (rc < 0)
		changes_drop(v, n);
	return rc;
}

int
store_recent(struct store *st, time_t since, struct store_change **v, size_t *n)
{
	return store_recent_kinds(st, since, ~0u, v, n);
}

int
store_unannounced(struct store *st, struct store_change **v, size_t *n)
{
	git_revwalk *walk = NULL;
	git_commit *c = NULL;
	struct strbuf p = STRBUF_INIT;
	struct record *recs;
	git_oid oid, mark, tipid, prev;
	size_t nrecs, first, i, alloc = 0;
	int rc = -1;

	*v = NULL;
	*n = 0;
	if (git_reference_name_to_id(&tipid, st->repo, MAIN_REF) < 0 ||
	    git_reference_name_to_id(&mark, st->repo, ANNOUNCED_REF) < 0 ||
	    git_oid_equal(&tipid, &mark))
		return 0;	/* nothing recorded, never marked, or all announced */
	if (git_revwalk_new(&walk, st->repo) < 0 || git_revwalk_push(walk, &tipid) < 0 ||
	    git_revwalk_hide(walk, &mark) < 0) {
		gerr("revwalk");
		goto cleanup;
	}
	git_revwalk_sorting(walk, GIT_SORT_TOPOLOGICAL | GIT_SORT_REVERSE);
	while (git_revwalk_next(&oid, walk) == 0) {
		if (git_commit_lookup(&c, st->repo, &oid) < 0) {
			gerr("commit");
			goto cleanup;
		}
		if (record_parse_all(git_commit_message(c), &recs, &nrecs) < 0)
			goto cleanup;
		first = *n;
		push_changes(st, v, n, &alloc, c, recs, nrecs, ~0u);
		for (i = first; i < *n; i++) {
			doc_path(&p, (*v)[i].rec.document, "md");
			parent_entry(c, p.buf, &prev, (*v)[i].parent);
		}
		git_commit_free(c);
		c = NULL;
	}
	rc = 0;
cleanup:
	git_commit_free(c);
	git_revwalk_free(walk);
	strbuf_release(&p);
	if (rc < 0)
		changes_drop(v, n);
	return rc;
}

int
store_mark_announced(struct store *st)
{
	git_reference *ref = NULL;
	git_oid tipid;
	int err;

	if ((err = git_reference_name_to_id(&tipid, st->repo, MAIN_REF)) == GIT_ENOTFOUND)
		return 0;
	if (err < 0 || git_reference_create(&ref, st->repo, ANNOUNCED_REF, &tipid, 1,
	    "clausewatch: changes announced") < 0)
		return gerr(ANNOUNCED_REF);
	git_reference_free(ref);
	return 0;
}

void
store_changes_free(struct store_change *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].subject);
		record_release(&v[i].rec);
		free(v[i].ack);
		free(v[i].note);
	}
	free(v);
}

int
store_note(struct store *st, const char *commit_hex, const char *text,
    const char *who, time_t when)
{
	git_signature *sig = NULL;
	git_repository *own = NULL;
	git_oid oid, note;
	struct strbuf msg = STRBUF_INIT;
	char *old = NULL;
	int rc = -1;

	if (git_oid_fromstr(&oid, commit_hex) < 0) {
		util_seterr("store: bad commit id '%s'", commit_hex);
		return -1;
	}
	if ((old = note_of(st, &oid)))
		strbuf_addstr(&msg, old);
	strbuf_addstr(&msg, text);
	if (git_signature_new(&sig, who, "clausewatch@localhost", (git_time_t)when, 0) < 0) {
		gerr("signature");
		goto cleanup;
	}
	/* the notes ref moves at once, not at a batch's flush: in a batch its
	 * objects are written through a repository of their own, not into
	 * the batch's pack (pack.h) */
	if (st->pack && git_repository_open_ext(&own, st->path,
	    GIT_REPOSITORY_OPEN_NO_SEARCH, NULL) < 0) {
		gerr(st->path);
		goto cleanup;
	}
	if (git_note_create(&note, own ? own : st->repo, NULL, sig, sig, &oid, msg.buf,
	    1) < 0) {
		gerr("note");
		goto cleanup;
	}
	rc = 0;
cleanup:
	git_repository_free(own);
	git_signature_free(sig);
	strbuf_release(&msg);
	free(old);
	return rc;
}

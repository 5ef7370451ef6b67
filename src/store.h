/* store: the git repository of recorded versions (libgit2, no work tree).
 * Branch main: ID.md per document, one commit per recorded change.
 * Branch snapshots: raw fetched bytes. Notes (refs/notes/commits): acks,
 * so that plain `git log` shows who acknowledged a change. */
#ifndef CW_STORE_H
#define CW_STORE_H
#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include "record.h"
#include "strbuf.h"

struct store;
struct pack_obj;

/* Open the store at path. With create, a bare repository is made where
 * path does not exist (its parent must) or is an empty folder (the
 * project's placeholder README and .gitignore aside); a git work tree or a
 * folder of other files is refused. Without create, a missing store is an
 * error that says how to create one. */
int store_open(const char *path, int create, struct store **out);
/* What is at path: 0 nothing, 1 a folder a store may be created in (empty,
 * or only the project's placeholder README and .gitignore, or what a run
 * killed while it created the store left), 2 a store, -1 anything else
 * (util_err says why it cannot be one). */
int store_probe(const char *path);
/* 1 when store_open made the repository just now. */
int store_created(const struct store *st);
void store_free(struct store *st);
const char *store_path(const struct store *st);	/* the folder given */

/* Take the run lock (non-blocking); -1 with util_err if another run holds it.
 * Holding it, removes ref lock files an interrupted run left behind (old
 * enough that no git command can still own them) and appends their paths,
 * one per line, to cleared (may be NULL) for the caller to report. */
int store_lock(struct store *st, struct strbuf *cleared);

/* Latest recorded text of a document; 1 when there is none, 0 found. */
int store_read(struct store *st, const char *id, struct strbuf *out, char commit_hex[41]);
/* Text of a document at a revision (commit-ish). */
int store_read_at(struct store *st, const char *id, const char *rev,
    struct strbuf *out, char commit_hex[41]);

struct store_record {
	const char *id;
	const char *text;	/* normalised Markdown */
	size_t len;
	const char *message;	/* commit message (record_message) */
	time_t when;		/* commit time */
};
/* Commit text as ID.md on main; commit_hex receives the new commit. */
int store_commit(struct store *st, const struct store_record *r, char commit_hex[41]);
/* The first version of a document: in a batch, kept for
 * store_commit_firsts, which commits it with the batch's other first
 * versions as one commit (record_message_firsts; r->message when it is the
 * only one), so a run that adds thousands of documents builds main's tree
 * once. Outside a batch, as store_commit. */
int store_commit_first(struct store *st, const struct store_record *r,
    const struct record *rec);
/* Commit the first versions kept so far, in the batch (store_flush makes
 * it durable); store_first_commit then names the commit ("" if none). */
int store_commit_firsts(struct store *st);
const char *store_first_commit(const struct store *st);
/* Record raw bytes on the snapshots branch. */
int store_snapshot(struct store *st, const char *id, const char *ext,
    const char *raw, size_t len, const char *msg, time_t when);

/* The latest raw bytes of a document kept as ID.EXT on the snapshots
 * branch (those of its last recorded version); 1 when there are none. */
int store_snapshot_read(struct store *st, const char *id, const char *ext,
    struct strbuf *out);

/* One recorded change of a document, newest first. */
struct store_change {
	char commit[41];
	char parent[41];	/* previous version's commit, "" for a first record */
	time_t when;
	char *subject;
	struct record rec;	/* what the commit message says (record_parse) */
	char *ack;		/* note text when acknowledged, else NULL (see store_recent) */
	char *note;		/* the commit's note, whatever it says, or NULL */
	int32_t deemed;		/* day a passed deadline was noted, else DATE_NONE */
};
int store_history(struct store *st, const char *id, struct store_change **v, size_t *n);
/* Every recorded change on main committed at or after since, newest first,
 * for all documents in one walk (rec.document from the Document trailer;
 * commits without one are left out), from the commit messages alone:
 * parent is not filled (rec.kind tells first records apart), ack only for
 * changes with a dated deadline. */
int store_recent(struct store *st, time_t since, struct store_change **v, size_t *n);
/* store_recent's changes whose record kind is in kinds (1u << RECORD_*):
 * a first run over 20,000 documents records 20,000 first records in one
 * commit, which a reader of changes alone need not hold. */
int store_recent_kinds(struct store *st, time_t since, unsigned kinds,
    struct store_change **v, size_t *n);
/* Changes on main after the last store_mark_announced, oldest first: those
 * a run recorded but died before queueing their mail. None before the
 * first mark (a store older than the mark, or a first run). */
int store_unannounced(struct store *st, struct store_change **v, size_t *n);
int store_mark_announced(struct store *st);
void store_changes_free(struct store_change *v, size_t n);
/* Add a note to a commit (appends to an existing note). */
int store_note(struct store *st, const char *commit_hex, const char *text,
    const char *who, time_t when);
/* Batch the commits that follow: the branches move only at store_flush, so a
 * run that dies half-way leaves them exactly as they were. Reads see the
 * batch. The batch's objects are written as one pack (pack.h) at the flush,
 * before any branch names them. */
int store_begin(struct store *st);
int store_flush(struct store *st);
/* The id git gives bytes as a blob (40 hex digits): what the state keeps
 * to know a page or a text unchanged without reading the store. Safe from
 * any thread. */
void store_hash(const void *buf, size_t len, char hex[41]);
/* A blob hashed and compressed ahead, on any thread (a worker, while the
 * page is normalised); NULL when it could not be. store_offer gives it to
 * the store (owned from then on): a batch's next write of the same bytes,
 * from the same buffer, neither hashes nor compresses them again but
 * appends it as it is; store_offers_clear drops those not used. The caller
 * leaves an offer's buffer unchanged until then. */
struct pack_obj *store_blob_make(const void *buf, size_t len);
void store_offer(struct store *st, struct pack_obj *o);
void store_offers_clear(struct store *st);
/* Resolve a rev (hex prefix, ref, HEAD~1) to a full commit id. */
int store_resolve(struct store *st, const char *rev, char commit_hex[41]);

#endif

/* pack: a run's new git objects as one pack file instead of a loose file
 * each. An object database backend, put in front of the repository's own,
 * takes every object written: it deflates it (fastest level, no delta
 * search) into an unlinked temporary file and serves reads from there.
 * pack_flush completes the pack, writes its .idx from what it kept while
 * appending, and links both into objects/pack (a run killed at any point
 * leaves either no pack or a whole one, never a broken one); a
 * flush of a few objects (one recorded change) writes them loose instead.
 * Objects written before a flush are lost when the process dies, as
 * unreferenced loose objects would be garbage: refs must move only after
 * pack_flush returned. */
#ifndef CW_PACK_H
#define CW_PACK_H
#include <stdint.h>
#include <git2.h>

struct pack;

/* Put the backend in front of repo's object database; the database owns it
 * (freed with the repository). */
int pack_attach(git_repository *repo, struct pack **out);
/* The id git gives an object (SHA-1 of "type size\0" and the bytes), by
 * OpenSSL's SHA-1, which uses the CPU's SHA instructions where libgit2's
 * collision-detecting one does not. Safe from any thread. */
void pack_hash(git_object_t type, const void *buf, size_t len, git_oid *out);
/* Take an object whose id the caller computed (pack_hash) and knows to be
 * missing from the database, sparing the database's own hashing. */
int pack_put(struct pack *p, const git_oid *id, git_object_t type, const void *buf,
    size_t len);
/* An object made ready on any thread: its id and its data deflated, so
 * that the thread that writes only appends it (pack_put_obj). src is the
 * buffer it was made from, only compared (never read): a writer handed
 * the same bytes again knows their id without hashing them. */
struct pack_obj {
	git_oid id;
	const void *src;
	git_object_t type;
	size_t size;
	unsigned char *z;
	size_t zlen;
	uint32_t crc;		/* of the pack entry, for the .idx */
};
/* Deflates with the calling thread's deflater, kept for its next object
 * until the thread ends (pack_thread_end for the main thread). */
int pack_obj_make(struct pack_obj *o, git_object_t type, const void *buf, size_t len);
/* Frees the calling thread's deflater, if it made one. */
void pack_thread_end(void);
void pack_obj_release(struct pack_obj *o);
int pack_put_obj(struct pack *p, const struct pack_obj *o);
/* Write the objects taken since the last flush as one pack; nothing when
 * there are none. -1 with util_err. */
int pack_flush(struct pack *p);

#endif

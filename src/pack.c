/* The pack writer: an odb backend that streams deflated objects into an
 * unlinked temporary file (so a killed run leaves nothing behind), and at
 * the flush feeds "PACK", the count, those records and the SHA-1 trailer to
 * git_indexer, which checks them, writes the .pack and its .idx and renames
 * them into objects/pack. Thousands of loose files (a create, a write and
 * zlib's default level each) become one sequential file. */
#include <errno.h>
#include <stdio.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#include <git2/sys/odb_backend.h>
#include <openssl/evp.h>
#include <zlib.h>

#include "pack.h"
#include "strbuf.h"
#include "util.h"

#define CHUNK (1u << 20)
/* A flush of fewer objects (one recorded change: a blob, trees, a commit)
 * writes them loose, so that a run of a few changes does not leave a pack
 * for each; git's own gc packs them later. */
#define LOOSE_MAX 64

static int be_write(git_odb_backend *be, const git_oid *id, const void *data,
    size_t len, git_object_t type);

struct pobj {
	git_oid id;
	git_object_t type;
	size_t size;		/* inflated */
	off_t off;		/* of the deflated data in the file */
	size_t clen;
};

struct pack {
	git_odb_backend be;	/* first: libgit2 hands us &be */
	char *objects;		/* objects */
	char *dir;		/* objects/pack */
	char *tmpdir;		/* where the temporary file goes */
	int fd;			/* -1 until the first write */
	off_t end;
	struct pobj *v;
	size_t n, alloc;
	size_t *slot;		/* oid hash table: index + 1, 0 empty */
	size_t nslot;		/* a power of two, at least 2n */
	z_stream def, inf;
	unsigned char *zbuf;
	size_t zcap;
};

static int
fail(const char *what, const char *why)
{
	util_seterr("pack: %s: %s", what, why);
	git_error_set_str(GIT_ERROR_ODB, util_err());
	return -1;
}

static size_t
oid_hash(const git_oid *id)
{
	size_t h;

	memcpy(&h, id->id, sizeof(h));	/* SHA-1 bytes are uniform */
	return h;
}

static struct pobj *
find(struct pack *p, const git_oid *id)
{
	size_t k;

	if (!p->n)
		return NULL;
	for (k = oid_hash(id) & (p->nslot - 1); p->slot[k]; k = (k + 1) & (p->nslot - 1))
		if (git_oid_equal(&p->v[p->slot[k] - 1].id, id))
			return &p->v[p->slot[k] - 1];
	return NULL;
}

static void
table_insert(struct pack *p, size_t i)
{
	size_t k;

	for (k = oid_hash(&p->v[i].id) & (p->nslot - 1); p->slot[k]; k = (k + 1) & (p->nslot - 1))
		;
	p->slot[k] = i + 1;
}

static void
table_grow(struct pack *p)
{
	size_t i;

	if (2 * (p->n + 1) <= p->nslot)
		return;
	free(p->slot);
	p->nslot = p->nslot ? p->nslot * 2 : 1024;
	p->slot = xcalloc(p->nslot, sizeof(*p->slot));
	for (i = 0; i < p->n; i++)
		table_insert(p, i);
}

/* The pack entry header: type and inflated size, 7 bits a byte. */
static size_t
entry_header(unsigned char *h, git_object_t type, size_t size)
{
	size_t n = 0;
	unsigned char c = (unsigned char)((type << 4) | (size & 0x0f));

	size >>= 4;
	while (size) {
		h[n++] = c | 0x80;
		c = size & 0x7f;
		size >>= 7;
	}
	h[n++] = c;
	return n;
}

static int
open_tmp(struct pack *p)
{
	struct strbuf path = STRBUF_INIT;

	strbuf_addf(&path, "%s/clausewatch-pack-XXXXXX", p->tmpdir);
	p->fd = mkostemp(path.buf, O_CLOEXEC);
	if (p->fd < 0) {
		fail(path.buf, strerror(errno));
		strbuf_release(&path);
		return -1;
	}
	unlink(path.buf);	/* gone with the process, however it ends */
	strbuf_release(&path);
	return 0;
}

static int
full_write(int fd, struct iovec *iov, int n)
{
	ssize_t w;

	while (n) {
		if ((w = writev(fd, iov, n)) < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		while (n && (size_t)w >= iov->iov_len) {
			w -= (ssize_t)iov->iov_len;
			iov++;
			n--;
		}
		if (n) {
			iov->iov_base = (char *)iov->iov_base + w;
			iov->iov_len -= (size_t)w;
		}
	}
	return 0;
}

void
pack_hash(git_object_t type, const void *buf, size_t len, git_oid *out)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	char hdr[64];
	unsigned mdlen = 0;
	int n;

	n = snprintf(hdr, sizeof(hdr), "%s %zu", git_object_type2string(type), len);
	if (!ctx || !EVP_DigestInit_ex(ctx, EVP_sha1(), NULL) ||
	    !EVP_DigestUpdate(ctx, hdr, (size_t)n + 1) ||
	    !EVP_DigestUpdate(ctx, buf, len) || !EVP_DigestFinal_ex(ctx, out->id, &mdlen))
		git_odb_hash(out, buf, len, type);	/* no digest: libgit2's */
	EVP_MD_CTX_free(ctx);
}

int
pack_put(struct pack *p, const git_oid *id, git_object_t type, const void *buf, size_t len)
{
	return be_write(&p->be, id, buf, len, type);
}

/* Deflate len bytes at the fastest level into *z (grown to fit). */
static int
squeeze(z_stream *zs, const void *data, size_t len, unsigned char **z, size_t *zcap,
    size_t *zlen)
{
	uLong bound = deflateBound(zs, (uLong)len);

	if (len > UINT32_MAX)
		return fail("deflate", "object too large");
	if (bound > *zcap) {
		free(*z);
		*zcap = bound;
		*z = xmalloc(*zcap);
	}
	deflateReset(zs);
	zs->next_in = (Bytef *)data;
	zs->avail_in = (uInt)len;
	zs->next_out = *z;
	zs->avail_out = (uInt)*zcap;
	if (deflate(zs, Z_FINISH) != Z_STREAM_END)
		return fail("deflate", "failed");
	*zlen = zs->total_out;
	return 0;
}

/* Append an entry, its data already deflated. */
static int
append(struct pack *p, const git_oid *id, git_object_t type, size_t len,
    const unsigned char *z, size_t zlen)
{
	unsigned char h[16];
	struct iovec iov[2];
	struct pobj *o;
	size_t hl;

	if (p->fd < 0 && open_tmp(p) < 0)
		return -1;
	hl = entry_header(h, type, len);
	iov[0].iov_base = h;
	iov[0].iov_len = hl;
	iov[1].iov_base = (void *)z;
	iov[1].iov_len = zlen;
	if (full_write(p->fd, iov, 2) < 0)
		return fail("write", strerror(errno));
	table_grow(p);
	ALLOC_GROW(p->v, p->n + 1, p->alloc);
	o = &p->v[p->n];
	git_oid_cpy(&o->id, id);
	o->type = type;
	o->size = len;
	o->off = p->end + (off_t)hl;
	o->clen = zlen;
	p->end += (off_t)(hl + zlen);
	table_insert(p, p->n++);
	return 0;
}

static int
be_write(git_odb_backend *be, const git_oid *id, const void *data, size_t len,
    git_object_t type)
{
	struct pack *p = (struct pack *)be;
	size_t zlen;

	if (find(p, id))
		return 0;
	if (squeeze(&p->def, data, len, &p->zbuf, &p->zcap, &zlen) < 0)
		return -1;
	return append(p, id, type, len, p->zbuf, zlen);
}

int
pack_obj_make(struct pack_obj *o, git_object_t type, const void *buf, size_t len)
{
	z_stream zs;
	size_t cap = 0;
	int rc;

	memset(o, 0, sizeof(*o));
	memset(&zs, 0, sizeof(zs));
	pack_hash(type, buf, len, &o->id);
	o->type = type;
	o->size = len;
	if (deflateInit(&zs, Z_BEST_SPEED) != Z_OK)
		return fail("deflate", "out of memory");
	rc = squeeze(&zs, buf, len, &o->z, &cap, &o->zlen);
	deflateEnd(&zs);
	return rc;
}

void
pack_obj_release(struct pack_obj *o)
{
	free(o->z);
	memset(o, 0, sizeof(*o));
}

int
pack_put_obj(struct pack *p, const struct pack_obj *o)
{
	if (find(p, &o->id))
		return 0;
	return append(p, &o->id, o->type, o->size, o->z, o->zlen);
}

static int
be_read(void **out, size_t *len, git_object_t *type, git_odb_backend *be,
    const git_oid *id)
{
	struct pack *p = (struct pack *)be;
	struct pobj *o = find(p, id);
	unsigned char *z;
	void *buf;
	int rc;

	if (!o)
		return GIT_ENOTFOUND;
	z = xmalloc(o->clen ? o->clen : 1);
	if (pread(p->fd, z, o->clen, o->off) != (ssize_t)o->clen) {
		free(z);
		return fail("read", strerror(errno));
	}
	if (!(buf = git_odb_backend_data_alloc(be, o->size + 1))) {
		free(z);
		return -1;
	}
	inflateReset(&p->inf);
	p->inf.next_in = z;
	p->inf.avail_in = (uInt)o->clen;
	p->inf.next_out = buf;
	p->inf.avail_out = (uInt)o->size + 1;
	rc = inflate(&p->inf, Z_FINISH);
	free(z);
	if (rc != Z_STREAM_END || p->inf.total_out != o->size) {
		git_odb_backend_data_free(be, buf);
		return fail("inflate", "corrupt temporary object");
	}
	*out = buf;
	*len = o->size;
	*type = o->type;
	return 0;
}

static int
be_read_header(size_t *len, git_object_t *type, git_odb_backend *be, const git_oid *id)
{
	struct pobj *o = find((struct pack *)be, id);

	if (!o)
		return GIT_ENOTFOUND;
	*len = o->size;
	*type = o->type;
	return 0;
}

static int
be_exists(git_odb_backend *be, const git_oid *id)
{
	return find((struct pack *)be, id) != NULL;
}

static int
be_freshen(git_odb_backend *be, const git_oid *id)
{
	return find((struct pack *)be, id) ? 0 : GIT_ENOTFOUND;
}

static void
be_free(git_odb_backend *be)
{
	struct pack *p = (struct pack *)be;

	if (p->fd >= 0)
		close(p->fd);
	deflateEnd(&p->def);
	inflateEnd(&p->inf);
	free(p->zbuf);
	free(p->v);
	free(p->slot);
	free(p->dir);
	free(p->objects);
	free(p->tmpdir);
	free(p);
}

int
pack_attach(git_repository *repo, struct pack **out)
{
	git_odb *odb = NULL;
	git_buf objects = GIT_BUF_INIT;
	struct pack *p;
	int rc = -1;

	p = xcalloc(1, sizeof(*p));
	p->fd = -1;
	if (git_odb_init_backend(&p->be, GIT_ODB_BACKEND_VERSION) < 0 ||
	    deflateInit(&p->def, Z_BEST_SPEED) != Z_OK ||
	    inflateInit(&p->inf) != Z_OK) {
		free(p);
		return fail("init", "out of memory");
	}
	p->be.read = be_read;
	p->be.read_header = be_read_header;
	p->be.write = be_write;
	p->be.exists = be_exists;
	p->be.freshen = be_freshen;
	p->be.free = be_free;
	p->tmpdir = xstrdup(git_repository_path(repo));
	if (git_repository_item_path(&objects, repo, GIT_REPOSITORY_ITEM_OBJECTS) < 0 ||
	    git_repository_odb(&odb, repo) < 0) {
		be_free(&p->be);
		goto cleanup;
	}
	p->objects = xstrdup(objects.ptr);
	p->dir = xmalloc(strlen(objects.ptr) + 6);
	strcpy(p->dir, objects.ptr);
	strcat(p->dir, "pack");
	/* above the loose (1) and packed (2) backends: every write lands here */
	if (git_odb_add_backend(odb, &p->be, 100) < 0) {
		be_free(&p->be);
		goto cleanup;
	}
	*out = p;
	rc = 0;
cleanup:
	git_odb_free(odb);
	git_buf_dispose(&objects);
	if (rc < 0) {
		const git_error *e = git_error_last();

		util_seterr("pack: %s", e && e->message ? e->message : "cannot attach");
	}
	return rc;
}

/* Append to the indexer and to the trailer's hash. */
static int
feed(git_indexer *ix, EVP_MD_CTX *sha, const void *buf, size_t len,
    git_indexer_progress *st)
{
	if (!EVP_DigestUpdate(sha, buf, len))
		return fail("sha1", "digest failed");
	if (git_indexer_append(ix, buf, len, st) < 0) {
		const git_error *e = git_error_last();

		return fail("index", e && e->message ? e->message : "failed");
	}
	return 0;
}

static int
stream(struct pack *p, git_indexer *ix, git_indexer_progress *st)
{
	EVP_MD_CTX *sha = EVP_MD_CTX_new();
	unsigned char hdr[12] = { 'P', 'A', 'C', 'K', 0, 0, 0, 2 };
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned char *buf = xmalloc(CHUNK);
	unsigned mdlen = 0;
	off_t at = 0;
	ssize_t r;
	int rc = -1;

	hdr[8] = (unsigned char)(p->n >> 24);
	hdr[9] = (unsigned char)(p->n >> 16);
	hdr[10] = (unsigned char)(p->n >> 8);
	hdr[11] = (unsigned char)p->n;
	if (!sha || !EVP_DigestInit_ex(sha, EVP_sha1(), NULL)) {
		fail("sha1", "no digest");
		goto cleanup;
	}
	if (feed(ix, sha, hdr, sizeof(hdr), st) < 0)
		goto cleanup;
	while (at < p->end) {
		size_t want = p->end - at < (off_t)CHUNK ? (size_t)(p->end - at) : CHUNK;

		if ((r = pread(p->fd, buf, want, at)) <= 0) {
			fail("read", r < 0 ? strerror(errno) : "short file");
			goto cleanup;
		}
		if (feed(ix, sha, buf, (size_t)r, st) < 0)
			goto cleanup;
		at += r;
	}
	if (!EVP_DigestFinal_ex(sha, md, &mdlen) ||
	    git_indexer_append(ix, md, mdlen, st) < 0) {
		fail("index", "trailer");
		goto cleanup;
	}
	rc = 0;
cleanup:
	EVP_MD_CTX_free(sha);
	free(buf);
	return rc;
}

/* The few objects of a small flush as loose files (fast compression). */
static int
write_loose(struct pack *p)
{
	git_odb_backend *loose = NULL;
	git_object_t type;
	void *data;
	size_t i, len;
	int rc = 0;

	if (git_odb_backend_loose(&loose, p->objects, Z_BEST_SPEED, 0, 0, 0) < 0) {
		const git_error *e = git_error_last();

		return fail(p->objects, e && e->message ? e->message : "loose backend");
	}
	for (i = 0; i < p->n && rc == 0; i++) {
		if ((rc = be_read(&data, &len, &type, &p->be, &p->v[i].id)) < 0)
			break;
		if ((rc = loose->write(loose, &p->v[i].id, data, len, type)) < 0) {
			const git_error *e = git_error_last();

			fail("loose object", e && e->message ? e->message : "write failed");
		}
		git_odb_backend_data_free(&p->be, data);
	}
	loose->free(loose);
	return rc;
}

/* The temporary file is in the database now: start afresh. */
static int
reset(struct pack *p)
{
	if (ftruncate(p->fd, 0) < 0 || lseek(p->fd, 0, SEEK_SET) < 0)
		return fail("truncate", strerror(errno));
	p->end = 0;
	p->n = 0;
	memset(p->slot, 0, p->nslot * sizeof(*p->slot));
	git_odb_refresh(p->be.odb);
	return 0;
}

int
pack_flush(struct pack *p)
{
	git_indexer_options opts;
	git_indexer_progress st;
	git_indexer *ix = NULL;
	int rc = -1;

	if (!p || !p->n)
		return 0;
	if (p->n < LOOSE_MAX)
		return write_loose(p) < 0 ? -1 : reset(p);
	git_indexer_options_init(&opts, GIT_INDEXER_OPTIONS_VERSION);
	if (git_indexer_new(&ix, p->dir, 0, NULL, &opts) < 0) {
		const git_error *e = git_error_last();

		return fail(p->dir, e && e->message ? e->message : "indexer");
	}
	memset(&st, 0, sizeof(st));
	if (stream(p, ix, &st) < 0)
		goto cleanup;
	if (git_indexer_commit(ix, &st) < 0) {
		const git_error *e = git_error_last();

		fail("index", e && e->message ? e->message : "commit failed");
		goto cleanup;
	}
	rc = reset(p);
cleanup:
	git_indexer_free(ix);
	return rc;
}

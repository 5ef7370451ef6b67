/* The pack writer: an odb backend that streams deflated objects into a
 * temporary file in objects/pack (O_TMPFILE: nameless, so a killed run
 * leaves nothing behind), entries after a 12-byte header. At the flush it
 * fills in the header, appends the SHA-1 trailer, writes the .idx itself
 * from the ids, offsets and CRCs it kept while appending (version 2: what
 * libgit2's indexer would write after inflating and hashing every object
 * again) and links the .pack, then the .idx, into place. Thousands of
 * loose files (a create, a write and zlib's default level each) become
 * one sequential file, written once. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include <git2/sys/odb_backend.h>
#include <isa-l/igzip_lib.h>
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

/* 40 bytes an object (no 8-byte member to align to): a first run of
 * 20,000 pages holds ~45,000. */
struct pobj {
	git_oid id;
	uint32_t size;		/* inflated */
	uint32_t clen;		/* deflated */
	uint32_t crc;		/* of the entry as stored: header and data */
	uint32_t at_lo;		/* offset of the entry in the pack: 48 bits */
	uint16_t at_hi;
	uint8_t type;
	uint8_t hl;		/* entry header length: the data follows it */
};

#define AT(o) ((uint64_t)(o)->at_hi << 32 | (o)->at_lo)
#define PACK_MAX ((uint64_t)1 << 48)

#define PACK_HDR 12

struct pack {
	git_odb_backend be;	/* first: libgit2 hands us &be */
	char *objects;		/* objects */
	char *dir;		/* objects/pack */
	int fd;			/* -1 until the first write */
	char *tmpname;		/* the file's name where O_TMPFILE is missing */
	uint64_t end;
	struct pobj *v;
	size_t n, alloc;
	uint32_t *slot;		/* oid hash table: index + 1, 0 empty */
	size_t nslot;		/* a power of two, at least 2n */
	z_stream inf;
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
	p->slot[k] = (uint32_t)(i + 1);
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

/* A new file in objects/pack, read-only as git makes packs: nameless
 * (gone with the process, however it ends) until link_tmp names it; where
 * the file system has no O_TMPFILE, "tmp_pack_XXXXXX" (git's name for a
 * pack being written, which git prune removes when a run left it). */
static int
tmp_file(struct pack *p, char **name)
{
	struct strbuf path = STRBUF_INIT;
	int fd;

	*name = NULL;
	if (mkdir(p->dir, 0755) < 0 && errno != EEXIST)
		return fail(p->dir, strerror(errno));
	if ((fd = open(p->dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0444)) >= 0)
		return fd;
	strbuf_addf(&path, "%s/tmp_pack_XXXXXX", p->dir);
	if ((fd = mkostemp(path.buf, O_CLOEXEC)) < 0 || fchmod(fd, 0444) < 0) {
		fail(path.buf, strerror(errno));
		if (fd >= 0) {
			close(fd);
			unlink(path.buf);
		}
		strbuf_release(&path);
		return -1;
	}
	*name = strbuf_detach(&path, NULL);
	return fd;
}

/* Give tmp_file's file its name; a file of that name is the same bytes
 * (a pack is named by its checksum): kept. */
static int
link_tmp(int fd, const char *tmpname, const char *path)
{
	char proc[64];

	if (tmpname)
		return rename(tmpname, path) < 0 ? fail(path, strerror(errno)) : 0;
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	if (linkat(AT_FDCWD, proc, AT_FDCWD, path, AT_SYMLINK_FOLLOW) == 0 ||
	    errno == EEXIST)
		return 0;
	/* no /proc: the same by the descriptor (needs CAP_DAC_READ_SEARCH) */
	if (linkat(fd, "", AT_FDCWD, path, AT_EMPTY_PATH) == 0 || errno == EEXIST)
		return 0;
	return fail(path, strerror(errno));
}

static int
full_pwrite(int fd, const void *buf, size_t len, uint64_t at)
{
	ssize_t w;

	while (len) {
		if ((w = pwrite(fd, buf, len, (off_t)at)) < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		buf = (const char *)buf + w;
		len -= (size_t)w;
		at += (uint64_t)w;
	}
	return 0;
}

static int
open_tmp(struct pack *p)
{
	static const unsigned char hdr[PACK_HDR] = { 'P', 'A', 'C', 'K', 0, 0, 0, 2 };

	if ((p->fd = tmp_file(p, &p->tmpname)) < 0)
		return -1;
	/* the object count is filled in at the flush; entries are appended
	 * with writev at the file's offset */
	if (full_pwrite(p->fd, hdr, sizeof(hdr), 0) < 0 ||
	    lseek(p->fd, PACK_HDR, SEEK_SET) < 0)
		return fail("write", strerror(errno));
	p->end = PACK_HDR;
	return 0;
}

static void
close_tmp(struct pack *p)
{
	if (p->fd >= 0)
		close(p->fd);
	if (p->tmpname)
		unlink(p->tmpname);	/* not flushed: nothing names its objects */
	free(p->tmpname);
	p->fd = -1;
	p->tmpname = NULL;
	p->end = 0;
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

/* ISA-L's one-shot deflate at level 1 and the buffer of its hash tables,
 * made once per thread (the writing thread's too): a first run deflates each page and its text, a
 * third of its CPU time with libdeflate's fastest level, which ISA-L does
 * in two thirds of the time for 5% more bytes. */
struct deflater {
	struct isal_zstream s;
	unsigned char buf[ISAL_DEF_LVL1_SMALL];	/* as fast as the default on pages */
};

/* Deflate len bytes with d into *z (grown to fit), as the zlib stream git
 * reads. */
static int
deflate_with(struct deflater *d, const void *data, size_t len,
    unsigned char **z, size_t *zcap, size_t *zlen)
{
	size_t bound;
	int rc;

	if (len > UINT32_MAX / 2)
		return fail("deflate", "object too large");
	/* what does not shrink is stored: 5 bytes a block of 64 KB, and
	 * the zlib header and checksum */
	bound = len + 5 * (len / 65535 + 1) + 64;
	if (bound > *zcap) {
		free(*z);
		*zcap = bound;
		*z = xmalloc(*zcap);
	}
	isal_deflate_stateless_init(&d->s);
	d->s.level = 1;
	d->s.level_buf = d->buf;
	d->s.level_buf_size = sizeof(d->buf);
	d->s.gzip_flag = IGZIP_ZLIB;
	d->s.next_in = (uint8_t *)data;
	d->s.avail_in = (uint32_t)len;
	d->s.next_out = *z;
	d->s.avail_out = (uint32_t)*zcap;
	d->s.end_of_stream = 1;
	d->s.flush = NO_FLUSH;
	if ((rc = isal_deflate_stateless(&d->s)) != COMP_OK) {
		util_seterr("pack: deflate: ISA-L error %d", rc);
		git_error_set_str(GIT_ERROR_ODB, util_err());
		return -1;
	}
	*zlen = d->s.total_out;
	return 0;
}

/* One deflater per thread, kept until the thread ends. */
static pthread_key_t def_key;
static pthread_once_t def_once = PTHREAD_ONCE_INIT;
static int def_key_ok;

static void
def_key_make(void)
{
	def_key_ok = pthread_key_create(&def_key, free) == 0;
}

/* This thread's deflater; *own when the caller must free it (no key). */
static struct deflater *
thread_def(int *own)
{
	struct deflater *d;

	pthread_once(&def_once, def_key_make);
	*own = !def_key_ok;
	if (!*own && (d = pthread_getspecific(def_key)))
		return d;
	/* zeroed: ISA-L reads hash table entries before it writes them all */
	d = xcalloc(1, sizeof(*d));
	if (!*own && pthread_setspecific(def_key, d) != 0)
		*own = 1;
	return d;
}

/* Deflate with this thread's deflater. */
static int
squeeze(const void *data, size_t len, unsigned char **z, size_t *zcap, size_t *zlen)
{
	struct deflater *d;
	int rc, own;

	d = thread_def(&own);
	rc = deflate_with(d, data, len, z, zcap, zlen);
	if (own)
		free(d);
	return rc;
}

/* The CRC-32 of an entry as the pack stores it (header and deflated
 * data), for the .idx. */
static uint32_t
entry_crc(git_object_t type, size_t len, const unsigned char *z, size_t zlen)
{
	unsigned char h[16];
	size_t hl = entry_header(h, type, len);

	return (uint32_t)crc32(crc32(0, h, (uInt)hl), z, (uInt)zlen);
}

/* Append an entry, its data already deflated, crc its entry_crc. */
static int
append(struct pack *p, const git_oid *id, git_object_t type, size_t len,
    const unsigned char *z, size_t zlen, uint32_t crc)
{
	unsigned char h[16];
	struct iovec iov[2];
	struct pobj *o;
	size_t hl;

	if (len > UINT32_MAX || zlen > UINT32_MAX)
		return fail("write", "object too large");
	if (p->n >= UINT32_MAX - 1)
		return fail("write", "too many objects");
	if (p->end + 16 + zlen >= PACK_MAX)
		return fail("write", "pack too large");
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
	o->type = (uint8_t)type;
	o->hl = (uint8_t)hl;
	o->size = (uint32_t)len;
	o->clen = (uint32_t)zlen;
	o->crc = crc;
	o->at_lo = (uint32_t)p->end;
	o->at_hi = (uint16_t)(p->end >> 32);
	p->end += hl + zlen;
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
	if (squeeze(data, len, &p->zbuf, &p->zcap, &zlen) < 0)
		return -1;
	return append(p, id, type, len, p->zbuf, zlen, entry_crc(type, len, p->zbuf, zlen));
}

void
pack_thread_end(void)
{
	pthread_once(&def_once, def_key_make);
	if (def_key_ok) {
		free(pthread_getspecific(def_key));
		pthread_setspecific(def_key, NULL);
	}
}

int
pack_obj_make(struct pack_obj *o, git_object_t type, const void *buf, size_t len)
{
	size_t cap = 0;
	int rc;

	memset(o, 0, sizeof(*o));
	pack_hash(type, buf, len, &o->id);
	o->src = buf;
	o->type = type;
	o->size = len;
	rc = squeeze(buf, len, &o->z, &cap, &o->zlen);
	if (rc == 0)
		o->crc = entry_crc(type, len, o->z, o->zlen);
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
	return append(p, &o->id, o->type, o->size, o->z, o->zlen, o->crc);
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
	if (pread(p->fd, z, o->clen, (off_t)(AT(o) + o->hl)) != (ssize_t)o->clen) {
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
	*type = (git_object_t)o->type;
	return 0;
}

static int
be_read_header(size_t *len, git_object_t *type, git_odb_backend *be, const git_oid *id)
{
	struct pobj *o = find((struct pack *)be, id);

	if (!o)
		return GIT_ENOTFOUND;
	*len = o->size;
	*type = (git_object_t)o->type;
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

	close_tmp(p);
	inflateEnd(&p->inf);
	free(p->zbuf);
	free(p->v);
	free(p->slot);
	free(p->dir);
	free(p->objects);
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

static void
put_be32(unsigned char *b, uint32_t v)
{
	b[0] = (unsigned char)(v >> 24);
	b[1] = (unsigned char)(v >> 16);
	b[2] = (unsigned char)(v >> 8);
	b[3] = (unsigned char)v;
}

/* The pack's count in its header, and its SHA-1 trailer (over everything
 * before it) into sum and at its end. */
static int
seal(struct pack *p, unsigned char sum[20])
{
	unsigned char hdr[4];
	unsigned char *buf = xmalloc(CHUNK);
	EVP_MD_CTX *sha = EVP_MD_CTX_new();
	unsigned mdlen = 0;
	uint64_t at = 0;
	ssize_t r;
	int rc = -1;

	put_be32(hdr, (uint32_t)p->n);
	if (full_pwrite(p->fd, hdr, 4, 8) < 0) {
		fail("write", strerror(errno));
		goto cleanup;
	}
	if (!sha || !EVP_DigestInit_ex(sha, EVP_sha1(), NULL)) {
		fail("sha1", "no digest");
		goto cleanup;
	}
	/* read back from the page cache: far cheaper than inflating and
	 * hashing every object again as an indexer does */
	while (at < p->end) {
		size_t want = p->end - at < CHUNK ? (size_t)(p->end - at) : CHUNK;

		if ((r = pread(p->fd, buf, want, (off_t)at)) <= 0) {
			fail("read", r < 0 ? strerror(errno) : "short file");
			goto cleanup;
		}
		if (!EVP_DigestUpdate(sha, buf, (size_t)r)) {
			fail("sha1", "digest failed");
			goto cleanup;
		}
		at += (uint64_t)r;
	}
	if (!EVP_DigestFinal_ex(sha, sum, &mdlen) || mdlen != 20) {
		fail("sha1", "digest failed");
		goto cleanup;
	}
	if (full_pwrite(p->fd, sum, 20, p->end) < 0) {
		fail("write", strerror(errno));
		goto cleanup;
	}
	rc = 0;
cleanup:
	EVP_MD_CTX_free(sha);
	free(buf);
	return rc;
}

static const struct pack *sorting;

static int
by_id(const void *x, const void *y)
{
	return git_oid_cmp(&sorting->v[*(const uint32_t *)x].id,
	    &sorting->v[*(const uint32_t *)y].id);
}

/* The .idx (version 2) of the sealed pack, into idx: fan-out, the sorted
 * ids, their CRCs, their offsets (past 2 GiB through a table of 64-bit
 * ones), the pack's checksum and the index's own. */
static int
build_idx(struct pack *p, const unsigned char sum[20], struct strbuf *idx)
{
	static const unsigned char magic[8] = { 0xff, 't', 'O', 'c', 0, 0, 0, 2 };
	uint32_t *ord = xmalloc((p->n ? p->n : 1) * sizeof(*ord));
	size_t i, nlarge = 0, fan = 0;
	unsigned char b[8], md[EVP_MAX_MD_SIZE];
	unsigned mdlen = 0;
	int k;

	for (i = 0; i < p->n; i++)
		ord[i] = (uint32_t)i;
	sorting = p;	/* the flush runs on the writing thread alone */
	qsort(ord, p->n, sizeof(*ord), by_id);
	strbuf_add(idx, magic, sizeof(magic));
	for (k = 0; k < 256; k++) {
		while (fan < p->n && p->v[ord[fan]].id.id[0] <= k)
			fan++;
		put_be32(b, (uint32_t)fan);
		strbuf_add(idx, b, 4);
	}
	for (i = 0; i < p->n; i++)
		strbuf_add(idx, p->v[ord[i]].id.id, 20);
	for (i = 0; i < p->n; i++) {
		put_be32(b, p->v[ord[i]].crc);
		strbuf_add(idx, b, 4);
	}
	for (i = 0; i < p->n; i++) {
		uint64_t at = AT(&p->v[ord[i]]);

		put_be32(b, at < 0x80000000u ? (uint32_t)at : 0x80000000u | (uint32_t)nlarge++);
		strbuf_add(idx, b, 4);
	}
	for (i = 0; i < p->n; i++) {
		uint64_t at = AT(&p->v[ord[i]]);

		if (at < 0x80000000u)
			continue;
		put_be32(b, (uint32_t)(at >> 32));
		put_be32(b + 4, (uint32_t)at);
		strbuf_add(idx, b, 8);
	}
	strbuf_add(idx, sum, 20);
	free(ord);
	if (!EVP_Digest(idx->buf, idx->len, md, &mdlen, EVP_sha1(), NULL) || mdlen != 20)
		return fail("sha1", "digest failed");
	strbuf_add(idx, md, 20);
	return 0;
}

/* Seal the temporary file as pack-SUM.pack and write its .idx: the pack
 * first, as git does, for an .idx must never name a missing pack. */
static int
write_pack(struct pack *p)
{
	struct strbuf idx = STRBUF_INIT, path = STRBUF_INIT;
	unsigned char sum[20];
	char hex[GIT_OID_HEXSZ + 1], *idxtmp = NULL;
	git_oid sumid;
	int fd = -1, rc = -1;

	if (seal(p, sum) < 0 || build_idx(p, sum, &idx) < 0) {
		strbuf_release(&idx);
		return -1;
	}
	git_oid_fromraw(&sumid, sum);
	git_oid_tostr(hex, sizeof(hex), &sumid);
	strbuf_addf(&path, "%s/pack-%s.pack", p->dir, hex);
	if (link_tmp(p->fd, p->tmpname, path.buf) < 0)
		goto cleanup;
	free(p->tmpname);
	p->tmpname = NULL;
	if ((fd = tmp_file(p, &idxtmp)) < 0)
		goto cleanup;
	if (full_pwrite(fd, idx.buf, idx.len, 0) < 0) {
		fail("write", strerror(errno));
		goto cleanup;
	}
	strbuf_setlen(&path, path.len - 4);
	strbuf_addstr(&path, "idx");
	if (link_tmp(fd, idxtmp, path.buf) < 0)
		goto cleanup;
	free(idxtmp);
	idxtmp = NULL;
	rc = 0;
cleanup:
	if (fd >= 0)
		close(fd);
	if (idxtmp)
		unlink(idxtmp);
	free(idxtmp);
	strbuf_release(&idx);
	strbuf_release(&path);
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

/* The objects are in the database now: start afresh. */
static void
reset(struct pack *p)
{
	close_tmp(p);
	p->n = 0;
	memset(p->slot, 0, p->nslot * sizeof(*p->slot));
	git_odb_refresh(p->be.odb);
}

int
pack_flush(struct pack *p)
{
	if (!p || !p->n)
		return 0;
	if ((p->n < LOOSE_MAX ? write_loose(p) : write_pack(p)) < 0)
		return -1;
	reset(p);
	return 0;
}

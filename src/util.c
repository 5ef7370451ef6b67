#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"

int util_verbose = 1;
/* one per thread: a worker's error is its own until it hands it over */
static _Thread_local char errbuf[1024];

static void
oom(void)
{
	fputs("clausewatch: out of memory\n", stderr);
	abort();
}

void *
xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		oom();
	return p;
}

void *
xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (!p)
		oom();
	return p;
}

void *
xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		oom();
	return p;
}

char *
xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *
xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

void *
util_grow(void *p, size_t n, size_t *alloc, size_t size)
{
	size_t a = *alloc;

	if (n <= a)
		return p;
	a = a ? a : 16;
	while (a < n) {
		if (a > SIZE_MAX / 2 / size)
			oom();
		a *= 2;
	}
	*alloc = a;
	return xrealloc(p, a * size);
}

void
util_seterr(const char *fmt, ...)
{
	char tmp[sizeof(errbuf)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	memcpy(errbuf, tmp, sizeof(errbuf));
}

const char *
util_err(void)
{
	return errbuf[0] ? errbuf : "unknown error";
}

/* A progress line is on the terminal (no newline yet): a message first
 * clears it, so the two never run together on one line. */
static int progress_shown;

void
util_progress(const char *fmt, ...)
{
	va_list ap;

	fputs("\r\033[K", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fflush(stderr);
	progress_shown = 1;
}

void
util_progress_clear(void)
{
	if (!progress_shown)
		return;
	fputs("\r\033[K", stderr);
	fflush(stderr);
	progress_shown = 0;
}

/* A line at level (0 warning, 1 note, 2 info): -q drops notes and
 * information, never a warning or an error. */
void
util_log(int level, const char *fmt, ...)
{
	va_list ap;

	if (util_verbose < level)
		return;
	flockfile(stderr);	/* one whole line, whichever thread writes */
	util_progress_clear();
	fputs("clausewatch: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	funlockfile(stderr);
}

int
util_read_file(const char *path, size_t cap, struct strbuf *out)
{
	char buf[65536];
	ssize_t n;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		util_seterr("%s: %s", path, strerror(errno));
		return -1;
	}
	strbuf_reset(out);
	out->cap = cap;
	while ((n = read(fd, buf, sizeof(buf))) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			util_seterr("%s: %s", path, strerror(errno));
			close(fd);
			return -1;
		}
		if (strbuf_add(out, buf, (size_t)n) < 0) {
			util_seterr("%s: larger than %zu bytes", path, cap);
			close(fd);
			return -1;
		}
	}
	close(fd);
	return 0;
}

int
util_write_file_atomic(const char *path, const void *buf, size_t len)
{
	struct strbuf tmp = STRBUF_INIT;
	const char *p = buf;
	int fd = -1, ret = -1;
	ssize_t n;

	strbuf_addf(&tmp, "%s.tmp.%ld", path, (long)getpid());
	if ((fd = open(tmp.buf, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644)) < 0) {
		util_seterr("%s: %s", tmp.buf, strerror(errno));
		goto done;
	}
	while (len) {
		if ((n = write(fd, p, len)) < 0) {
			if (errno == EINTR)
				continue;
			util_seterr("%s: %s", tmp.buf, strerror(errno));
			goto done;
		}
		p += n;
		len -= (size_t)n;
	}
	if (fsync(fd) < 0 || close(fd) < 0) {
		fd = -1;
		util_seterr("%s: %s", tmp.buf, strerror(errno));
		goto done;
	}
	fd = -1;
	if (rename(tmp.buf, path) < 0) {
		util_seterr("%s: %s", path, strerror(errno));
		goto done;
	}
	ret = 0;
done:
	if (fd >= 0)
		close(fd);
	if (ret < 0)
		unlink(tmp.buf);
	strbuf_release(&tmp);
	return ret;
}

int
util_mkdirs(const char *path, int mode)
{
	char *p = xstrdup(path), *s;
	int ret = 0;

	for (s = p + 1; ; s++) {
		if (*s == '/' || *s == '\0') {
			char c = *s;

			*s = '\0';
			if (mkdir(p, (mode_t)mode) < 0 && errno != EEXIST) {
				util_seterr("mkdir %s: %s", p, strerror(errno));
				ret = -1;
				break;
			}
			*s = c;
			if (!c)
				break;
		}
	}
	free(p);
	return ret;
}

void
util_strv_push(char ***v, size_t *n, char *s)
{
	*v = xrealloc(*v, (*n + 1) * sizeof(**v));
	(*v)[(*n)++] = s;
}

int
util_strv_has(char *const *v, size_t n, const char *s)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(v[i], s))
			return 1;
	return 0;
}

void
util_strv_free(char **v, size_t n)
{
	while (n)
		free(v[--n]);
	free(v);
}

int
util_cmp_u32(const void *x, const void *y)
{
	uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;

	return a < b ? -1 : a > b;
}

static int
rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb, (void)flag, (void)ftw;
	return remove(path);
}

int
util_rmtree(const char *path)
{
	return nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* A PDF has no paragraphs, only glyphs at positions.  MuPDF's structured
 * text gives us lines (characters on one baseline, with font sizes and
 * boxes); from them, in phases:
 *   collect   every non-blank line of every page, with its box and size;
 *   furniture drop running headers/footers and page numbers, which would
 *             otherwise sit in the middle of sentences that cross a page;
 *   order     per page, an XY cut (split at the widest clear band, across
 *             or down) so that columns are read one after the other;
 *   assemble  join lines into paragraphs (hyphens, CJK without spaces,
 *             across a page break when the sentence runs on), mark larger
 *             text as headings, then normalize_text.
 * MuPDF reports errors with longjmp (fz_try): only the calls into MuPDF sit
 * inside fz_try, everything of ours is outside it. */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <mupdf/fitz.h>
#include <mupdf/pdf.h>
#include <unictype.h>
#include <unistr.h>
#include <uniwidth.h>

#include "normalize.h"
#include "pdf.h"
#include "text.h"
#include "util.h"

struct line {
	size_t off, len;	/* in the text pool */
	float x0, y0, x1, y1;	/* top-left origin, points */
	float size;		/* font size of most of its characters */
	int page;
	int drop;		/* header, footer or page number */
};

struct doc {
	struct line *v;
	size_t n, alloc;
	struct strbuf pool;	/* the lines' UTF-8 text */
	float *height;		/* per page */
	int npages;
	size_t nimages;
	int full;		/* the pool reached its cap */
};

/* The allocator MuPDF uses: every block carries its size, so that the total
 * can be capped.  Over the cap MuPDF first empties its cache, then throws. */
struct budget {
	size_t used, max;
	int over;
};

#define HDR 16	/* keeps MuPDF's blocks aligned as malloc's are */

static void *
b_malloc(void *user, size_t n)
{
	struct budget *b = user;
	char *p;

	if (n > b->max - b->used || !(p = malloc(n + HDR))) {
		b->over = 1;
		return NULL;
	}
	b->used += n;
	memcpy(p, &n, sizeof(n));
	return p + HDR;
}

static void
b_free(void *user, void *ptr)
{
	struct budget *b = user;
	size_t n;

	if (!ptr)
		return;
	memcpy(&n, (char *)ptr - HDR, sizeof(n));
	b->used -= n;
	free((char *)ptr - HDR);
}

static void *
b_realloc(void *user, void *ptr, size_t n)
{
	struct budget *b = user;
	size_t old;
	char *p;

	if (!ptr)
		return b_malloc(user, n);
	if (!n) {
		b_free(user, ptr);
		return NULL;
	}
	memcpy(&old, (char *)ptr - HDR, sizeof(old));
	if (n > old && n - old > b->max - b->used) {
		b->over = 1;
		return NULL;
	}
	if (!(p = realloc((char *)ptr - HDR, n + HDR)))
		return NULL;
	b->used = b->used - old + n;
	memcpy(p, &n, sizeof(n));
	return p + HDR;
}

static void
quiet(void *user, const char *message)
{
	/* MuPDF warns about every repaired object; a bad PDF is reported
	 * once, by the error that stops it */
}

int
pdf_is_pdf(const char *name, const char *content_type, const char *buf, size_t len)
{
	size_t n, i;

	if (content_type) {
		const char *semi = strchr(content_type, ';');

		n = semi ? (size_t)(semi - content_type) : strlen(content_type);
		while (n && isspace((unsigned char)content_type[n - 1]))
			n--;
		if (n == 15 && !strncasecmp(content_type, "application/pdf", 15))
			return 1;
	}
	/* the header may follow some junk, as readers allow */
	for (i = 0; buf && i + 5 <= len && i < 1024; i++)
		if (!memcmp(buf + i, "%PDF-", 5))
			return 1;
	/* a .pdf URL that answers with a page (a viewer, an error) is that page */
	if (name && (!content_type || strncasecmp(content_type, "text/", 5))) {
		n = strcspn(name, "?#");
		if (n >= 4 && !strncasecmp(name + n - 4, ".pdf", 4))
			return 1;
	}
	return 0;
}

/* --- collect ----------------------------------------------------------- */

static int
wide(ucs4_t uc)
{
	return uc_width(uc, "UTF-8") == 2;
}


static void
add_line(struct doc *d, fz_context *ctx, fz_stext_line *ln, int page)
{
	struct line *l;
	fz_stext_char *ch;
	size_t start = d->pool.len, nch = 0;
	float size_sum = 0;
	int prev_wide = 0;
	char u[8];

	for (ch = ln->first_char; ch; ch = ch->next) {
		int n;

		/* Chinese has no spaces between words: a gap MuPDF took for one
		 * (justified or letter-spaced text) is not text */
		if (ch->c == ' ' && prev_wide && ch->next && wide((ucs4_t)ch->next->c))
			continue;
		prev_wide = wide((ucs4_t)ch->c);
		n = fz_runetochar(u, ch->c);

		/* the pool is ours and capped by the caller's cap below */
		if (strbuf_add(&d->pool, u, (size_t)n) < 0) {
			d->full = 1;
			strbuf_setlen(&d->pool, start);
			return;
		}
		size_sum += ch->size;
		nch++;
	}
	/* trim: a line of spaces is no line */
	while (d->pool.len > start && d->pool.buf[d->pool.len - 1] == ' ')
		d->pool.len--;
	while (start < d->pool.len && d->pool.buf[start] == ' ') {
		memmove(d->pool.buf + start, d->pool.buf + start + 1, d->pool.len - start - 1);
		d->pool.len--;
	}
	d->pool.buf[d->pool.len] = '\0';
	if (d->pool.len == start)
		return;
	if (d->n == d->alloc) {
		d->alloc = d->alloc ? 2 * d->alloc : 256;
		d->v = xrealloc(d->v, d->alloc * sizeof(*d->v));
	}
	l = &d->v[d->n++];
	l->off = start;
	l->len = d->pool.len - start;
	l->x0 = ln->bbox.x0;
	l->y0 = ln->bbox.y0;
	l->x1 = ln->bbox.x1;
	l->y1 = ln->bbox.y1;
	l->size = size_sum / (float)nch;
	l->page = page;
	l->drop = 0;
}

/* One page's lines; -1 (util_err set) when MuPDF fails on it. */
static int
collect_page(fz_context *ctx, fz_document *doc, int i, struct doc *d)
{
	fz_page *volatile page = NULL;
	fz_stext_page *volatile st = NULL;
	fz_stext_options opts;
	fz_stext_block *b;
	fz_stext_line *ln;
	volatile int rc = 0;

	memset(&opts, 0, sizeof(opts));
	opts.flags = FZ_STEXT_PRESERVE_IMAGES | FZ_STEXT_MEDIABOX_CLIP;
	fz_try(ctx) {
		page = fz_load_page(ctx, doc, i);
		st = fz_new_stext_page_from_page(ctx, page, &opts);
	}
	fz_catch(ctx) {
		util_seterr("page %d: %s", i + 1, fz_caught_message(ctx));
		rc = -1;
	}
	if (!rc) {
		d->height[i] = st->mediabox.y1 - st->mediabox.y0;
		for (b = st->first_block; b; b = b->next) {
			if (b->type == FZ_STEXT_BLOCK_IMAGE) {
				d->nimages++;
				continue;
			}
			for (ln = b->u.t.first_line; ln; ln = ln->next)
				add_line(d, ctx, ln, i);
		}
	}
	fz_drop_stext_page(ctx, st);
	fz_drop_page(ctx, page);
	return rc;
}

static int
collect(fz_context *ctx, const char *buf, size_t len, int max_pages, struct doc *d)
{
	fz_stream *volatile stm = NULL;
	pdf_document *volatile pdf = NULL;
	volatile int locked = 0;
	volatile int rc = -1;
	int i;

	fz_try(ctx) {
		stm = fz_open_memory(ctx, (const unsigned char *)buf, len);
		pdf = pdf_open_document_with_stream(ctx, stm);
		locked = pdf_needs_password(ctx, pdf);
		if (!locked)
			d->npages = fz_count_pages(ctx, &pdf->super);
	}
	fz_catch(ctx) {
		util_seterr("not a readable PDF: %s", fz_caught_message(ctx));
		goto cleanup;
	}
	if (locked) {
		util_seterr("the PDF is encrypted with a password");
		goto cleanup;
	}
	if (d->npages > max_pages) {
		util_seterr("%d pages, more than the %d pages read", d->npages, max_pages);
		goto cleanup;
	}
	d->height = xcalloc((size_t)d->npages + 1, sizeof(*d->height));
	for (i = 0; i < d->npages; i++)
		if (collect_page(ctx, &pdf->super, i, d) < 0)
			goto cleanup;
	rc = 0;
cleanup:
	pdf_drop_document(ctx, pdf);
	fz_drop_stream(ctx, stm);
	return rc;
}

/* --- furniture --------------------------------------------------------- */

/* The line with digits as '#' and without spaces: "Page 3 of 12" and
 * "Page 4 of 12" are one running footer. */
static char *
shape(const struct doc *d, const struct line *l)
{
	const char *s = d->pool.buf + l->off;
	char *k = xmalloc(l->len + 1), *p = k;
	size_t i;

	for (i = 0; i < l->len; i++) {
		if (isdigit((unsigned char)s[i])) {
			if (p == k || p[-1] != '#')
				*p++ = '#';
		} else if (s[i] != ' ') {
			*p++ = s[i];
		}
	}
	*p = '\0';
	return k;
}

/* "12", "- 12 -", "Page 12", "Page 3 of 12", "3/12", "第 3 页", "ii". */
static int
page_number(const char *key)
{
	static const char *const forms[] = {
		"#", "-#-", "–#–", "—#—", "(#)", "[#]", "page#", "p.#", "#/#", "page#of#",
		"page#/#", "第#页", "第#页共#页", "第#页/共#页", "共#页第#页", "#of#",
	};
	char low[64];
	size_t i, n = strlen(key);

	if (n >= sizeof(low))
		return 0;
	for (i = 0; i <= n; i++)
		low[i] = (char)tolower((unsigned char)key[i]);
	for (i = 0; i < sizeof(forms) / sizeof(forms[0]); i++)
		if (!strcmp(low, forms[i]))
			return 1;
	return n <= 6 && strspn(low, "ivxlc") == n;
}

struct cand {
	char *key;
	const struct line *l;
	size_t idx;
};

static int
cmp_cand(const void *a, const void *b)
{
	const struct cand *x = a, *y = b;
	int c = strcmp(x->key, y->key);

	if (c)
		return c;
	if (x->l->y0 != y->l->y0)
		return x->l->y0 < y->l->y0 ? -1 : 1;
	return x->l->page - y->l->page;
}

/* Near the top or bottom edge of its page. */
static int
in_margin(const struct doc *d, const struct line *l)
{
	float h = d->height[l->page];

	return h > 0 && (l->y1 < h / 6 || l->y0 > h - h / 6);
}

static int cmp_y(const void *a, const void *b);

/* Running heads are peeled from the page's edges inwards: a repeated line
 * counts only when nothing but other furniture lies between it and the
 * edge, so body text that happens to repeat is never dropped. */
static void
peel(struct doc *d, size_t first, size_t end, const char *rep)
{
	struct line **v = xcalloc(end - first + 1, sizeof(*v));
	size_t n = end - first, i;

	for (i = 0; i < n; i++)
		v[i] = &d->v[first + i];
	qsort(v, n, sizeof(*v), cmp_y);
	for (i = 0; i < n && rep[v[i] - d->v]; i++)
		v[i]->drop = 1;
	for (i = n; i > 0 && rep[v[i - 1] - d->v]; i--)
		v[i - 1]->drop = 1;
	free(v);
}

static void
furniture(struct doc *d)
{
	struct cand *c = xcalloc(d->n + 1, sizeof(*c));
	char *rep = xcalloc(d->n + 1, 1);
	size_t nc = 0, i, j, k;
	/* "most pages": at least half, and at least two */
	int need = d->npages < 4 ? 2 : (d->npages + 1) / 2;

	for (i = 0; i < d->n; i++) {
		if (!in_margin(d, &d->v[i]))
			continue;
		c[nc].key = shape(d, &d->v[i]);
		c[nc].l = &d->v[i];
		c[nc].idx = i;
		rep[i] = (char)page_number(c[nc].key);
		nc++;
	}
	qsort(c, nc, sizeof(*c), cmp_cand);
	for (i = 0; i < nc; i = j) {
		int pages = 0, last = -1;

		/* one group: same shape, heights within 3 points of its first */
		for (j = i; j < nc && !strcmp(c[j].key, c[i].key) &&
		    fabsf(c[j].l->y0 - c[i].l->y0) <= 3; j++)
			if (c[j].l->page != last) {
				pages++;
				last = c[j].l->page;
			}
		if (d->npages >= 2 && pages >= need)
			for (k = i; k < j; k++)
				rep[c[k].idx] = 1;
	}
	for (i = 0; i < d->n; i = j) {
		for (j = i; j < d->n && d->v[j].page == d->v[i].page; j++)
			;
		peel(d, i, j, rep);
	}
	for (i = 0; i < nc; i++)
		free(c[i].key);
	free(c);
	free(rep);
}

/* --- labels ------------------------------------------------------------ */

static ucs4_t
first_char(const char *s, size_t n)
{
	ucs4_t uc = TEXT_REPLACEMENT;

	if (n)
		text_u8_next(s, n, &uc, NULL);
	return uc;
}

static ucs4_t
last_char(const char *s, size_t n, size_t *clen)
{
	ucs4_t uc = TEXT_REPLACEMENT;

	*clen = n ? text_u8_prev(s, n, &uc) : 0;
	return uc;
}


static int
has(const char *s, size_t n, size_t *i, const char *tok)
{
	size_t k = strlen(tok);

	if (n - *i < k || memcmp(s + *i, tok, k))
		return 0;
	*i += k;
	return 1;
}

/* A list or clause label standing alone: "1.", "2.3", "(a)", "iv)", "•",
 * "（一）", "三、", "第五条".  delim: it must end in '.', ')' or the like
 * (a bare "30" at the start of a wrapped line is a number, not a label). */
static int
is_label(const char *s, size_t n, int delim)
{
	static const char *const bullets[] = { "•", "·", "▪", "■", "●", "○", "◦", "-", "–", "*" };
	static const char *const cjk[] = { "一", "二", "三", "四", "五", "六", "七", "八",
	    "九", "十", "百", "〇", "零" };
	size_t i = 0, j, k, start;
	int open = 0, close = 0;

	for (k = 0; k < sizeof(bullets) / sizeof(bullets[0]); k++)
		if (n == strlen(bullets[k]) && !memcmp(s, bullets[k], n))
			return 1;
	open = has(s, n, &i, "(") || has(s, n, &i, "（");
	start = i;
	if (has(s, n, &i, "第")) {
		for (j = 0; j < 6; j++)
			for (k = 0; k < sizeof(cjk) / sizeof(cjk[0]); k++)
				if (has(s, n, &i, cjk[k]))
					break;
		while (i < n && isdigit((unsigned char)s[i]))
			i++;
		return !open && i > start + 3 && (has(s, n, &i, "条") || has(s, n, &i, "章") ||
		    has(s, n, &i, "节")) && i == n;
	}
	while (i < n && (isdigit((unsigned char)s[i]) || (s[i] == '.' && i > start &&
	    i + 1 < n && isdigit((unsigned char)s[i + 1]))))
		i++;
	if (i == start) {
		while (i < n && i - start < 6 && strchr("ivxlcIVXLC", s[i]))
			i++;
		if (i == start && i < n && isalpha((unsigned char)s[i]))
			i++;
		for (j = 0; i == start && j < 3; j++)
			for (k = 0; k < sizeof(cjk) / sizeof(cjk[0]); k++)
				if (has(s, n, &i, cjk[k]))
					break;
		if (i == start)
			return 0;
		delim = 1;	/* a letter alone is a word unless "a." or "(a)" */
	}
	close = has(s, n, &i, ")") || has(s, n, &i, "）");
	if (!close && !open && (has(s, n, &i, ".") || has(s, n, &i, "、")))
		close = 1;
	if (i != n || (open && !close))
		return 0;
	return close || !delim;
}

/* The first word of a line. */
static size_t
first_word(const char *s, size_t n)
{
	size_t i = 0;

	while (i < n && s[i] != ' ')
		i++;
	return i;
}

/* A label set in the margin is a line of its own; it goes back in front of
 * the text on its baseline ("1." + "We may..."), nearest to its right. */
static void
merge_labels(struct doc *d, size_t first, size_t end)
{
	size_t i, j;

	for (i = first; i < end; i++) {
		struct line *l = &d->v[i], *r = NULL;
		size_t off, clen;

		if (l->drop || !is_label(d->pool.buf + l->off, l->len, 0))
			continue;
		for (j = first; j < end; j++) {
			struct line *c = &d->v[j];

			if (j == i || c->drop || fabsf(c->y0 - l->y0) > 0.3f * l->size ||
			    fabsf(c->y1 - l->y1) > 0.3f * l->size || c->x0 < l->x1 - 1 ||
			    c->x0 - l->x1 > 4 * l->size)
				continue;
			if (!r || c->x0 < r->x0)
				r = c;
		}
		if (!r)
			continue;
		off = d->pool.len;
		if (strbuf_add(&d->pool, d->pool.buf + l->off, l->len) < 0 ||
		    (!wide(last_char(d->pool.buf + l->off, l->len, &clen)) &&
		    !wide(first_char(d->pool.buf + r->off, r->len)) &&
		    strbuf_addch(&d->pool, ' ') < 0) ||
		    strbuf_add(&d->pool, d->pool.buf + r->off, r->len) < 0) {
			d->full = 1;
			strbuf_setlen(&d->pool, off);
			return;
		}
		r->off = off;
		r->len = d->pool.len - off;
		r->x0 = l->x0;
		l->drop = 1;
	}
}

/* --- order ------------------------------------------------------------- */

static int
cmp_y(const void *a, const void *b)
{
	const struct line *x = *(struct line *const *)a, *y = *(struct line *const *)b;

	if (x->y0 != y->y0)
		return x->y0 < y->y0 ? -1 : 1;
	return x->x0 < y->x0 ? -1 : x->x0 > y->x0;
}

static int
cmp_x(const void *a, const void *b)
{
	const struct line *x = *(struct line *const *)a, *y = *(struct line *const *)b;

	if (x->x0 != y->x0)
		return x->x0 < y->x0 ? -1 : 1;
	return x->y0 < y->y0 ? -1 : x->y0 > y->y0;
}

/* The widest clear band in v (sorted by cmp): its width, and in *at the
 * index of the first line after it; 0 when there is none. */
static float
widest_gap(struct line **v, size_t n, int across, size_t *at)
{
	float edge, best = 0;
	size_t i;

	edge = across ? v[0]->y1 : v[0]->x1;
	for (i = 1; i < n; i++) {
		float start = across ? v[i]->y0 : v[i]->x0;
		float end = across ? v[i]->y1 : v[i]->x1;

		if (start - edge > best) {
			best = start - edge;
			*at = i;
		}
		if (end > edge)
			edge = end;
	}
	return best;
}

/* A column gutter must be wider than the space between two words. */
#define MIN_GUTTER 9.0f

/* Orders v in place.  Splits at the widest band with no text: a band down
 * the region (a gutter) or across it (between paragraphs), recursing into
 * both sides; a region with neither is read top to bottom. */
static void
xycut(struct line **v, size_t n, int depth)
{
	size_t hat = 0, vat = 0;
	float h, w;

	if (n < 2)
		return;
	qsort(v, n, sizeof(*v), cmp_x);
	w = widest_gap(v, n, 0, &vat);
	qsort(v, n, sizeof(*v), cmp_y);
	h = widest_gap(v, n, 1, &hat);
	if (depth > 64 || (w < MIN_GUTTER && h <= 0))
		return;		/* sorted top to bottom */
	if (w >= MIN_GUTTER && w > h) {
		qsort(v, n, sizeof(*v), cmp_x);
		xycut(v, vat, depth + 1);
		xycut(v + vat, n - vat, depth + 1);
		return;
	}
	xycut(v, hat, depth + 1);
	xycut(v + hat, n - hat, depth + 1);
}

/* --- assemble ---------------------------------------------------------- */

/* Ends a sentence, or a heading or list item that stands alone. */
static int
closes(ucs4_t uc)
{
	return uc == '.' || uc == ':' || uc == ';' || uc == '!' || uc == '?' ||
	    uc == 0x3002 || uc == 0xFF1A || uc == 0xFF1B || uc == 0xFF01 ||
	    uc == 0xFF1F || uc == 0x300D || uc == 0x300F;
}

/* Appends a line to the paragraph that starts at t->buf + start, joined as
 * a reader would. */
static int
join(struct strbuf *t, size_t start, const char *s, size_t n)
{
	const char *para = t->buf + start;
	size_t len = t->len - start, clen, clen2;
	ucs4_t a, b;

	if (!len)
		return strbuf_add(t, s, n);
	a = last_char(para, len, &clen);
	b = first_char(s, n);
	if ((a == '-' || a == 0x2010) && len > clen &&
	    uc_is_property_alphabetic(last_char(para, len - clen, &clen2)) &&
	    uc_is_property_lowercase(b)) {
		/* "agree-" + "ment": a word broken at the margin */
		strbuf_setlen(t, t->len - clen);
		return strbuf_add(t, s, n);
	}
	if (!wide(a) && !wide(b) && strbuf_addch(t, ' ') < 0)
		return -1;
	return strbuf_add(t, s, n);
}

/* b is the next line under a, in the same column. */
static int
below(const struct line *a, const struct line *b)
{
	float gap = b->y0 - a->y1;

	return a->page == b->page && b->x0 < a->x1 && b->x1 > a->x0 && b->y0 > a->y0 &&
	    gap < b->size && gap > -0.6f * b->size;
}

static int
cmp_float(const void *a, const void *b)
{
	float x = *(const float *)a, y = *(const float *)b;

	return (x > y) - (x < y);
}

/* The space between two lines of one paragraph, in font sizes: near the
 * least space between lines that follow each other in a column (the tenth
 * percentile: paragraphs and list items are set wider, and a list of
 * one-line items may outnumber the lines inside paragraphs), at most 0.3
 * (a document of one-line paragraphs has none). */
static float
leading(struct line **v, size_t n)
{
	float *g = xcalloc(n + 1, sizeof(*g)), m = 0;
	size_t i, k = 0;

	for (i = 1; i < n; i++)
		if (below(v[i - 1], v[i]) && fabsf(v[i - 1]->size - v[i]->size) <= 0.6f)
			g[k++] = (v[i]->y0 - v[i - 1]->y1) / v[i]->size;
	if (k) {
		qsort(g, k, sizeof(*g), cmp_float);
		m = g[k / 10] < 0.3f ? g[k / 10] : 0.3f;
	}
	free(g);
	return m;
}

/* Whether b continues the paragraph that a's line is in. */
static int
continues(const struct doc *d, const struct line *a, const struct line *b, float lead)
{
	size_t clen;

	if (fabsf(a->size - b->size) > 0.6f ||
	    is_label(d->pool.buf + b->off, first_word(d->pool.buf + b->off, b->len), 1))
		return 0;
	if (below(a, b)) {
		/* the document's own line spacing, not the wider space that
		 * sets paragraphs and list items apart */
		return (b->y0 - a->y1) / b->size < lead + 0.3f;
	}
	/* at the top of the next column or page: a sentence running on */
	if (a->page != b->page || b->y0 < a->y0 - a->size)
		return !closes(last_char(d->pool.buf + a->off, a->len, &clen));
	return 0;
}

struct para {
	size_t off, len;	/* in the paragraph text */
	float size;
};

struct weight {
	int half_points;
	size_t bytes;
};

static int
cmp_weight(const void *a, const void *b)
{
	const struct weight *x = a, *y = b;

	return (x->half_points > y->half_points) - (x->half_points < y->half_points);
}

/* The size most of the text is set in, to half a point. */
static float
body_size(struct line **v, size_t n)
{
	struct weight *w = xcalloc(n + 1, sizeof(*w));
	size_t i, j, most = 0, sum;
	int best = 0;

	for (i = 0; i < n; i++) {
		w[i].half_points = (int)lrintf(v[i]->size * 2);
		w[i].bytes = v[i]->len;
	}
	qsort(w, n, sizeof(*w), cmp_weight);
	for (i = 0; i < n; i = j) {
		for (sum = 0, j = i; j < n && w[j].half_points == w[i].half_points; j++)
			sum += w[j].bytes;
		if (sum > most) {
			most = sum;
			best = w[i].half_points;
		}
	}
	free(w);
	return (float)best / 2;
}

static int
cmp_float_desc(const void *a, const void *b)
{
	float x = *(const float *)a, y = *(const float *)b;

	return x > y ? -1 : x < y;
}

/* Heading levels: each distinct size above the body's, largest first. */
static int
level(const float *sizes, size_t n, float size)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (fabsf(sizes[i] - size) < 0.6f)
			return i < 5 ? (int)i + 1 : 6;
	return 0;
}

#define HEADING_MAX 300	/* bytes: longer larger text is a lead paragraph */

static int
assemble(const struct doc *d, struct line **v, size_t n, struct strbuf *md)
{
	struct strbuf text = STRBUF_INIT;
	struct para *p = NULL;
	float body = body_size(v, n), lead = leading(v, n), *hs = NULL;
	size_t np = 0, nhs = 0, i;
	int rc = -1;

	text.cap = md->cap ? md->cap : 0;
	p = xcalloc(n + 1, sizeof(*p));
	for (i = 0; i < n; i++) {
		if (!i || !continues(d, v[i - 1], v[i], lead)) {
			if (np)
				p[np - 1].len = text.len - p[np - 1].off;
			p[np].off = text.len;
			p[np].size = v[i]->size;
			np++;
		}
		if (join(&text, p[np - 1].off, d->pool.buf + v[i]->off, v[i]->len) < 0)
			goto cleanup;
	}
	if (np)
		p[np - 1].len = text.len - p[np - 1].off;
	hs = xcalloc(np + 1, sizeof(*hs));
	for (i = 0; i < np; i++)
		if (p[i].size > body * 1.15f && p[i].len <= HEADING_MAX &&
		    !level(hs, nhs, p[i].size))
			hs[nhs++] = p[i].size;
	qsort(hs, nhs, sizeof(*hs), cmp_float_desc);
	for (i = 0; i < np; i++) {
		int lv = p[i].size > body * 1.15f && p[i].len <= HEADING_MAX ?
		    level(hs, nhs, p[i].size) : 0;

		if (i && strbuf_addch(md, '\n') < 0)
			goto cleanup;
		if (lv && strbuf_addf(md, "%.*s ", lv, "######") < 0)
			goto cleanup;
		if (strbuf_add(md, text.buf + p[i].off, p[i].len) < 0 ||
		    strbuf_addch(md, '\n') < 0)
			goto cleanup;
	}
	rc = 0;
cleanup:
	if (rc < 0)
		util_seterr("the text is larger than %zu bytes", md->cap);
	strbuf_release(&text);
	free(p);
	free(hs);
	return rc;
}

/* Reading order of the kept lines, page by page. */
static struct line **
order(struct doc *d, size_t *nout)
{
	struct line **v = xcalloc(d->n + 1, sizeof(*v));
	size_t n = 0, i, j, start;

	for (i = 0; i < d->n; i = j) {
		for (j = i; j < d->n && d->v[j].page == d->v[i].page; j++)
			;
		merge_labels(d, i, j);
	}
	for (i = 0; i < d->n; i++)
		if (!d->v[i].drop)
			v[n++] = &d->v[i];
	for (start = 0; start < n; start = i) {
		for (i = start; i < n && v[i]->page == v[start]->page; i++)
			;
		xycut(v + start, i - start, 0);
	}
	*nout = n;
	return v;
}

int
pdf_to_text(const char *buf, size_t len, const struct pdf_opts *o, struct strbuf *out)
{
	struct budget b = { 0, PDF_MAX_MEMORY, 0 };
	fz_alloc_context alloc = { &b, b_malloc, b_realloc, b_free };
	struct doc d;
	struct line **v = NULL;
	struct strbuf md = STRBUF_INIT;
	fz_context *ctx;
	int max_pages = o && o->max_pages > 0 ? o->max_pages : PDF_MAX_PAGES;
	size_t n = 0;
	int rc = -1;

	if (o && o->max_memory)
		b.max = o->max_memory;
	memset(&d, 0, sizeof(d));
	/* the lines' text is at most the output plus the furniture dropped */
	strbuf_init(&d.pool, out->cap ? 2 * out->cap : 0);
	md.cap = out->cap;
	/* MuPDF's cache of decoded objects: a quarter of the budget */
	if (!(ctx = fz_new_context(&alloc, NULL, b.max / 4))) {
		util_seterr("PDF: cannot start MuPDF");
		goto cleanup;
	}
	fz_set_warning_callback(ctx, quiet, NULL);
	fz_set_error_callback(ctx, quiet, NULL);
	/* MuPDF carries on past some failed allocations (a font it cannot
	 * load is replaced): the text could then lack what it could not hold */
	if (collect(ctx, buf, len, max_pages, &d) < 0 || b.over) {
		if (b.over)
			util_seterr("the PDF needs more than %zu MiB to decode", b.max >> 20);
		goto cleanup;
	}
	if (d.full) {
		util_seterr("the PDF's text is larger than %zu bytes", out->cap);
		goto cleanup;
	}
	if (!d.npages) {
		util_seterr("not a readable PDF: no pages");
		goto cleanup;
	}
	if (!d.n) {
		if (d.nimages)
			util_seterr("no text layer: %d page(s) of images only, probably "
			    "scanned (clausewatch does not do OCR)", d.npages);
		else
			util_seterr("no text layer: %d page(s) without text", d.npages);
		goto cleanup;
	}
	furniture(&d);
	v = order(&d, &n);
	if (assemble(&d, v, n, &md) < 0 || normalize_text(md.buf, md.len, out) < 0)
		goto cleanup;
	rc = 0;
cleanup:
	free(v);
	free(d.v);
	free(d.height);
	strbuf_release(&d.pool);
	strbuf_release(&md);
	fz_drop_context(ctx);
	return rc;
}

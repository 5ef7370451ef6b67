/* clause: split normalised Markdown/text into labelled clauses.
 *
 * One pass over the lines builds blocks (heading, bullet, numbered line,
 * paragraph); each block goes through an outline stack. Numbered blocks are
 * placed by their numbering scheme, not by Markdown heading levels (real
 * documents mix "### 三、" with "## 2." under it): a number of a scheme
 * already on the stack is a sibling of that frame, a new scheme nests under
 * the top. Labels combine relative numbering ("九、" + "1" = "九、1",
 * "Section 2" + "(a)" = "2(a)"); unnumbered paragraphs and bullets take the
 * label of their parent plus a position ("Fees ¶2", "Fees ¶2.1"). Nothing
 * depends on the text of unrelated clauses, so labels stay stable.
 *
 * Cost: every line is looked at a bounded number of times; the stack is
 * capped at CLAUSE_MAXDEPTH, labels are deduplicated with a hash table, so
 * the whole split is linear in the input. */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "clause.h"
#include "strbuf.h"
#include "text.h"
#include "util.h"

#define CLAUSE_MAXDEPTH 32
#define LABEL_MAX 60		/* bytes of heading text used as a label */
#define TITLE_MAX 200		/* bytes of a frame title in heading paths */
/* The heading level of a numbered line in the body, which no heading
 * (levels 1-6) is below. */
#define HLEVEL_BODY 99
#define SHORT_LINE 120		/* a numbered line this short without final
				   punctuation reads as a heading */

enum scheme {
	S_NONE, S_DEC, S_PNUM, S_NUMP, S_PALPHA, S_PROMAN, S_ALPHAP, S_PUPPER,
	S_UPPERD, S_UROMAN, S_LOWERD, S_CNENUM, S_CNPAREN, S_CNCHAP, S_CNSEC,
	S_CNART, S_ENART, S_ENSEC, S_ENCHAP
};

enum ftype { F_ROOT, F_HEAD, F_NUM, F_BULLET, F_PARA };

struct tok {
	enum scheme scheme;
	int depth;		/* components of a decimal number */
	int letter;		/* for letter schemes, the letter */
	int ambiguous;		/* single i/v/x letter: alpha or roman */
	int dun;		/* "1、": Chinese enumeration comma */
	char comp[48];		/* label component, e.g. "9.1", "(a)", "一、" */
	char num[24];		/* prefix for children of Article/Section */
	char first[8];		/* first decimal component */
	size_t len;		/* bytes consumed, spaces after included */
};

struct frame {
	enum ftype type;
	enum scheme scheme;
	int depth, letter, hlevel, indent, headinglike;
	char *label, *nprefix, *base, *title;
	size_t nunnum;		/* unnumbered children so far */
	size_t clause;		/* index of its clause, or SIZE_MAX */
};

struct labelset {
	char **key;
	unsigned *count;
	size_t cap, n;
};

struct splitter {
	struct clause_list *out;
	size_t alloc;
	struct frame st[CLAUSE_MAXDEPTH + 1];
	int top;
	struct labelset ls;
	int md;			/* the input has Markdown headings */
	char *plain_first;	/* first plain heading, title fallback */
};

/* ---- small byte helpers ---- */

static int
is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

static int
is_alnum(unsigned char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int
has_prefix(const char *s, size_t n, const char *p)
{
	size_t k = strlen(p);

	return n >= k && memcmp(s, p, k) == 0;
}

/* U+3000 ideographic space too: it indents Chinese text. */
static size_t
skip_spaces(const char *s, size_t n, size_t i)
{
	for (;;) {
		ucs4_t c;
		size_t l = i < n ? text_u8_next(s + i, n - i, &c, NULL) : 0;

		if (l && text_is_space(c))
			i += l;
		else
			return i;
	}
}

/* Chinese numeral characters used in clause numbers. */
static const char *const cn_digits[] = {
	"零", "〇", "一", "二", "三", "四", "五", "六", "七", "八", "九",
	"十", "百", "千", "两",
};

static size_t
cn_digit_at(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < sizeof(cn_digits) / sizeof(cn_digits[0]); i++)
		if (has_prefix(s, n, cn_digits[i]))
			return strlen(cn_digits[i]);
	return 0;
}

static size_t
cn_number_len(const char *s, size_t n)
{
	size_t i = 0, k;

	while (i < n && (k = cn_digit_at(s + i, n - i)) > 0 && i < 30)
		i += k;
	return i;
}

/* A Chinese or full-width character: text may follow "1." with no space
 * in Chinese documents. */
static int
wide_at(const char *s, size_t n)
{
	ucs4_t c;

	return n && (text_u8_next(s, n, &c, NULL), text_is_wide(c));
}

static size_t
copy_comp(char *dst, size_t cap, const char *s, size_t n)
{
	if (n >= cap)
		n = cap - 1;
	memcpy(dst, s, n);
	dst[n] = '\0';
	return n;
}

/* ---- numbering tokens ---- */

static int
close_paren(const char *s, size_t n, size_t *k)
{
	if (n >= 1 && s[0] == ')') {
		*k = 1;
		return 1;
	}
	if (has_prefix(s, n, "）")) {
		*k = 3;
		return 1;
	}
	return 0;
}

static int
after_ok(const char *s, size_t n)
{
	return n == 0 || isspace((unsigned char)s[0]) || wide_at(s, n) ||
	    s[0] == '*';
}

/* Roman numeral letters only. */
static int
all_roman(const char *s, size_t n, int upper)
{
	size_t i;

	for (i = 0; i < n; i++) {
		char c = upper ? s[i] : (char)(s[i] - 'a' + 'A');
		if (!strchr("IVXLC", c) || c == '\0')
			return 0;
	}
	return n > 0;
}

static int
parse_en_word(const char *s, size_t n, struct tok *t)
{
	static const struct { const char *w; enum scheme sc; const char *lab; } kw[] = {
		{ "Article ", S_ENART, "Article " }, { "ARTICLE ", S_ENART, "Article " },
		{ "Section ", S_ENSEC, "Section " }, { "SECTION ", S_ENSEC, "Section " },
		{ "§ ", S_ENSEC, "Section " }, { "§", S_ENSEC, "Section " },
		{ "Chapter ", S_ENCHAP, "Chapter " }, { "CHAPTER ", S_ENCHAP, "Chapter " },
	};
	size_t i, j, k, p;

	for (i = 0; i < sizeof(kw) / sizeof(kw[0]); i++) {
		if (!has_prefix(s, n, kw[i].w))
			continue;
		p = strlen(kw[i].w);
		j = p;
		while (j < n && (is_digit((unsigned char)s[j]) ||
		    (s[j] == '.' && j + 1 < n && is_digit((unsigned char)s[j + 1]))))
			j++;
		if (j == p) {
			while (j < n && strchr("IVXL", s[j]) && s[j])
				j++;
		}
		if (j == p || j - p > 12)
			return 0;
		k = j;
		if (k < n && (s[k] == '.' || s[k] == ':'))
			k++;
		if (k < n && !isspace((unsigned char)s[k]) && s[k] != '-' &&
		    !wide_at(s + k, n - k))
			return 0;
		t->scheme = kw[i].sc;
		snprintf(t->comp, sizeof(t->comp), "%s%.*s", kw[i].lab,
		    (int)(j - p), s + p);
		copy_comp(t->num, sizeof(t->num), s + p, j - p);
		t->len = k;
		return 1;
	}
	return 0;
}

/* 第十条, 第一章, 第二节 (s starts with 第) */
static int
parse_cn_ordinal(const char *s, size_t n, struct tok *t)
{
	size_t i = strlen("第"), j = cn_number_len(s + i, n - i);

	if (j == 0)
		while (i + j < n && is_digit((unsigned char)s[i + j]) && j < 6)
			j++;
	if (j == 0)
		return 0;
	i += j;
	if (has_prefix(s + i, n - i, "条") || has_prefix(s + i, n - i, "款"))
		t->scheme = S_CNART;
	else if (has_prefix(s + i, n - i, "章") || has_prefix(s + i, n - i, "编"))
		t->scheme = S_CNCHAP;
	else if (has_prefix(s + i, n - i, "节"))
		t->scheme = S_CNSEC;
	else if (has_prefix(s + i, n - i, "部分")) {
		t->scheme = S_CNCHAP;
		i += strlen("部");
	} else
		return 0;
	i += strlen("条");
	copy_comp(t->comp, sizeof(t->comp), s, i);
	t->len = i;
	return 1;
}

/* (1) （1） (a) (iv) (A) （一） (s starts with an opening parenthesis) */
static int
parse_paren(const char *s, size_t n, struct tok *t)
{
	size_t i = s[0] == '(' ? 1 : strlen("（"), j = i, k, m;

	if ((k = cn_number_len(s + i, n - i)) > 0) {
		j = i + k;
		if (!close_paren(s + j, n - j, &k))
			return 0;
		t->scheme = S_CNPAREN;
		snprintf(t->comp, sizeof(t->comp), "（%.*s）", (int)(j - i), s + i);
		t->len = j + k;
		return 1;
	}
	while (j < n && j - i < 6 && is_alnum((unsigned char)s[j]))
		j++;
	if (j == i || !close_paren(s + j, n - j, &k))
		return 0;
	if (is_digit((unsigned char)s[i])) {
		for (m = i; m < j; m++)
			if (!is_digit((unsigned char)s[m]))
				return 0;
		if (j - i > 3)
			return 0;
		t->scheme = S_PNUM;
	} else if (j - i == 1 && s[i] >= 'a' && s[i] <= 'z') {
		t->scheme = S_PALPHA;
		t->letter = s[i];
		t->ambiguous = s[i] == 'i' || s[i] == 'v' || s[i] == 'x';
	} else if (j - i == 1 && s[i] >= 'A' && s[i] <= 'Z') {
		t->scheme = S_PUPPER;
		t->letter = s[i];
	} else if (all_roman(s + i, j - i, 0)) {
		t->scheme = S_PROMAN;
	} else
		return 0;
	snprintf(t->comp, sizeof(t->comp), "(%.*s)", (int)(j - i), s + i);
	t->len = j + k;
	return 1;
}

/* 一、 二． 三. (k bytes of Chinese number at s) */
static int
parse_cn_enum(const char *s, size_t n, size_t k, struct tok *t)
{
	if (has_prefix(s + k, n - k, "、") || has_prefix(s + k, n - k, "．"))
		t->len = k + strlen("、");
	else if (k < n && s[k] == '.' && after_ok(s + k + 1, n - k - 1))
		t->len = k + 1;
	else
		return 0;
	t->scheme = S_CNENUM;
	snprintf(t->comp, sizeof(t->comp), "%.*s、", (int)k, s);
	return 1;
}

/* 1. 1.1 3.5.2.1 1、 1) (s starts with a digit) */
static int
parse_decimal(const char *s, size_t n, struct tok *t)
{
	enum scheme sc = S_DEC;
	size_t i = 0, j, k;
	int ncomp = 0;

	for (;;) {
		j = i;
		while (j < n && is_digit((unsigned char)s[j]))
			j++;
		if (j == i || j - i > 3)
			return 0;
		if (ncomp == 0)
			copy_comp(t->first, sizeof(t->first), s, j);
		ncomp++;
		i = j;
		if (ncomp < 8 && i + 1 < n && s[i] == '.' &&
		    is_digit((unsigned char)s[i + 1]))
			i++;
		else
			break;
	}
	copy_comp(t->comp, sizeof(t->comp), s, i);
	t->depth = ncomp;
	if (has_prefix(s + i, n - i, "、") || has_prefix(s + i, n - i, "．")) {
		t->dun = has_prefix(s + i, n - i, "、");
		t->len = i + strlen("、");
	} else if (i < n && s[i] == '.' && after_ok(s + i + 1, n - i - 1)) {
		t->len = i + 1;
	} else if (ncomp == 1 && close_paren(s + i, n - i, &k)) {
		sc = S_NUMP;
		snprintf(t->comp, sizeof(t->comp), "%.*s)", (int)i, s);
		t->len = i + k;
	} else if (ncomp >= 2 && i < n && after_ok(s + i, n - i)) {
		t->len = i;
	} else {
		return 0;
	}
	t->scheme = sc;
	return 1;
}

/* A. a. a) II. (s starts with an ASCII letter) */
static int
parse_letter(const char *s, size_t n, struct tok *t)
{
	int upper = s[0] <= 'Z';
	size_t j = 1, k;

	if (upper)
		while (j < n && j < 6 && s[j] && strchr("IVXL", s[j]))
			j++;
	if (j > 1 && !all_roman(s, j, 1))
		return 0;
	if (j < n && (s[j] == '.' || has_prefix(s + j, n - j, "、") ||
	    has_prefix(s + j, n - j, "．"))) {
		k = s[j] == '.' ? 1 : strlen("、");
		if (!after_ok(s + j + k, n - j - k) || j + k >= n)
			return 0;
		if (j > 1)
			t->scheme = S_UROMAN;
		else if (upper) {
			t->scheme = S_UPPERD;
			t->letter = s[0];
			t->ambiguous = strchr("IVX", s[0]) != NULL;
		} else {
			t->scheme = S_LOWERD;
			t->letter = s[0];
		}
		copy_comp(t->comp, sizeof(t->comp), s, j);
		t->len = j + k;
		return 1;
	}
	if (j == 1 && close_paren(s + 1, n - 1, &k) && after_ok(s + 1 + k, n - 1 - k)) {
		t->scheme = S_ALPHAP;
		t->letter = s[0];
		snprintf(t->comp, sizeof(t->comp), "%c)", s[0]);
		t->len = 1 + k;
		return 1;
	}
	return 0;
}

/* The numbering token at the start of s, if any. */
static int
parse_tok(const char *s, size_t n, struct tok *t)
{
	size_t k;

	memset(t, 0, sizeof(*t));
	if (n == 0)
		return 0;
	if (has_prefix(s, n, "第"))
		return parse_cn_ordinal(s, n, t);
	if (parse_en_word(s, n, t))
		return 1;
	if (s[0] == '(' || has_prefix(s, n, "（"))
		return parse_paren(s, n, t);
	if ((k = cn_number_len(s, n)) > 0)
		return parse_cn_enum(s, n, k, t);
	if (is_digit((unsigned char)s[0]))
		return parse_decimal(s, n, t);
	if ((s[0] >= 'A' && s[0] <= 'Z') || (s[0] >= 'a' && s[0] <= 'z'))
		return parse_letter(s, n, t);
	return 0;
}

/* ---- label set (open addressing, per-base collision counters) ---- */

static size_t
ls_find(struct labelset *ls, const char *s)
{
	size_t i = (size_t)text_hash(TEXT_HASH_INIT, s, strlen(s)) &
	    (ls->cap - 1);

	while (ls->key[i] && strcmp(ls->key[i], s) != 0)
		i = (i + 1) & (ls->cap - 1);
	return i;
}

static void
ls_grow(struct labelset *ls)
{
	struct labelset nw;
	size_t i, j;

	nw.cap = ls->cap ? ls->cap * 2 : 64;
	nw.n = ls->n;
	nw.key = xcalloc(nw.cap, sizeof(char *));
	nw.count = xcalloc(nw.cap, sizeof(unsigned));
	for (i = 0; i < ls->cap; i++) {
		if (!ls->key[i])
			continue;
		j = ls_find(&nw, ls->key[i]);
		nw.key[j] = ls->key[i];
		nw.count[j] = ls->count[i];
	}
	free(ls->key);
	free(ls->count);
	*ls = nw;
}

/* Returns a pointer to the stored counter for s (inserting a copy). */
static unsigned *
ls_get(struct labelset *ls, const char *s, int *found)
{
	size_t i;

	if ((ls->n + 1) * 2 > ls->cap)
		ls_grow(ls);
	i = ls_find(ls, s);
	*found = ls->key[i] != NULL;
	if (!ls->key[i]) {
		ls->key[i] = xstrdup(s);
		ls->count[i] = 1;
		ls->n++;
	}
	return &ls->count[i];
}

static void
ls_free(struct labelset *ls)
{
	size_t i;

	for (i = 0; i < ls->cap; i++)
		free(ls->key[i]);
	free(ls->key);
	free(ls->count);
}

/* A unique label: "x", then "x #2", "x #3"... */
static char *
unique_label(struct splitter *sp, const char *want)
{
	struct strbuf sb = STRBUF_INIT;
	unsigned *cnt;
	int found;

	cnt = ls_get(&sp->ls, want, &found);
	if (!found)
		return xstrdup(want);
	for (;;) {
		unsigned k = ++*cnt;
		int f2;

		strbuf_reset(&sb);
		strbuf_addf(&sb, "%s #%u", want, k);
		ls_get(&sp->ls, sb.buf, &f2);
		if (!f2)
			break;
		/* re-fetch: the table may have grown */
		cnt = ls_get(&sp->ls, want, &f2);
	}
	return strbuf_detach(&sb, NULL);
}

/* ---- stack and emission ---- */

static void
frame_clear(struct frame *f)
{
	free(f->label);
	free(f->nprefix);
	free(f->base);
	free(f->title);
	memset(f, 0, sizeof(*f));
}

static void
pop_to(struct splitter *sp, int keep)
{
	while (sp->top > keep) {
		frame_clear(&sp->st[sp->top]);
		sp->top--;
	}
}

static char *
heading_path(struct splitter *sp)
{
	struct strbuf sb = STRBUF_INIT;
	int i;

	for (i = 1; i <= sp->top; i++) {
		if (!sp->st[i].title)
			continue;
		if (sb.len)
			strbuf_addstr(&sb, " > ");
		strbuf_addstr(&sb, sp->st[i].title);
	}
	return strbuf_detach(&sb, NULL);
}

/* A clause under label (taken: made unique, then freed); its index. */
static size_t
emit(struct splitter *sp, char *label, const char *text, size_t tlen,
    size_t line)
{
	struct clause_list *cl = sp->out;
	struct clause *c;

	ALLOC_GROW(cl->v, cl->n + 1, sp->alloc);
	c = &cl->v[cl->n];
	c->label = unique_label(sp, label);
	free(label);
	c->heading = heading_path(sp);
	c->text = xstrndup(text, tlen);
	c->level = sp->top;
	c->line = line;
	return cl->n++;
}

static int
all_alnum(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (!is_alnum((unsigned char)*s) && *s != '.')
			return 0;
	return 1;
}

/* "九、" + "1" = "九、1", "2" + "(a)" = "2(a)", "9.1" + "A" = "9.1.A" */
static char *
join_label(const char *prefix, const char *comp)
{
	struct strbuf sb = STRBUF_INIT;
	size_t pl = strlen(prefix);

	strbuf_addstr(&sb, prefix);
	if (pl && is_alnum((unsigned char)prefix[pl - 1]) && all_alnum(comp))
		strbuf_addch(&sb, '.');
	strbuf_addstr(&sb, comp);
	return strbuf_detach(&sb, NULL);
}

/* Make room for one more frame, dropping the deepest when the document
 * nests absurdly (junk input): keeps each step O(1). */
static struct frame *
push(struct splitter *sp)
{
	if (sp->top >= CLAUSE_MAXDEPTH)
		pop_to(sp, CLAUSE_MAXDEPTH - 1);
	sp->top++;
	memset(&sp->st[sp->top], 0, sizeof(sp->st[sp->top]));
	sp->st[sp->top].clause = SIZE_MAX;
	return &sp->st[sp->top];
}

static int
ends_with_punct(const char *s, size_t n)
{
	static const char *const p[] = { ".", ";", ":", ",", "!", "?", "。",
		"；", "：", "，", "！", "？", "、" };
	size_t i, k;

	while (n > 0 && (isspace((unsigned char)s[n - 1]) || s[n - 1] == '*'))
		n--;
	for (i = 0; i < sizeof(p) / sizeof(p[0]); i++) {
		k = strlen(p[i]);
		if (n >= k && memcmp(s + n - k, p[i], k) == 0)
			return 1;
	}
	return 0;
}

static int
ends_with_colon(const char *s, size_t n)
{
	while (n > 0 && (isspace((unsigned char)s[n - 1]) || s[n - 1] == '*'))
		n--;
	return (n >= 1 && s[n - 1] == ':') ||
	    (n >= 3 && memcmp(s + n - 3, "：", 3) == 0);
}

static char *
make_title(const char *s, size_t n)
{
	n = text_cut(s, n, TITLE_MAX);
	return xstrndup(s, n);
}

/* Heading text as a label: no emphasis marks, bounded length. */
static char *
heading_label(const char *s, size_t n)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] != '*' && s[i] != '_' && s[i] != '\n')
			strbuf_addch(&sb, s[i]);
	strbuf_trim(&sb);
	if (sb.len > LABEL_MAX) {
		size_t cut = text_cut(sb.buf, sb.len, LABEL_MAX), sp = cut;
		while (sp > LABEL_MAX / 2 && sb.buf[sp] != ' ')
			sp--;
		strbuf_setlen(&sb, sb.buf[sp] == ' ' ? sp : cut);
	}
	strbuf_trim(&sb);
	if (sb.len == 0)
		strbuf_addstr(&sb, "heading");
	return strbuf_detach(&sb, NULL);
}

/* Label of the n-th unnumbered child of frame f. */
static char *
unnum_label(struct splitter *sp, struct frame *f)
{
	struct strbuf sb = STRBUF_INIT;

	f->nunnum++;
	if (f->type == F_ROOT) {
		if (f->nunnum == 1)
			strbuf_addstr(&sb, "preamble");
		else
			strbuf_addf(&sb, "preamble ¶%zu", f->nunnum);
	} else if (f->type == F_BULLET || f->type == F_PARA)
		strbuf_addf(&sb, "%s.%zu", f->label, f->nunnum);
	else
		strbuf_addf(&sb, "%s ¶%zu", f->label, f->nunnum);
	return strbuf_detach(&sb, NULL);
}

/* The frame that clause idx (just emitted) opens, of type, its children
 * numbered under nprefix (taken: copy it before push can pop the parent). */
static struct frame *
open_frame(struct splitter *sp, enum ftype type, size_t idx, char *nprefix)
{
	struct frame *f = push(sp);

	f->type = type;
	f->nprefix = nprefix;
	f->clause = idx;
	f->label = xstrdup(sp->out->v[idx].label);
	return f;
}

static void
handle_heading(struct splitter *sp, int hlevel, const char *text, size_t tlen,
    size_t line)
{
	struct frame *f, *parent;
	size_t idx;

	while (sp->top > 0) {
		f = &sp->st[sp->top];
		if ((f->type == F_HEAD || f->type == F_NUM) && f->hlevel < hlevel)
			break;
		pop_to(sp, sp->top - 1);
	}
	parent = &sp->st[sp->top];
	idx = emit(sp, heading_label(text, tlen), text, tlen, line);
	f = open_frame(sp, F_HEAD, idx, xstrdup(parent->nprefix));
	f->hlevel = hlevel;
	f->headinglike = 1;
	f->title = make_title(text, tlen);
}

/* Schemes that number whole parts of a document rank above list schemes. */
static int
scheme_rank(enum scheme sc)
{
	switch (sc) {
	case S_CNCHAP: case S_ENCHAP: return 3;
	case S_CNSEC: return 2;
	case S_CNART: case S_ENART: case S_ENSEC: return 1;
	default: return 0;
	}
}

static int
same_scheme(const struct frame *f, const struct tok *t)
{
	return f->type == F_NUM && f->scheme == t->scheme;
}

/* "(i)" after an open "(h)" is a letter, else a roman numeral. */
static void
resolve_ambiguous(const struct splitter *sp, struct tok *t)
{
	int i;

	if (!t->ambiguous)
		return;
	for (i = sp->top; i > 0; i--)
		if (sp->st[i].type == F_NUM && sp->st[i].scheme == t->scheme &&
		    sp->st[i].letter == t->letter - 1)
			return;
	t->scheme = t->scheme == S_PALPHA ? S_PROMAN : S_UROMAN;
}

/* The frame a numbered line (heading level hlevel) stays under when a
 * sibling is open: the depth to pop to, or -1. */
static int
sibling_depth(const struct splitter *sp, const struct tok *t, int hlevel)
{
	const struct frame *f;
	int i;

	for (i = sp->top; i > 0; i--) {
		f = &sp->st[i];
		/* a numbered heading is never the sibling of a body line */
		if (hlevel != HLEVEL_BODY && f->type == F_NUM &&
		    f->hlevel == HLEVEL_BODY)
			continue;
		/* "#### 5、" then a body "1、": numbering restarts under
		 * the heading, the body line is not its sibling */
		if (hlevel == HLEVEL_BODY && f->hlevel != HLEVEL_BODY &&
		    (f->type == F_HEAD || (f->type == F_NUM && f->scheme == t->scheme)))
			return -1;
		if (t->scheme == S_DEC && f->type == F_NUM && f->scheme == S_DEC) {
			if (f->depth == t->depth)
				return i - 1;
			if (f->depth < t->depth)
				return i;
			continue;
		}
		if (same_scheme(f, t))
			return i - 1;
	}
	return -1;
}

/* No sibling: a new scheme nests under the top, once what cannot hold it
 * is closed. */
static void
pop_for_new_scheme(struct splitter *sp, const struct tok *t, int hlevel)
{
	const struct frame *f;

	/* a chapter or an article never nests in an "(a)" */
	while (sp->top > 0 && sp->st[sp->top].type != F_HEAD &&
	    scheme_rank(sp->st[sp->top].scheme) < scheme_rank(t->scheme))
		pop_to(sp, sp->top - 1);
	/* bullets and list intros that ended do not hold numbered lines from
	 * headings */
	while (hlevel != HLEVEL_BODY && sp->top > 0 &&
	    ((f = &sp->st[sp->top])->type == F_BULLET || f->type == F_PARA ||
	    (f->type == F_NUM && f->hlevel == HLEVEL_BODY)))
		pop_to(sp, sp->top - 1);
}

/* The label of numbered line t under parent, its children's number prefix
 * and the base its siblings share. */
static char *
num_label(const struct frame *parent, const struct tok *t, char **nprefix,
    char **base)
{
	char *label;

	switch (t->scheme) {
	case S_DEC:
		if (parent->type == F_NUM && parent->scheme == S_DEC &&
		    parent->depth < t->depth)
			*base = xstrdup(parent->base);
		else
			*base = xstrdup(parent->nprefix);
		/* "Section 2" then "2.1": the number already says 2 */
		if (t->depth > 1 && parent->type == F_NUM &&
		    (parent->scheme == S_ENART || parent->scheme == S_ENSEC) &&
		    strcmp(parent->nprefix, t->first) == 0) {
			free(*base);
			*base = xstrdup(parent->base);
		}
		if (t->dun && !**base) {
			struct strbuf lb = STRBUF_INIT;
			strbuf_addf(&lb, "%s、", t->comp);
			label = strbuf_detach(&lb, NULL);
		} else
			label = join_label(*base, t->comp);
		*nprefix = xstrdup(label);
		break;
	case S_CNART:
	case S_CNCHAP:
	case S_CNSEC:
		/* articles are numbered through the whole document */
		label = xstrdup(t->comp);
		*nprefix = xstrdup(label);
		*base = xstrdup("");
		break;
	case S_ENART:
	case S_ENSEC:
	case S_ENCHAP:
		label = xstrdup(t->comp);
		*nprefix = xstrdup(t->num);
		*base = xstrdup("");
		break;
	default:
		label = join_label(parent->nprefix, t->comp);
		*nprefix = xstrdup(label);
		*base = xstrdup(parent->nprefix);
		break;
	}
	return label;
}

static void
handle_num(struct splitter *sp, struct tok *t, int hlevel, const char *text,
    size_t tlen, const char *line_text, size_t line_len, size_t line)
{
	struct frame *f;
	char *label, *base, *nprefix;
	int keep;
	size_t idx;

	resolve_ambiguous(sp, t);
	if ((keep = sibling_depth(sp, t, hlevel)) >= 0)
		pop_to(sp, keep);
	else
		pop_for_new_scheme(sp, t, hlevel);
	label = num_label(&sp->st[sp->top], t, &nprefix, &base);
	idx = emit(sp, label, text, tlen, line);
	f = open_frame(sp, F_NUM, idx, nprefix);
	f->scheme = t->scheme;
	f->depth = t->depth;
	f->letter = t->letter;
	f->hlevel = hlevel;
	f->base = base;
	f->headinglike = hlevel != HLEVEL_BODY ||
	    (tlen > 0 && tlen <= SHORT_LINE && !ends_with_punct(text, tlen) &&
	    memchr(text, '\n', tlen) == NULL);
	if (f->headinglike)
		f->title = make_title(line_text, line_len);
}

static void
handle_bullet(struct splitter *sp, int indent, const char *text, size_t tlen,
    size_t line)
{
	struct frame *f, *parent;
	size_t idx;

	while (sp->top > 0 && sp->st[sp->top].type == F_BULLET &&
	    sp->st[sp->top].indent >= indent)
		pop_to(sp, sp->top - 1);
	parent = &sp->st[sp->top];
	idx = emit(sp, unnum_label(sp, parent), text, tlen, line);
	f = open_frame(sp, F_BULLET, idx, xstrdup(parent->nprefix));
	f->indent = indent;
	f->headinglike = tlen > 0 && tlen <= SHORT_LINE &&
	    !ends_with_punct(text, tlen);
	if (f->headinglike)
		f->title = make_title(text, tlen);
}

static void
append_to_clause(struct splitter *sp, size_t idx, const char *text, size_t tlen)
{
	struct clause *c = &sp->out->v[idx];
	size_t ol = strlen(c->text);
	char *nt = xmalloc(ol + 2 + tlen + 1);

	memcpy(nt, c->text, ol);
	memcpy(nt + ol, "\n\n", 2);
	memcpy(nt + ol + 2, text, tlen);
	nt[ol + 2 + tlen] = '\0';
	free(c->text);
	c->text = nt;
}

static void
handle_para(struct splitter *sp, int indent, const char *text, size_t tlen,
    size_t line)
{
	struct frame *f, *parent;
	size_t idx;

	f = &sp->st[sp->top];
	/* indented text under a bullet continues it */
	if (f->type == F_BULLET && indent > f->indent && f->clause == sp->out->n - 1) {
		append_to_clause(sp, f->clause, text, tlen);
		return;
	}
	while (sp->top > 0 && (sp->st[sp->top].type == F_BULLET ||
	    sp->st[sp->top].type == F_PARA))
		pop_to(sp, sp->top - 1);
	f = &sp->st[sp->top];
	/* text after a numbered sentence belongs to it (its second paragraph) */
	if (f->type == F_NUM && !f->headinglike && f->clause == sp->out->n - 1) {
		append_to_clause(sp, f->clause, text, tlen);
		return;
	}
	parent = f;
	idx = emit(sp, unnum_label(sp, parent), text, tlen, line);
	/* a list intro: the bullets after it are its items */
	if (ends_with_colon(text, tlen))
		open_frame(sp, F_PARA, idx, xstrdup(parent->nprefix));
}

/* ---- line classification ---- */

enum btype { B_NONE, B_HEAD, B_PLAINHEAD, B_BULLET, B_NUM, B_PARA };

struct block {
	enum btype type;
	int hlevel, indent;
	struct tok tok;
	size_t line;
	struct strbuf text;	/* the clause text (markers stripped) */
	struct strbuf whole;	/* first line without list/heading marker, for titles */
	int after_blank;	/* preceded by a blank line or the start */
	int nlines;
};

static size_t
bullet_marker(const char *s, size_t n)
{
	static const char *const m[] = { "•", "◦", "▪", "●", "○", "·", "‣", "–" };
	size_t i, k;

	if (n >= 2 && (s[0] == '-' || s[0] == '*' || s[0] == '+') &&
	    isspace((unsigned char)s[1]))
		return 1;
	for (i = 0; i < sizeof(m) / sizeof(m[0]); i++) {
		k = strlen(m[i]);
		if (has_prefix(s, n, m[i]) && (n == k || isspace((unsigned char)s[k])))
			return k;
	}
	return 0;
}

static int
is_rule_line(const char *s, size_t n)
{
	size_t i, c = 0;
	char ch = 0;

	for (i = 0; i < n; i++) {
		if (isspace((unsigned char)s[i]))
			continue;
		if (s[i] != '-' && s[i] != '*' && s[i] != '_' && s[i] != '=')
			return 0;
		if (ch && s[i] != ch)
			return 0;
		ch = s[i];
		c++;
	}
	return c >= 3;
}

/* The level of a setext underline ("===" 1, "---" 2), else 0: one
 * character repeated, spaces only around it. */
static int
setext_level(const char *s, size_t n)
{
	size_t i = 0, c = 0;
	char ch;

	while (i < n && s[i] == ' ')
		i++;
	if (i == n || (s[i] != '=' && s[i] != '-'))
		return 0;
	ch = s[i];
	while (i < n && s[i] == ch)
		i++, c++;
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	return i < n || c < 2 ? 0 : ch == '=' ? 1 : 2;
}

/* Numbered token after optional "**": the text keeps the emphasis. */
static int
num_in(const char *s, size_t n, struct tok *t, const char **text, size_t *tlen,
    struct strbuf *tb)
{
	size_t off = 0, j;
	int bold = 0;

	if (n >= 2 && s[0] == '*' && s[1] == '*') {
		off = 2;
		bold = 1;
	}
	if (!parse_tok(s + off, n - off, t))
		return 0;
	j = skip_spaces(s, n, off + t->len);
	/* "**1.** text": drop the closing marks that wrapped only the number */
	if (bold && n - j >= 2 && s[j] == '*' && s[j + 1] == '*') {
		j = skip_spaces(s, n, j + 2);
		bold = 0;
	}
	strbuf_reset(tb);
	if (bold)
		strbuf_addstr(tb, "**");
	strbuf_add(tb, s + j, n - j);
	*text = tb->buf;
	*tlen = tb->len;
	return 1;
}

static void
flush(struct splitter *sp, struct block *b, int next_blank)
{
	const char *t = b->text.buf;
	size_t n = b->text.len;

	while (n > 0 && (t[n - 1] == '\n' || isspace((unsigned char)t[n - 1])))
		n--;
	switch (b->type) {
	case B_NONE:
		break;
	case B_HEAD:
		handle_heading(sp, b->hlevel, t, n, b->line);
		break;
	case B_NUM:
		handle_num(sp, &b->tok, b->hlevel, t, n, b->whole.buf, b->whole.len,
		    b->line);
		break;
	case B_BULLET:
		handle_bullet(sp, b->indent, t, n, b->line);
		break;
	case B_PARA:
	case B_PLAINHEAD:
		if (!sp->md && b->after_blank && next_blank && b->nlines == 1 &&
		    b->indent == 0 && n > 0 && n <= 80 && !ends_with_punct(t, n) &&
		    !memchr(t, '|', n)) {
			int digit = 0, alpha = 0;
			size_t i;
			for (i = 0; i < n; i++) {
				if (is_digit((unsigned char)t[i]))
					digit = 1;
				if (((unsigned char)t[i] | 0x20) >= 'a' &&
				    ((unsigned char)t[i] | 0x20) <= 'z')
					alpha = 1;
				if ((unsigned char)t[i] >= 0xe3)
					alpha = 1;
			}
			if (!digit && alpha) {
				handle_heading(sp, 1, t, n, b->line);
				if (!sp->plain_first)
					sp->plain_first = xstrndup(t, n);
				break;
			}
		}
		handle_para(sp, b->indent, t, n, b->line);
		break;
	}
	b->type = B_NONE;
	strbuf_reset(&b->text);
	strbuf_reset(&b->whole);
	b->nlines = 0;
}

static int
md_heading(const char *s, size_t n, int *level, size_t *start)
{
	size_t i = 0;

	while (i < n && s[i] == '#' && i < 7)
		i++;
	if (i == 0 || i > 6 || (i < n && !isspace((unsigned char)s[i])))
		return 0;
	*level = (int)i;
	*start = skip_spaces(s, n, i);
	return 1;
}

static int
has_md_headings(const char *s, size_t n)
{
	size_t i = 0, e;
	int lv;
	size_t st;

	while (i < n) {
		const char *nl = memchr(s + i, '\n', n - i);
		e = nl ? (size_t)(nl - s) : n;
		if (md_heading(s + i, e - i, &lv, &st) && st < e - i)
			return 1;
		i = e + 1;
	}
	return 0;
}

/* Heading text without Markdown inline syntax that pages put around it:
 * "[3\. Access](#3-access)" and "[](#anchor)Access" become "3. Access" and
 * "Access"; a trailing permalink "#" goes too. */
static void
clean_heading(const char *s, size_t n, struct strbuf *out)
{
	size_t i = 0;

	while (i < n) {
		if (s[i] == '\\' && i + 1 < n && strchr("\\`*_{}[]()#+-.!|>~", s[i + 1]) &&
		    s[i + 1]) {
			strbuf_addch(out, s[i + 1]);
			i += 2;
			continue;
		}
		if (s[i] == ']' && i + 1 < n && s[i + 1] == '(') {
			const char *close = memchr(s + i + 2, ')', n - i - 2);

			if (close) {
				i = (size_t)(close - s) + 1;
				continue;
			}
		}
		if (s[i] == '[') {
			/* only when it opens a link: "[...](" */
			const char *close = memchr(s + i + 1, ']', n - i - 1);

			if (close && (size_t)(close - s) + 1 < n && close[1] == '(') {
				i++;
				continue;
			}
		}
		strbuf_addch(out, s[i]);
		i++;
	}
	strbuf_trim(out);
	while (out->len > 0 && out->buf[out->len - 1] == '#') {
		strbuf_setlen(out, out->len - 1);
		strbuf_trim(out);
	}
}

/* Navigation a saved web page leaves at its top ("Skip to main content",
 * "[Skip to content](#main)", "跳到主要内容"): not part of the document. */
static int
web_leftover(const char *s, size_t n)
{
	static const char *const nav[] = { "skip to ", "skip navigation",
		"jump to content", "jump to main", "back to top", "toggle navigation",
		"跳到主要内容", "跳转到主要内容", "跳至主要内容", "返回顶部", NULL };
	size_t i;

	if (n > 0 && s[0] == '[') {
		const char *close = memchr(s, ']', n);

		if (!close)
			return 0;
		/* the link target must end the line */
		if ((size_t)(close - s) + 1 < n && close[1] == '(' && s[n - 1] != ')')
			return 0;
		n = (size_t)(close - s) - 1;
		s++;
	}
	if (n == 0 || n > 40)
		return 0;
	for (i = 0; nav[i]; i++) {
		size_t k = strlen(nav[i]);

		if (n >= k && strncasecmp(s, nav[i], k) == 0)
			return 1;
	}
	return 0;
}

/* The name a document gives itself in its opening: 'This Service
 * Agreement for Developers (hereinafter "the Agreement")', '《XX服务协议》'. */
static char *
self_name(const char *t)
{
	static const char *const kw[] = { "agreement", "policy", "terms",
		"contract", "notice", "协议", "政策", "条款", "声明", "规则" };
	const char *p, *e;
	size_t k, n;

	for (p = t; (p = strstr(p, "《")) != NULL; p += 3) {
		e = strstr(p + 3, "》");
		if (!e || e - p - 3 > 120 || e == p + 3)
			continue;
		for (k = 5; k < sizeof(kw) / sizeof(kw[0]); k++)
			if (memmem(p + 3, (size_t)(e - p - 3), kw[k], strlen(kw[k])))
				return xstrndup(p + 3, (size_t)(e - p - 3));
	}
	for (p = t; (p = strstr(p, "This ")) != NULL; p += 5) {
		if (p != t && !isspace((unsigned char)p[-1]) && p[-1] != '\n' &&
		    p[-1] != '"')
			continue;
		e = strchr(p + 5, '(');
		if (!e || e - p - 5 > 120 || e == p + 5)
			continue;
		n = (size_t)(e - p - 5);
		if (memchr(p + 5, '\n', n))
			continue;
		while (n > 0 && isspace((unsigned char)p[5 + n - 1]))
			n--;
		if (n == 0 || memchr(p + 5, '.', n) ||
		    memchr(p + 5, ',', n) || p[5] < 'A' || p[5] > 'Z')
			continue;
		for (k = 0; k < 5; k++) {
			size_t kl = strlen(kw[k]);
			const char *h;

			for (h = p + 5; h + kl <= p + 5 + n; h++)
				if (strncasecmp(h, kw[k], kl) == 0)
					return xstrndup(p + 5, n);
		}
	}
	return NULL;
}

/* A short line that names a document: "... Agreement", "Privacy Policy",
 * "Terms of Service", "API Terms" (not "Definition of Terms"). */
static int
looks_like_title(const char *t)
{
	static const char *const kw[] = { "agreement", "policy", "contract",
		"terms of", "terms and", "协议", "政策", "条款", "声明" };
	size_t n = strlen(t), k;
	const char *h;

	if (n == 0 || n > 120 || strchr(t, '\n'))
		return 0;
	/* a sentence is no title */
	if (strchr(".;:!?", t[n - 1]) || (n >= 3 && (!strcmp(t + n - 3, "。") ||
	    !strcmp(t + n - 3, "；") || !strcmp(t + n - 3, "：") ||
	    !strcmp(t + n - 3, "！"))))
		return 0;
	for (k = 0; k < sizeof(kw) / sizeof(kw[0]); k++)
		for (h = t; *h; h++)
			if (strncasecmp(h, kw[k], strlen(kw[k])) == 0)
				return 1;
	return n > 6 && strcasecmp(t + n - 6, " terms") == 0 &&
	    !(n > 9 && strncasecmp(t + n - 9, " of terms", 9) == 0);
}

/* Title: a top-level heading; for plain text the first short line that
 * names a document, else the name the opening gives the document, else the
 * first short line. */
static char *
find_title(struct splitter *sp, const char *md, size_t len)
{
	struct clause_list *cl = sp->out;
	size_t i;
	int minlv = 7;

	if (sp->md) {
		size_t p = 0, e, st;
		int lv;
		const char *best = NULL;
		size_t blen = 0;

		while (p < len) {
			const char *nl = memchr(md + p, '\n', len - p);
			e = nl ? (size_t)(nl - md) : len;
			if (md_heading(md + p, e - p, &lv, &st) && st < e - p && lv < minlv) {
				minlv = lv;
				best = md + p + st;
				blen = e - p - st;
				if (lv == 1)
					break;
			}
			p = e + 1;
		}
		if (!best)
			return NULL;
		while (blen > 0 && (isspace((unsigned char)best[blen - 1]) || best[blen - 1] == '#'))
			blen--;
		{
			struct strbuf cb = STRBUF_INIT;
			char *t;

			clean_heading(best, blen, &cb);
			t = heading_label(cb.buf, text_cut(cb.buf, cb.len, TITLE_MAX));
			strbuf_release(&cb);
			return t;
		}
	}
	for (i = 0; i < cl->n && i < 6; i++)
		if (looks_like_title(cl->v[i].text))
			return xstrdup(cl->v[i].text);
	for (i = 0; i < cl->n && i < 6; i++) {
		char *t = self_name(cl->v[i].text);

		if (t)
			return t;
	}
	if (sp->plain_first)
		return xstrdup(sp->plain_first);
	return NULL;
}

/* A heading of level lv, s[0, n) without its marks: one block of its
 * own, numbered when its text starts with a number. */
static void
heading_block(struct splitter *sp, struct block *b, int lv, const char *s,
    size_t n, struct strbuf *tb)
{
	const char *text;
	size_t tlen;

	b->hlevel = lv;
	b->indent = 0;
	clean_heading(s, n, &b->whole);
	if (num_in(b->whole.buf, b->whole.len, &b->tok, &text, &tlen, tb)) {
		b->type = B_NUM;
		strbuf_add(&b->text, text, tlen);
	} else {
		b->type = B_HEAD;
		strbuf_add(&b->text, b->whole.buf, b->whole.len);
	}
	b->nlines = 1;
	flush(sp, b, 0);
}

/* The one-line paragraph in b becomes a heading of level lv. */
static void
setext_heading(struct splitter *sp, struct block *b, int lv, struct strbuf *tb)
{
	struct strbuf line = STRBUF_INIT;

	strbuf_add(&line, b->text.buf, b->text.len);
	strbuf_reset(&b->text);
	strbuf_reset(&b->whole);
	heading_block(sp, b, lv, line.buf, line.len, tb);
	strbuf_release(&line);
}

/* A Markdown heading line (its text from s[i + st]). */
static void
line_heading(struct splitter *sp, struct block *b, const char *s, size_t n,
    size_t i, size_t st, int lv, struct strbuf *tb)
{
	size_t e = n;

	while (e > i + st && (s[e - 1] == '#' || isspace((unsigned char)s[e - 1])))
		e--;
	heading_block(sp, b, lv, s + i + st, e - i - st, tb);
}

/* A bullet or numbered line at s[i] (k bytes of bullet marker, or 0 and a
 * number): starts a block. */
static void
line_item(struct block *b, const char *s, size_t n, size_t i, size_t k,
    struct strbuf *tb)
{
	size_t j = k ? skip_spaces(s, n, i + k) : i, tlen;
	const char *text;
	struct tok tk;
	int isnum = num_in(s + j, n - j, &tk, &text, &tlen, tb);

	b->indent = (int)i;
	b->hlevel = HLEVEL_BODY;
	b->nlines = 1;
	if (isnum) {
		b->type = B_NUM;
		b->tok = tk;
		strbuf_add(&b->text, text, tlen);
	} else {
		b->type = B_BULLET;
		strbuf_add(&b->text, s + j, n - j);
	}
	strbuf_add(&b->whole, s + j, n - j);
}

static void
splitter_init(struct splitter *sp, struct clause_list *out, const char *md,
    size_t len)
{
	memset(sp, 0, sizeof(*sp));
	sp->out = out;
	sp->st[0].type = F_ROOT;
	sp->st[0].label = xstrdup("");
	sp->st[0].nprefix = xstrdup("");
	sp->st[0].base = xstrdup("");
	sp->st[0].clause = SIZE_MAX;
	sp->md = has_md_headings(md, len);
}

/* A line of plain text: it continues the open block, or starts a
 * paragraph. */
static void
line_text(struct splitter *sp, struct block *b, const char *s, size_t n,
    size_t i, size_t lineno, int prev_blank)
{
	if (b->type != B_NONE && !prev_blank) {
		strbuf_addch(&b->text, '\n');
		strbuf_add(&b->text, s + i, n - i);
		b->nlines++;
		return;
	}
	flush(sp, b, 0);
	b->type = B_PARA;
	b->after_blank = prev_blank;
	b->line = lineno;
	b->indent = (int)i;
	b->hlevel = HLEVEL_BODY;
	b->nlines = 1;
	strbuf_add(&b->text, s + i, n - i);
}

/* One line of the input (s[0, n), its line end cut): which block it
 * opens, continues or closes.  Returns whether the next line follows a
 * blank. */
static int
split_line(struct splitter *sp, struct block *b, const char *s, size_t n,
    size_t lineno, int prev_blank, struct strbuf *tb)
{
	size_t i = skip_spaces(s, n, 0), k, st, tlen;
	const char *text;
	int lv, head;
	struct tok tk;

	/* "Title\n=====" and "Title\n-----": a setext heading, one line of
	 * plain text underlined (Open Terms Archive writes these) */
	if ((lv = setext_level(s, n)) && b->type == B_PARA && b->nlines == 1 &&
	    !prev_blank) {
		setext_heading(sp, b, lv, tb);
		return 0;
	}
	if (i == n || is_rule_line(s, n) || web_leftover(s + i, n - i)) {
		flush(sp, b, 1);
		return 1;
	}
	if (s[i] == '>') {	/* blockquote: read as text */
		i = skip_spaces(s, n, i + 1);
		if (i == n)
			return prev_blank;
	}
	/* what starts a new block */
	head = md_heading(s + i, n - i, &lv, &st);
	k = head ? 0 : bullet_marker(s + i, n - i);
	if (head || k > 0 || num_in(s + i, n - i, &tk, &text, &tlen, tb)) {
		flush(sp, b, head);
		b->after_blank = prev_blank;
		b->line = lineno;
		if (head)
			line_heading(sp, b, s, n, i, st, lv, tb);
		else
			line_item(b, s, n, i, k, tb);
	} else {
		line_text(sp, b, s, n, i, lineno, prev_blank);
	}
	return 0;
}

int
clause_split(const char *md, size_t len, struct clause_list *out)
{
	struct splitter sp;
	struct block b;
	struct strbuf tb = STRBUF_INIT;
	size_t pos = 0, lineno = 0;
	int prev_blank = 1;

	memset(out, 0, sizeof(*out));
	if (!md)
		len = 0;
	splitter_init(&sp, out, md, len);
	memset(&b, 0, sizeof(b));
	strbuf_init(&b.text, 0);
	strbuf_init(&b.whole, 0);

	while (pos < len) {
		const char *s = md + pos, *nl = memchr(s, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - s) : len - pos;

		pos += n + (nl != NULL);
		if (n > 0 && s[n - 1] == '\r')
			n--;
		prev_blank = split_line(&sp, &b, s, n, ++lineno, prev_blank, &tb);
	}
	flush(&sp, &b, 1);
	out->title = find_title(&sp, md, len);

	pop_to(&sp, 0);
	frame_clear(&sp.st[0]);
	ls_free(&sp.ls);
	free(sp.plain_first);
	strbuf_release(&b.text);
	strbuf_release(&b.whole);
	strbuf_release(&tb);
	return 0;
}

void
clause_list_free(struct clause_list *cl)
{
	size_t i;

	if (!cl)
		return;
	for (i = 0; i < cl->n; i++) {
		free(cl->v[i].label);
		free(cl->v[i].heading);
		free(cl->v[i].text);
	}
	free(cl->v);
	free(cl->title);
	memset(cl, 0, sizeof(*cl));
}

/* CSS selector -> XPath 1.0 (a recursive-descent parser over one line). */
#include <ctype.h>
#include <string.h>
#include <unistr.h>

#include "css.h"
#include "util.h"

struct cp {
	const char *s;		/* the whole selector, for messages */
	const char *p;
	struct strbuf *out;
	const char *why;
};

static int
isident(unsigned char c)
{
	return isalnum(c) || c == '-' || c == '_' || c >= 0x80 || c == '\\';
}

static void
skipws(struct cp *c)
{
	while (*c->p == ' ' || *c->p == '\t' || *c->p == '\n' ||
	    *c->p == '\r' || *c->p == '\f')
		c->p++;
}

/* An identifier into id (backslash escapes taken literally); lower-case it
 * when lower is set. */
static int
ident(struct cp *c, struct strbuf *id, int lower)
{
	const unsigned char *p = (const unsigned char *)c->p;

	strbuf_reset(id);
	while (isident(*p)) {
		if (*p == '\\') {
			if (!p[1]) {
				c->why = "dangling backslash";
				return -1;
			}
			p++;
		}
		strbuf_addch(id, lower && *p < 0x80 ? tolower(*p) : *p);
		p++;
	}
	c->p = (const char *)p;
	if (!id->len) {
		c->why = "expected a name";
		return -1;
	}
	return 0;
}

/* An XPath string literal for s; concat() when it holds both quotes. */
static void
literal(struct strbuf *out, const char *s)
{
	const char *q;

	if (!strchr(s, '\'')) {
		strbuf_addf(out, "'%s'", s);
		return;
	}
	if (!strchr(s, '"')) {
		strbuf_addf(out, "\"%s\"", s);
		return;
	}
	strbuf_addstr(out, "concat(");
	while ((q = strchr(s, '\'')) != NULL) {
		if (q > s) {
			strbuf_addch(out, '\'');
			strbuf_add(out, s, (size_t)(q - s));
			strbuf_addstr(out, "',");
		}
		strbuf_addstr(out, "\"'\",");
		s = q + 1;
	}
	strbuf_addf(out, "'%s')", s);
}

static void
token_match(struct strbuf *out, const char *attr, const char *v)
{
	strbuf_addf(out, "[contains(concat(' ',normalize-space(@%s),' '),",
	    attr);
	strbuf_addstr(out, "' ");
	/* v holds no space (it is a CSS identifier or was checked). */
	if (strchr(v, '\''))
		strbuf_addstr(out, "x");	/* cannot match a token */
	else
		strbuf_addstr(out, v);
	strbuf_addstr(out, " ')]");
}

/* The operator and value of an attribute selector after its name: op is
 * 0 for a bare [name], else one of = ~ ^ $ * |. */
static int
attr_parse(struct cp *c, char *op, struct strbuf *val)
{
	*op = 0;
	skipws(c);
	if (*c->p == ']') {
		c->p++;
		return 0;
	}
	if (*c->p == '=') {
		*op = '=';
		c->p++;
	} else if (*c->p && strchr("~^$*|", *c->p) && c->p[1] == '=') {
		*op = *c->p;
		c->p += 2;
	} else {
		c->why = "bad attribute operator";
		return -1;
	}
	skipws(c);
	strbuf_reset(val);
	if (*c->p == '"' || *c->p == '\'') {
		char q = *c->p++;

		while (*c->p && *c->p != q) {
			if (*c->p == '\\' && c->p[1])
				c->p++;
			strbuf_addch(val, *c->p++);
		}
		if (*c->p != q) {
			c->why = "unterminated string";
			return -1;
		}
		c->p++;
	} else if (ident(c, val, 0) < 0) {
		c->why = "expected an attribute value";
		return -1;
	}
	skipws(c);
	if (*c->p != ']') {
		c->why = "expected ]";
		return -1;
	}
	c->p++;
	return 0;
}

/* The XPath predicate for [n op val]. */
static void
attr_xpath(struct strbuf *out, char op, const char *n, struct strbuf *val)
{
	switch (op) {
	case 0:
		strbuf_addf(out, "[@%s]", n);
		return;
	case '=':
		strbuf_addf(out, "[@%s=", n);
		literal(out, val->buf);
		strbuf_addch(out, ']');
		return;
	case '~':
		if (!val->len || strpbrk(val->buf, " \t\n\r\f"))
			strbuf_addstr(out, "[false()]");
		else
			token_match(out, n, val->buf);
		return;
	case '|':
		strbuf_addf(out, "[@%s=", n);
		literal(out, val->buf);
		strbuf_addf(out, " or starts-with(@%s,", n);
		strbuf_addstr(val, "-");
		literal(out, val->buf);
		strbuf_addstr(out, ")]");
		return;
	}
	/* CSS: ^= $= *= with an empty value match nothing. */
	if (!val->len) {
		strbuf_addstr(out, "[false()]");
	} else if (op == '^') {
		strbuf_addf(out, "[starts-with(@%s,", n);
		literal(out, val->buf);
		strbuf_addstr(out, ")]");
	} else if (op == '*') {
		strbuf_addf(out, "[contains(@%s,", n);
		literal(out, val->buf);
		strbuf_addstr(out, ")]");
	} else {
		/* XPath counts characters, not bytes */
		size_t chars = u8_mbsnlen((const uint8_t *)val->buf, val->len);

		strbuf_addf(out, "[substring(@%s,string-length(@%s)-%zu)=", n, n,
		    chars - 1);
		literal(out, val->buf);
		strbuf_addch(out, ']');
	}
}

static int
attrsel(struct cp *c, struct strbuf *name, struct strbuf *val)
{
	char op;

	c->p++;	/* [ */
	skipws(c);
	if (ident(c, name, 1) < 0 || attr_parse(c, &op, val) < 0)
		return -1;
	attr_xpath(c->out, op, name->buf, val);
	return 0;
}

/* One compound selector (type, then #id . [ ] :) as one XPath step. */
static int
compound(struct cp *c, struct strbuf *name, struct strbuf *val)
{
	int any = 0;

	if (*c->p == '*') {
		c->p++;
		strbuf_addch(c->out, '*');
		any = 1;
	} else if (isident((unsigned char)*c->p)) {
		if (ident(c, name, 1) < 0)
			return -1;
		strbuf_addstr(c->out, name->buf);
		any = 1;
	} else {
		strbuf_addch(c->out, '*');
	}
	for (;;) {
		if (*c->p == '#') {
			c->p++;
			if (ident(c, name, 0) < 0)
				return -1;
			strbuf_addstr(c->out, "[@id=");
			literal(c->out, name->buf);
			strbuf_addch(c->out, ']');
		} else if (*c->p == '.') {
			c->p++;
			if (ident(c, name, 0) < 0)
				return -1;
			token_match(c->out, "class", name->buf);
		} else if (*c->p == '[') {
			if (attrsel(c, name, val) < 0)
				return -1;
		} else if (*c->p == ':') {
			c->p++;
			if (ident(c, name, 1) < 0)
				return -1;
			if (strcmp(name->buf, "first-child") == 0)
				strbuf_addstr(c->out,
				    "[not(preceding-sibling::*)]");
			else if (strcmp(name->buf, "last-child") == 0)
				strbuf_addstr(c->out,
				    "[not(following-sibling::*)]");
			else {
				c->why = "unsupported pseudo-class";
				return -1;
			}
		} else {
			break;
		}
		any = 1;
	}
	if (!any) {
		c->why = *c->p ? "unexpected character" : "empty selector";
		return -1;
	}
	return 0;
}

int
css_to_xpath(const char *sel, struct strbuf *out)
{
	struct cp c = { sel, sel, out, NULL };
	struct strbuf name = STRBUF_INIT, val = STRBUF_INIT;
	size_t start = out->len;
	int r = -1;

	for (;;) {
		skipws(&c);
		strbuf_addstr(out, "//");
		if (compound(&c, &name, &val) < 0)
			goto cleanup;
		for (;;) {
			const char *before = c.p;

			skipws(&c);
			if (*c.p == '>' || *c.p == '+' || *c.p == '~') {
				char comb = *c.p++;

				skipws(&c);
				if (comb == '>')
					strbuf_addch(out, '/');
				else if (comb == '~')
					strbuf_addstr(out,
					    "/following-sibling::");
				else
					strbuf_addstr(out,
					    "/following-sibling::*[1]/self::");
			} else if (*c.p == ',' || *c.p == '\0') {
				break;
			} else if (c.p != before) {
				strbuf_addstr(out, "//");
			} else {
				c.why = "unexpected character";
				goto cleanup;
			}
			if (compound(&c, &name, &val) < 0)
				goto cleanup;
		}
		if (*c.p == '\0')
			break;
		c.p++;	/* , */
		strbuf_addstr(out, " | ");
	}
	r = 0;
cleanup:
	if (r < 0) {
		strbuf_setlen(out, start);
		util_seterr("bad selector '%s': %s at offset %zu", sel, c.why,
		    (size_t)(c.p - sel));
	}
	strbuf_release(&name);
	strbuf_release(&val);
	return r;
}

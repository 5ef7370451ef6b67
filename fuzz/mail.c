/* libFuzzer target: compare two texts (judge_compare) and compose the
 * teams' mail of the change, with a title, document id and URL taken from
 * the input too (the id when the watchlist would accept it).  The input
 * is TITLE\nOLD\n===\nNEW.  Whatever the page
 * says, the message must keep the header lines of a benign one (no header
 * injected), end every line in CRLF (no bare LF or CR) and keep every line
 * within 998 octets (RFC 5322). */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "judge.h"
#include "mail.h"
#include "normalize.h"
#include "strbuf.h"
#include "util.h"
#include "watchlist.h"

/* The header names of a message, one per line ("From\nTo\n..."). */
static void
header_names(const struct strbuf *eml, struct strbuf *names)
{
	const char *p = eml->buf, *end = strstr(p, "\r\n\r\n"), *c;

	if (!end)
		abort();	/* a message without its blank line */
	while (p < end) {
		const char *nl = strstr(p, "\r\n");

		if (*p != ' ' && *p != '\t') {
			c = memchr(p, ':', (size_t)(nl - p));
			if (!c)
				abort();	/* a header line without a name */
			strbuf_add(names, p, (size_t)(c - p));
			strbuf_addch(names, '\n');
		}
		p = nl + 2;
	}
}

static void
bad(const struct strbuf *eml, size_t i, const char *what)
{
	size_t from = i;

	while (from && eml->buf[from - 1] != '\n')
		from--;
	fprintf(stderr, "%s at offset %zu, in the line: %.*s\n", what, i,
	    (int)(i - from > 300 ? 300 : i - from), eml->buf + from);
	abort();
}

static void
check_lines(const struct strbuf *eml)
{
	size_t i, col = 0;

	for (i = 0; i < eml->len; i++) {
		if (eml->buf[i] == '\r') {
			if (i + 1 >= eml->len || eml->buf[i + 1] != '\n')
				bad(eml, i, "bare CR");
			i++;
			col = 0;
			continue;
		}
		if (eml->buf[i] == '\n')
			bad(eml, i, "bare LF");
		if (++col > 998)
			bad(eml, i, "line over 998 octets");
	}
}

static void
compose(struct strbuf *eml, const char *title, const char *id,
    const char *url, const struct judge_result *j)
{
	static const char *const to[] = { "legal@example.com" };
	struct mail_msg m;

	memset(&m, 0, sizeof(m));
	m.kind = MAIL_CHANGE;
	m.from = "clausewatch@example.com";
	m.to = to;
	m.nto = 1;
	m.team = "legal";
	m.doc_id = id;
	m.title = title;
	m.url = url;
	m.commit = "0123456789abcdef0123456789abcdef01234567";
	m.store = "/srv/store";
	m.material = 1;
	m.deadline_kind = JUDGE_DL_DATE;
	m.deadline = 20000;
	m.judge = j;
	m.date = 1700000000;
	if (mail_compose(eml, &m) < 0)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data, *nl, *sep;
	struct strbuf a, b, eml = STRBUF_INIT, ref = STRBUF_INIT,
	    names = STRBUF_INIT, refnames = STRBUF_INIT;
	struct judge_opts o = { 20000, 0 };
	struct judge_result j, none;
	char *title;

	if (!(nl = memchr(s, '\n', size)) ||
	    !(sep = memmem(nl, size - (size_t)(nl - s), "\n===\n", 5)))
		return 0;
	title = xstrndup(s, (size_t)(nl - s));
	strbuf_init(&a, 1u << 20);
	strbuf_init(&b, 1u << 20);
	/* the title's line end may be the separator's: no old text */
	if (normalize_text(nl + 1, sep > nl ? (size_t)(sep - nl - 1) : 0, &a) < 0 ||
	    normalize_text(sep + 5, size - (size_t)(sep + 5 - s), &b) < 0 ||
	    judge_compare(a.buf, a.len, b.buf, b.len, &o, &j) < 0)
		goto done;
	/* the id as the watchlist lets it through (it names files and
	 * Message-IDs); title and URL as they come */
	compose(&eml, title, watchlist_id_ok(title) ? title : "ex/terms", title, &j);
	check_lines(&eml);
	/* the same message from a benign title and an empty change */
	memset(&none, 0, sizeof(none));
	none.deadline_kind = JUDGE_DL_DATE;
	none.deadline = 20000;
	none.material = 1;
	compose(&ref, "Terms", "ex/terms", "https://example.com/", &none);
	header_names(&eml, &names);
	header_names(&ref, &refnames);
	if (strcmp(names.buf, refnames.buf)) {
		fprintf(stderr, "headers differ:\n%s---\n%s", names.buf,
		    refnames.buf);
		abort();
	}
	judge_result_free(&j);
done:
	strbuf_release(&a);
	strbuf_release(&b);
	strbuf_release(&eml);
	strbuf_release(&ref);
	strbuf_release(&names);
	strbuf_release(&refnames);
	free(title);
	return 0;
}

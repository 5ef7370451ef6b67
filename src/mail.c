/* mail: composition (pure) and one-message SMTP submission with libesmtp. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistr.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <auth-client.h>
#include <libesmtp.h>

#include "date.h"
#include "mail.h"
#include "util.h"

#define HEADER_MAX_CHARS 300	/* titles beyond this are cut with an ellipsis */
#define TEXT_MAX_CHARS 4000	/* one clause's text / redline in a message */
#define MAX_CHANGES 40		/* changes listed in one message */
#define PASSWORD_MAX 4096

static const char *const category_names[JUDGE_C_COUNT] = {
	"data collection", "data types", "purpose", "sharing", "retention",
	"transfer", "user rights", "security", "fees", "liability",
	"termination", "disputes", "license", "restrictions",
	"change procedure", "contact", "scope"
};

/* ---- text cleaning ---------------------------------------------------- */

/* Decode one UTF-8 sequence; length, or 0 when invalid (overlong,
 * surrogate, beyond U+10FFFF, truncated). */
static size_t
utf8_decode(const unsigned char *s, size_t n, unsigned *cp)
{
	ucs4_t c;
	int l = u8_mbtoucr(&c, s, n);

	*cp = c;
	return l > 0 ? (size_t)l : 0;
}

/* Clean outside text. oneline: every control character (CR, LF, TAB, C1,
 * U+2028/2029 included) becomes a space and runs of spaces collapse; else
 * LF is kept and other controls become spaces. Invalid UTF-8 becomes '?'.
 * At most maxchars code points, then an ellipsis. */
static void
clean_text(struct strbuf *out, const char *in, size_t maxchars, int oneline)
{
	const unsigned char *s = (const unsigned char *)(in ? in : "");
	size_t n = strlen((const char *)s), i = 0, chars = 0, start = out->len;
	int space = 1;	/* drop leading spaces */

	while (i < n) {
		unsigned cp;
		size_t l = utf8_decode(s + i, n - i, &cp);

		if (chars >= maxchars) {
			/* cut at the last space when it is close */
			while (out->len > start && out->buf[out->len - 1] == ' ')
				strbuf_setlen(out, out->len - 1);
			strbuf_addstr(out, "\xe2\x80\xa6");
			return;
		}
		if (!l) {
			strbuf_addch(out, '?');
			i++, chars++, space = 0;
			continue;
		}
		if (cp == '\n' && !oneline) {
			while (out->len > start && out->buf[out->len - 1] == ' ')
				strbuf_setlen(out, out->len - 1);
			strbuf_addch(out, '\n');
			space = 1;
		} else if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0) ||
		    cp == 0x2028 || cp == 0x2029 || cp == 0xfeff || cp == ' ' ||
		    cp == 0xa0) {
			if (!space || !oneline)
				strbuf_addch(out, ' ');
			space = 1;
		} else {
			strbuf_add(out, s + i, l);
			space = 0;
		}
		i += l;
		chars++;
	}
	while (out->len > start && out->buf[out->len - 1] == ' ')
		strbuf_setlen(out, out->len - 1);
}

/* ---- encoders --------------------------------------------------------- */

static const char b64chars[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* wrap: 0 for no line breaks, else CRLF every wrap output characters. */
static void
base64_add(struct strbuf *out, const void *data, size_t n, size_t wrap)
{
	const unsigned char *p = data;
	size_t i, col = 0;

	for (i = 0; i < n; i += 3) {
		unsigned v = (unsigned)p[i] << 16;
		char q[4];

		if (i + 1 < n)
			v |= (unsigned)p[i + 1] << 8;
		if (i + 2 < n)
			v |= p[i + 2];
		q[0] = b64chars[(v >> 18) & 63];
		q[1] = b64chars[(v >> 12) & 63];
		q[2] = i + 1 < n ? b64chars[(v >> 6) & 63] : '=';
		q[3] = i + 2 < n ? b64chars[v & 63] : '=';
		strbuf_add(out, q, 4);
		col += 4;
		if (wrap && col >= wrap && i + 3 < n) {
			strbuf_addstr(out, "\r\n");
			col = 0;
		}
	}
	if (wrap)
		strbuf_addstr(out, "\r\n");
}

/* Quoted-printable (RFC 2045) of text with LF line ends; output lines are
 * at most 76 characters and end in CRLF. */
static void
qp_add(struct strbuf *out, const char *text, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t i, col = 0;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)text[i];
		char tok[4];
		size_t tl;
		int eol = (i + 1 == n || text[i + 1] == '\n');

		if (c == '\n') {
			strbuf_addstr(out, "\r\n");
			col = 0;
			continue;
		}
		if ((c >= 33 && c <= 126 && c != '=') ||
		    ((c == ' ' || c == '\t') && !eol)) {
			tok[0] = (char)c;
			tl = 1;
		} else {
			tok[0] = '=';
			tok[1] = hex[c >> 4];
			tok[2] = hex[c & 15];
			tl = 3;
		}
		/* keep room for a soft break "=" unless this ends the line */
		if (col + tl > (eol ? 76 : 75)) {
			strbuf_addstr(out, "=\r\n");
			col = 0;
		}
		strbuf_add(out, tok, tl);
		col += tl;
	}
	if (col)
		strbuf_addstr(out, "\r\n");
}

/* ---- headers ---------------------------------------------------------- */

static int
is_plain_ascii(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s > 0x7e)
			return 0;
	return 1;
}

/* A word that cannot be folded below 78 columns: encode instead. */
static int
long_word(const char *s, size_t max)
{
	size_t run = 0;

	for (; *s; s++)
		if (*s == ' ')
			run = 0;
		else if (++run > max)
			return 1;
	return 0;
}

void
mail_header(struct strbuf *out, const char *name, const char *value)
{
	struct strbuf v = STRBUF_INIT;
	size_t col, i;

	clean_text(&v, value, HEADER_MAX_CHARS, 1);
	strbuf_addf(out, "%s:", name);
	col = strlen(name) + 1;
	if (is_plain_ascii(v.buf) && !strstr(v.buf, "=?") && !long_word(v.buf, 70)) {
		/* fold at spaces, below 78 columns where the words allow */
		const char *p = v.buf;

		while (*p) {
			const char *e = strchr(p, ' ');
			size_t wl = e ? (size_t)(e - p) : strlen(p);

			if (col > strlen(name) + 1 && col + 1 + wl > 78) {
				strbuf_addstr(out, "\r\n");
				col = 0;
			}
			strbuf_addch(out, ' ');
			strbuf_add(out, p, wl);
			col += 1 + wl;
			p += wl;
			if (*p == ' ')
				p++;
		}
	} else {
		/* RFC 2047 B words of at most 45 octets (60 base64 characters,
		 * 72 with the wrapper), never splitting a UTF-8 sequence */
		i = 0;
		while (i < v.len) {
			size_t chunk = 0, max = 45, nl = strlen(name);

			/* the first word shares its line with "Name: " */
			if (!i)
				max = nl < 52 ? 3 * ((64 - nl) / 4) : 3;
			if (max > 45)
				max = 45;

			while (i + chunk < v.len) {
				unsigned cp;
				size_t l = utf8_decode((unsigned char *)v.buf + i + chunk,
				    v.len - i - chunk, &cp);

				if (!l)
					l = 1;
				if (chunk + l > max && chunk)
					break;
				chunk += l;
			}
			if (i)
				strbuf_addstr(out, "\r\n");
			strbuf_addstr(out, " =?UTF-8?B?");
			base64_add(out, v.buf + i, chunk, 0);
			strbuf_addstr(out, "?=");
			i += chunk;
		}
	}
	strbuf_addstr(out, "\r\n");
	strbuf_release(&v);
}

int
mail_address_ok(const char *a)
{
	const char *at;

	if (!a || !*a || strlen(a) > 254)
		return 0;
	if (!(at = strchr(a, '@')) || at == a || !at[1] || strchr(at + 1, '@'))
		return 0;
	for (; *a; a++) {
		unsigned char c = (unsigned char)*a;

		if (c <= 0x20 || c >= 0x7f || strchr("<>()[],;:\"\\", c))
			return 0;
	}
	return 1;
}

static void
address_header(struct strbuf *out, const char *name, const char *const *v, size_t n)
{
	size_t i, col = strlen(name) + 1;

	strbuf_addf(out, "%s:", name);
	for (i = 0; i < n; i++) {
		size_t l = strlen(v[i]) + (i + 1 < n);

		if (i && col + 1 + l > 78) {
			strbuf_addstr(out, "\r\n");
			col = 0;
		}
		strbuf_addf(out, " %s%s", v[i], i + 1 < n ? "," : "");
		col += 1 + l;
	}
	strbuf_addstr(out, "\r\n");
}

/* Message-ID local part: [A-Za-z0-9-] kept, everything else =XX, so the
 * result is a valid dot-atom whatever the web or the config put in. */
static void
msgid_escape(struct strbuf *out, const char *s)
{
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '-')
			strbuf_addch(out, c);
		else
			strbuf_addf(out, "=%02X", c);
	}
}

/* The right-hand side of every Message-ID: the From address's domain, so
 * two installs mailing one list (same document ids, same team names, same
 * dates: the same keys) give different ids, and a list or mail service
 * that drops duplicate ids drops neither. Lower case (a domain's case does
 * not matter, an id's bytes do); made a dot-atom whatever the config holds
 * (mail_address_ok leaves only atext and dots, but dots may be doubled or
 * at an end). */
static void
msgid_domain(struct strbuf *out, const char *from)
{
	const char *p = from ? strrchr(from, '@') : NULL;
	size_t start = out->len;

	for (p = p ? p + 1 : ""; *p; p++) {
		unsigned char c = (unsigned char)*p;

		if (c == '.') {
			if (out->len > start && out->buf[out->len - 1] != '.')
				strbuf_addch(out, '.');
		} else if (c > 0x20 && c < 0x7f && !strchr("<>()[],;:\"\\@", c))
			strbuf_addch(out, c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
	}
	if (out->len > start && out->buf[out->len - 1] == '.')
		strbuf_setlen(out, out->len - 1);
	if (out->len == start)
		strbuf_addstr(out, "clausewatch.invalid");
}

static void
msgid_from_key(struct strbuf *out, const char *key, const char *from)
{
	const char *p = key, *dot;

	/* keep the key's dots as separators, escape each part */
	strbuf_addch(out, '<');
	while ((dot = strchr(p, '.'))) {
		struct strbuf part = STRBUF_INIT;

		strbuf_add(&part, p, (size_t)(dot - p));
		msgid_escape(out, part.buf);
		if (dot[1])
			strbuf_addch(out, '.');
		strbuf_release(&part);
		p = dot + 1;
	}
	msgid_escape(out, p);
	strbuf_addch(out, '@');
	msgid_domain(out, from);
	strbuf_addch(out, '>');
}

/* A msg-id cannot be folded inside. Folding before it only moves the
 * same long token to a line of its own, and "Name:" CRLF SP "<id>" reads
 * back as " <id>" in parsers that keep the folding space (Python's email,
 * hence "Message-ID:  <...>" on screen). So it stays on the name's line,
 * past 78 columns if need be (RFC 5322 2.1.1: SHOULD), and folds only when
 * the 998-octet limit (MUST) forces it. */
static void
msgid_header(struct strbuf *out, const char *name, const char *id)
{
	strbuf_addf(out, "%s:%s%s\r\n", name,
	    strlen(name) + 2 + strlen(id) > 998 ? "\r\n " : " ", id);
}

static void
date_header(struct strbuf *out, time_t t)
{
	static const char *const wd[] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
	static const char *const mo[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
	    "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	struct tm tm;

	gmtime_r(&t, &tm);
	strbuf_addf(out, "Date: %s, %02d %s %04d %02d:%02d:%02d +0000\r\n",
	    wd[tm.tm_wday], tm.tm_mday, mo[tm.tm_mon], tm.tm_year + 1900,
	    tm.tm_hour, tm.tm_min, tm.tm_sec);
}

/* ---- pieces of content ------------------------------------------------ */

static const char *
doc_title(const char *title, const char *id)
{
	return title && *title ? title : id ? id : "(unnamed document)";
}

static int32_t
day_of(time_t t)
{
	return (int32_t)(t >= 0 ? t / 86400 : (t - 86399) / 86400);
}

static void
deadline_phrase(struct strbuf *out, const struct mail_msg *m)
{
	char d[11];

	switch (m->deadline_kind) {
	case JUDGE_DL_DATE:
		date_format(m->deadline, d);
		strbuf_addf(out, "accepted by %s", d);
		break;
	case JUDGE_DL_IMMEDIATE:
		strbuf_addstr(out, "continued use already counts as acceptance");
		break;
	default:
		strbuf_addstr(out, "no acceptance deadline given");
		break;
	}
}

static const char *
change_word(const struct mail_msg *m)
{
	size_t i;

	if (m->material)
		return "Material change";
	if (m->judge) {
		for (i = 0; i < m->judge->n; i++)
			if (!m->judge->v[i].editorial)
				return "Non-material change";
		return "Editorial change";
	}
	return "Non-material change";
}

void
mail_subject(struct strbuf *out, const struct mail_msg *m)
{
	struct strbuf t = STRBUF_INIT;
	char d[11];

	clean_text(&t, doc_title(m->title, m->doc_id), 200, 1);
	switch (m->kind) {
	case MAIL_CHANGE:
		strbuf_addf(out, "%s: %s \xe2\x80\x94 ", change_word(m), t.buf);
		deadline_phrase(out, m);
		break;
	case MAIL_REMINDER:
		if (m->days_left <= 0)
			strbuf_addstr(out, "Reminder: last day");
		else
			strbuf_addf(out, "Reminder: %d day%s left", m->days_left,
			    m->days_left == 1 ? "" : "s");
		strbuf_addf(out, " \xe2\x80\x94 %s: %s \xe2\x80\x94 ", change_word(m), t.buf);
		deadline_phrase(out, m);
		break;
	case MAIL_FAILURE:
		strbuf_addf(out, "Cannot fetch %s", t.buf);
		break;
	case MAIL_RECOVERY:
		strbuf_addf(out, "Fetching again: %s", t.buf);
		break;
	case MAIL_DIGEST:
		date_format(m->day, d);
		strbuf_addf(out, "Changes judged not material for %s \xe2\x80\x94 %s (%zu document%s)",
		    m->team ? m->team : "", d, m->nitems, m->nitems == 1 ? "" : "s");
		break;
	}
	strbuf_release(&t);
}

static uint64_t
fnv1a(uint64_t h, const char *s)
{
	for (; s && *s; s++) {
		h ^= (unsigned char)*s;
		h *= 0x100000001b3ULL;
	}
	return h;
}

int
mail_key(struct strbuf *out, const struct mail_msg *m)
{
	char d[11];
	uint64_t h = 0xcbf29ce484222325ULL;
	size_t i;

	if (m->key) {
		strbuf_addstr(out, m->key);
		return 0;
	}
	if (!m->team || (m->kind != MAIL_DIGEST && !m->doc_id)) {
		util_seterr("mail: team and document id are required");
		return -1;
	}
	switch (m->kind) {
	case MAIL_CHANGE:
	case MAIL_REMINDER:
		if (!m->commit) {
			util_seterr("mail %s: commit id is required", m->doc_id);
			return -1;
		}
		strbuf_addf(out, "%s.%s.%s", m->kind == MAIL_CHANGE ? "change" :
		    "reminder", m->commit, m->team);
		if (m->kind == MAIL_REMINDER)
			strbuf_addf(out, ".%d", m->days_left);
		break;
	case MAIL_FAILURE:
	case MAIL_RECOVERY:
		date_format(day_of(m->date), d);
		strbuf_addf(out, "%s.%s.%s.%s", m->kind == MAIL_FAILURE ? "failure" :
		    "recovery", m->doc_id, m->team, d);
		break;
	case MAIL_DIGEST:
		for (i = 0; i < m->nitems; i++) {
			h = fnv1a(h, m->items[i].commit);
			h = fnv1a(h, "\n");
		}
		date_format(m->day, d);
		strbuf_addf(out, "digest.%s.%s.%016llx", m->team, d,
		    (unsigned long long)h);
		break;
	}
	return 0;
}

/* A word safe in a POSIX shell without quotes, else single-quoted. */
static void
shell_word(struct strbuf *out, const char *s)
{
	const char *p;

	for (p = s; *p; p++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
		    "0123456789/._-+:,=@%", *p))
			break;
	if (*s && !*p) {
		strbuf_addstr(out, s);
		return;
	}
	strbuf_addch(out, '\'');
	for (p = s; *p; p++) {
		if (*p == '\'')
			strbuf_addstr(out, "'\\''");
		else
			strbuf_addch(out, *p);
	}
	strbuf_addch(out, '\'');
}

static void
html_escape(struct strbuf *out, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		switch (s[i]) {
		case '<': strbuf_addstr(out, "&lt;"); break;
		case '>': strbuf_addstr(out, "&gt;"); break;
		case '&': strbuf_addstr(out, "&amp;"); break;
		case '"': strbuf_addstr(out, "&quot;"); break;
		case '\'': strbuf_addstr(out, "&#39;"); break;
		default: strbuf_addch(out, s[i]); break;
		}
	}
}

static void
html_text(struct strbuf *out, const char *s)
{
	html_escape(out, s, strlen(s));
}

/* Text and HTML are written side by side. */
struct body {
	struct strbuf text, html;
};

/* A paragraph: label (ours) and outside text (cleaned). */
static void
para(struct body *b, const char *label, const char *value, size_t max)
{
	struct strbuf v = STRBUF_INIT;

	/* one paragraph is one line: line breaks from outside text go */
	clean_text(&v, value, max, 1);
	if (label)
		strbuf_addf(&b->text, "%s: ", label);
	strbuf_addf(&b->text, "%s\n\n", v.buf);
	strbuf_addstr(&b->html, "<p style=\"margin:0 0 12px 0\">");
	if (label) {
		strbuf_addstr(&b->html, "<b>");
		html_text(&b->html, label);
		strbuf_addstr(&b->html, ":</b> ");
	}
	html_text(&b->html, v.buf);
	strbuf_addstr(&b->html, "</p>\n");
	strbuf_release(&v);
}

#define DEL_STYLE "background-color:#ffe0e0;color:#a00000;text-decoration:line-through"
#define INS_STYLE "background-color:#ddf4dd;color:#006000;text-decoration:underline"

/* "[-old-]{+new+}" marks to <del>/<ins> in HTML, kept as is in text. */
static void
redline(struct body *b, const char *marked)
{
	struct strbuf v = STRBUF_INIT;
	const char *p, *e;

	clean_text(&v, marked, TEXT_MAX_CHARS, 0);
	strbuf_addf(&b->text, "%s\n\n", v.buf);
	strbuf_addstr(&b->html, "<div style=\"margin:0 0 12px 0;padding:6px 10px;"
	    "border-left:3px solid #999999;font-family:Georgia,serif;"
	    "white-space:pre-wrap\">");
	p = v.buf;
	while (*p) {
		const char *d = strstr(p, "[-"), *a = strstr(p, "{+"), *m;
		int is_del;

		m = d && (!a || d < a) ? d : a;
		if (!m) {
			html_text(&b->html, p);
			break;
		}
		is_del = (m == d);
		e = strstr(m + 2, is_del ? "-]" : "+}");
		if (!e) {
			html_text(&b->html, p);
			break;
		}
		html_escape(&b->html, p, (size_t)(m - p));
		strbuf_addstr(&b->html, is_del ? "<del style=\"" DEL_STYLE "\">" :
		    "<ins style=\"" INS_STYLE "\">");
		html_escape(&b->html, m + 2, (size_t)(e - m - 2));
		strbuf_addstr(&b->html, is_del ? "</del>" : "</ins>");
		p = e + 2;
	}
	strbuf_addstr(&b->html, "</div>\n");
	strbuf_release(&v);
}

static void
categories(struct strbuf *out, unsigned cats)
{
	int c, first = 1;

	for (c = 0; c < JUDGE_C_COUNT; c++)
		if (cats & (1u << c)) {
			strbuf_addf(out, "%s%s", first ? "" : ", ", category_names[c]);
			first = 0;
		}
}

static void
changes(struct body *b, const struct judge_result *j, int only_editorial)
{
	size_t i, shown = 0;

	for (i = 0; i < j->n; i++) {
		const struct judge_change *c = &j->v[i];
		struct strbuf head = STRBUF_INIT, lab = STRBUF_INIT;

		if (shown == MAX_CHANGES) {
			strbuf_addf(&b->text, "(%zu more changes: see the commands below)\n\n",
			    j->n - i);
			strbuf_addf(&b->html, "<p>(%zu more changes: see the commands below)</p>\n",
			    j->n - i);
			break;
		}
		shown++;
		clean_text(&lab, c->clause ? c->clause : "(no label)", 120, 1);
		strbuf_addf(&head, "Clause %s \xe2\x80\x94 %s, %s", lab.buf,
		    judge_kind_name(c->kind), c->editorial ? "editorial" :
		    c->material ? "material" : "substantive, not material");
		if (c->categories) {
			strbuf_addstr(&head, " (");
			categories(&head, c->categories);
			strbuf_addch(&head, ')');
		}
		strbuf_addf(&b->text, "%s\n", head.buf);
		strbuf_addstr(&b->html, "<h3 style=\"font-size:15px;margin:16px 0 6px 0\">");
		html_text(&b->html, head.buf);
		strbuf_addstr(&b->html, "</h3>\n");
		if (c->reason && !only_editorial)
			para(b, "Why", c->reason, 1000);
		if (c->redline)
			redline(b, c->redline);
		else if (c->new_text)
			redline(b, c->new_text);
		else if (c->old_text)
			redline(b, c->old_text);
		strbuf_release(&head);
		strbuf_release(&lab);
	}
}

static void
commands(struct body *b, const char *store, const char *id, const char *commit)
{
	struct strbuf c1 = STRBUF_INIT, c2 = STRBUF_INIT, v = STRBUF_INIT;

	if (!commit || !id)
		return;
	clean_text(&v, commit, 64, 1);
	strbuf_addstr(&c1, "git -C ");
	shell_word(&c1, store ? store : "store");
	strbuf_addstr(&c1, " show ");
	shell_word(&c1, v.buf);
	strbuf_addstr(&c2, "clausewatch diff ");
	shell_word(&c2, id);
	strbuf_addch(&c2, ' ');
	shell_word(&c2, v.buf);
	strbuf_addf(&b->text, "Commit: %s\nSee the change:\n  %s\n  %s\n\n", v.buf,
	    c1.buf, c2.buf);
	strbuf_addstr(&b->html, "<p style=\"margin:0 0 12px 0\"><b>Commit:</b> <code>");
	html_text(&b->html, v.buf);
	strbuf_addstr(&b->html, "</code><br>See the change:</p>\n<pre style=\""
	    "margin:0 0 12px 0;padding:6px 10px;background-color:#f4f4f4\">");
	html_text(&b->html, c1.buf);
	strbuf_addch(&b->html, '\n');
	html_text(&b->html, c2.buf);
	strbuf_addstr(&b->html, "</pre>\n");
	strbuf_release(&c1);
	strbuf_release(&c2);
	strbuf_release(&v);
}

static void
doc_lines(struct body *b, const char *id, const char *title, const char *url)
{
	struct strbuf t = STRBUF_INIT;

	clean_text(&t, doc_title(title, id), 300, 1);
	strbuf_addf(&t, " (%s)", id ? id : "?");
	para(b, "Document", t.buf, 400);
	if (url)
		para(b, "URL", url, 2000);
	strbuf_release(&t);
}

static void
what_to_do(struct body *b, const struct mail_msg *m)
{
	struct strbuf s = STRBUF_INIT;
	char d[11];
	int32_t left;

	if (m->kind == MAIL_REMINDER)
		strbuf_addf(&s, "Reminder, %d day%s left. ", m->days_left,
		    m->days_left == 1 ? "" : "s");
	if (!m->material) {
		strbuf_addstr(&s, "No action needed: this change is not material");
		if (m->judge && m->judge->basis)
			strbuf_addf(&s, " (judged by the %s definition)",
			    strcmp(m->judge->basis, "own-definition") == 0 ?
			    "document's own" : "default");
		strbuf_addstr(&s, ".");
	} else if (m->deadline_kind == JUDGE_DL_DATE) {
		date_format(m->deadline, d);
		left = m->deadline - day_of(m->date);
		strbuf_addf(&s, "Review this material change and object before %s "
		    "if you do not accept it: from that date the new terms count "
		    "as accepted (%ld day%s from the date of this message).", d,
		    (long)left, left == 1 ? "" : "s");
	} else if (m->deadline_kind == JUDGE_DL_IMMEDIATE) {
		strbuf_addstr(&s, "Review this material change now: continued use "
		    "of the service already counts as acceptance.");
	} else {
		strbuf_addstr(&s, "Review this material change: the document gives "
		    "no acceptance deadline.");
	}
	para(b, "What to do", s.buf, 2000);
	strbuf_release(&s);
	if (m->judge && m->judge->material_reason)
		para(b, "Why it is material (the document's own words)",
		    m->judge->material_reason, 2000);
	if (m->judge && m->judge->objection)
		para(b, "How to object", m->judge->objection, 2000);
}

static void
build_body(struct body *b, const struct mail_msg *m)
{
	struct strbuf s = STRBUF_INIT;
	size_t i;
	char d[11];

	strbuf_addstr(&b->html, "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">"
	    "</head>\n<body style=\"font-family:Arial,Helvetica,sans-serif;"
	    "font-size:14px;line-height:1.4;color:#222222\">\n");
	switch (m->kind) {
	case MAIL_CHANGE:
	case MAIL_REMINDER:
		what_to_do(b, m);
		doc_lines(b, m->doc_id, m->title, m->url);
		commands(b, m->store, m->doc_id, m->commit);
		if (m->judge && m->judge->n) {
			strbuf_addstr(&b->text, "Changes (deletions [-like this-], "
			    "additions {+like this+}):\n\n");
			strbuf_addstr(&b->html, "<h2 style=\"font-size:16px\">Changes</h2>\n");
			changes(b, m->judge, 0);
		}
		break;
	case MAIL_FAILURE:
		strbuf_addstr(&s, "Check the document's address: clausewatch could "
		    "not fetch it in its last runs, so changes to it are not seen.");
		para(b, "What to do", s.buf, 1000);
		if (m->failure)
			para(b, "Last error", m->failure, 2000);
		doc_lines(b, m->doc_id, m->title, m->url);
		break;
	case MAIL_RECOVERY:
		para(b, "What to do", "Nothing: the document is fetched again.", 1000);
		if (m->failure)
			para(b, "Note", m->failure, 2000);
		doc_lines(b, m->doc_id, m->title, m->url);
		break;
	case MAIL_DIGEST:
		date_format(m->day, d);
		/* every change whose Material trailer is not "yes": editorial
		 * ones and substantive ones judged not material alike, so
		 * the wording claims no more than that (each change's own
		 * heading says which it is) */
		strbuf_addf(&s, "No action needed: these changes of %s were judged "
		    "not material.", d);
		para(b, "What to do", s.buf, 1000);
		for (i = 0; i < m->nitems; i++) {
			const struct mail_digest_item *it = &m->items[i];

			strbuf_addstr(&b->text, "----\n");
			strbuf_addstr(&b->html, "<hr>\n");
			doc_lines(b, it->doc_id, it->title, it->url);
			commands(b, m->store, it->doc_id, it->commit);
			if (it->judge)
				changes(b, it->judge, 1);
		}
		break;
	}
	strbuf_reset(&s);
	strbuf_addf(&s, "clausewatch, for team %s. Automatic message.",
	    m->team ? m->team : "?");
	strbuf_addstr(&b->text, "-- \n");
	para(b, NULL, s.buf, 400);
	strbuf_addstr(&b->html, "</body></html>\n");
	strbuf_release(&s);
}

/* ---- iCalendar -------------------------------------------------------- */

/* Append one content line, folded at 75 octets (RFC 5545 3.1) without
 * splitting a UTF-8 sequence, CRLF terminated. */
static void
ics_line(struct strbuf *out, const char *line)
{
	size_t n = strlen(line), i = 0, col = 0;

	while (i < n) {
		size_t l = 1;
		unsigned cp;

		if ((unsigned char)line[i] >= 0x80 &&
		    !(l = utf8_decode((const unsigned char *)line + i, n - i, &cp)))
			l = 1;
		if (col + l > 75) {
			strbuf_addstr(out, "\r\n ");
			col = 1;
		}
		strbuf_add(out, line + i, l);
		col += l;
		i += l;
	}
	strbuf_addstr(out, "\r\n");
}

/* TEXT value escaping (RFC 5545 3.3.11). */
static void
ics_text(struct strbuf *out, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '\\': strbuf_addstr(out, "\\\\"); break;
		case ';': strbuf_addstr(out, "\\;"); break;
		case ',': strbuf_addstr(out, "\\,"); break;
		case '\n': strbuf_addstr(out, "\\n"); break;
		default: strbuf_addch(out, *s); break;
		}
	}
}

static void
build_ics(struct strbuf *out, const struct mail_msg *m)
{
	struct strbuf l = STRBUF_INIT, t = STRBUF_INIT;
	char d[21];
	int y, mo, dd;
	struct tm tm;

	ics_line(out, "BEGIN:VCALENDAR");
	ics_line(out, "VERSION:2.0");
	ics_line(out, "PRODID:-//clausewatch//clausewatch//EN");
	ics_line(out, "CALSCALE:GREGORIAN");
	ics_line(out, "METHOD:PUBLISH");
	ics_line(out, "BEGIN:VEVENT");
	/* the same UID for the change and its reminders: calendars update the
	 * one event instead of adding another */
	strbuf_addstr(&l, "UID:deadline.");
	msgid_escape(&l, m->doc_id);
	strbuf_addch(&l, '.');
	msgid_escape(&l, m->commit ? m->commit : "none");
	strbuf_addstr(&l, "@clausewatch");
	ics_line(out, l.buf);
	gmtime_r(&m->date, &tm);
	strbuf_reset(&l);
	strbuf_addf(&l, "DTSTAMP:%04d%02d%02dT%02d%02d%02dZ", tm.tm_year + 1900,
	    tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
	ics_line(out, l.buf);
	date_to_ymd(m->deadline, &y, &mo, &dd);
	strbuf_reset(&l);
	strbuf_addf(&l, "DTSTART;VALUE=DATE:%04d%02d%02d", y, mo, dd);
	ics_line(out, l.buf);
	date_to_ymd(m->deadline + 1, &y, &mo, &dd);
	strbuf_reset(&l);
	strbuf_addf(&l, "DTEND;VALUE=DATE:%04d%02d%02d", y, mo, dd);
	ics_line(out, l.buf);
	clean_text(&t, doc_title(m->title, m->doc_id), 200, 1);
	strbuf_reset(&l);
	strbuf_addstr(&l, "SUMMARY:");
	ics_text(&l, "Changes to ");
	ics_text(&l, t.buf);
	ics_text(&l, " count as accepted");
	ics_line(out, l.buf);
	strbuf_reset(&l);
	strbuf_reset(&t);
	date_format(m->deadline, d);
	strbuf_addf(&t, "%s: from %s the changed terms count as accepted. ",
	    change_word(m), d);
	if (m->commit)
		strbuf_addf(&t, "clausewatch diff %s %s", m->doc_id, m->commit);
	strbuf_addstr(&l, "DESCRIPTION:");
	ics_text(&l, t.buf);
	ics_line(out, l.buf);
	if (m->url) {
		strbuf_reset(&t);
		clean_text(&t, m->url, 2000, 1);
		strbuf_reset(&l);
		/* URL is a URI value, not TEXT: drop what a URI cannot hold */
		strbuf_addstr(&l, "URL:");
		for (const char *p = t.buf; *p; p++)
			if ((unsigned char)*p > 0x20 && *p != '"' && *p != '\\')
				strbuf_addch(&l, *p);
		ics_line(out, l.buf);
	}
	ics_line(out, "TRANSP:TRANSPARENT");
	ics_line(out, "END:VEVENT");
	ics_line(out, "END:VCALENDAR");
	strbuf_release(&l);
	strbuf_release(&t);
}

/* ---- the message ------------------------------------------------------ */

static void
boundary(char out[64], const char *key, const char *what)
{
	uint64_t h = fnv1a(fnv1a(0xcbf29ce484222325ULL, key), what);

	/* "=_" cannot occur in quoted-printable or base64 output */
	snprintf(out, 64, "=_cw_%s_%016llx", what, (unsigned long long)h);
}

int
mail_compose(struct strbuf *out, const struct mail_msg *m)
{
	struct strbuf key = STRBUF_INIT, subj = STRBUF_INIT, ics = STRBUF_INIT;
	struct body b = { STRBUF_INIT, STRBUF_INIT };
	char balt[64], bmix[64];
	int dated, ret = -1;
	size_t i;

	if (!m->from || !mail_address_ok(m->from)) {
		util_seterr("mail: bad or missing From address");
		goto cleanup;
	}
	if (!m->nto) {
		util_seterr("mail: no recipients for team %s", m->team ? m->team : "?");
		goto cleanup;
	}
	for (i = 0; i < m->nto; i++)
		if (!mail_address_ok(m->to[i])) {
			util_seterr("mail: bad recipient address for team %s",
			    m->team ? m->team : "?");
			goto cleanup;
		}
	if (mail_key(&key, m) < 0)
		goto cleanup;
	dated = (m->kind == MAIL_CHANGE || m->kind == MAIL_REMINDER) &&
	    m->deadline_kind == JUDGE_DL_DATE && m->deadline != DATE_NONE;
	boundary(balt, key.buf, "alt");
	boundary(bmix, key.buf, "mix");

	strbuf_addstr(out, "From: ");
	strbuf_addf(out, "clausewatch <%s>\r\n", m->from);
	address_header(out, "To", m->to, m->nto);
	mail_subject(&subj, m);
	mail_header(out, "Subject", subj.buf);
	date_header(out, m->date);
	{
		struct strbuf id = STRBUF_INIT;

		msgid_from_key(&id, key.buf, m->from);
		msgid_header(out, "Message-ID", id.buf);
		strbuf_release(&id);
	}
	if (m->kind != MAIL_DIGEST) {
		/* the thread root is never sent: every message about the
		 * document answers it, so clients group them */
		struct strbuf root = STRBUF_INIT;

		strbuf_addstr(&root, "<doc.");
		msgid_escape(&root, m->doc_id);
		strbuf_addch(&root, '@');
		msgid_domain(&root, m->from);
		strbuf_addch(&root, '>');
		msgid_header(out, "In-Reply-To", root.buf);
		msgid_header(out, "References", root.buf);
		strbuf_release(&root);
	}
	strbuf_addstr(out, "MIME-Version: 1.0\r\n"
	    "Auto-Submitted: auto-generated\r\n"
	    "X-Auto-Response-Suppress: All\r\n");

	build_body(&b, m);
	if (dated) {
		strbuf_addf(out, "Content-Type: multipart/mixed;\r\n boundary=\"%s\"\r\n\r\n"
		    "This is a MIME message.\r\n\r\n--%s\r\n", bmix, bmix);
	}
	strbuf_addf(out, "Content-Type: multipart/alternative;\r\n boundary=\"%s\"\r\n\r\n",
	    balt);
	if (!dated)
		strbuf_addstr(out, "This is a MIME message.\r\n\r\n");
	strbuf_addf(out, "--%s\r\nContent-Type: text/plain; charset=UTF-8\r\n"
	    "Content-Transfer-Encoding: quoted-printable\r\n\r\n", balt);
	qp_add(out, b.text.buf, b.text.len);
	strbuf_addf(out, "\r\n--%s\r\nContent-Type: text/html; charset=UTF-8\r\n"
	    "Content-Transfer-Encoding: quoted-printable\r\n\r\n", balt);
	qp_add(out, b.html.buf, b.html.len);
	strbuf_addf(out, "\r\n--%s--\r\n", balt);
	if (dated) {
		build_ics(&ics, m);
		strbuf_addf(out, "\r\n--%s\r\nContent-Type: text/calendar; charset=UTF-8;"
		    " method=PUBLISH; name=\"deadline.ics\"\r\n"
		    "Content-Disposition: attachment; filename=\"deadline.ics\"\r\n"
		    "Content-Transfer-Encoding: base64\r\n\r\n", bmix);
		base64_add(out, ics.buf, ics.len, 76);
		strbuf_addf(out, "\r\n--%s--\r\n", bmix);
	}
	ret = 0;
cleanup:
	strbuf_release(&key);
	strbuf_release(&subj);
	strbuf_release(&ics);
	strbuf_release(&b.text);
	strbuf_release(&b.html);
	return ret;
}

/* ---- configuration ---------------------------------------------------- */

int
mail_check_config(const struct watchlist_smtp *s, struct strbuf *errors)
{
	size_t before = errors->len;

	if (!s->host)
		return 0;
	if (s->port == 465)
		strbuf_addstr(errors, "smtp: port 465 is implicit TLS (SMTPS), which "
		    "libesmtp does not support: use security = starttls on port 587\n");
	if (s->port < 0 || s->port > 65535)
		strbuf_addf(errors, "smtp: port %d is out of range\n", s->port);
	if (s->user && s->security != WL_SEC_STARTTLS)
		strbuf_addstr(errors, "smtp: a user is set but security is not "
		    "starttls: the password would cross the network in clear\n");
	if (s->password_file && access(s->password_file, R_OK) < 0)
		strbuf_addf(errors, "smtp: password-file %s: %s\n", s->password_file,
		    strerror(errno));
	if (s->cafile && access(s->cafile, R_OK) < 0)
		strbuf_addf(errors, "smtp: cafile %s: %s\n", s->cafile, strerror(errno));
	if (s->cafile && s->security != WL_SEC_STARTTLS)
		strbuf_addstr(errors, "smtp: cafile is set but security is not starttls\n");
	if (s->timeout < 0)
		strbuf_addf(errors, "smtp: timeout %d is negative\n", s->timeout);
	return errors->len > before ? -1 : 0;
}

/* ---- sending ---------------------------------------------------------- */

struct send_ctx {
	const char *msg;
	size_t len;
	int done;
	char *user, *pass;
	char tlserr[256];
	/* AUTH outcome, seen through the protocol monitor: libesmtp has no
	 * event for it, and after a refusal (535) of every mechanism it goes
	 * on with MAIL FROM unauthenticated ("the MTA is required to accept
	 * mail for its own domain"), so the reply we get is a 530 to MAIL or
	 * even a delivery, never the 535 itself. */
	int in_auth, auth_tried, auth_ok;
	char autherr[256];	/* last refusal, e.g. "535 5.7.8 ..." */
	char rline[256];	/* reply line being assembled during AUTH */
	size_t rlen;
};

static const char *
message_cb(void **ctx, int *len, void *arg)
{
	struct send_ctx *c = arg;

	(void)ctx;
	if (!len) {		/* rewind */
		c->done = 0;
		return NULL;
	}
	if (c->done) {
		*len = 0;
		return NULL;
	}
	c->done = 1;
	*len = (int)c->len;
	return c->msg;
}

static int
interact_cb(auth_client_request_t req, char **result, int fields, void *arg)
{
	struct send_ctx *c = arg;
	int i;

	for (i = 0; i < fields; i++) {
		if (req[i].flags & AUTH_USER)
			result[i] = c->user;
		else if (req[i].flags & AUTH_PASS)
			result[i] = c->pass;
		else
			return 0;
	}
	return 1;
}

/* Watches AUTH replies. Of what we write only the verb is looked at
 * (the rest of an AUTH line carries credentials and is never copied). */
static void
monitor_cb(const char *buf, int len, int writing, void *arg)
{
	struct send_ctx *c = arg;
	int i;

	if (writing) {
		if (len >= 5 && !strncasecmp(buf, "AUTH ", 5)) {
			c->in_auth = c->auth_tried = 1;
			c->rlen = 0;
		}
		return;
	}
	for (i = 0; c->in_auth && i < len; i++) {
		unsigned char ch = (unsigned char)buf[i];
		char *r = c->rline;

		if (ch != '\n') {
			if (ch != '\r' && c->rlen < sizeof(c->rline) - 1)
				r[c->rlen++] = ch < 0x20 || ch == 0x7f ? '?' : (char)ch;
			continue;
		}
		r[c->rlen] = '\0';
		c->rlen = 0;
		/* a final reply: three digits, then a space or nothing
		 * ("NNN-" continues, 3xx is a challenge) */
		if (strlen(r) < 3 || r[0] < '2' || r[0] > '5' || r[0] == '3' ||
		    r[1] < '0' || r[1] > '9' || r[2] < '0' || r[2] > '9' ||
		    (r[3] && r[3] != ' '))
			continue;
		c->in_auth = 0;
		if (r[0] == '2') {
			c->auth_ok = 1;
			c->autherr[0] = '\0';
		} else
			snprintf(c->autherr, sizeof(c->autherr), "%s", r);
	}
}

static char tls_verify_error[256];

/* Remember why OpenSSL refused the certificate, for the message. */
static int
verify_cb(int ok, X509_STORE_CTX *x)
{
	if (!ok && !tls_verify_error[0])
		snprintf(tls_verify_error, sizeof(tls_verify_error), "%s",
		    X509_verify_cert_error_string(X509_STORE_CTX_get_error(x)));
	return ok;
}

/* Every TLS question libesmtp asks is answered "do not accept", except the
 * host-name check when OpenSSL has already verified the name (libesmtp's
 * own check knows no IP addresses). */
static void
event_cb(smtp_session_t session, int event, void *arg, ...)
{
	struct send_ctx *c = arg;
	va_list ap;
	int *ok;
	long vr;
	SSL *ssl;

	(void)session;
	va_start(ap, arg);
	switch (event) {
	case SMTP_EV_INVALID_PEER_CERTIFICATE:
		vr = va_arg(ap, long);
		ok = va_arg(ap, int *);
		*ok = 0;
		snprintf(c->tlserr, sizeof(c->tlserr), "server certificate not trusted: %s",
		    X509_verify_cert_error_string(vr));
		break;
	case SMTP_EV_NO_PEER_CERTIFICATE:
		ok = va_arg(ap, int *);
		*ok = 0;
		snprintf(c->tlserr, sizeof(c->tlserr), "server sent no certificate");
		break;
	case SMTP_EV_WRONG_PEER_CERTIFICATE:
		ok = va_arg(ap, int *);
		(void)va_arg(ap, char *);
		ssl = va_arg(ap, SSL *);
		*ok = ssl && SSL_get_verify_result(ssl) == X509_V_OK &&
		    SSL_get0_peername(ssl) != NULL;
		if (!*ok)
			snprintf(c->tlserr, sizeof(c->tlserr),
			    "server certificate does not name the host");
		break;
	case SMTP_EV_WEAK_CIPHER:
		(void)va_arg(ap, int);
		ok = va_arg(ap, int *);
		*ok = 0;
		snprintf(c->tlserr, sizeof(c->tlserr), "weak TLS cipher");
		break;
	case SMTP_EV_NO_CLIENT_CERTIFICATE:
		ok = va_arg(ap, int *);
		*ok = 0;
		break;
	default:
		break;
	}
	va_end(ap);
}

static SSL_CTX *
tls_context(const struct watchlist_smtp *s)
{
	SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
	X509_VERIFY_PARAM *param;

	if (!ctx) {
		util_seterr("smtp: cannot create a TLS context");
		return NULL;
	}
	SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
	/* At most TLS 1.2. A TLS 1.3 server sends NewSessionTicket records
	 * after the handshake (a client cannot refuse them: SSL_OP_NO_TICKET
	 * does not help). libesmtp 1.1.0 reads with SSL_read() on a
	 * non-blocking socket and, on SSL_ERROR_WANT_READ, poll()s the socket
	 * (siobuf.c raw_read/sio_sslpoll; it checks SSL_pending(), not
	 * SSL_has_pending()). When the ticket and the EHLO reply arrive
	 * together, the reply is already in OpenSSL's buffer (inferred): poll()
	 * sees nothing and the read waits for the full timeout. Traced with the
	 * protocol monitor: "C: EHLO", 30 s, "C: QUIT", then the whole EHLO
	 * reply. Under load, uncapped: 9 of 10 runs of test_ledger failed that
	 * way; with the sink sending no tickets (num_tickets = 0), TLS 1.3
	 * passed 6 of 6. Not our timeouts: smtp_set_timeout() takes
	 * milliseconds (libesmtp's minimum is 1000L, "one second"; its RFC
	 * defaults are 5 * 60 * 1000; siobuf passes the value to poll() as
	 * ms), and a 10000 ms setting measured 10 s. TLS 1.2 with
	 * verification is what submission servers offer anyway. */
	SSL_CTX_set_max_proto_version(ctx, TLS1_2_VERSION);
	if (SSL_CTX_set_default_verify_paths(ctx) != 1 ||
	    (s->cafile && SSL_CTX_load_verify_locations(ctx, s->cafile, NULL) != 1)) {
		util_seterr("smtp: cannot load trust anchors%s%s", s->cafile ?
		    " from " : "", s->cafile ? s->cafile : "");
		SSL_CTX_free(ctx);
		return NULL;
	}
	/* verification on: the handshake fails on an untrusted chain or a
	 * certificate for another name, before any SMTP command is sent */
	SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, verify_cb);
	param = SSL_CTX_get0_param(ctx);
	X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
	if (X509_VERIFY_PARAM_set1_ip_asc(param, s->host) != 1 &&
	    X509_VERIFY_PARAM_set1_host(param, s->host, 0) != 1) {
		util_seterr("smtp: bad host name %s", s->host);
		SSL_CTX_free(ctx);
		return NULL;
	}
	return ctx;
}

static int
read_password(const struct watchlist_smtp *s, char **out)
{
	struct strbuf pw = STRBUF_INIT;
	const char *env = s->password_env ? s->password_env : "CLAUSEWATCH_SMTP_PASSWORD";
	char *nl;

	if (s->password_file) {
		if (util_read_file(s->password_file, PASSWORD_MAX, &pw) < 0) {
			strbuf_release(&pw);
			return -1;
		}
		if ((nl = strpbrk(pw.buf, "\r\n")))
			strbuf_setlen(&pw, (size_t)(nl - pw.buf));
		*out = strbuf_detach(&pw, NULL);
		return 0;
	}
	if (!getenv(env)) {
		util_seterr("smtp: user %s needs a password: set %s or password-file",
		    s->user, env);
		return -1;
	}
	*out = xstrdup(getenv(env));
	return 0;
}

struct rcpt_tally {
	size_t ok, bad, perm;	/* perm: refused with a 5xx */
	struct strbuf *resp;
};

static void
rcpt_cb(smtp_recipient_t r, const char *mailbox, void *arg)
{
	struct rcpt_tally *t = arg;
	const smtp_status_t *st = smtp_recipient_status(r);

	if (st && st->code >= 200 && st->code < 300)
		t->ok++;
	else {
		t->bad++;
		if (!st || !st->code)
			return;	/* never asked: the session failed earlier */
		if (st->code >= 500 && st->code < 600)
			t->perm++;
		if (t->resp->len)
			strbuf_addstr(t->resp, "; ");
		strbuf_addf(t->resp, "%s: %d %s", mailbox, st ? st->code : 0,
		    st && st->text ? st->text : "");
	}
}

int
mail_send(const struct watchlist_smtp *s, const char *from,
    const char *const *to, size_t nto, const char *msg, size_t len,
    struct strbuf *response, int *connect_failed)
{
	struct send_ctx c;
	smtp_session_t session = NULL;
	smtp_message_t message;
	auth_context_t auth = NULL;
	SSL_CTX *ctx = NULL;
	struct strbuf hp = STRBUF_INIT, errs = STRBUF_INIT;
	struct rcpt_tally tally = { 0, 0, 0, response };
	const smtp_status_t *st;
	char ebuf[256];
	int ret = -1, port, ok;
	long ms;
	size_t i;

	memset(&c, 0, sizeof(c));
	c.msg = msg;
	c.len = len;
	/* until the session runs, a failure is the configuration's or ours:
	 * the same for every message, so the caller stops this run */
	*connect_failed = 1;
	tls_verify_error[0] = '\0';
	if (mail_check_config(s, &errs) < 0 || !s->host) {
		strbuf_trim(&errs);
		util_seterr("%s", errs.len ? errs.buf : "smtp: no host");
		goto cleanup;
	}
	if (len > (size_t)1 << 30) {
		*connect_failed = 0;	/* this message only */
		util_seterr("smtp: message too large");
		goto cleanup;
	}
	port = s->port ? s->port : s->security == WL_SEC_STARTTLS ? 587 : 25;
	strbuf_addf(&hp, strchr(s->host, ':') ? "[%s]:%d" : "%s:%d", s->host, port);
	if (!(session = smtp_create_session())) {
		util_seterr("smtp: cannot create a session");
		goto cleanup;
	}
	smtp_set_server(session, hp.buf);
	smtp_set_eventcb(session, event_cb, &c);
	smtp_set_monitorcb(session, monitor_cb, &c, 0);
	/* milliseconds (see tls_context); OVERRIDE lifts libesmtp's RFC 5321
	 * minimums (5 min greeting/envelope, 10 min after data) so the
	 * configured value holds, down to libesmtp's floor of 1 s */
	ms = (s->timeout > 0 ? s->timeout : 60) * 1000L;
	for (i = Timeout_GREETING; i <= Timeout_DATA2; i++)
		smtp_set_timeout(session, (int)i | Timeout_OVERRIDE_RFC2822_MINIMUM, ms);
	if (s->security == WL_SEC_STARTTLS) {
		if (!(ctx = tls_context(s)))
			goto cleanup;
		smtp_starttls_set_ctx(session, ctx);	/* takes its own reference */
		smtp_starttls_enable(session, Starttls_REQUIRED);
	} else
		smtp_starttls_enable(session, Starttls_DISABLED);
	if (s->user) {
		if (read_password(s, &c.pass) < 0)
			goto cleanup;
		c.user = s->user;
		auth_client_init();
		auth = auth_create_context();
		auth_set_mechanism_flags(auth, AUTH_PLUGIN_PLAIN, 0);
		auth_set_interact_cb(auth, interact_cb, &c);
		smtp_auth_set_context(session, auth);
	}
	message = smtp_add_message(session);
	smtp_set_reverse_path(message, from);
	smtp_set_messagecb(message, message_cb, &c);
	for (i = 0; i < nto; i++)
		smtp_add_recipient(message, to[i]);

	/* libesmtp never clears OpenSSL's thread error queue: an error left
	 * by an earlier refused handshake would make SSL_get_error() report a
	 * fatal error instead of "want read" in this session */
	*connect_failed = 0;
	ERR_clear_error();
	ok = smtp_start_session(session);
	ERR_clear_error();
	if (!ok) {
		smtp_strerror(smtp_errno(), ebuf, sizeof(ebuf));
		*connect_failed = 1;
		util_seterr("smtp %s: %s%s%s%s%s", hp.buf, ebuf,
		    c.tlserr[0] || tls_verify_error[0] ? ": " : "",
		    c.tlserr[0] ? c.tlserr : tls_verify_error,
		    c.autherr[0] && !c.auth_ok ? " after AUTH refused: " : "",
		    c.autherr[0] && !c.auth_ok ? c.autherr : "");
		strbuf_addstr(response, util_err());
		goto cleanup;
	}
	st = smtp_message_transfer_status(message);
	smtp_enumerate_recipients(message, rcpt_cb, &tally);
	if (st && st->code >= 200 && st->code < 300 && tally.ok) {
		if (response->len)
			strbuf_addstr(response, "; ");
		strbuf_addf(response, "%d %s", st->code, st->text ? st->text : "");
		strbuf_trim(response);
		ret = tally.bad ? 1 : 0;
		if (c.autherr[0] && !c.auth_ok)
			/* taken without the login: say so in the ledger */
			strbuf_addf(response, " (AUTH refused: %s; sent unauthenticated)",
			    c.autherr);
		if (tally.bad)
			util_seterr("smtp %s: some recipients refused: %s", hp.buf,
			    response->buf);
		goto cleanup;
	}
	if (!tally.ok && (!st || !st->code)) {
		/* no transaction at all: TLS refused, greeting failed... */
		const smtp_status_t *rp = smtp_reverse_path_status(message);

		if (c.tlserr[0] || tls_verify_error[0] || !rp || !rp->code)
			*connect_failed = 1;
		if (rp && rp->code && (rp->code < 200 || rp->code >= 300))
			strbuf_addf(response, "%sMAIL FROM: %d %s", response->len ?
			    "; " : "", rp->code, rp->text ? rp->text : "");
	} else if (st && st->code)
		strbuf_addf(response, "%s%d %s", response->len ? "; " : "",
		    st->code, st->text ? st->text : "");
	if (c.tlserr[0] || tls_verify_error[0])
		strbuf_addf(response, "%sTLS: %s", response->len ? "; " : "",
		    c.tlserr[0] ? c.tlserr : tls_verify_error);
	strbuf_trim(response);
	if (c.autherr[0] && !c.auth_ok) {
		struct strbuf r = STRBUF_INIT;

		/* the same login would fail for every message (and retrying a
		 * wrong password can lock the account): stop this run */
		*connect_failed = 1;
		strbuf_addf(&r, "AUTH: %s%s%s", c.autherr, response->len ? "; " : "",
		    response->buf);
		strbuf_reset(response);
		strbuf_addstr(response, r.buf);
		strbuf_release(&r);
		util_seterr("smtp %s: authentication failed for user %s: %s", hp.buf,
		    s->user ? s->user : "?", response->buf);
	} else if ((!tally.ok && tally.bad && tally.perm == tally.bad) ||
	    (tally.ok && st && st->code >= 500 && st->code < 600)) {
		/* every recipient refused with a 5xx, or the message itself
		 * (DATA): the same answer next time. Not so a 5xx to MAIL
		 * FROM (a sender the server does not take is the config's
		 * problem, the same for every message, fixed by the
		 * operator), nor anything with a 4xx in it. */
		ret = -2;
		util_seterr("smtp %s: refused for good: %s", hp.buf, response->buf);
	} else
		util_seterr("smtp %s: not accepted: %s", hp.buf,
		    response->len ? response->buf : "no SMTP transaction");
cleanup:
	if (session)
		smtp_destroy_session(session);
	if (auth)
		auth_destroy_context(auth);
	if (ctx)
		SSL_CTX_free(ctx);
	if (c.pass) {
		explicit_bzero(c.pass, strlen(c.pass));
		free(c.pass);
	}
	strbuf_release(&hp);
	strbuf_release(&errs);
	return ret;
}

/* mail: what a message says (subject, text and HTML bodies, the .ics
 * event) and its assembly into one MIME message; the encodings are mime's. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "date.h"
#include "mail.h"
#include "html.h"
#include "ics.h"
#include "mime.h"
#include "text.h"
#include "util.h"

#define TEXT_MAX_CHARS 4000	/* one clause's text / redline in a message */
#define MAX_CHANGES 40		/* changes listed in one message */

static const char *const category_names[JUDGE_C_COUNT] = {
	"data collection", "data types", "purpose", "sharing", "retention",
	"transfer", "user rights", "security", "fees", "liability",
	"termination", "disputes", "license", "restrictions",
	"change procedure", "contact", "scope"
};

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

	mime_clean(&t, doc_title(m->title, m->doc_id), 200, 1);
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
	case MAIL_ANNOUNCEMENT:
		strbuf_addf(out, "Announced: new terms of %s", t.buf);
		if (m->announced != DATE_NONE) {
			date_format(m->announced, d);
			strbuf_addf(out, " take effect %s", d);
		}
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
hash_str(uint64_t h, const char *s)
{
	return s ? text_hash(h, s, strlen(s)) : h;
}

int
mail_key(struct strbuf *out, const struct mail_msg *m)
{
	char d[11];
	uint64_t h = TEXT_HASH_INIT;
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
	case MAIL_ANNOUNCEMENT:
		if (!m->commit) {
			util_seterr("mail %s: commit id is required", m->doc_id);
			return -1;
		}
		strbuf_addf(out, "%s.%s.%s", m->kind == MAIL_CHANGE ? "change" :
		    m->kind == MAIL_REMINDER ? "reminder" : "announcement",
		    m->commit, m->team);
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
			h = hash_str(h, m->items[i].commit);
			h = hash_str(h, "\n");
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
	mime_clean(&v, value, max, 1);
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

	mime_clean(&v, marked, TEXT_MAX_CHARS, 0);
	strbuf_addf(&b->text, "%s\n\n", v.buf);
	strbuf_addstr(&b->html, "<div style=\"margin:0 0 12px 0;padding:6px 10px;"
	    "border-left:3px solid #999999;font-family:Georgia,serif;"
	    "white-space:pre-wrap\">");
	html_redline(&b->html, v.buf, "<del style=\"" DEL_STYLE "\">",
	    "<ins style=\"" INS_STYLE "\">");
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
		mime_clean(&lab, c->clause ? c->clause : "(no label)", 120, 1);
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

void
mail_link(struct strbuf *out, const char *template, const char *commit)
{
	const char *p;

	for (p = template; *p; p++) {
		if (p[0] == '%' && p[1] == 'H') {
			strbuf_addstr(out, commit);
			p++;
		} else {
			strbuf_addch(out, *p);
		}
	}
}

static void
commands(struct body *b, const struct mail_msg *m, const char *id, const char *commit)
{
	struct strbuf c1 = STRBUF_INIT, c2 = STRBUF_INIT, v = STRBUF_INIT;
	const char *store = m->store;

	if (!commit || !id)
		return;
	mime_clean(&v, commit, 64, 1);
	if (m->link) {
		struct strbuf url = STRBUF_INIT;

		mail_link(&url, m->link, v.buf);
		strbuf_addf(&b->text, "On the web: %s\n", url.buf);
		strbuf_addstr(&b->html, "<p style=\"margin:0 0 12px 0\"><b>On the web:</b> "
		    "<a href=\"");
		html_text(&b->html, url.buf);
		strbuf_addstr(&b->html, "\">");
		html_text(&b->html, url.buf);
		strbuf_addstr(&b->html, "</a></p>\n");
		strbuf_release(&url);
	}
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

	mime_clean(&t, doc_title(title, id), 300, 1);
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
		commands(b, m, m->doc_id, m->commit);
		if (m->judge && m->judge->n) {
			strbuf_addstr(&b->text, "Changes (deletions [-like this-], "
			    "additions {+like this+}):\n\n");
			strbuf_addstr(&b->html, "<h2 style=\"font-size:16px\">Changes</h2>\n");
			changes(b, m->judge, 0);
		}
		break;
	case MAIL_ANNOUNCEMENT:
		strbuf_addstr(&s, "Early warning: the page announces new terms");
		if (m->announced != DATE_NONE) {
			date_format(m->announced, d);
			strbuf_addf(&s, " taking effect %s", d);
		}
		strbuf_addstr(&s, ". The terms themselves have not changed yet: "
		    "clausewatch judges them, with their deadline, when they are "
		    "published. Read the announcement and plan the review.");
		para(b, "What to do", s.buf, 2000);
		doc_lines(b, m->doc_id, m->title, m->url);
		commands(b, m, m->doc_id, m->commit);
		if (m->judge && m->judge->n) {
			strbuf_addstr(&b->text, "What appeared on the page (additions "
			    "{+like this+}):\n\n");
			strbuf_addstr(&b->html, "<h2 style=\"font-size:16px\">What appeared "
			    "on the page</h2>\n");
			changes(b, m->judge, 1);
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
			commands(b, m, it->doc_id, it->commit);
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

static void
build_ics(struct strbuf *out, const struct mail_msg *m)
{
	struct strbuf uid = STRBUF_INIT, sum = STRBUF_INIT, desc = STRBUF_INIT;
	struct strbuf t = STRBUF_INIT, url = STRBUF_INIT;
	struct ics_event e;
	char d[11];

	ics_begin(out, NULL);
	/* the same UID for the change and its reminders: calendars update the
	 * one event instead of adding another */
	ics_uid(&uid, "deadline", m->doc_id, m->commit);
	mime_clean(&t, doc_title(m->title, m->doc_id), 200, 1);
	strbuf_addf(&sum, "Changes to %s count as accepted", t.buf);
	date_format(m->deadline, d);
	strbuf_addf(&desc, "%s: from %s the changed terms count as accepted. ",
	    change_word(m), d);
	if (m->commit)
		strbuf_addf(&desc, "clausewatch diff %s %s", m->doc_id, m->commit);
	if (m->url)
		mime_clean(&url, m->url, 2000, 1);
	e.uid = uid.buf;
	e.stamp = m->date;
	e.day = m->deadline;
	e.summary = sum.buf;
	e.description = desc.buf;
	e.url = m->url ? url.buf : NULL;
	ics_event(out, &e);
	ics_end(out);
	strbuf_release(&uid);
	strbuf_release(&sum);
	strbuf_release(&desc);
	strbuf_release(&t);
	strbuf_release(&url);
}

/* ---- the message ------------------------------------------------------ */

static void
boundary(char out[64], const char *key, const char *what)
{
	uint64_t h = hash_str(hash_str(TEXT_HASH_INIT, key), what);

	/* "=_" cannot occur in quoted-printable or base64 output */
	snprintf(out, 64, "=_cw_%s_%016llx", what, (unsigned long long)h);
}

/* From and every recipient a plain addr-spec: nothing else reaches a header. */
static int
check_addresses(const struct mail_msg *m)
{
	size_t i;

	if (!m->from || !mime_address_ok(m->from)) {
		util_seterr("mail: bad or missing From address");
		return -1;
	}
	if (!m->nto) {
		util_seterr("mail: no recipients for team %s", m->team ? m->team : "?");
		return -1;
	}
	for (i = 0; i < m->nto; i++)
		if (!mime_address_ok(m->to[i])) {
			util_seterr("mail: bad recipient address for team %s",
			    m->team ? m->team : "?");
			return -1;
		}
	return 0;
}

static void
headers(struct strbuf *out, const struct mail_msg *m, const char *key)
{
	struct strbuf subj = STRBUF_INIT, id = STRBUF_INIT;

	strbuf_addf(out, "From: clausewatch <%s>\r\n", m->from);
	mime_address_header(out, "To", m->to, m->nto);
	mail_subject(&subj, m);
	mime_header(out, "Subject", subj.buf);
	mime_date_header(out, m->date);
	mime_msgid(&id, key, m->from);
	mime_msgid_header(out, "Message-ID", id.buf);
	if (m->kind != MAIL_DIGEST) {
		/* the thread root is never sent: every message about the
		 * document answers it, so clients group them */
		strbuf_reset(&id);
		strbuf_addstr(&id, "<doc.");
		mime_msgid_part(&id, m->doc_id);
		strbuf_addch(&id, '@');
		mime_msgid_domain(&id, m->from);
		strbuf_addch(&id, '>');
		mime_msgid_header(out, "In-Reply-To", id.buf);
		mime_msgid_header(out, "References", id.buf);
	}
	strbuf_addstr(out, "MIME-Version: 1.0\r\n"
	    "Auto-Submitted: auto-generated\r\n"
	    "X-Auto-Response-Suppress: All\r\n");
	strbuf_release(&subj);
	strbuf_release(&id);
}

/* The MIME tree of mail.h: the alternative text/HTML pair, inside a
 * multipart/mixed with the .ics when the deadline is a date. */
static void
parts(struct strbuf *out, const struct mail_msg *m, const char *key)
{
	struct body b = { STRBUF_INIT, STRBUF_INIT };
	struct strbuf ics = STRBUF_INIT;
	char balt[64], bmix[64];
	int dated = (m->kind == MAIL_CHANGE || m->kind == MAIL_REMINDER) &&
	    m->deadline_kind == JUDGE_DL_DATE && m->deadline != DATE_NONE;

	boundary(balt, key, "alt");
	boundary(bmix, key, "mix");
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
	mime_qp(out, b.text.buf, b.text.len);
	strbuf_addf(out, "\r\n--%s\r\nContent-Type: text/html; charset=UTF-8\r\n"
	    "Content-Transfer-Encoding: quoted-printable\r\n\r\n", balt);
	mime_qp(out, b.html.buf, b.html.len);
	strbuf_addf(out, "\r\n--%s--\r\n", balt);
	if (dated) {
		build_ics(&ics, m);
		strbuf_addf(out, "\r\n--%s\r\nContent-Type: text/calendar; charset=UTF-8;"
		    " method=PUBLISH; name=\"deadline.ics\"\r\n"
		    "Content-Disposition: attachment; filename=\"deadline.ics\"\r\n"
		    "Content-Transfer-Encoding: base64\r\n\r\n", bmix);
		mime_base64(out, ics.buf, ics.len, 76);
		strbuf_addf(out, "\r\n--%s--\r\n", bmix);
	}
	strbuf_release(&ics);
	strbuf_release(&b.text);
	strbuf_release(&b.html);
}

int
mail_compose(struct strbuf *out, const struct mail_msg *m)
{
	struct strbuf key = STRBUF_INIT;
	int error = 0;

	if ((error = check_addresses(m)) < 0 || (error = mail_key(&key, m)) < 0)
		goto cleanup;
	headers(out, m, key.buf);
	parts(out, m, key.buf);
cleanup:
	strbuf_release(&key);
	return error;
}

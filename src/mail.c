/* mail: what a message says (subject, text and HTML bodies, the .ics
 * event) and its assembly into one MIME message; the encodings are mime's. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "date.h"
#include "diff.h"
#include "mail.h"
#include "html.h"
#include "ics.h"
#include "mime.h"
#include "rules.h"
#include "text.h"
#include "util.h"

#define TEXT_MAX_CHARS 4000	/* one clause's text / redline in a message */
#define MAX_CHANGES 40		/* changes listed in one message */
#define ICS_ALARM_DAYS 3	/* the calendar's warning before the last day */

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
	case MAIL_PASSED:
		date_format(m->deadline, d);
		strbuf_addf(out, "Deemed accepted, not acknowledged: %s \xe2\x80\x94 "
		    "the new terms count as accepted from %s", t.buf, d);
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
	case MAIL_PASSED:
		if (!m->commit) {
			util_seterr("mail %s: commit id is required", m->doc_id);
			return -1;
		}
		strbuf_addf(out, "%s.%s.%s", m->kind == MAIL_CHANGE ? "change" :
		    m->kind == MAIL_REMINDER ? "reminder" : m->kind == MAIL_PASSED ?
		    "passed" : "announcement", m->commit, m->team);
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

/* The HTML part's look: one style sheet (clients that drop it still get
 * readable text: the structure is plain HTML, the redline marks carry
 * inline colours), a column at most 680px wide that shrinks with the
 * window, and a dark palette when the reader's client asks for one. */
static const char html_head[] =
    "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">\n"
    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
    "<meta name=\"color-scheme\" content=\"light dark\">\n"
    "<meta name=\"supported-color-schemes\" content=\"light dark\">\n"
    "<style>\n"
    "body{margin:0;padding:0;background:#f3f4f6;color:#1f2328;"
    "font:15px/1.5 -apple-system,'Segoe UI',Roboto,Arial,sans-serif}\n"
    ".wrap{max-width:680px;margin:0 auto;padding:12px}\n"
    ".card{background:#ffffff;border:1px solid #d0d7de;border-radius:8px;"
    "padding:14px 16px;margin:0 0 12px 0;overflow-wrap:anywhere}\n"
    ".top{border-top:6px solid #cf222e}\n.top.calm{border-top-color:#1a7f37}\n"
    ".due{font-size:19px;font-weight:700;line-height:1.3;margin:0 0 2px 0;color:#a40e26}\n"
    ".calm .due{color:#1a7f37}\n.sub{margin:0 0 10px 0;color:#57606a}\n"
    "table.facts{border-collapse:collapse;width:100%}\n"
    ".facts th{text-align:left;vertical-align:top;padding:3px 10px 3px 0;"
    "color:#57606a;font-weight:600;white-space:nowrap;width:1%}\n"
    ".facts td{padding:3px 0;vertical-align:top}\n"
    "h2{font-size:16px;margin:0 0 8px 0}\n"
    ".chg{border-top:1px solid #d0d7de;padding:10px 0 4px 0}\n"
    ".chg:first-of-type{border-top:0;padding-top:0}\n"
    ".lab{font-weight:700}\n.badge{display:inline-block;padding:0 7px;"
    "border-radius:10px;font-size:12px;font-weight:600;background:#eaeef2;color:#24292f}\n"
    ".badge.mat{background:#ffebe9;color:#a40e26}\n"
    ".red{margin:6px 0;padding:6px 10px;border-left:3px solid #8c959f;"
    "font-family:Georgia,serif;white-space:pre-wrap}\n"
    "blockquote{margin:4px 0 10px 0;padding:6px 10px;border-left:4px solid #8250df;"
    "background:#fbefff;font-family:Georgia,serif}\n"
    ".tool{margin:4px 0 10px 0;padding:6px 10px;border-left:4px solid #8c959f;"
    "background:#f6f8fa}\n"
    ".who{font-size:12px;font-weight:600;text-transform:uppercase;letter-spacing:.04em;"
    "color:#57606a;margin:8px 0 0 0}\n"
    "pre{white-space:pre-wrap;overflow-wrap:anywhere;background:#f6f8fa;padding:8px 10px;"
    "border-radius:6px;font:13px/1.4 ui-monospace,Menlo,Consolas,monospace;margin:4px 0 10px 0}\n"
    "a{color:#0969da}\n.foot{color:#57606a;font-size:12px;text-align:center}\n"
    "@media (prefers-color-scheme: dark){\n"
    "body{background:#0d1117;color:#e6edf3}\n"
    ".card{background:#161b22;border-color:#30363d}\n"
    ".due{color:#ff7b72}\n.calm .due{color:#3fb950}\n.sub,.facts th,.who,.foot{color:#8b949e}\n"
    ".chg{border-color:#30363d}\n.badge{background:#30363d;color:#e6edf3}\n"
    ".badge.mat{background:#5a1e1e;color:#ffa198}\n"
    "blockquote{background:#231a33;border-color:#a371f7}\n"
    ".tool,pre{background:#0d1117}\na{color:#58a6ff}\n"
    "del{background-color:#4b1113 !important;color:#ffa198 !important}\n"
    "ins{background-color:#0f3d1d !important;color:#7ee787 !important}\n"
    "}\n</style>\n</head>\n<body>\n<div class=\"wrap\">\n";

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
	strbuf_addstr(&b->html, "<p style=\"margin:0 0 10px 0\">");
	if (label) {
		strbuf_addstr(&b->html, "<b>");
		html_text(&b->html, label);
		strbuf_addstr(&b->html, ":</b> ");
	}
	html_text(&b->html, v.buf);
	strbuf_addstr(&b->html, "</p>\n");
	strbuf_release(&v);
}

static void
card_open(struct body *b, const char *title)
{
	strbuf_addstr(&b->html, "<div class=\"card\">\n");
	if (title) {
		strbuf_addf(&b->text, "%s\n", title);
		for (const char *p = title; *p; p++)
			strbuf_addch(&b->text, '-');
		strbuf_addstr(&b->text, "\n\n");
		strbuf_addstr(&b->html, "<h2>");
		html_text(&b->html, title);
		strbuf_addstr(&b->html, "</h2>\n");
	}
}

static void
card_close(struct body *b)
{
	strbuf_addstr(&b->html, "</div>\n");
}

/* Who is speaking: the document (a verbatim quote, in quotation marks and
 * a blockquote) or clausewatch (its reading, in a grey box). */
static void
said(struct body *b, const char *who, const char *clause, const char *words, int quote)
{
	struct strbuf w = STRBUF_INIT, c = STRBUF_INIT, head = STRBUF_INIT;

	mime_clean(&w, words, 2000, 1);
	strbuf_addstr(&head, who);
	if (clause) {
		mime_clean(&c, clause, 120, 1);
		strbuf_addf(&head, " (clause %s)", c.buf);
	}
	strbuf_addf(&b->text, "%s:\n  %s%s%s\n\n", head.buf, quote ? "\xe2\x80\x9c" : "",
	    w.buf, quote ? "\xe2\x80\x9d" : "");
	strbuf_addstr(&b->html, "<p class=\"who\">");
	html_text(&b->html, head.buf);
	strbuf_addstr(&b->html, quote ? "</p>\n<blockquote>\xe2\x80\x9c" : "</p>\n<div class=\"tool\">");
	html_text(&b->html, w.buf);
	strbuf_addstr(&b->html, quote ? "\xe2\x80\x9d</blockquote>\n" : "</div>\n");
	strbuf_release(&w);
	strbuf_release(&c);
	strbuf_release(&head);
}

#define DEL_STYLE "background-color:#ffe0e0;color:#a00000;text-decoration:line-through"
#define INS_STYLE "background-color:#ddf4dd;color:#006000;text-decoration:underline"

/* "[-old-]{+new+}" marks to <del>/<ins> in HTML (runs read by
 * diff_redline_next, so page text that looks like a mark stays text), kept
 * as they are (escaped) in text. */
static void
redline(struct body *b, const char *marked)
{
	struct strbuf v = STRBUF_INIT;

	mime_clean(&v, marked, TEXT_MAX_CHARS, 0);
	strbuf_addf(&b->text, "  %s\n\n", v.buf);
	strbuf_addstr(&b->html, "<div class=\"red\">");
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

/* Each change: its clause, what kind, the redline, and clausewatch's
 * reason (labelled as clausewatch's, never as the document's). */
static void
changes(struct body *b, const struct judge_result *j)
{
	size_t i, shown = 0;

	strbuf_addstr(&b->text, "(deletions [-like this-], additions {+like this+})\n\n");
	for (i = 0; i < j->n; i++) {
		const struct judge_change *c = &j->v[i];
		struct strbuf head = STRBUF_INIT, lab = STRBUF_INIT, what = STRBUF_INIT;

		if (shown == MAX_CHANGES) {
			strbuf_addf(&b->text, "(%zu more changes: see the change itself, below)\n\n",
			    j->n - i);
			strbuf_addf(&b->html, "<p>(%zu more changes: see the change itself, below)</p>\n",
			    j->n - i);
			break;
		}
		shown++;
		mime_clean(&lab, c->clause ? c->clause : "(no label)", 120, 1);
		strbuf_addf(&what, "%s, %s", judge_kind_name(c->kind), c->editorial ?
		    "editorial" : c->material ? "material" : "substantive, not material");
		if (c->categories) {
			strbuf_addstr(&what, " (");
			categories(&what, c->categories);
			strbuf_addch(&what, ')');
		}
		strbuf_addf(&head, "Clause %s \xe2\x80\x94 %s", lab.buf, what.buf);
		strbuf_addf(&b->text, "%s\n", head.buf);
		strbuf_addstr(&b->html, "<div class=\"chg\"><span class=\"lab\">Clause ");
		html_text(&b->html, lab.buf);
		strbuf_addf(&b->html, "</span> <span class=\"badge%s\">", c->material ? " mat" : "");
		html_text(&b->html, what.buf);
		strbuf_addstr(&b->html, "</span>\n");
		if (c->redline) {
			redline(b, c->redline);
		} else if (c->new_text || c->old_text) {
			/* plain text: escaped, so that it holds no marks */
			strbuf_reset(&lab);
			diff_redline_escape(&lab, c->new_text ? c->new_text :
			    c->old_text, strlen(c->new_text ? c->new_text :
			    c->old_text));
			redline(b, lab.buf);
		}
		if (c->reason)
			said(b, "clausewatch's reading", NULL, c->reason, 0);
		strbuf_addstr(&b->html, "</div>\n");
		strbuf_release(&head);
		strbuf_release(&lab);
		strbuf_release(&what);
	}
}

static const struct rules_rule *
rule_of(const struct rules *r, const char *kind, const struct rules_rule *after)
{
	size_t i = after ? (size_t)(after - r->rule) + 1 : 0;

	for (; r && i < r->nrule; i++)
		if (!strcmp(r->rule[i].kind, kind))
			return &r->rule[i];
	return NULL;
}

/* What the document itself says: how it changes (its amendment and
 * notice sentences), continued use as acceptance, and the item of its own
 * definition the change falls under; verbatim and quoted. Then
 * clausewatch's reasoning, labelled as such. */
static void
own_words(struct body *b, const struct mail_msg *m)
{
	const struct rules *r = m->rules;
	const struct rules_rule *notice = r ? rule_of(r, "notice", NULL) : NULL;
	const struct rules_rule *deemed = r ? rule_of(r, "deemed-acceptance", NULL) : NULL;
	const char *item = m->judge ? m->judge->material_item : NULL;

	card_open(b, "In the document's own words");
	if (notice)
		said(b, "How the document says it changes", notice->clause, notice->text, 1);
	if (deemed && (!notice || strcmp(deemed->text, notice->text)))
		said(b, "Continued use as acceptance", deemed->clause, deemed->text, 1);
	else if (deemed)
		para(b, NULL, "(The same sentence makes continued use count as acceptance.)", 200);
	if (item)
		said(b, "What the document itself calls a material change",
		    r ? r->material_clause : NULL, item, 1);
	if (!notice && !deemed && !item)
		para(b, NULL, "The document says nothing about how it changes.", 200);
	if (m->judge && m->judge->material_reason)
		said(b, "clausewatch's reasoning (not the document's words)", NULL,
		    m->judge->material_reason, 0);
	if (m->material && !item)
		para(b, NULL, r && r->nmaterial ? "None of the document's own items of a "
		    "material change covers this change: clausewatch judged it by its "
		    "default rule." : "The document has no definition of a material "
		    "change of its own: clausewatch judged it by its default rule.", 400);
	card_close(b);
}

static void
how_to_object(struct body *b, const struct mail_msg *m)
{
	const struct rules_rule *o = m->rules ? rule_of(m->rules, "objection", NULL) : NULL;

	card_open(b, "How to object");
	if (o)
		said(b, "The document says", o->clause, o->text, 1);
	else if (m->judge && m->judge->objection)
		said(b, "The document says", NULL, m->judge->objection, 1);
	else
		para(b, NULL, "The document names no way to object. Ask the publisher "
		    "in writing, or stop using the service before the new terms count "
		    "as accepted.", 400);
	card_close(b);
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

/* The exact commands, for the store where this run keeps its record
 * (an absolute path, so they work from anywhere), and the link. */
static void
commands(struct body *b, const struct mail_msg *m, const char *id, const char *commit,
    int ack)
{
	struct strbuf c1 = STRBUF_INIT, c2 = STRBUF_INIT, v = STRBUF_INIT, l = STRBUF_INIT;
	struct strbuf pre = STRBUF_INIT;

	if (!commit || !id)
		return;
	mime_clean(&v, commit, 64, 1);
	strbuf_addstr(&pre, "clausewatch");
	if (m->store) {
		strbuf_addstr(&pre, " -s ");
		shell_word(&pre, m->store);
	}
	strbuf_addf(&c1, "%s ack ", pre.buf);
	shell_word(&c1, id);
	strbuf_addch(&c1, ' ');
	shell_word(&c1, v.buf);
	strbuf_addf(&c2, "%s diff ", pre.buf);
	shell_word(&c2, id);
	strbuf_addch(&c2, ' ');
	shell_word(&c2, v.buf);
	if (m->link)
		mail_link(&l, m->link, v.buf);
	if (ack) {
		strbuf_addf(&b->text, "Acknowledging stops the reminders; it records your "
		    "name (git's user.name, or --by NAME). Run:\n  %s\n\n", c1.buf);
		strbuf_addstr(&b->html, "<p style=\"margin:0 0 4px 0\">Acknowledging stops "
		    "the reminders; it records your name (git's user.name, or "
		    "<code>--by NAME</code>). Run:</p>\n<pre>");
		html_text(&b->html, c1.buf);
		strbuf_addstr(&b->html, "</pre>\n");
	}
	strbuf_addstr(&b->text, "See the change:\n");
	strbuf_addstr(&b->html, "<p style=\"margin:0 0 4px 0\">See the change:");
	if (l.len) {
		strbuf_addf(&b->text, "  %s\n", l.buf);
		strbuf_addstr(&b->html, " <a ");
		html_href(&b->html, l.buf);
		strbuf_addstr(&b->html, ">");
		html_text(&b->html, l.buf);
		strbuf_addstr(&b->html, "</a>");
	}
	strbuf_addf(&b->text, "  %s\n(commit %s)\n\n", c2.buf, v.buf);
	strbuf_addstr(&b->html, "</p>\n<pre>");
	html_text(&b->html, c2.buf);
	strbuf_addstr(&b->html, "</pre>\n<p class=\"sub\">commit <code>");
	html_text(&b->html, v.buf);
	strbuf_addstr(&b->html, "</code></p>\n");
	strbuf_release(&c1);
	strbuf_release(&c2);
	strbuf_release(&v);
	strbuf_release(&l);
	strbuf_release(&pre);
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

/* One row of the header block: the same fact as a text line. */
static void
fact(struct body *b, const char *name, const char *value, size_t max)
{
	struct strbuf v = STRBUF_INIT;

	mime_clean(&v, value, max, 1);
	strbuf_addf(&b->text, "%-10s %s\n", name, v.buf);
	strbuf_addstr(&b->html, "<tr><th>");
	html_text(&b->html, name);
	strbuf_addstr(&b->html, "</th><td>");
	html_text(&b->html, v.buf);
	strbuf_addstr(&b->html, "</td></tr>\n");
	strbuf_release(&v);
}

/* The first lines: the last day to object (the day before the new terms
 * count as accepted), then the document, the verdict and the dates. */
static void
header_block(struct body *b, const struct mail_msg *m)
{
	struct strbuf due = STRBUF_INIT, sub = STRBUF_INIT, v = STRBUF_INIT, t = STRBUF_INIT;
	char last[11] = "", from[11] = "";
	int dated = m->deadline_kind == JUDGE_DL_DATE && m->deadline != DATE_NONE;
	long left = dated ? (long)(m->deadline - 1 - day_of(m->date)) : 0;

	if (dated) {
		date_format(m->deadline - 1, last);
		date_format(m->deadline, from);
	}
	if (m->kind == MAIL_PASSED) {
		strbuf_addf(&due, "Deemed accepted from %s: not acknowledged", from);
		strbuf_addf(&sub, "The last day to object was %s. Nobody acknowledged "
		    "this material change before its deadline; this is the last "
		    "message about it.", last);
	} else if (!m->material) {
		strbuf_addstr(&due, "No action needed: not a material change");
	} else if (dated) {
		strbuf_addf(&due, "Last day to object: %s (the new terms count as "
		    "accepted from %s)", last, from);
		if (left > 0)
			strbuf_addf(&sub, "%ld day%s from the date of this message.", left,
			    PLURAL(left));
		else if (left == 0)
			strbuf_addstr(&sub, "That is today.");
		else
			strbuf_addstr(&sub, "That day has passed.");
		if (m->kind == MAIL_REMINDER)
			strbuf_addstr(&sub, " Reminder: this change is not acknowledged yet.");
	} else if (m->deadline_kind == JUDGE_DL_IMMEDIATE) {
		strbuf_addstr(&due, "Act now: continued use already counts as acceptance");
		strbuf_addstr(&sub, "The document gives no notice period: the new terms "
		    "bind as soon as you keep using the service.");
	} else {
		strbuf_addstr(&due, "No acceptance deadline: the document gives none");
	}
	strbuf_addf(&b->text, "%s\n", due.buf);
	if (sub.len)
		strbuf_addf(&b->text, "%s\n", sub.buf);
	strbuf_addch(&b->text, '\n');
	strbuf_addf(&b->html, "<div class=\"card top%s\">\n<p class=\"due\">",
	    m->material ? "" : " calm");
	html_text(&b->html, due.buf);
	strbuf_addstr(&b->html, "</p>\n");
	if (sub.len) {
		strbuf_addstr(&b->html, "<p class=\"sub\">");
		html_text(&b->html, sub.buf);
		strbuf_addstr(&b->html, "</p>\n");
	}
	strbuf_addstr(&b->html, "<table class=\"facts\" role=\"presentation\">\n");
	mime_clean(&t, doc_title(m->title, m->doc_id), 300, 1);
	strbuf_addf(&t, " (%s)", m->doc_id ? m->doc_id : "?");
	fact(b, "Document", t.buf, 400);
	strbuf_addstr(&v, change_word(m));
	if (m->judge && m->material)
		strbuf_addstr(&v, m->judge->material_item ? ", by the document's own "
		    "definition" : ", by clausewatch's default rule");
	if (m->judge && m->judge->categories) {
		strbuf_addstr(&v, " \xe2\x80\x94 ");
		categories(&v, m->judge->categories);
	}
	fact(b, "Verdict", v.buf, 400);
	if (dated) {
		fact(b, "Object by", last, 20);
		fact(b, "Accepted", from, 20);
	}
	if (m->url)
		fact(b, "URL", m->url, 2000);
	strbuf_addstr(&b->html, "</table>\n</div>\n");
	strbuf_addch(&b->text, '\n');
	strbuf_release(&due);
	strbuf_release(&sub);
	strbuf_release(&v);
	strbuf_release(&t);
}

static void
change_body(struct body *b, const struct mail_msg *m)
{
	header_block(b, m);
	if (m->judge && m->judge->n) {
		card_open(b, "What changed");
		changes(b, m->judge);
		card_close(b);
	}
	if (m->material) {
		own_words(b, m);
		if (m->kind != MAIL_PASSED)
			how_to_object(b, m);
	}
	card_open(b, m->kind == MAIL_PASSED ? "The record" : "How to acknowledge");
	commands(b, m, m->doc_id, m->commit, m->material);
	card_close(b);
}

static void
announcement_body(struct body *b, const struct mail_msg *m)
{
	struct strbuf s = STRBUF_INIT;
	char d[11];

	strbuf_addstr(&s, "Early warning: the page announces new terms");
	if (m->announced != DATE_NONE) {
		date_format(m->announced, d);
		strbuf_addf(&s, " taking effect %s", d);
	}
	strbuf_addstr(&s, ". The terms themselves have not changed yet: "
	    "clausewatch judges them, with their deadline, when they are "
	    "published. Read the announcement and plan the review.");
	card_open(b, NULL);
	para(b, "What to do", s.buf, 2000);
	doc_lines(b, m->doc_id, m->title, m->url);
	card_close(b);
	if (m->judge && m->judge->n) {
		card_open(b, "What appeared on the page");
		changes(b, m->judge);
		card_close(b);
	}
	card_open(b, NULL);
	commands(b, m, m->doc_id, m->commit, 0);
	card_close(b);
	strbuf_release(&s);
}

/* A failure alert, or the recovery after one. */
static void
fetch_body(struct body *b, const struct mail_msg *m)
{
	card_open(b, NULL);
	if (m->kind == MAIL_FAILURE) {
		para(b, "What to do", "Check the document's address: clausewatch could "
		    "not fetch it in its last runs, so changes to it are not seen.", 1000);
		if (m->failure)
			para(b, "Last error", m->failure, 2000);
	} else {
		para(b, "What to do", "Nothing: the document is fetched again.", 1000);
		if (m->failure)
			para(b, "Note", m->failure, 2000);
	}
	doc_lines(b, m->doc_id, m->title, m->url);
	card_close(b);
}

static void
digest_body(struct body *b, const struct mail_msg *m)
{
	struct strbuf s = STRBUF_INIT;
	size_t i;
	char d[11];

	date_format(m->day, d);
	/* every change whose Material trailer is not "yes": editorial ones
	 * and substantive ones judged not material alike, so the wording
	 * claims no more than that (each change's own heading says which it
	 * is) */
	card_open(b, NULL);
	strbuf_addf(&s, "No action needed: these changes of %s were judged "
	    "not material.", d);
	para(b, "What to do", s.buf, 1000);
	card_close(b);
	for (i = 0; i < m->nitems; i++) {
		const struct mail_digest_item *it = &m->items[i];

		strbuf_addstr(&b->text, "----\n");
		card_open(b, NULL);
		doc_lines(b, it->doc_id, it->title, it->url);
		if (it->judge)
			changes(b, it->judge);
		commands(b, m, it->doc_id, it->commit, 0);
		card_close(b);
	}
	strbuf_release(&s);
}

static void
build_body(struct body *b, const struct mail_msg *m)
{
	struct strbuf s = STRBUF_INIT;

	strbuf_addstr(&b->html, html_head);
	switch (m->kind) {
	case MAIL_CHANGE:
	case MAIL_REMINDER:
	case MAIL_PASSED:
		change_body(b, m);
		break;
	case MAIL_ANNOUNCEMENT:
		announcement_body(b, m);
		break;
	case MAIL_FAILURE:
	case MAIL_RECOVERY:
		fetch_body(b, m);
		break;
	case MAIL_DIGEST:
		digest_body(b, m);
		break;
	}
	strbuf_addf(&s, "clausewatch, for team %s. Automatic message.",
	    m->team ? m->team : "?");
	strbuf_addstr(&b->text, "-- \n");
	strbuf_addf(&b->text, "%s\n", s.buf);
	strbuf_addstr(&b->html, "<p class=\"foot\">");
	html_text(&b->html, s.buf);
	strbuf_addstr(&b->html, "</p>\n</div>\n</body></html>\n");
	strbuf_release(&s);
}

/* ---- iCalendar -------------------------------------------------------- */

/* The event is the last day to object, all day (on the deadline itself
 * the new terms already count as accepted), with a warning some days
 * before, while there is still time to write the objection. */
static void
build_ics(struct strbuf *out, const struct mail_msg *m)
{
	struct strbuf uid = STRBUF_INIT, sum = STRBUF_INIT, desc = STRBUF_INIT;
	struct strbuf t = STRBUF_INIT, url = STRBUF_INIT, alarm = STRBUF_INIT;
	struct ics_event e;
	char d[11];

	ics_begin(out, NULL);
	/* the same UID for the change and its reminders: calendars update the
	 * one event instead of adding another */
	ics_uid(&uid, "deadline", m->doc_id, m->commit);
	mime_clean(&t, doc_title(m->title, m->doc_id), 200, 1);
	strbuf_addf(&sum, "Last day to object: %s", t.buf);
	strbuf_addf(&alarm, "Last day to object in %d days: %s", ICS_ALARM_DAYS, t.buf);
	date_format(m->deadline, d);
	strbuf_addf(&desc, "%s: last day to object; from %s the changed terms count "
	    "as accepted. ", change_word(m), d);
	if (m->commit)
		strbuf_addf(&desc, "clausewatch diff %s %s", m->doc_id, m->commit);
	if (m->url)
		mime_clean(&url, m->url, 2000, 1);
	memset(&e, 0, sizeof(e));
	e.uid = uid.buf;
	e.stamp = m->date;
	e.day = m->deadline - 1;
	e.summary = sum.buf;
	e.description = desc.buf;
	e.url = m->url ? url.buf : NULL;
	e.alarm_days = ICS_ALARM_DAYS;
	e.alarm = alarm.buf;
	ics_event(out, &e);
	ics_end(out);
	strbuf_release(&uid);
	strbuf_release(&sum);
	strbuf_release(&desc);
	strbuf_release(&t);
	strbuf_release(&url);
	strbuf_release(&alarm);
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
	int dated = (m->kind == MAIL_CHANGE || m->kind == MAIL_REMINDER) && m->material &&
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

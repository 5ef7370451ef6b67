/* ics: iCalendar writing. */
#include <string.h>

#include "date.h"
#include "ics.h"
#include "mime.h"
#include "text.h"

/* One content line, folded at 75 octets (RFC 5545 3.1) without splitting
 * a UTF-8 sequence, CRLF terminated. */
static void
line(struct strbuf *out, const char *l)
{
	size_t n = strlen(l), i = 0, col = 0;

	while (i < n) {
		ucs4_t cp;
		size_t k = text_u8_next(l + i, n - i, &cp, NULL);

		if (col + k > 75) {
			strbuf_addstr(out, "\r\n ");
			col = 1;
		}
		strbuf_add(out, l + i, k);
		col += k;
		i += k;
	}
	strbuf_addstr(out, "\r\n");
}

/* TEXT value escaping (RFC 5545 3.3.11). */
static void
text(struct strbuf *out, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '\\': strbuf_addstr(out, "\\\\"); break;
		case ';': strbuf_addstr(out, "\\;"); break;
		case ',': strbuf_addstr(out, "\\,"); break;
		case '\n': strbuf_addstr(out, "\\n"); break;
		case '\r': break;
		default: strbuf_addch(out, *s); break;
		}
	}
}

void
ics_begin(struct strbuf *out, const char *name)
{
	struct strbuf l = STRBUF_INIT;

	line(out, "BEGIN:VCALENDAR");
	line(out, "VERSION:2.0");
	line(out, "PRODID:-//clausewatch//clausewatch//EN");
	line(out, "CALSCALE:GREGORIAN");
	line(out, "METHOD:PUBLISH");
	if (name) {
		strbuf_addstr(&l, "X-WR-CALNAME:");
		text(&l, name);
		line(out, l.buf);
	}
	strbuf_release(&l);
}

static void
day_line(struct strbuf *out, const char *name, int32_t day)
{
	struct strbuf l = STRBUF_INIT;
	int y, m, d;

	date_to_ymd(day, &y, &m, &d);
	strbuf_addf(&l, "%s;VALUE=DATE:%04d%02d%02d", name, y, m, d);
	line(out, l.buf);
	strbuf_release(&l);
}

void
ics_event(struct strbuf *out, const struct ics_event *e)
{
	struct strbuf l = STRBUF_INIT;
	struct tm tm;
	char stamp[32];

	line(out, "BEGIN:VEVENT");
	strbuf_addf(&l, "UID:%s", e->uid);
	line(out, l.buf);
	gmtime_r(&e->stamp, &tm);
	strftime(stamp, sizeof(stamp), "DTSTAMP:%Y%m%dT%H%M%SZ", &tm);
	line(out, stamp);
	day_line(out, "DTSTART", e->day);
	day_line(out, "DTEND", e->day + 1);
	strbuf_reset(&l);
	strbuf_addstr(&l, "SUMMARY:");
	text(&l, e->summary);
	line(out, l.buf);
	if (e->description) {
		strbuf_reset(&l);
		strbuf_addstr(&l, "DESCRIPTION:");
		text(&l, e->description);
		line(out, l.buf);
	}
	if (e->url) {
		strbuf_reset(&l);
		/* URL is a URI value, not TEXT: drop what a URI cannot hold */
		strbuf_addstr(&l, "URL:");
		for (const char *p = e->url; *p; p++)
			if ((unsigned char)*p > 0x20 && *p != '"' && *p != '\\' && *p != 0x7f)
				strbuf_addch(&l, *p);
		line(out, l.buf);
	}
	line(out, "TRANSP:TRANSPARENT");
	if (e->alarm_days > 0) {
		line(out, "BEGIN:VALARM");
		line(out, "ACTION:DISPLAY");
		strbuf_reset(&l);
		strbuf_addf(&l, "TRIGGER:-P%dD", e->alarm_days);
		line(out, l.buf);
		strbuf_reset(&l);
		strbuf_addstr(&l, "DESCRIPTION:");
		text(&l, e->alarm ? e->alarm : e->summary);
		line(out, l.buf);
		line(out, "END:VALARM");
	}
	line(out, "END:VEVENT");
	strbuf_release(&l);
}

void
ics_end(struct strbuf *out)
{
	line(out, "END:VCALENDAR");
}

void
ics_uid(struct strbuf *out, const char *kind, const char *doc, const char *commit)
{
	strbuf_addstr(out, kind);
	strbuf_addch(out, '.');
	mime_msgid_part(out, doc);
	strbuf_addch(out, '.');
	mime_msgid_part(out, commit ? commit : "none");
	strbuf_addstr(out, "@clausewatch");
}

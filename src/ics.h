/* ics: iCalendar (RFC 5545), written once for the mail's deadline.ics and
 * the report's deadlines.ics feed. All-day events only: deadlines are days.
 * Pure: the same events give the same bytes (DTSTAMP is the caller's). */
#ifndef CW_ICS_H
#define CW_ICS_H
#include <stdint.h>
#include <time.h>
#include "strbuf.h"

struct ics_event {
	const char *uid;		/* stable: the same event keeps it (ics_uid) */
	time_t stamp;			/* DTSTAMP */
	int32_t day;			/* the all-day event's date (day number) */
	const char *summary;		/* TEXT, one line (cleaned by the caller) */
	const char *description;	/* TEXT, may hold LF; NULL: none */
	const char *url;		/* URI; what a URI cannot hold is dropped; NULL: none */
	int alarm_days;			/* a display alarm this many days before; 0: none */
	const char *alarm;		/* its TEXT (cleaned by the caller) */
};

/* BEGIN:VCALENDAR ... METHOD:PUBLISH; name (X-WR-CALNAME, what
 * subscribing clients call the calendar) may be NULL. */
void ics_begin(struct strbuf *out, const char *name);
void ics_event(struct strbuf *out, const struct ics_event *e);
void ics_end(struct strbuf *out);
/* "KIND.DOC.COMMIT@clausewatch", each part made a safe dot-atom: derived
 * from the document and its commit only, so it never changes. */
void ics_uid(struct strbuf *out, const char *kind, const char *doc, const char *commit);

#endif

/* record: one recorded version of a document, as its commit on the store's
 * main branch says it. The commit message ends with trailers
 *
 *     Document: ID
 *     Source: URL
 *     Fetched: 2026-11-22T07:00:00Z
 *     Material: yes | no
 *     Categories: sharing, purpose
 *     Deadline: 2026-12-22 | immediate | none
 *     Effective: 2026-12-01          (when the document names it)
 *     Record: first | new-extraction | announcement   (not a judged change)
 *     Announced: 2026-12-01          (an announcement's date)
 *
 * and this module is their only writer (record_message) and only reader
 * (record_parse). It also owns the rule for when a fetched text is recorded
 * at all (record_decide) and when a recorded deadline still runs
 * (record_open_deadline), so run, replay and the commands agree. */
#ifndef CW_RECORD_H
#define CW_RECORD_H
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "judge.h"
#include "strbuf.h"

enum record_kind {
	RECORD_CHANGE,		/* the publisher's change */
	RECORD_FIRST,		/* first version of a document */
	RECORD_NEW_EXTRACTION,	/* url/select/remove changed in the watchlist */
	RECORD_ANNOUNCEMENT,	/* a banner announcing a coming update */
};

struct record {
	char *document;		/* id; NULL when the message has none */
	char *source;		/* URL; NULL when unknown */
	time_t fetched;		/* -1 when unknown */
	enum record_kind kind;
	/* A change recorded without a judgement (replay) carries no Material,
	 * Categories or Deadline trailers. */
	int judged;
	int material;
	unsigned categories;	/* 1u << JUDGE_C_* */
	enum judge_deadline deadline_kind;
	int32_t deadline;	/* day number when deadline_kind == JUDGE_DL_DATE */
	int32_t effective;	/* DATE_NONE when unknown */
	int32_t announced;	/* RECORD_ANNOUNCEMENT: the announced date */
};

/* An empty record: a change, not judged, nothing known. */
void record_init(struct record *r);
void record_release(struct record *r);
/* Copies document and source (the caller keeps its own). */
void record_set(struct record *r, const char *document, const char *source,
    time_t fetched, enum record_kind kind);
/* Material, categories, deadline and effective date of a judgement. A
 * change whose every part is editorial has no deadline for people. */
void record_judged(struct record *r, const struct judge_result *j);

/* "2026-12-22" | "immediate" | "none". */
void record_deadline_format(const struct record *r, char out[11]);
/* "first", "new-extraction", "announcement"; NULL for a change. */
const char *record_kind_name(enum record_kind k);

/* The commit message: subject, optional body, then the trailers. Outside
 * text cannot add or change a trailer: control characters in the subject and
 * in trailer values become spaces, and body lines that git would read as the
 * start of a patch ("---") are indented. */
void record_message(const struct record *r, const char *subject, const char *body,
    struct strbuf *out);
/* Subject and body for a record of the document titled title: what
 * changed and whether it binds, scannable in `git log --oneline`. j is the
 * judgement of a judged change, else NULL. */
void record_describe(const struct record *r, const char *title,
    const struct judge_result *j, struct strbuf *subject, struct strbuf *body);
/* The record a commit message carries; -1 with util_err when the message
 * cannot be read. Missing trailers leave record_init's values; unknown
 * categories are ignored. out is released first. */
int record_parse(const char *message, struct record *out);

/* One commit for the first records of several documents (a run that adds
 * many documents; see store_commit_first): subject "First record of N
 * documents", then per document its Document, Source and Fetched trailers,
 * then the Record trailer they share. */
void record_message_firsts(const struct record *v, size_t n, struct strbuf *out);
/* Every record a commit message carries, one per Document trailer, in
 * order: with several, a Source or Fetched trailer after a Document
 * belongs to it, the other trailers to all. A message without a Document trailer gives one
 * record (document NULL). *v is the caller's (record_release each, free). */
int record_parse_all(const char *message, struct record **v, size_t *n);
/* The same for the kinds asked for (bits 1u << RECORD_*): a commit of
 * another kind gives no record (*v NULL), and costs no copy per document
 * (the first record of 20,000 documents is one commit). */
int record_parse_kinds(const char *message, unsigned kinds, struct record **v, size_t *n);
/* The record of document id in a message (the first when none names id). */
int record_parse_doc(const char *message, const char *id, struct record *out);

/* What to do with a freshly extracted text, old being the recorded one
 * (NULL when there is none). A page that lost most of its text is held back
 * until it persists (shrink.h: *streak, runs, count); a new extraction
 * (reextracted: the document's url/select/remove changed) is never held. */
enum record_decision {
	RECORD_UNCHANGED,	/* same text: nothing to record */
	RECORD_HELD,		/* suspect shrink: not recorded this time */
	RECORD_WRITE,		/* record it, as *kind */
};
enum record_decision record_decide(const struct strbuf *old, const struct strbuf *text,
    int reextracted, int *streak, int runs, int count, enum record_kind *kind);

/* The deadline a record holds open on day today: the date of a material
 * change's dated deadline, not acknowledged, not past; else DATE_NONE.
 * today = DATE_NONE: past deadlines count too. */
int32_t record_open_deadline(const struct record *r, int acked, int32_t today);
/* The announced day of an announcement not acknowledged and not past on
 * day today, else DATE_NONE: listed with the deadlines, as the earliest
 * warning there is. */
int32_t record_open_announcement(const struct record *r, int acked, int32_t today);

/* The notes on a change's commit (refs/notes/commits, so `git log` shows
 * them): an acknowledgement
 *
 *     Acknowledged-by: NAME
 *     Acknowledged: 2026-11-23T09:00:00Z
 *
 * or, when the deadline passed without one,
 *
 *     Deemed-accepted: 2026-12-22 (not acknowledged)
 *
 * record_note_deemed writes the second; record_note_parse reads both:
 * *acked 1 when the note holds an acknowledgement, *deemed the day noted
 * (DATE_NONE when none). */
void record_note_deemed(int32_t day, struct strbuf *out);
void record_note_parse(const char *note, int *acked, int32_t *deemed);

/* A material change's dated deadline that passed unacknowledged (on or
 * before today): its date, else DATE_NONE. */
int32_t record_passed_deadline(const struct record *r, int acked, int32_t today);

#endif

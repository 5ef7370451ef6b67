/* ledger: the durable state of every outgoing message, in STORE/ledger/.
 *
 * Layout (every name below ledger/ is ours; keys never form paths: a
 * message lives under the SHA-1 of its key):
 *
 *   ledger/lock                 flock()ed while a process uses the ledger
 *   ledger/msg/SHA/message.eml  the composed bytes, written once
 *   ledger/msg/SHA/meta         key, from, to (escaped, one per line)
 *   ledger/msg/SHA/state        "STATE\tTIME\tTRIES\tVIA\tRESPONSE\n"
 *   ledger/unsent/SHA           empty; one per message not yet sent
 *                               (pending, sending, uncertain): open, flush
 *                               and ledger_uncertain_keys read only these,
 *                               so a run costs what is left to send, not
 *                               every message ever sent. msg/SHA is kept
 *                               for good (a known key is always refused).
 *                               Made before msg/SHA appears, removed after
 *                               "sent" is durable: after a crash it may
 *                               name too much (dropped by the next scan),
 *                               never too little. Built once from msg/ when
 *                               missing (a ledger from before the index).
 *   ledger/tmp/                 where a message is assembled before the
 *                               rename that adds it (leftovers are removed)
 *   ledger/log                  append-only audit log, one line per state
 *                               change: TIME\tSTATE\tKEY\tDETAIL (escaped)
 *   outbox/new/SHA.eml          Maildir delivery when [smtp] host is unset
 *
 * States: pending -> sending -> sent, or back to pending (tries + 1, last
 * response kept) when the server did not take it for now (a 4xx, no
 * connection), or to "uncertain" (below), or to "failed" when it refused
 * it for good (a 5xx to every recipient or to DATA; not to MAIL FROM, the
 * sender's config problem):
 * failed is final like sent (out of unsent/, the key stays known), reported
 * by the flush that decided it and in the audit log. Every state is written
 * to a temporary file, fsynced, renamed, and the folder fsynced, so a crash
 * at any point leaves either the old or the new state.
 *
 * A message found in "sending" when the ledger is opened was being handed
 * to the SMTP server when the process died: the server may or may not have
 * it. It becomes "uncertain" and is NOT resent automatically (the contract
 * says nothing sent twice); the run reports it and an operator decides with
 * ledger_release(). So does a message the server got whole but never
 * answered (smtp_send's SMTP_UNCERTAIN: a hang or a dropped connection
 * after the final dot); one dropped before its end stays pending. Outbox
 * deliveries are not uncertain: the .eml name is deterministic, so
 * recovery looks whether the file reached outbox/new. */
#ifndef CW_LEDGER_H
#define CW_LEDGER_H
#include <stddef.h>
#include "strbuf.h"
#include "watchlist.h"

enum ledger_state {
	LEDGER_PENDING, LEDGER_SENDING, LEDGER_SENT, LEDGER_UNCERTAIN,
	LEDGER_FAILED		/* refused for good (a 5xx), never retried */
};

struct ledger;

struct ledger_stats {
	size_t sent;		/* delivered by this flush (partial included) */
	size_t partial;		/* ... of which some recipients refused: not
				 * resent (the others have it), named in
				 * ledger_last_error; the run exits 1 */
	size_t failed;		/* attempts that failed in this flush */
	size_t rejected;	/* ... of which refused for good: now "failed",
				 * not retried, named in ledger_last_error;
				 * the run exits 1 (this once) */
	size_t pending;		/* still waiting after the flush */
	size_t uncertain;	/* crashed mid-send, waiting for an operator */
	size_t recovered;	/* "sending" records found by ledger_open */
	size_t unlogged;	/* audit log lines that could not be written
				 * (since the ledger was opened), named in
				 * ledger_last_error; the run exits 1 */
};

/* Open (creating) STORE/ledger, take the lock, recover from a crash. */
int ledger_open(struct ledger **out, const char *store);
/* Open STORE/ledger for ledger_list only: no lock (a run sending mail
 * holds it), no recovery; what a run is sending shows as "sending". */
int ledger_open_readonly(struct ledger **out, const char *store);
void ledger_free(struct ledger *l);

/* Queue a composed message under key. 1 when added, 0 when the key is
 * already known (whatever its state: a rerun never queues a copy), -1 on
 * error. Durable when it returns 1. */
int ledger_add(struct ledger *l, const char *key, const char *from,
    const char *const *to, size_t nto, const char *eml, size_t len);

/* 1 when the key is known (any state), 0 when not, -1 on error: one
 * access(), so a caller can skip composing a message ledger_add would
 * refuse. */
int ledger_known(struct ledger *l, const char *key);

/* 1 and *state when the key is known, 0 when not, -1 on error. */
int ledger_state(struct ledger *l, const char *key, enum ledger_state *state);

/* Send every pending message: over SMTP when smtp->host is set, else into
 * STORE/outbox/new. Failures stay pending for the next run, permanent
 * refusals become failed; after a
 * connection-level failure the rest are not tried this run. Returns 0 (look
 * at st->pending, st->uncertain, st->partial and st->rejected: the run
 * exits 1 when any is nonzero), -1 on a local error (disk) with util_err set. */
int ledger_flush(struct ledger *l, const struct watchlist_smtp *smtp,
    struct ledger_stats *st);

/* What the last ledger_flush (or ledger_release) leaves for the operator
 * (empty when nothing),
 * one line for stderr, "; "-separated: the last failure of a message kept
 * for the next run; "N uncertain (...): run 'clausewatch mail' to release
 * them: KEY, ..."; "refused for good, not retried (now 'failed'): KEY
 * (RESPONSE), ..."; "delivered to some recipients only, not resent: KEY
 * (RESPONSE), ..."; "N lines of the audit log not written: ERROR". */
const char *ledger_last_error(const struct ledger *l);

/* One message not sent (pending, sending or uncertain), for an operator. */
struct ledger_item {
	char *key;
	enum ledger_state state;
	long tries;		/* delivery attempts so far */
	long long time;		/* of the last state change (Unix time) */
	char *response;		/* the last server reply or error ("" when none) */
};

/* The unsent messages, oldest first (*out owned by the caller: free with
 * ledger_items_free). 0, or -1 with util_err set. */
int ledger_list(struct ledger *l, struct ledger_item **out, size_t *n);
void ledger_items_free(struct ledger_item *v, size_t n);

/* Keys of uncertain messages, one per line (escaped). */
void ledger_uncertain_keys(struct ledger *l, struct strbuf *out);

/* Operator decision: put an uncertain message back to pending (it will be
 * sent again, with the same Message-ID, so most clients show one copy).
 * 0, or -1 when the key is unknown or not uncertain. */
int ledger_release(struct ledger *l, const char *key);

const char *ledger_state_name(enum ledger_state s);

#endif

/* smtp: hand one composed message to an SMTP server, with libesmtp, and
 * say what became of it. STARTTLS goes through an OpenSSL context with
 * verification on (the chain, and the host name or IP address).
 *
 * This is the transport the ledger drives (ledger.h); it knows nothing of
 * what a message says (mail.h composes it). */
#ifndef CW_SMTP_H
#define CW_SMTP_H
#include <stddef.h>
#include "strbuf.h"
#include "watchlist.h"

/* What smtp_send did with a message. */
enum smtp_result {
	SMTP_SENT = 0,		/* accepted for every recipient */
	SMTP_PARTIAL = 1,	/* accepted for some only: do not resend, the
				 * others have it */
	SMTP_TRANSIENT = -1,	/* not accepted, for now (a 4xx, no
				 * connection, ...): try again later */
	SMTP_REFUSED = -2,	/* refused for good: a 5xx to every recipient,
				 * or to the message after DATA */
	SMTP_UNCERTAIN = -3	/* the whole message went out and no reply
				 * came (a hang, a dropped connection): the
				 * server may or may not have it; do not
				 * resend without an operator */
};

/* The [smtp] settings: port 465 (implicit TLS, which libesmtp lacks), AUTH
 * without STARTTLS, a cafile without STARTTLS, an unreadable password-file
 * or cafile, a port out of range, a negative timeout. One line per problem
 * appended to errors; -1 when there is any, 0 when none (or no host: mail
 * goes to the outbox). The one place these rules live: 'check' and
 * smtp_send both ask it. */
int smtp_check_config(const struct watchlist_smtp *smtp, struct strbuf *errors);

/* Send one composed message (CRLF lines). Returns an enum smtp_result;
 * util_err says why when it is not SMTP_SENT. response gets the server's
 * last reply text (for the ledger; control characters never reach it),
 * "AUTH: 535 ..." first when the login was refused. *connect_failed is set
 * when the failure would repeat for every message: no SMTP conversation
 * happened (connection, TLS, configuration), the server refused the login,
 * or it hung or dropped the connection during the message, so the caller
 * can stop trying further messages this run.
 *
 * A connection lost during the message is SMTP_TRANSIENT when its end had
 * not gone out (the server cannot have it), SMTP_UNCERTAIN when it had.
 * SIGPIPE is blocked during the session: a dropped connection never kills
 * the process.
 *
 * AUTH: libesmtp tries each mechanism the server offers and, when all are
 * refused, goes on with MAIL FROM unauthenticated; a server that takes
 * mail without a login then delivers it (SMTP_SENT, with the refusal noted
 * in response), a submission server answers 530 (SMTP_TRANSIENT,
 * "authentication failed"). */
int smtp_send(const struct watchlist_smtp *smtp, const char *from,
    const char *const *to, size_t nto, const char *msg, size_t len,
    struct strbuf *response, int *connect_failed);

#endif

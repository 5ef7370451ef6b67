/* smtp: one message to an SMTP server with libesmtp (see smtp.h). */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <auth-client.h>
#include <libesmtp.h>

#include "mime.h"
#include "smtp.h"
#include "util.h"

#define PASSWORD_MAX 4096

/* ---- configuration ---------------------------------------------------- */

int
smtp_check_config(const struct watchlist_smtp *s, struct strbuf *errors)
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

/* ---- one transfer ----------------------------------------------------- */

/* SIGPIPE is blocked while libesmtp talks to the server: a write to a
 * connection the server dropped then fails with EPIPE instead of killing
 * the run, and the signal stays pending, which is how we learn that a
 * write failed (libesmtp ignores write errors). Taken (cleared) here. */
static int
sigpipe_take(void)
{
	static const struct timespec zero = { 0, 0 };
	sigset_t pending, pipe;

	if (sigpending(&pending) < 0 || !sigismember(&pending, SIGPIPE))
		return 0;
	sigemptyset(&pipe);
	sigaddset(&pipe, SIGPIPE);
	while (sigtimedwait(&pipe, NULL, &zero) < 0 && errno == EINTR)
		;
	return 1;
}

/* One smtp_send: the libesmtp objects, and what its callbacks saw. */
struct transfer {
	const struct watchlist_smtp *s;
	struct strbuf hp;	/* "host:port", for messages */
	const char *msg;
	size_t len;
	int done;		/* message_cb handed the message over */
	/* How far the message got. libesmtp 1.1.0 says nothing of it (it
	 * ignores write errors, and turns the monitor off while it sends the
	 * message), so it is seen from the outside. data: the transfer of
	 * the message began (its rewind). eom: message_cb was asked for more
	 * after the last byte; the final dot (or BDAT LAST) goes out in the
	 * flush that follows. broken: a write failed before the end went out
	 * whole: SIGPIPE (blocked, so pending) found at eom (a flush of the
	 * body failed), or at the first write shown to the monitor after it,
	 * QUIT or RSET (the flush with the dot failed). Found only later, it
	 * may be QUIT's own: then the end counts as sent, the safe side. */
	int data, eom, eom_settled, broken;
	int verdict;		/* the server answered the message (or DATA) */
	char *user, *pass;
	char tlserr[256];	/* a TLS question libesmtp asked, refused */
	char verifyerr[256];	/* why OpenSSL refused the certificate */
	/* AUTH outcome, seen through the protocol monitor: libesmtp has no
	 * event for it, and after a refusal (535) of every mechanism it goes
	 * on with MAIL FROM unauthenticated ("the MTA is required to accept
	 * mail for its own domain"), so the reply we get is a 530 to MAIL or
	 * even a delivery, never the 535 itself. */
	int in_auth, auth_tried, auth_ok;
	char autherr[256];	/* last refusal, e.g. "535 5.7.8 ..." */
	char rline[256];	/* reply line being assembled during AUTH */
	size_t rlen;
	smtp_session_t session;
	smtp_message_t message;
	auth_context_t auth;
	SSL_CTX *ctx;
};

static const char *
message_cb(void **ctx, int *len, void *arg)
{
	struct transfer *c = arg;

	(void)ctx;
	if (!len) {		/* rewind: the transfer of the message begins */
		c->done = 0;
		c->data = 1;
		return NULL;
	}
	if (c->done) {
		if (!c->eom) {
			c->eom = 1;
			c->broken |= sigpipe_take();
		}
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
	struct transfer *c = arg;
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
	struct transfer *c = arg;
	int i;

	if (writing && c->eom && !c->eom_settled) {
		/* the first write after the message's end (QUIT, RSET):
		 * whatever failed before it was the end's flush */
		c->eom_settled = 1;
		c->broken |= sigpipe_take();
	}
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

/* Remember why OpenSSL refused the certificate, for the message. The
 * transfer hangs on the SSL_CTX (tls_context). */
static int
verify_cb(int ok, X509_STORE_CTX *x)
{
	SSL *ssl = X509_STORE_CTX_get_ex_data(x, SSL_get_ex_data_X509_STORE_CTX_idx());
	struct transfer *t = ssl ? SSL_CTX_get_app_data(SSL_get_SSL_CTX(ssl)) : NULL;

	if (!ok && t && !t->verifyerr[0])
		snprintf(t->verifyerr, sizeof(t->verifyerr), "%s",
		    X509_verify_cert_error_string(X509_STORE_CTX_get_error(x)));
	return ok;
}

/* Every TLS question libesmtp asks is answered "do not accept", except the
 * host-name check when OpenSSL has already verified the name (libesmtp's
 * own check knows no IP addresses). */
static void
event_cb(smtp_session_t session, int event, void *arg, ...)
{
	struct transfer *c = arg;
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
	case SMTP_EV_MESSAGESENT:
		/* sent after the reply to the message's end (or a refused
		 * DATA) was read, never when that read failed */
		c->verdict = 1;
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
tls_context(struct transfer *t)
{
	const struct watchlist_smtp *s = t->s;
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
	SSL_CTX_set_app_data(ctx, t);
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

/* "; WHAT: CODE TEXT" onto out ("; " only after something, "WHAT: " only
 * when given). The text is the server's and goes to the ledger and to
 * stderr: one line, control characters (CR and LF included) and invalid
 * UTF-8 cleaned, cut past REPLY_MAX_CHARS (mime_clean). */
#define REPLY_MAX_CHARS 300

static void
add_reply(struct strbuf *out, const char *what, const smtp_status_t *st)
{
	if (out->len)
		strbuf_addstr(out, "; ");
	if (what)
		strbuf_addf(out, "%s: ", what);
	strbuf_addf(out, "%d", st ? st->code : 0);
	if (st && st->text && *st->text) {
		strbuf_addch(out, ' ');
		mime_clean(out, st->text, REPLY_MAX_CHARS, 1);
	}
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
		add_reply(t->resp, mailbox, st);
	}
}

/* Session, server, callbacks, timeouts, TLS, AUTH, envelope: everything
 * before a byte goes out. -1 (util_err set) is a configuration or local
 * problem, the same for every message. */
static int
setup(struct transfer *t, const char *from, const char *const *to, size_t nto)
{
	const struct watchlist_smtp *s = t->s;
	long ms;
	size_t i;

	if (!(t->session = smtp_create_session())) {
		util_seterr("smtp: cannot create a session");
		return -1;
	}
	smtp_set_server(t->session, t->hp.buf);
	smtp_set_eventcb(t->session, event_cb, t);
	smtp_set_monitorcb(t->session, monitor_cb, t, 0);
	/* milliseconds (see tls_context); OVERRIDE lifts libesmtp's RFC 5321
	 * minimums (5 min greeting/envelope, 10 min after data) so the
	 * configured value holds, down to libesmtp's floor of 1 s */
	ms = (s->timeout > 0 ? s->timeout : 60) * 1000L;
	for (i = Timeout_GREETING; i <= Timeout_DATA2; i++)
		smtp_set_timeout(t->session, (int)i | Timeout_OVERRIDE_RFC2822_MINIMUM, ms);
	if (s->security == WL_SEC_STARTTLS) {
		if (!(t->ctx = tls_context(t)))
			return -1;
		smtp_starttls_set_ctx(t->session, t->ctx);	/* takes its own reference */
		smtp_starttls_enable(t->session, Starttls_REQUIRED);
	} else
		smtp_starttls_enable(t->session, Starttls_DISABLED);
	if (s->user) {
		if (read_password(s, &t->pass) < 0)
			return -1;
		t->user = s->user;
		auth_client_init();
		t->auth = auth_create_context();
		auth_set_mechanism_flags(t->auth, AUTH_PLUGIN_PLAIN, 0);
		auth_set_interact_cb(t->auth, interact_cb, t);
		smtp_auth_set_context(t->session, t->auth);
	}
	t->message = smtp_add_message(t->session);
	smtp_set_reverse_path(t->message, from);
	smtp_set_messagecb(t->message, message_cb, t);
	for (i = 0; i < nto; i++)
		smtp_add_recipient(t->message, to[i]);
	return 0;
}

/* The conversation, SIGPIPE blocked (see sigpipe_take). -1 when libesmtp
 * could not hold one at all. */
static int
converse(struct transfer *t, struct strbuf *response)
{
	sigset_t pipe, old;
	char ebuf[256];
	int ok;

	sigemptyset(&pipe);
	sigaddset(&pipe, SIGPIPE);
	pthread_sigmask(SIG_BLOCK, &pipe, &old);
	sigpipe_take();		/* not ours: only what this session writes counts */
	/* libesmtp never clears OpenSSL's thread error queue: an error left
	 * by an earlier refused handshake would make SSL_get_error() report a
	 * fatal error instead of "want read" in this session */
	ERR_clear_error();
	ok = smtp_start_session(t->session);
	ERR_clear_error();
	sigpipe_take();		/* QUIT's to a dropped connection */
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (ok)
		return 0;
	smtp_strerror(smtp_errno(), ebuf, sizeof(ebuf));
	util_seterr("smtp %s: %s%s%s%s%s", t->hp.buf, ebuf,
	    t->tlserr[0] || t->verifyerr[0] ? ": " : "",
	    t->tlserr[0] ? t->tlserr : t->verifyerr,
	    t->autherr[0] && !t->auth_ok ? " after AUTH refused: " : "",
	    t->autherr[0] && !t->auth_ok ? t->autherr : "");
	strbuf_addstr(response, util_err());
	return -1;
}

/* The message's transfer began and no answer to it came (the server hung
 * or dropped the connection). After its end went out whole, the server
 * may have it: uncertain, never resent on our own. Before, it cannot:
 * a transient failure, retried. Either way the server is in trouble: the
 * caller leaves the other messages for the next run. */
static int
lost(struct transfer *t, struct strbuf *response, int *connect_failed)
{
	char ebuf[128];

	smtp_strerror(smtp_errno(), ebuf, sizeof(ebuf));
	*connect_failed = 1;
	strbuf_reset(response);
	if (t->eom && !t->broken) {
		strbuf_addf(response, "no reply after the whole message was sent (%s): "
		    "the server may or may not have it", ebuf);
		util_seterr("smtp %s: %s", t->hp.buf, response->buf);
		return SMTP_UNCERTAIN;
	}
	strbuf_addf(response, "connection lost while sending the message, before "
	    "its end (%s): not delivered", ebuf);
	util_seterr("smtp %s: %s", t->hp.buf, response->buf);
	return SMTP_TRANSIENT;
}

/* The server took the message for at least one recipient. */
static int
accepted(struct transfer *t, const smtp_status_t *st, const struct rcpt_tally *tally,
    struct strbuf *response)
{
	add_reply(response, NULL, st);
	if (t->autherr[0] && !t->auth_ok)
		/* taken without the login: say so in the ledger */
		strbuf_addf(response, " (AUTH refused: %s; sent unauthenticated)",
		    t->autherr);
	if (!tally->bad)
		return SMTP_SENT;
	util_seterr("smtp %s: some recipients refused: %s", t->hp.buf, response->buf);
	return SMTP_PARTIAL;
}

/* The server did not take it: for now, or for good. */
static int
not_accepted(struct transfer *t, const smtp_status_t *st,
    const struct rcpt_tally *tally, struct strbuf *response, int *connect_failed)
{
	if (!tally->ok && (!st || !st->code)) {
		/* no transaction at all: TLS refused, greeting failed... */
		const smtp_status_t *rp = smtp_reverse_path_status(t->message);

		if (t->tlserr[0] || t->verifyerr[0] || !rp || !rp->code)
			*connect_failed = 1;
		if (rp && rp->code && (rp->code < 200 || rp->code >= 300))
			add_reply(response, "MAIL FROM", rp);
	} else if (st && st->code)
		add_reply(response, NULL, st);
	if (t->tlserr[0] || t->verifyerr[0])
		strbuf_addf(response, "%sTLS: %s", response->len ? "; " : "",
		    t->tlserr[0] ? t->tlserr : t->verifyerr);
	strbuf_trim(response);
	if (t->autherr[0] && !t->auth_ok) {
		struct strbuf r = STRBUF_INIT;

		/* the same login would fail for every message (and retrying a
		 * wrong password can lock the account): stop this run */
		*connect_failed = 1;
		strbuf_addf(&r, "AUTH: %s%s%s", t->autherr, response->len ? "; " : "",
		    response->buf);
		strbuf_reset(response);
		strbuf_addstr(response, r.buf);
		strbuf_release(&r);
		util_seterr("smtp %s: authentication failed for user %s: %s", t->hp.buf,
		    t->s->user ? t->s->user : "?", response->buf);
		return SMTP_TRANSIENT;
	}
	if ((!tally->ok && tally->bad && tally->perm == tally->bad) ||
	    (tally->ok && st && st->code >= 500 && st->code < 600)) {
		/* every recipient refused with a 5xx, or the message itself
		 * (DATA): the same answer next time. Not so a 5xx to MAIL
		 * FROM (a sender the server does not take is the config's
		 * problem, the same for every message, fixed by the
		 * operator), nor anything with a 4xx in it. */
		util_seterr("smtp %s: refused for good: %s", t->hp.buf, response->buf);
		return SMTP_REFUSED;
	}
	util_seterr("smtp %s: not accepted: %s", t->hp.buf,
	    response->len ? response->buf : "no SMTP transaction");
	return SMTP_TRANSIENT;
}

static void
transfer_release(struct transfer *t)
{
	if (t->session)
		smtp_destroy_session(t->session);
	if (t->auth)
		auth_destroy_context(t->auth);
	if (t->ctx)
		SSL_CTX_free(t->ctx);
	if (t->pass) {
		explicit_bzero(t->pass, strlen(t->pass));
		free(t->pass);
	}
	strbuf_release(&t->hp);
}

/* What can be said before connecting. SMTP_TRANSIENT with util_err set. */
static int
preflight(const struct watchlist_smtp *s, size_t len, int *connect_failed)
{
	struct strbuf errs = STRBUF_INIT;

	/* a configuration problem is the same for every message: the caller
	 * stops this run */
	*connect_failed = 1;
	if (smtp_check_config(s, &errs) < 0 || !s->host) {
		strbuf_trim(&errs);
		util_seterr("%s", errs.len ? errs.buf : "smtp: no host");
		strbuf_release(&errs);
		return SMTP_TRANSIENT;
	}
	*connect_failed = 0;
	if (len > (size_t)1 << 30) {
		util_seterr("smtp: message too large");	/* this message only */
		return SMTP_TRANSIENT;
	}
	return 0;
}

int
smtp_send(const struct watchlist_smtp *s, const char *from,
    const char *const *to, size_t nto, const char *msg, size_t len,
    struct strbuf *response, int *connect_failed)
{
	struct transfer t;
	struct rcpt_tally tally = { 0, 0, 0, response };
	const smtp_status_t *st;
	int error = 0;

	memset(&t, 0, sizeof(t));
	strbuf_init(&t.hp, 0);
	t.s = s;
	t.msg = msg;
	t.len = len;
	if ((error = preflight(s, len, connect_failed)) < 0)
		goto cleanup;
	strbuf_addf(&t.hp, strchr(s->host, ':') ? "[%s]:%d" : "%s:%d", s->host,
	    s->port ? s->port : s->security == WL_SEC_STARTTLS ? 587 : 25);
	/* set-up failures and a failed conversation repeat for every message */
	*connect_failed = 1;
	if ((error = setup(&t, from, to, nto)) < 0)
		goto cleanup;
	*connect_failed = 0;
	error = converse(&t, response);
	if (t.data && !t.verdict) {
		error = lost(&t, response, connect_failed);
		goto cleanup;
	}
	if (error < 0) {
		*connect_failed = 1;
		goto cleanup;
	}
	st = smtp_message_transfer_status(t.message);
	smtp_enumerate_recipients(t.message, rcpt_cb, &tally);
	if (st && st->code >= 200 && st->code < 300 && tally.ok)
		error = accepted(&t, st, &tally, response);
	else
		error = not_accepted(&t, st, &tally, response, connect_failed);
cleanup:
	transfer_release(&t);
	return error;
}

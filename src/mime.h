/* mime: the encodings a message is made of (RFC 5322 headers, RFC 2047
 * encoded words, RFC 2045 quoted-printable and base64, Message-IDs).
 *
 * Pure: no state, no I/O. Every function that takes outside text cleans it
 * first (mime_clean), so text from the web can never start a header line or
 * end one early. */
#ifndef CW_MIME_H
#define CW_MIME_H
#include <stddef.h>
#include <time.h>
#include "strbuf.h"

/* Clean outside text into out. oneline: every control character (CR, LF,
 * TAB, C1, U+2028/2029 included) becomes a space and runs of spaces
 * collapse; else LF is kept and other controls become spaces. Invalid UTF-8
 * becomes '?'. At most maxchars code points, then an ellipsis. */
void mime_clean(struct strbuf *out, const char *in, size_t maxchars, int oneline);

/* Append "Name: value" + CRLF, value cleaned, RFC 2047 encoded when it is not
 * plain ASCII, folded below 78 columns, cut with an ellipsis past 300
 * characters. */
void mime_header(struct strbuf *out, const char *name, const char *value);

/* "Name: a, b" + CRLF, folded between addresses; the addresses must have
 * passed mime_address_ok. */
void mime_address_header(struct strbuf *out, const char *name,
    const char *const *addr, size_t n);

/* A plain addr-spec without spaces, controls, quotes, <>,;() and with one '@'. */
int mime_address_ok(const char *addr);

/* "Date: Sun, 22 Nov 2026 08:00:00 +0000" + CRLF (UTC). */
void mime_date_header(struct strbuf *out, time_t t);

/* A Message-ID "<KEY@DOMAIN>" for an idempotency key: the key's dots kept
 * as separators, each part escaped (mime_msgid_part), the domain that of
 * from (mime_msgid_domain). */
void mime_msgid(struct strbuf *out, const char *key, const char *from);

/* One dot-atom part of a Message-ID: [A-Za-z0-9-] kept, every other byte
 * =XX, so the result is valid whatever the web or the config put in. */
void mime_msgid_part(struct strbuf *out, const char *s);

/* The right-hand side of a Message-ID: the domain of the address from,
 * lower case, made a dot-atom; "clausewatch.invalid" when there is none. */
void mime_msgid_domain(struct strbuf *out, const char *from);

/* "Name: <id>" + CRLF; never folded inside the id (see mime.c). */
void mime_msgid_header(struct strbuf *out, const char *name, const char *id);

/* Quoted-printable (RFC 2045) of text with LF line ends: output lines of at
 * most 76 characters ending in CRLF. */
void mime_qp(struct strbuf *out, const char *text, size_t n);

/* Base64 of data; wrap 0 for one line without a line end, else CRLF after
 * every wrap characters (a multiple of 4) and at the end. */
void mime_base64(struct strbuf *out, const void *data, size_t n, size_t wrap);

#endif

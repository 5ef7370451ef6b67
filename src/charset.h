/* charset: find the encoding of fetched HTML and convert it to UTF-8.
 * The order follows browsers: a byte order mark, then the HTTP Content-Type
 * charset, then <meta> in the first 4 KB, then UTF-8 when the bytes are valid
 * UTF-8, else windows-1252.  Labels map like the WHATWG Encoding standard:
 * gb2312/gbk decode as GB18030, big5 as BIG5-HKSCS, latin1/ascii as
 * windows-1252.  Conversion never fails on bad input: invalid sequences
 * become U+FFFD. */
#ifndef CW_CHARSET_H
#define CW_CHARSET_H
#include <stddef.h>
#include "strbuf.h"

/* The iconv name to decode buf with ("UTF-8", "GB18030", ...), never NULL.
 * *bom is set to the length of a byte order mark to skip (0 when none). */
const char *charset_detect(const char *content_type, const char *buf,
    size_t len, size_t *bom);
/* Map a charset label (from HTTP or <meta>) to an iconv name; NULL when
 * it is not a label of the WHATWG Encoding standard (utf-7, utf-32, ...):
 * browsers ignore those, and so do we. */
const char *charset_label(const char *label, size_t n);
/* buf in charset -> UTF-8 appended to out; -1 (util_err set) only when out's
 * cap is exceeded or iconv cannot open the charset. */
int charset_to_utf8(const char *buf, size_t len, const char *charset,
    struct strbuf *out);
/* Append buf to out with invalid UTF-8 replaced by U+FFFD; -1 on cap. */
int charset_utf8_sanitize(const char *buf, size_t len, struct strbuf *out);
/* Whether buf is valid UTF-8 (a sequence cut short at the very end, as a
 * size cap can leave, is tolerated). */
int charset_utf8_valid(const char *buf, size_t len);

/* The encoding of a plain text or Markdown file, which has no header or
 * <meta> to say it: a byte order mark, UTF-16 by its zero bytes, UTF-8 when
 * valid, else Big5 or GB18030 (GBK, GB2312) when the bytes decode as one
 * (Big5 told from GBK by its byte ranges). -1 with util_err for binary
 * data or an encoding none of these decodes. *bom as charset_detect. */
int charset_detect_text(const char *buf, size_t len, const char **charset, size_t *bom);
/* Whether a body served as text is not text (an image as text/html):
 * a byte that never appears in text (WHATWG MIME sniffing's binary data
 * bytes; NUL included) in its first 1445 bytes, unless it is UTF-16, or
 * more than one character in eight of its first 64 KiB that does not
 * decode.  1 with the reason appended to why. */
int charset_not_text(const char *content_type, const char *buf, size_t len,
    struct strbuf *why);

#endif

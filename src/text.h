/* text: what every module needs from UTF-8 text, defined once: decoding,
 * character classes (libunistring), the hash, cutting at a character
 * boundary, and the canonical key of a URL (curl_url). */
#ifndef CW_TEXT_H
#define CW_TEXT_H
#include <stddef.h>
#include <stdint.h>
#include <unitypes.h>
#include "strbuf.h"

#define TEXT_REPLACEMENT 0xFFFD

enum text_u8 {
	TEXT_U8_OK = 0,
	TEXT_U8_INVALID,	/* stray continuation, overlong, surrogate,
				   beyond U+10FFFF */
	TEXT_U8_TRUNCATED,	/* a valid start cut short by the end of s */
};

/* Decode the character at s (n > 0 bytes) into *cp and return its length,
 * 1..4.  Bytes that are not valid UTF-8 decode one at a time: length 1,
 * *cp = U+FFFD, so every caller advances and never reads past n.  *status
 * (may be NULL) says which case it was (enum text_u8). */
size_t text_u8_next(const char *s, size_t n, ucs4_t *cp, int *status);
/* The character that ends at s + i (i > 0) into *cp: its length, 1..4,
 * read backwards the same way (an invalid byte is one U+FFFD). */
size_t text_u8_prev(const char *s, size_t i, ucs4_t *cp);

/* The length of the ASCII that starts s[0, n) (most of a page's text),
 * read eight bytes at a time. */
size_t text_ascii_len(const char *s, size_t n);

/* The longest prefix of s[0, n) of at most max bytes that ends on a
 * character boundary. */
size_t text_cut(const char *s, size_t n, size_t max);

/* Unicode White_Space, and the zero-width space and byte order mark,
 * which separate words the same way. */
int text_is_space(ucs4_t c);
/* A letter of the scripts written one character per word-ish unit: Han,
 * Hiragana, Katakana, Bopomofo and Hangul, with the wide modifier letters
 * they share (ー, 々).  Punctuation is not CJK. */
int text_is_cjk(ucs4_t c);
/* East Asian Wide or Fullwidth (uc_width 2), Hangul excepted: Chinese and
 * Japanese characters and their full-width punctuation, which are written
 * without spaces between them (Korean separates words with spaces). */
int text_is_wide(ucs4_t c);

/* FNV-1a over p[0, n), continued from h: start with TEXT_HASH_INIT.  The
 * 64-bit values are kept (mail keys, state), so they never change; the
 * 32-bit one is for in-memory tables, and collides: compare the bytes
 * too where that matters. */
#define TEXT_HASH_INIT 0xcbf29ce484222325ULL
#define TEXT_HASH32_INIT 0x811c9dc5u
uint64_t text_hash(uint64_t h, const void *p, size_t n);
uint32_t text_hash32(uint32_t h, const void *p, size_t n);

/* Whether a query parameter name (n bytes) only tracks the reader:
 * utm_*, fbclid, gclid, ... compared without case. */
int text_is_tracking_param(const char *name, size_t n);

/* Where a URL leads, as a string to compare: scheme, "www.", user info,
 * the fragment, tracking parameters and a trailing '/' dropped, host in
 * lower case; "mailto:" addresses without the scheme.  s need not be a
 * URL: what curl cannot parse is its own key.  Appends to out. */
void text_url_key(const char *s, size_t n, struct strbuf *out);

#endif

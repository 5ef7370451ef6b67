/* lexicon: the documented bilingual keyword lists behind judge's change
 * categories, and the words whose change is never a typo (negations,
 * modals). English keywords match at a word start, case-insensitively
 * ("disclos" matches "disclose", "disclosure"); a trailing '$' demands a
 * word end ("fee$"). Chinese keywords match anywhere. */
#ifndef CW_LEXICON_H
#define CW_LEXICON_H
#include <stddef.h>

/* Bits 1u << JUDGE_C_* of every category whose keywords occur in s. */
unsigned lexicon_categories(const char *s, size_t len);
/* The keyword list of category c (judge.h numbering), NULL-terminated. */
const char *const *lexicon_keywords(int c);
/* One token (a word, or one CJK character). */
int lexicon_is_negation(const char *tok, size_t len);
int lexicon_is_modal(const char *tok, size_t len);
/* Units of time after a number make it a time period ("30 days", "30天"). */
int lexicon_is_time_unit(const char *tok, size_t len);
/* Month names (English), for recognising dates. */
int lexicon_is_month(const char *tok, size_t len);

#endif

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
/* Tokens whose change alone is editorial / operative (judge's classes). */
int lexicon_is_function_word(const char *tok, size_t len);
int lexicon_is_quantifier(const char *tok, size_t len);
int lexicon_is_condition(const char *tok, size_t len);
int lexicon_is_legal_form(const char *tok, size_t len);
int lexicon_is_conjunction(const char *tok, size_t len);
int lexicon_is_route_word(const char *tok, size_t len);
/* Texts: does s carry a keyword of one of these lists? OPERATIVE binds
 * someone (a modal, a deontic verb, a personal-data practice); CHROME is
 * page chrome; CONTACT_CUE an address or phone cue; EXAMPLE an example
 * marker; ANNOUNCE an announcement of a coming update; POINTER a pointer to
 * other reading ("for more information, see ..."); REPRESENTATIVE,
 * DESIGNATE and AGENT tell the provider's representative from the user's;
 * DERIVED and TEMPLATE credit the template the text was made from. */
enum lexicon_text {
	LEX_OPERATIVE,
	LEX_CHROME,
	LEX_CONTACT_CUE,
	LEX_EXAMPLE,
	LEX_ANNOUNCE,
	LEX_POINTER,
	LEX_REPRESENTATIVE,
	LEX_DESIGNATE,
	LEX_AGENT,
	LEX_DERIVED,
	LEX_TEMPLATE,
};
int lexicon_has(enum lexicon_text which, const char *s, size_t len);

#endif

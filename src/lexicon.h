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
/* Is one token (a word, or one CJK character) in one of these lists?
 * NEGATION and MODAL words are never a typo; a number before a TIME_UNIT
 * is a time period ("30 days", "30天"); MONTH names make dates; a change
 * of FUNCTION words alone is editorial, of a QUANTIFIER or CONDITION word
 * operative; a LEGAL_FORM ends a company's name ("Inc", "有限公司"); a
 * CONJUNCTION swapped turns a condition round; ROUTE words say how to reach
 * a page or a person, not what anyone must; a CURRENCY after a number makes
 * it an amount, a HOUSE word ("号", "层") a house or floor number. */
enum lexicon_word {
	LEXW_NEGATION,
	LEXW_MODAL,
	LEXW_TIME_UNIT,
	LEXW_MONTH,
	LEXW_FUNCTION,
	LEXW_QUANTIFIER,
	LEXW_CONDITION,
	LEXW_LEGAL_FORM,
	LEXW_CONJUNCTION,
	LEXW_ROUTE,
	LEXW_CURRENCY,
	LEXW_HOUSE,
};
int lexicon_word(enum lexicon_word which, const char *tok, size_t len);
/* Texts: does s carry a keyword of one of these lists? OPERATIVE binds
 * someone (a modal, a deontic verb, a personal-data practice); CHROME is
 * page chrome; CONTACT_CUE an address or phone cue; EXAMPLE an example
 * marker; ANNOUNCE an announcement of a coming update; POINTER a pointer to
 * other reading ("for more information, see ..."); REPRESENTATIVE,
 * DESIGNATE and AGENT tell the provider's representative from the user's;
 * DERIVED and TEMPLATE credit the template the text was made from;
 * ADDRESS_CUE says a place is an address. */
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
	LEX_ADDRESS_CUE,
};
int lexicon_has(enum lexicon_text which, const char *s, size_t len);

#endif

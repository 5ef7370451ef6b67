/* lexicon: the categories a phrase gets, and the over-broad words that
 * must not give one. */
#include <criterion/criterion.h>
#include <string.h>

#include "judge.h"
#include "lexicon.h"

#define C(x) (1u << JUDGE_C_##x)

static unsigned
cats(const char *s)
{
	return lexicon_categories(s, strlen(s));
}

Test(lexicon, plain_hits)
{
	cr_assert(cats("We share your data with advertising partners.") & C(SHARING));
	cr_assert(cats("We collect the images you upload.") & C(DATA_TYPES));
	cr_assert(cats("The basic plan costs 10 USD per month.") & C(FEES));
	cr_assert(cats("Disputes go to binding arbitration.") & C(DISPUTES));
	cr_assert(cats("We delete uploaded images within 90 days.") & C(RETENTION));
	cr_assert(cats("我们会与广告合作伙伴共享您的人脸信息。") & C(SHARING));
	cr_assert(cats("每千次调用收费20元。") & C(FEES));
	cr_assert(cats("We transfer personal information to servers abroad.") & C(TRANSFER));
	cr_assert(cats("changes in the types of personal information processed") & C(DATA_TYPES));
}

/* Words that name a category only in some phrases. */
Test(lexicon, over_broad_words)
{
	cr_assert_not(cats("We use payment processors to handle orders.") & C(FEES));
	cr_assert(cats("We use payment processors to handle orders.") & C(SHARING));
	cr_assert_not(cats("We keep the service secure.") & C(RETENTION));
	cr_assert_not(cats("You may use the service during the trial period.") & C(RETENTION));
	cr_assert_not(cats("You may use the service in accordance with these Terms.") & C(PURPOSE));
	cr_assert_not(cats("We shall not be liable for indirect damages.") & C(RESTRICTIONS));
	cr_assert_not(cats("Outside the scope of this Agreement.") & C(TRANSFER));
	cr_assert_not(cats("You may access the API with your key.") & C(USER_RIGHTS));
	cr_assert_not(cats("我们将在页面显著位置公告。") & C(DATA_TYPES));
	cr_assert_not(cats("您同意本协议的全部条款。") & C(USER_RIGHTS));
	cr_assert_not(cats("我们依据个人信息保护法处理您的个人信息。") & C(DATA_TYPES));
	cr_assert_not(cats("This notice is given in writing.") & C(CHANGE_PROCEDURE));
	cr_assert_not(cats("We reserve the right to terminate your account.") & C(USER_RIGHTS));
}

Test(lexicon, tokens)
{
	cr_assert(lexicon_word(LEXW_NEGATION, "not", 3));
	cr_assert(lexicon_word(LEXW_MODAL, "May", 3));
	cr_assert(lexicon_word(LEXW_TIME_UNIT, "days", 4));
	cr_assert(lexicon_word(LEXW_MONTH, "Nov", 3));
	cr_assert_not(lexicon_word(LEXW_NEGATION, "note", 4));
}

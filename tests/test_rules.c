/* rules_analyze: each pattern family in English and Chinese, near misses,
 * JSON shape, junk input, and the corpus acceptance checks. */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clause.h"
#include "date.h"
#include "normalize.h"
#include "rules.h"
#include "strbuf.h"
#include "testutil.h"
#include "util.h"

static struct clause_list cl;
static struct rules r;

static void
analyze_n(const char *s, size_t n)
{
	cr_assert_eq(clause_split(s, n, &cl), 0);
	cr_assert_eq(rules_analyze(&cl, &r), 0);
}

static void
analyze(const char *s)
{
	analyze_n(s, strlen(s));
}

static void
done(void)
{
	rules_free(&r);
	clause_list_free(&cl);
}

static const struct rules_rule *
find_rule(const char *kind)
{
	size_t i;

	for (i = 0; i < r.nrule; i++)
		if (strcmp(r.rule[i].kind, kind) == 0)
			return &r.rule[i];
	return NULL;
}

/* The first rule of a kind; fails the test when there is none. */
static const struct rules_rule *
must_rule(const char *kind)
{
	const struct rules_rule *ru = find_rule(kind);

	cr_assert_not_null(ru, "no \"%s\" rule", kind);
	return ru;
}

static void
assert_date(int32_t d, const char *iso)
{
	char buf[11];

	cr_assert_neq(d, DATE_NONE, "expected %s, got none", iso);
	date_format(d, buf);
	cr_assert_str_eq(buf, iso);
}

/* ---- dates ---- */

Test(rules, dates_english_forms, .fini = done)
{
	analyze("# Terms of Service\n\nLast updated: Nov. 8, 2022\n\n"
	    "Effective as of 8 November 2022.\n\n1. Use the service well.\n");
	assert_date(r.updated, "2022-11-08");
	assert_date(r.effective, "2022-11-08");
	cr_assert_str_eq(must_rule("updated-date")->clause, "Terms of Service ¶1");
	cr_assert_str_eq(must_rule("effective-date")->text, "Effective as of 8 November 2022.");
}

Test(rules, dates_numeric_forms, .fini = done)
{
	analyze("Effective date: 2023/01/05\n\nLast revised on 2022.12.31\n");
	assert_date(r.effective, "2023-01-05");
	assert_date(r.updated, "2022-12-31");
	done();
	analyze("Effective Date: March 3rd, 2021\n\nUpdated: 2020-02-29\n");
	assert_date(r.effective, "2021-03-03");
	assert_date(r.updated, "2020-02-29");
}

Test(rules, dates_chinese_forms, .fini = done)
{
	analyze("# 隐私政策\n\n更新日期：2022年11月8日\n\n生效日期：【2026】年【1】月【5】日\n");
	assert_date(r.updated, "2022-11-08");
	assert_date(r.effective, "2026-01-05");
	cr_assert_str_eq(r.language, "zh");
	done();
	analyze("# 协议\n\n发布日期：2021年3月1日。本协议自2021年3月15日起生效。\n");
	assert_date(r.updated, "2021-03-01");
	assert_date(r.effective, "2021-03-15");
}

Test(rules, trailing_date_line_is_the_documents_date, .fini = done)
{
	analyze("1. Terms\n\n1.1 You agree to these terms.\n\nJune 2, 2021\n");
	assert_date(r.effective, "2021-06-02");
	cr_assert_str_eq(must_rule("effective-date")->text, "June 2, 2021");
}

Test(rules, dates_near_misses, .fini = done)
{
	analyze("> This text was archived on 2019-12-09 from the web.\n\n"
	    "# Privacy Policy\n\n"
	    "Payment is due on 2022-11-08 for the first invoice.\n\n"
	    "We comply with the Personal Information Protection Law effective as of "
	    "November 1, 2021 and other laws and regulations of the country.\n\n"
	    "Your subscription was updated recently; contact us anytime.\n");
	cr_assert_eq(r.effective, DATE_NONE);
	cr_assert_eq(r.updated, DATE_NONE);
	cr_assert_null(find_rule("effective-date"));
}

Test(rules, dated_is_not_updated, .fini = done)
{
	analyze("Last updated: 2020-01-01\n");
	cr_assert_eq(r.effective, DATE_NONE);
	assert_date(r.updated, "2020-01-01");
}

/* ---- notice ---- */

Test(rules, notice_days_before_effect_material_email, .fini = done)
{
	analyze("# Terms\n\n## Changes to these Terms\n\n"
	    "We may modify these Terms at any time. For material changes we will notify you by "
	    "email at least thirty (30) days before the changes take effect.\n");
	cr_assert_eq(r.notice_days, 30);
	cr_assert(r.before_effect);
	cr_assert_eq(r.scope, RULES_SCOPE_MATERIAL);
	cr_assert_eq(r.methods, RULES_M_EMAIL);
	cr_assert_str_eq(must_rule("notice")->clause, "Changes to these Terms ¶1");
	cr_assert(strstr(must_rule("notice")->text, "thirty (30) days") != NULL);
}

Test(rules, notice_word_numbers_and_all_scope, .fini = done)
{
	analyze("## Amendments\n\nWe will post any amendment to this Agreement on our website and "
	    "send an in-app notification and a text message fifteen days prior to the effective date.\n");
	cr_assert_eq(r.notice_days, 15);
	cr_assert(r.before_effect);
	cr_assert_eq(r.scope, RULES_SCOPE_ALL);
	cr_assert_eq(r.methods, RULES_M_WEBSITE | RULES_M_INAPP | RULES_M_SMS);
}

Test(rules, notice_after_the_fact_is_not_before_effect, .fini = done)
{
	analyze("9. Modification and Notice\n\n9.1 We may modify this agreement and notify users by "
	    "issuing notices on the platform.\n");
	cr_assert_not(r.before_effect);
	cr_assert_eq(r.notice_days, -1);
	cr_assert_eq(r.methods, RULES_M_WEBSITE);
	cr_assert_str_eq(must_rule("notice")->clause, "9.1");
}

Test(rules, notice_chinese, .fini = done)
{
	analyze("# 用户协议\n\n## 十、协议的变更\n\n1. 我们修改本协议时，将提前十五日通过网站公告、电子邮件或站内信通知您。\n\n"
	    "2. 修改后的协议于公示之日起七日后生效。\n");
	cr_assert_eq(r.notice_days, 15);
	cr_assert(r.before_effect);
	cr_assert_eq(r.scope, RULES_SCOPE_ALL);
	cr_assert_eq(r.methods, RULES_M_WEBSITE | RULES_M_EMAIL | RULES_M_INAPP);
	cr_assert_str_eq(must_rule("notice")->clause, "十、1");
	done();
	analyze("# 协议\n\n对本协议的重大变更，我们会以短信或书面信函方式在变更生效前通知您，通知期为三十天。\n");
	cr_assert_eq(r.notice_days, 30);
	cr_assert(r.before_effect);
	cr_assert_eq(r.scope, RULES_SCOPE_MATERIAL);
	cr_assert_eq(r.methods, RULES_M_SMS | RULES_M_LETTER);
}

/* A "Changes" section is about changes to the document: its sentences need
 * not repeat "these Terms". */
Test(rules, notice_in_changes_section, .fini = done)
{
	analyze("# Terms of Service\n\n## Changes\n\n"
	    "We will notify you by e-mail at least 30 days before changes take effect.\n");
	cr_assert_eq(r.notice_days, 30);
	cr_assert(r.before_effect);
	cr_assert_eq(r.scope, RULES_SCOPE_ALL);
	cr_assert_eq(r.methods, RULES_M_EMAIL);
	done();
	analyze("# Terms of Service\n\n## Changes\n\n"
	    "We will notify you by e-mail at least 30 days before a material change takes effect.\n");
	cr_assert_eq(r.notice_days, 30);
	cr_assert(r.before_effect);
	cr_assert_eq(r.scope, RULES_SCOPE_MATERIAL);
	cr_assert_eq(r.methods, RULES_M_EMAIL);
}

Test(rules, notice_more_phrasings, .fini = done)
{
	static const struct { const char *doc; int days, material; } v[] = {
		{ "# Developer Terms\n\n## Updates\n\nWe will provide at least 30 days' notice "
		    "prior to any new terms taking effect.\n", 30, 0 },
		{ "# Privacy Policy\n\n## Changes to This Policy\n\nWe'll notify you of material "
		    "changes at least 30 days before they become effective.\n", 30, 1 },
		{ "# API Terms\n\n## Modifications\n\nChanges will become effective thirty (30) "
		    "days after posting.\n", 30, 0 },
		{ "# 服务协议\n\n## 八、变更\n\n如需修改，我们将提前7日通知。\n", 7, 0 },
		{ "# 服务协议\n\n## 协议变更\n\n我们将于变更生效前十五日公告。\n", 15, 0 },
	};
	size_t i;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		analyze(v[i].doc);
		cr_assert_eq(r.notice_days, v[i].days, "case %zu: %d days", i, r.notice_days);
		cr_assert(r.before_effect, "case %zu", i);
		cr_assert_eq(r.scope, v[i].material ? RULES_SCOPE_MATERIAL : RULES_SCOPE_ALL,
		    "case %zu", i);
		done();
	}
}

/* Periods in a section about something else, or about changing something
 * else, are no notice of changes to the document. */
Test(rules, notice_sections_about_other_things, .fini = done)
{
	analyze("# Terms\n\n## Refunds\n\nRefund requests must reach us at least 30 days before "
	    "the renewal takes effect.\n\n## Payment\n\nWe will notify you by email of each "
	    "invoice, payable 30 days after issue.\n\n## Changes to the Service\n\nWe will "
	    "notify you at least 10 days before changes take effect.\n");
	cr_assert_eq(r.notice_days, -1);
	cr_assert_not(r.before_effect);
	cr_assert_null(find_rule("notice"));
}

Test(rules, notice_near_misses, .fini = done)
{
	/* days outside a change sentence, a user's notice, a refusal to notify */
	analyze("# Terms\n\nRefunds are paid within 30 days after we receive notice of cancellation.\n\n"
	    "If you do not accept a modification of this agreement, notify us in writing.\n\n"
	    "We may change the Services without notice if your existing interests are not impaired.\n");
	cr_assert_eq(r.notice_days, -1);
	cr_assert_not(r.before_effect);
	cr_assert_eq(r.scope, RULES_SCOPE_UNKNOWN);
	cr_assert_eq(r.methods, 0);
	cr_assert_null(find_rule("notice"));
	cr_assert_not_null(find_rule("no-notice-change"));
	cr_assert_not_null(find_rule("objection"));
	cr_assert_str_eq(r.objection,
	    "If you do not accept a modification of this agreement, notify us in writing.");
}

Test(rules, fee_change_is_not_the_general_notice, .fini = done)
{
	analyze("Paid services\n\n  • We may modify our fees and charging methods. We will announce the "
	    "change on the service webpage before it applies.\n");
	cr_assert_not_null(find_rule("fee-change"));
	cr_assert_null(find_rule("notice"));
	cr_assert_not(r.before_effect);
	done();
	analyze("## 3. 收费服务\n\n3.2 我们可能对收费标准进行修改。修改前，我们将在服务页面进行公告。\n");
	cr_assert_str_eq(must_rule("fee-change")->clause, "3.2");
	cr_assert_null(find_rule("notice"));
}

/* ---- deemed acceptance ---- */

Test(rules, deemed_acceptance_english, .fini = done)
{
	static const char *const yes[] = {
		"We may revise this policy. If you continue to use the service after the changes, you agree to be bound by the revised policy.\n",
		"Your continued use of the Services after any modification constitutes acceptance of the new terms.\n",
		"After the agreement is amended, you will be deemed to have accepted it if you continue using the platform.\n",
	};
	size_t i;

	for (i = 0; i < 3; i++) {
		analyze(yes[i]);
		cr_assert(r.deemed_acceptance, "case %zu", i);
		cr_assert_not_null(find_rule("deemed-acceptance"));
		done();
	}
	/* logging in accepts the agreement, but that is not about changes */
	analyze("If you log in or use the services, you are deemed to have agreed to the Agreement.\n");
	cr_assert_not(r.deemed_acceptance);
}

Test(rules, deemed_acceptance_chinese, .fini = done)
{
	analyze("## 九、其他\n\n1. 我们有权修改本协议，相关内容变更后，如果您继续使用本服务，即视为您已接受修改后的协议。\n");
	cr_assert(r.deemed_acceptance);
	cr_assert_str_eq(must_rule("deemed-acceptance")->clause, "九、1");
	done();
	analyze("用户继续使用本服务的，不影响其已经享有的权利。\n");
	cr_assert_not(r.deemed_acceptance);
}

/* ---- material definitions ---- */

Test(rules, material_list_english, .fini = done)
{
	analyze("## Changes\n\nWe may change this policy.\n\nMaterial changes include but are not limited to:\n\n"
	    "  * Changes in the purpose of processing;\n  * Changes in who receives your data.\n\n"
	    "Other text about changes.\n");
	cr_assert_eq(r.nmaterial, 2);
	cr_assert_str_eq(r.material[0], "Changes in the purpose of processing;");
	cr_assert_str_eq(r.material[1], "Changes in who receives your data.");
	cr_assert_str_eq(r.material_clause, "Changes ¶2");
	cr_assert_str_eq(must_rule("material-definition")->text, "Material changes include but are not limited to:");
}

Test(rules, material_phrase_english, .fini = done)
{
	analyze("We will email you before material changes, such as price increases, take effect.\n");
	cr_assert_eq(r.nmaterial, 1);
	cr_assert_str_eq(r.material[0], "price increases, take effect");
}

/* The colon of a link ("https:") in a later sentence is no list colon. */
Test(rules, material_phrase_before_a_link, .fini = done)
{
	analyze("# Terms\n\n## Changes\n\nWe will notify you of material changes to this Agreement, "
	    "such as price increases, at least 30 days before they take effect. You can view all "
	    "changes in our [archive](https://example.com/changes) repository.\n");
	cr_assert_eq(r.nmaterial, 1);
	cr_assert_str_eq(r.material[0], "price increases");
}

Test(rules, material_inline_chinese, .fini = done)
{
	analyze("# 隐私政策\n\n本政策所指的重大变更包括但不限于：服务模式发生重大变化；个人信息共享对象发生变化；您参与个人信息处理的权利发生重大变化。\n");
	cr_assert_eq(r.nmaterial, 3);
	cr_assert_str_eq(r.material[0], "服务模式发生重大变化");
	cr_assert_str_eq(r.material[2], "您参与个人信息处理的权利发生重大变化");
	done();
	analyze("# 隐私政策\n\n重大变更包括但不限于：(1)处理目的变化；(2)联系方式变化。\n");
	cr_assert_eq(r.nmaterial, 2);
	cr_assert_str_eq(r.material[0], "处理目的变化");
	cr_assert_str_eq(r.material[1], "联系方式变化");
}

Test(rules, material_numbered_chinese, .fini = done)
{
	analyze("## 七、变更\n\n1. 重大变更包括：\n\n（1）收费标准提高；\n\n（2）用户权利减少。\n\n2. 其他。\n");
	cr_assert_eq(r.nmaterial, 2);
	cr_assert_str_eq(r.material[0], "收费标准提高；");
	cr_assert_str_eq(r.material_clause, "七、1");
}

Test(rules, material_none_invented, .fini = done)
{
	analyze("We may make material changes to the service. A material breach ends the contract.\n");
	cr_assert_eq(r.nmaterial, 0);
	cr_assert_null(r.material_clause);
}

/* ---- narrower rules ---- */

Test(rules, notice_acceptance_objection_transfer, .fini = done)
{
	analyze("Notice\n\n  • Once such notice is published on the website, you are deemed to have accepted it. "
	    "If you disagree, you shall notify us in writing.\n\n"
	    "Other\n\n  • We may transfer our rights and obligations under this Agreement to an affiliate.\n");
	cr_assert_str_eq(must_rule("notice-acceptance")->clause, "Notice ¶1");
	cr_assert_str_eq(r.objection, "If you disagree, you shall notify us in writing.");
	cr_assert_str_eq(must_rule("rights-transfer")->clause, "Other ¶1");
	done();
	analyze("## 七、关于通知\n\n1. 通知一经公布，即视为您已接受。若您不接受的，请书面通知我们。\n\n"
	    "2. 我们可将本协议下的权利和义务转让给关联公司。\n");
	cr_assert_str_eq(must_rule("notice-acceptance")->clause, "七、1");
	cr_assert_str_eq(r.objection, "若您不接受的，请书面通知我们。");
	cr_assert_str_eq(must_rule("rights-transfer")->clause, "七、2");
}

Test(rules, no_notice_change_chinese, .fini = done)
{
	analyze("5.1 我们有权在无需通知您的情况下变更部分服务。\n\n5.2 我们不经通知删除违法内容。\n");
	cr_assert_str_eq(must_rule("no-notice-change")->clause, "5.1");
	cr_assert_eq(r.nrule, 1);
}

/* ---- sentences ---- */

Test(rules, sentences_respect_abbreviations, .fini = done)
{
	analyze("Beijing Example Co., Ltd. may amend this Agreement, e.g. to add features. "
	    "We will notify you by e-mail. Continued use constitutes acceptance of the amended Agreement.\n");
	cr_assert_str_eq(must_rule("notice")->text, "We will notify you by e-mail.");
	cr_assert_str_eq(must_rule("deemed-acceptance")->text,
	    "Continued use constitutes acceptance of the amended Agreement.");
}

/* ---- output ---- */

static json_t *
parse(const struct strbuf *sb)
{
	json_error_t e;
	json_t *v = json_loads(sb->buf, 0, &e);

	cr_assert(v, "not JSON (%s): %s", e.text, sb->buf);
	cr_assert_eq(sb->buf[sb->len - 1], '\n');
	return v;
}

static const char *
str_at(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	cr_assert(json_is_string(v), "%s is not a string", key);
	return json_string_value(v);
}

Test(rules, json_shape, .fini = done)
{
	struct strbuf sb = STRBUF_INIT;
	json_t *v, *notice, *rl, *one;
	size_t i;
	int found = 0;

	analyze("# Example \"Terms\"\n\n## Changes to this Agreement\n\nWe will notify you by email 10 days "
	    "before changes to this Agreement take effect. If you continue to use the service after the changes, "
	    "you agree to them.\n\nLast updated: 2024-01-02\n");
	rules_json(&r, &sb);
	v = parse(&sb);
	cr_assert_str_eq(str_at(v, "title"), "Example \"Terms\"");
	cr_assert_str_eq(str_at(v, "language"), "en");
	cr_assert(json_is_null(json_object_get(v, "effective_date")));
	cr_assert_str_eq(str_at(v, "updated_date"), "2024-01-02");
	cr_assert_eq(json_integer_value(json_object_get(v, "clauses")), (json_int_t)r.nclauses);
	notice = json_object_get(v, "notice");
	cr_assert_eq(json_integer_value(json_object_get(notice, "days")), 10);
	cr_assert(json_is_true(json_object_get(notice, "before_effect")));
	cr_assert_str_eq(str_at(notice, "scope"), "all");
	cr_assert_eq(json_array_size(json_object_get(notice, "methods")), 1);
	cr_assert_str_eq(json_string_value(json_array_get(json_object_get(notice, "methods"), 0)), "email");
	cr_assert(json_is_true(json_object_get(v, "deemed_acceptance")));
	cr_assert_eq(json_array_size(json_object_get(v, "material_definitions")), 0);
	rl = json_object_get(v, "rules");
	cr_assert_eq(json_array_size(rl), r.nrule);
	json_array_foreach(rl, i, one)
		if (!strcmp(str_at(one, "kind"), "notice")) {
			cr_assert_str_eq(str_at(one, "clause"), "Changes to this Agreement ¶1");
			cr_assert(strstr(str_at(one, "text"), "10 days"));
			found = 1;
		}
	cr_assert(found);
	json_decref(v);
	strbuf_release(&sb);
}

Test(rules, json_empty, .fini = done)
{
	static const char *const keys[] = { "title", "language", "clauses",
		"effective_date", "updated_date", "notice", "deemed_acceptance",
		"material_definitions", "rules" };
	struct strbuf sb = STRBUF_INIT;
	json_t *v, *notice;
	const char *k;
	json_t *x;
	size_t i = 0;

	analyze("");
	rules_json(&r, &sb);
	v = parse(&sb);
	cr_assert_eq(json_object_size(v), 9);
	json_object_foreach(v, k, x)	/* the contract's order */
		cr_assert_str_eq(k, keys[i++]);
	cr_assert(json_is_null(json_object_get(v, "title")));
	cr_assert_str_eq(str_at(v, "language"), "en");
	cr_assert_eq(json_integer_value(json_object_get(v, "clauses")), 0);
	cr_assert(json_is_null(json_object_get(v, "effective_date")));
	cr_assert(json_is_null(json_object_get(v, "updated_date")));
	notice = json_object_get(v, "notice");
	cr_assert(json_is_null(json_object_get(notice, "days")));
	cr_assert(json_is_false(json_object_get(notice, "before_effect")));
	cr_assert(json_is_null(json_object_get(notice, "scope")));
	cr_assert_eq(json_array_size(json_object_get(notice, "methods")), 0);
	cr_assert(json_is_false(json_object_get(v, "deemed_acceptance")));
	cr_assert_eq(json_array_size(json_object_get(v, "material_definitions")), 0);
	cr_assert_eq(json_array_size(json_object_get(v, "rules")), 0);
	json_decref(v);
	strbuf_release(&sb);
}

Test(rules, text_summary_quotes_findings, .fini = done)
{
	struct strbuf sb = STRBUF_INIT;

	analyze("## Changes\n\nWe will notify you by email 10 days before changes to this policy take effect.\n");
	rules_text(&r, &sb);
	cr_assert(strstr(sb.buf, "Notice of changes: 10 days, before the changes take effect") != NULL, "%s", sb.buf);
	cr_assert(strstr(sb.buf, "[Changes ¶1] \"We will notify you by email") != NULL, "%s", sb.buf);
	cr_assert(strstr(sb.buf, "Continued use counts as acceptance: no") != NULL);
	strbuf_release(&sb);
}

/* ---- robustness ---- */

Test(rules, junk_and_non_agreements, .fini = done)
{
	char junk[8192];
	size_t i;
	uint32_t x = 99;

	for (i = 0; i < sizeof(junk); i++) {
		x = x * 1664525u + 1013904223u;
		junk[i] = (char)(x >> 24);
	}
	analyze_n(junk, sizeof(junk));
	done();
	analyze("\xff\xfe\xe4\xb8 invalid \xc3( utf-8 \xe2\x82 day 30 天\n变更\xe5");
	done();
	analyze("# Pancakes\n\nMix 2 eggs with milk. Rest the batter for 30 minutes. "
	    "Change the pan if it burns. Continue to stir until smooth.\n");
	cr_assert_eq(r.nrule, 0);
	cr_assert_eq(r.effective, DATE_NONE);
	cr_assert_not(r.deemed_acceptance);
	cr_assert_eq(r.nmaterial, 0);
}

Test(rules, large_input, .fini = done)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i;

	/* 8 MB, one giant line, then many short repeated clauses */
	for (i = 0; i < 4u << 20; i++)
		strbuf_addch(&sb, "ab 变. \xe3"[i % 7]);
	strbuf_addch(&sb, '\n');
	for (i = 0; sb.len < 8u << 20; i++)
		strbuf_addf(&sb, "%zu. If you continue to use the service after changes, you are deemed to accept them.\n", i % 100);
	analyze_n(sb.buf, sb.len);
	cr_assert(r.deemed_acceptance);
	cr_assert_leq(r.nrule, 200);
	strbuf_release(&sb);
}

/* ---- the corpus (read at run time, never copied) ---- */

static int
corpus(const char *name)
{
	const char *dir = testutil_corpus();
	char path[1024];
	struct strbuf raw = STRBUF_INIT, norm = STRBUF_INIT;

	if (!dir)
		return -1;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (util_read_file(path, 64u << 20, &raw) < 0) {
		strbuf_release(&raw);
		return -1;
	}
	if (normalize_text(raw.buf, raw.len, &norm) < 0)
		analyze_n(raw.buf, raw.len);
	else
		analyze_n(norm.buf, norm.len);
	strbuf_release(&raw);
	strbuf_release(&norm);
	return 0;
}

Test(rules, corpus_faceplusplus_privacy, .fini = done)
{
	if (corpus("faceplusplus-privacy-policy.en.md") < 0)
		cr_skip_test("corpus not available");
	cr_assert(r.deemed_acceptance);
	cr_assert(r.before_effect);
	cr_assert_eq(r.scope, RULES_SCOPE_MATERIAL);
	cr_assert(r.methods & RULES_M_EMAIL);
	cr_assert(r.methods & RULES_M_WEBSITE);
	cr_assert_eq(r.nmaterial, 4);
	cr_assert(strncmp(r.material[0], "Material changes in the service mode", 36) == 0);
	cr_assert_eq(r.effective, DATE_NONE, "the archive note is no effective date");
	cr_assert_str_eq(r.language, "en");
}

Test(rules, corpus_faceplusplus_developer, .fini = done)
{
	if (corpus("faceplusplus-developer-agreement.en.txt") < 0)
		cr_skip_test("corpus not available");
	cr_assert(r.deemed_acceptance);
	cr_assert_not(r.before_effect);
	cr_assert_eq(r.nmaterial, 0);
	cr_assert_eq(r.effective, DATE_NONE);
	cr_assert_not_null(find_rule("fee-change"));
	cr_assert_not_null(find_rule("notice-acceptance"));
	cr_assert_not_null(r.objection);
	cr_assert(strstr(r.objection, "in writing") != NULL);
}

Test(rules, corpus_faceid, .fini = done)
{
	if (corpus("faceid-service-agreement.zh.md") < 0)
		cr_skip_test("corpus not available");
	cr_assert_str_eq(r.language, "zh");
	cr_assert(r.deemed_acceptance);
	cr_assert_str_eq(must_rule("deemed-acceptance")->clause, "九、1");
	cr_assert_str_eq(must_rule("fee-change")->clause, "三、3.2");
	cr_assert_str_eq(must_rule("notice-acceptance")->clause, "七、1");
	cr_assert_not(r.before_effect);
	cr_assert_eq(r.nmaterial, 0);
	cr_assert_eq(r.effective, DATE_NONE);
}

Test(rules, corpus_face_recognition_api, .fini = done)
{
	if (corpus("face-recognition-api-agreement.zh.md") < 0)
		cr_skip_test("corpus not available");
	cr_assert_str_eq(r.language, "zh");
	cr_assert(r.deemed_acceptance);
	cr_assert_str_eq(must_rule("notice")->clause, "7、 ¶1");
	cr_assert(r.methods & RULES_M_WEBSITE);
	cr_assert_not(r.before_effect);
	cr_assert_eq(r.nmaterial, 0);
	cr_assert_eq(r.effective, DATE_NONE);
}

Test(rules, corpus_realsee, .fini = done)
{
	if (corpus("realsee-developer-agreement.en.txt") < 0)
		cr_skip_test("corpus not available");
	cr_assert(r.deemed_acceptance);
	cr_assert_not(r.before_effect);
	cr_assert_eq(r.nmaterial, 0);
	assert_date(r.effective, "2022-11-08");
	cr_assert_str_eq(must_rule("notice")->clause, "9.1");
	cr_assert_str_eq(must_rule("no-notice-change")->clause, "4.4");
	cr_assert_str_eq(r.title, "Realsee Open Platform Developer Agreement");
}

/* ---- rules as real pages phrase them (bench/judge-accuracy.sh) ---- */

Test(rules, continued_use_subject_to_the_new_version, .fini = done)
{
	analyze("## Changes to this notice\n\nWe may update this Privacy Notice. Your continued "
	    "use of the Services after the effective date will be subject to the new "
	    "Privacy Notice.\n");
	cr_assert(r.deemed_acceptance);
	done();
	/* acceptance asked for is not acceptance deemed */
	analyze("## 17. Modification\n\nIf a change to these Terms materially modifies your "
	    "rights, we may require that you accept the modified Terms in order to continue "
	    "to use the Service.\n");
	cr_assert_not(r.deemed_acceptance);
}

Test(rules, statement_and_next_version_name_the_document, .fini = done)
{
	analyze("# Privacy Statement\n\nWe may periodically revise this Privacy Statement. If "
	    "there are material changes to the statement, we will provide at least 30 days "
	    "prior notice by updating our website or sending an email.\n");
	cr_assert_eq(r.notice_days, 30);
	cr_assert(r.before_effect);
	cr_assert_eq(r.scope, RULES_SCOPE_MATERIAL);
	cr_assert_eq(r.methods, RULES_M_EMAIL | RULES_M_WEBSITE);
	done();
	analyze("## How can I find out about changes?\n\nThis version took effect June 3, 2020.\n\n"
	    "We will announce the next version on our blog.\n");
	cr_assert_eq(r.effective, date_from_ymd(2020, 6, 3));
	cr_assert_eq(r.scope, RULES_SCOPE_ALL);
	cr_assert_eq(r.methods, RULES_M_WEBSITE);
}

/* "material changes to this Agreement, such as price increases": a fee
 * rule and the general notice in one sentence. */
Test(rules, fee_example_in_the_general_clause, .fini = done)
{
	analyze("## R. Changes\n\nWe will notify our Users of material changes to this "
	    "Agreement, such as price increases, at least 30 days prior to the change taking "
	    "effect by posting a notice on our Website or sending email to your address.\n");
	cr_assert_not_null(find_rule("fee-change"));
	cr_assert_not_null(find_rule("notice"));
	cr_assert_eq(r.notice_days, 30);
	cr_assert_eq(r.methods, RULES_M_EMAIL | RULES_M_WEBSITE);
}

Test(rules, posting_and_platform_notices, .fini = done)
{
	analyze("## 22. Changes\n\nWe may make changes to these Terms. If we make changes, we "
	    "will post the amended Terms to our Platform. We may also notify you by email or "
	    "by providing notice through our Platform.\n");
	cr_assert_eq(r.methods, RULES_M_EMAIL | RULES_M_WEBSITE | RULES_M_INAPP);
}

Test(rules, date_cue_at_a_line_end, .fini = done)
{
	analyze("## 10. Effective date\n\nThis Privacy Policy is effective as of  \n"
	    "August 6, 2018.\n");
	cr_assert_eq(r.effective, date_from_ymd(2018, 8, 6));
	done();
	analyze("# Accessibility\n\nEstablished on April 15, 2024.\n");
	cr_assert_eq(r.updated, date_from_ymd(2024, 4, 15));
}

/* A document that keeps its own changelog was updated on its newest
 * entry; entries need not be in order. */
Test(rules, changelog_gives_the_updated_date, .fini = done)
{
	analyze("# Terms\n\n## 1. Use\n\n1.1 You must not resell the service.\n\n"
	    "**Changelog:**\n\n* _May 31, 2023:_ Updated the fees.\n"
	    "* _May 26, 2026:_ Added a fair use policy.\n"
	    "* _August 22, 2023:_ Updated the affiliate programme.\n");
	cr_assert_eq(r.updated, date_from_ymd(2026, 5, 26));
	done();
	/* a date in the text after a changelog mention is no entry */
	analyze("# Terms\n\nChanges are noted in the changelog below.\n\n"
	    "1. We were founded in May 2010.\n");
	cr_assert_eq(r.updated, DATE_NONE);
}

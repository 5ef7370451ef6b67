/* clause_split: numbering schemes, labels, stability, junk input. */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clause.h"
#include "normalize.h"
#include "strbuf.h"
#include "testutil.h"
#include "util.h"

static struct clause_list cl;

static void
split(const char *s)
{
	cr_assert_eq(clause_split(s, strlen(s), &cl), 0);
}

static void
done(void)
{
	clause_list_free(&cl);
}

/* The clause with this label, or NULL. */
static const struct clause *
find(const char *label)
{
	size_t i;

	for (i = 0; i < cl.n; i++)
		if (strcmp(cl.v[i].label, label) == 0)
			return &cl.v[i];
	return NULL;
}

static const struct clause *
must(const char *label)
{
	const struct clause *c = find(label);
	size_t i;

	if (!c) {
		for (i = 0; i < cl.n; i++)
			fprintf(stderr, "  have [%s] %s\n", cl.v[i].label, cl.v[i].text);
		cr_assert_fail("no clause labelled \"%s\"", label);
	}
	return c;
}

/* Label of the clause whose text starts with prefix. */
static const char *
label_of(const char *prefix)
{
	size_t i;

	for (i = 0; i < cl.n; i++)
		if (strncmp(cl.v[i].text, prefix, strlen(prefix)) == 0)
			return cl.v[i].label;
	cr_assert_fail("no clause starting with \"%s\"", prefix);
	return NULL;
}

Test(clause, decimal_outline, .fini = done)
{
	split("Our Agreement\n\n"
	    "1. Scope\n\n"
	    "1.1. We provide the service to you.\n\n"
	    "1.2 You pay the fees.\n\n"
	    "1.2.1 Fees are due monthly.\n\n"
	    "3.5.2.1 Deep numbering works too.\n\n"
	    "2. Changes\n\n"
	    "2.1 We may amend this agreement.\n");
	cr_assert_str_eq(cl.title, "Our Agreement");
	cr_assert_str_eq(must("1")->text, "Scope");
	cr_assert_str_eq(must("1.1")->text, "We provide the service to you.");
	cr_assert_str_eq(must("1.2")->text, "You pay the fees.");
	cr_assert_eq(must("1.2.1")->level, must("1.2")->level + 1);
	must("3.5.2.1");
	cr_assert_str_eq(must("2.1")->text, "We may amend this agreement.");
	cr_assert_str_eq(must("2.1")->heading, "Our Agreement > 2. Changes");
	cr_assert_eq(must("2.1")->line, 15);
}

Test(clause, markdown_headings_and_paragraphs, .fini = done)
{
	split("# Data Policy\n\nIntro text here.\n\n## Fees\n\nFirst rule.\n\nSecond rule.\n\n"
	    "## Changes\n\nWe may change this policy.\n");
	cr_assert_str_eq(cl.title, "Data Policy");
	cr_assert_str_eq(must("Fees ¶2")->text, "Second rule.");
	cr_assert_str_eq(must("Fees ¶1")->text, "First rule.");
	cr_assert_str_eq(must("Changes ¶1")->heading, "Data Policy > Changes");
	cr_assert_str_eq(must("Data Policy ¶1")->text, "Intro text here.");
	cr_assert_eq(must("Fees")->level, 1);
	cr_assert_eq(must("Fees ¶1")->level, 2);
}

Test(clause, preamble_before_numbering, .fini = done)
{
	split("Welcome, this is the preamble.\n\n1. First clause.\n");
	cr_assert_str_eq(must("preamble")->text, "Welcome, this is the preamble.");
	must("1");
}

Test(clause, paren_schemes_relative, .fini = done)
{
	split("Section 2 Payment\n\n(a) You pay on time.\n\n(b) Late payments cost extra:\n\n"
	    "(i) a fee;\n\n(ii) interest.\n\nSection 3 Other\n\na) first\n\nb) second\n\n"
	    "Article 5 Term\n\n(1) one\n\n（2） two\n");
	cr_assert_str_eq(must("Section 2")->text, "Payment");
	cr_assert_str_eq(must("2(a)")->text, "You pay on time.");
	cr_assert_str_eq(must("2(b)(i)")->text, "a fee;");
	cr_assert_str_eq(must("2(b)(ii)")->text, "interest.");
	cr_assert_str_eq(must("3a)")->text, "first");
	cr_assert_str_eq(must("5(1)")->text, "one");
	cr_assert_str_eq(must("5(2)")->text, "two");
}

Test(clause, alpha_i_after_h_is_a_letter, .fini = done)
{
	split("1. List\n\n(g) seven\n\n(h) eight\n\n(i) nine\n\n(j) ten\n");
	cr_assert_str_eq(must("1(i)")->text, "nine");
	cr_assert_eq(must("1(i)")->level, must("1(h)")->level);
}

Test(clause, chinese_schemes, .fini = done)
{
	split("# 服务协议\n\n## 一、总则\n\n1. 本协议适用于全部服务。\n\n2. 其他。\n\n"
	    "## 九、其他\n\n1. 旷视有权修改本协议。\n\n（一）第一项；\n\n（二）第二项。\n\n"
	    "第一章 总则\n\n第十条 用户义务\n\n（一）遵守法律；\n\n1、第一点\n\n（1）小项\n");
	cr_assert_str_eq(cl.title, "服务协议");
	cr_assert_str_eq(must("一、")->text, "总则");
	cr_assert_str_eq(must("一、1")->text, "本协议适用于全部服务。");
	cr_assert_str_eq(must("九、1")->text, "旷视有权修改本协议。");
	cr_assert_str_eq(must("九、1（一）")->text, "第一项；");
	cr_assert_str_eq(must("第一章")->text, "总则");
	cr_assert_str_eq(must("第十条")->text, "用户义务");
	cr_assert_str_eq(must("第十条（一）")->text, "遵守法律；");
	cr_assert_str_eq(must("第十条（一）1")->text, "第一点");
	cr_assert_str_eq(must("第十条（一）1(1)")->text, "小项");
}

Test(clause, chinese_dun_heading_restarts, .fini = done)
{
	split("# 协议\n\n### 1、服务对象\n\n## 1.2 用户类型\n\n### 1.2.1 类型：\n\n"
	    "#### 5、用户义务\n\n1、不得违法。\n\n(1) 煽动的；\n\n## 7、服务条款的变更\n\n本公司有权修改。\n");
	cr_assert_str_eq(must("1、")->text, "服务对象");
	must("1.2");
	must("1.2.1");
	cr_assert_str_eq(must("5、1")->text, "不得违法。");
	cr_assert_str_eq(must("5、1(1)")->text, "煽动的；");
	cr_assert_str_eq(must("7、 ¶1")->text, "本公司有权修改。");
}

Test(clause, mixed_markdown_levels_follow_numbering, .fini = done)
{
	/* headings whose # levels disagree with their numbering */
	split("# T\n\n### 三、权利\n\n#### 1. 注册\n\n- 1.1 应当注册。\n\n## 2. 资质\n\n2.1 保证。\n\n"
	    "## 3. 收费服务\n\n3.2 旷视可能修改收费标准。\n\n#### 四、旷视\n\n1. 提供服务。\n");
	cr_assert_str_eq(must("三、1.1")->text, "应当注册。");
	cr_assert_str_eq(must("三、2.1")->text, "保证。");
	cr_assert_str_eq(must("三、3.2")->text, "旷视可能修改收费标准。");
	cr_assert_str_eq(must("三、3.2")->heading, "T > 三、权利 > 3. 收费服务");
	cr_assert_str_eq(must("四、1")->text, "提供服务。");
	cr_assert_eq(must("四、")->level, must("三、")->level);
}

Test(clause, bullet_outline_without_numbers, .fini = done)
{
	split("General\n\n  • First general rule.\n  • Second general rule.\n\n"
	    "Fees\n\n  • Paid services\n    • We charge for some services.\n"
	    "    • We may change fees.\n  • Refunds are possible.\n\nNotice\n\nAll notices are in writing.\n");
	cr_assert_str_eq(cl.title, "General");
	cr_assert_str_eq(must("General ¶2")->text, "Second general rule.");
	cr_assert_str_eq(must("Fees ¶1")->text, "Paid services");
	cr_assert_str_eq(must("Fees ¶1.2")->text, "We may change fees.");
	cr_assert_str_eq(must("Fees ¶1.2")->heading, "Fees > Paid services");
	cr_assert_eq(must("Fees ¶1.2")->level, 2);
	cr_assert_str_eq(must("Fees ¶2")->text, "Refunds are possible.");
	cr_assert_str_eq(must("Notice ¶1")->text, "All notices are in writing.");
}

/* A title-looking line, or the document's name for itself, beats the
 * first short line; navigation left over from the web page is no clause. */
Test(clause, title_prefers_a_document_name, .fini = done)
{
	split("General\n\n  • This Service Agreement for Developers on the Example Vision "
	    "Platform (hereinafter the \"Agreement\") is made between Example and you.\n"
	    "  • The Agreement applies to all services.\n\nDefinition of Terms\n\n"
	    "  • API means the interface.\n");
	cr_assert_str_eq(cl.title,
	    "Service Agreement for Developers on the Example Vision Platform");
	must("General ¶1");
	done();
	split("Skip to main content\n\nExample Cloud Developer Agreement\n\nWelcome to Example "
	    "Cloud.\n\n1. Definitions\n\n1.1 API means the interface.\n");
	cr_assert_str_eq(cl.title, "Example Cloud Developer Agreement");
	cr_assert_null(find("Skip to main content"));
	cr_assert_str_eq(cl.v[0].text, "Example Cloud Developer Agreement");
	done();
	split("[Skip to content](#main)\n\nExample Notes\n\nSome text here about nothing.\n");
	cr_assert_str_eq(cl.title, "Example Notes");
	cr_assert_null(find("Skip to content"));
	done();
	split("总则\n\n欢迎使用。《示例开放平台开发者服务协议》（以下简称“本协议”）由示例公司与您订立。\n");
	cr_assert_str_eq(cl.title, "示例开放平台开发者服务协议");
}

Test(clause, markdown_links_in_headings, .fini = done)
{
	split("# [Example Terms](#example-terms)\n\n## [3\\. Access](#3-access)\n\n"
	    "Text of access.\n\n## [](#fees)Fees #\n\nText of fees.\n");
	cr_assert_str_eq(cl.title, "Example Terms");
	cr_assert_str_eq(label_of("Text of access."), "3 ¶1");
	cr_assert_str_eq(label_of("Text of fees."), "Fees ¶1");
}

Test(clause, list_intro_owns_its_items, .fini = done)
{
	split("## Changes\n\nMaterial changes include:\n\n  * price increases;\n  * new purposes.\n\n"
	    "Other text.\n");
	cr_assert_str_eq(must("Changes ¶1")->text, "Material changes include:");
	cr_assert_str_eq(must("Changes ¶1.1")->text, "price increases;");
	cr_assert_str_eq(must("Changes ¶1.2")->text, "new purposes.");
	cr_assert_eq(must("Changes ¶1.2")->level, must("Changes ¶1")->level + 1);
	cr_assert_str_eq(must("Changes ¶2")->text, "Other text.");
}

Test(clause, continuation_paragraph_joins_numbered_clause, .fini = done)
{
	split("1. Rules\n\n1.1 First part of the rule.\n\nSecond paragraph of the same rule.\n\n1.2 Next.\n");
	cr_assert_str_eq(must("1.1")->text,
	    "First part of the rule.\n\nSecond paragraph of the same rule.");
	cr_assert_str_eq(must("1.2")->text, "Next.");
	cr_assert_eq(cl.n, 3);
}

Test(clause, labels_unique, .fini = done)
{
	split("1. One\n\n2. Two\n\n1. One again\n\n1. And again\n");
	must("1");
	cr_assert_str_eq(must("1 #2")->text, "One again");
	cr_assert_str_eq(must("1 #3")->text, "And again");
}

Test(clause, label_stable_when_text_inserted, .fini = done)
{
	const char *a = "# P\n\n## Scope\n\nA.\n\n1. One.\n\n2. Two.\n\n3. Three.\n\n4. Four.\n\n"
	    "5. Five.\n\n## Fees\n\nFee rule.\n\n- bullet one\n";
	const char *b = "# P\n\n## Scope\n\nA.\n\nNew paragraph.\n\n1. One.\n\n2. Two.\n\n"
	    "Inserted text before three.\n\n3. Three.\n\n4. Four changed.\n\n5. Five.\n\n"
	    "## Fees\n\nFee rule.\n\n- bullet one\n";
	struct clause_list other;
	size_t i;

	split(a);
	cr_assert_eq(clause_split(b, strlen(b), &other), 0);
	cr_assert_str_eq(label_of("Five."), "5");
	cr_assert_str_eq(label_of("Fee rule."), "Fees ¶1");
	cr_assert_str_eq(label_of("bullet one"), "Fees ¶2");
	for (i = 0; i < other.n; i++) {
		if (strcmp(other.v[i].text, "Five.") == 0)
			cr_assert_str_eq(other.v[i].label, "5");
		if (strcmp(other.v[i].text, "Fee rule.") == 0)
			cr_assert_str_eq(other.v[i].label, "Fees ¶1");
		if (strcmp(other.v[i].text, "bullet one") == 0)
			cr_assert_str_eq(other.v[i].label, "Fees ¶2");
	}
	clause_list_free(&other);
}

Test(clause, emphasis_around_numbers, .fini = done)
{
	split("## 二、定义\n\n3. **客户确认，已阅读。**\n\n- 5.4 **服务使用规范：** 客户不得：\n");
	cr_assert_str_eq(must("二、3")->text, "**客户确认，已阅读。**");
	cr_assert_str_eq(must("二、5.4")->text, "**服务使用规范：** 客户不得：");
}

Test(clause, not_numbers, .fini = done)
{
	/* a year, an amount and a third party are no clause numbers */
	split("2022.11.08 is a date.\n\n30 days is a period.\n\n第三方不是条款。\n");
	cr_assert_eq(cl.n, 3);
	cr_assert_str_eq(cl.v[0].label, "preamble");
	cr_assert_str_eq(cl.v[1].label, "preamble ¶2");
}

Test(clause, empty_and_junk, .fini = done)
{
	char junk[4096];
	size_t i;
	uint32_t x = 12345;

	cr_assert_eq(clause_split("", 0, &cl), 0);
	cr_assert_eq(cl.n, 0);
	cr_assert_null(cl.title);
	clause_list_free(&cl);
	cr_assert_eq(clause_split(NULL, 0, &cl), 0);
	clause_list_free(&cl);
	for (i = 0; i < sizeof(junk); i++) {
		x = x * 1103515245u + 12345u;
		junk[i] = (char)(x >> 16);
	}
	cr_assert_eq(clause_split(junk, sizeof(junk), &cl), 0);
	for (i = 0; i < cl.n; i++)
		cr_assert_not_null(cl.v[i].label);
	clause_list_free(&cl);
	/* truncated UTF-8 at the very end, deep nesting */
	{
		struct strbuf sb = STRBUF_INIT;
		for (i = 0; i < 200; i++)
			strbuf_addf(&sb, "%*s- level %zu\n", (int)i, "", i);
		strbuf_addstr(&sb, "1.2.3.4.5.6.7.8 x\n(a) (b)\n第");
		strbuf_addch(&sb, '\xe4');
		cr_assert_eq(clause_split(sb.buf, sb.len, &cl), 0);
		cr_assert_gt(cl.n, 200);
		strbuf_release(&sb);
	}
}

Test(clause, big_input_linear, .fini = done)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i;

	/* 2 MB: many sections, many equal labels (" #k" suffixes) */
	for (i = 0; sb.len < 2 * 1024 * 1024; i++)
		strbuf_addf(&sb, "%zu. Section\n\n1.1 The same text again.\n\n- a bullet\n\n", i % 50);
	cr_assert_eq(clause_split(sb.buf, sb.len, &cl), 0);
	cr_assert_gt(cl.n, 50000);
	must("7 #3");
	strbuf_release(&sb);
}

static int
read_corpus(const char *name, struct strbuf *out)
{
	const char *dir = testutil_corpus();
	char path[1024];
	struct strbuf raw = STRBUF_INIT;
	int rc;

	if (!dir)
		return -1;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (util_read_file(path, 64u << 20, &raw) < 0)
		return -1;
	rc = normalize_text(raw.buf, raw.len, out);
	if (rc < 0) {
		strbuf_reset(out);
		strbuf_add(out, raw.buf, raw.len);
	}
	strbuf_release(&raw);
	return 0;
}

Test(clause, corpus_faceid_labels, .fini = done)
{
	struct strbuf sb = STRBUF_INIT;

	if (read_corpus("faceid-service-agreement.zh.md", &sb) < 0)
		cr_skip_test("corpus not available");
	cr_assert_eq(clause_split(sb.buf, sb.len, &cl), 0);
	must("九、1");
	must("三、3.2");
	must("七、1");
	strbuf_release(&sb);
}

Test(clause, corpus_realsee_labels, .fini = done)
{
	struct strbuf sb = STRBUF_INIT;

	if (read_corpus("realsee-developer-agreement.en.txt", &sb) < 0)
		cr_skip_test("corpus not available");
	cr_assert_eq(clause_split(sb.buf, sb.len, &cl), 0);
	cr_assert_str_eq(cl.title, "Realsee Open Platform Developer Agreement");
	cr_assert_null(find("Skip to main content"));
	must("9");
	must("9.1");
	must("4.4.2");
	strbuf_release(&sb);
}

Test(clause, corpus_faceplusplus_developer_title, .fini = done)
{
	struct strbuf sb = STRBUF_INIT;

	if (read_corpus("faceplusplus-developer-agreement.en.txt", &sb) < 0)
		cr_skip_test("corpus not available");
	cr_assert_eq(clause_split(sb.buf, sb.len, &cl), 0);
	cr_assert(strncmp(cl.title, "Service Agreement for Developer", 31) == 0, "%s",
	    cl.title);
	strbuf_release(&sb);
}

Test(clause, corpus_api_agreement_labels, .fini = done)
{
	struct strbuf sb = STRBUF_INIT;

	if (read_corpus("face-recognition-api-agreement.zh.md", &sb) < 0)
		cr_skip_test("corpus not available");
	cr_assert_eq(clause_split(sb.buf, sb.len, &cl), 0);
	must("7、");
	must("9.1");
	strbuf_release(&sb);
}

/* Setext headings ("Title" underlined with = or -) are headings, as
 * Open Terms Archive writes them; a rule after a blank line is not. */
Test(clause, setext_headings)
{
	static const char md[] = "Terms of Service\n================\n\nIntro text.\n\n"
	    "Changes to These Terms\n----------------------\n\nWe may change these terms.\n\n"
	    "---\n\nClosing words.\n";
	struct clause_list cl;
	size_t i;
	int found = 0;

	cr_assert_eq(clause_split(md, strlen(md), &cl), 0);
	cr_assert_str_eq(cl.title, "Terms of Service");
	for (i = 0; i < cl.n; i++)
		if (!strcmp(cl.v[i].text, "We may change these terms.")) {
			cr_assert_not_null(strstr(cl.v[i].heading, "Changes to These Terms"),
			    "%s", cl.v[i].heading);
			found = 1;
		}
	cr_assert(found);
	for (i = 0; i < cl.n; i++)
		cr_assert_null(strstr(cl.v[i].text, "---"), "%s", cl.v[i].text);
	clause_list_free(&cl);
}

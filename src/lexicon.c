/* lexicon: bilingual keywords for change categories.
 *
 * The lists are deliberately short and literal so a lawyer can read them
 * and see why a change got its category (doc: judge section of the man
 * page points here). A category is assigned when any keyword occurs in the
 * changed words or in the sentence around them; judge falls back to the
 * clause heading when the sentence says nothing. */
#include <stdlib.h>
#include <string.h>

#include "judge.h"
#include "lexicon.h"
#include "util.h"

static const char *const kw_collection[] = {
	"collect$", "collects$", "collected$", "collecting$", "collection$", "gather", "obtain your", "obtain personal", "obtain information",
	"we receive", "record your", "recording", "automatically collect",
	"cookie", "log data", "log file", "track", "sdk", "pixel", "capture",
	"收集", "采集", "获取您", "获取用户", "自动收集", "调用权限", "读取", NULL };
static const char *const kw_types[] = {
	"types of personal", "type of personal", "categories of personal",
	"kinds of personal", "types of data", "types of information",
	"categories of data", "categories of information", "name$", "names$",
	"e-mail address",
	"email address", "phone number", "mobile number", "telephone number",
	"home address", "id card", "identity card", "passport", "biometric",
	"facial", "face image", "face data", "fingerprint", "voiceprint", "iris",
	"location data", "location information", "precise location",
	"geolocation", "gps", "device identifier", "device information", "imei",
	"ip address", "contact list", "contacts", "photo", "image", "video",
	"bank card", "payment information", "card number", "health", "gender",
	"date of birth", "birthday", "browsing history",
	"sensitive personal", "sensitive data", "sensitive information",
	"姓名", "手机号", "电话号码", "邮箱地址", "电子邮件地址", "住址",
	"身份证", "生物识别", "人脸", "面部", "指纹", "声纹", "虹膜", "位置信息",
	"地理位置", "定位", "设备信息", "设备标识", "ip地址", "照片", "图像", "视频",
	"银行卡", "个人信息类型", "个人信息的类型", "个人信息种类", "个人信息的种类",
	"信息类型", "敏感个人信息", "敏感信息", "通讯录", "性别", "年龄", "健康",
	"生日", "浏览记录", NULL };
static const char *const kw_purpose[] = {
	"purpose", "used for", "used to", "use your personal", "use your data",
	"use your information", "use such information", "use of your personal",
	"use of personal", "advertis", "marketing", "profiling", "research",
	"improve our", "improve the", "analytic", "train our", "train the",
	"training", "machine learning", "personaliz", "personalis",
	"目的", "用途", "用于", "使用您", "广告", "营销", "推送", "画像", "研究",
	"改进", "训练", "推荐", NULL };
static const char *const kw_sharing[] = {
	"share", "sharing", "disclos", "third part", "third-part", "partners$",
	"advertising partner", "business partner", "affiliate", "vendor",
	"service provider", "processor", "recipient", "broker",
	"sell$", "sells$", "sold$", "sale$", "advertiser", "provide it to",
	"provide them to", "provided to third", "make available to", "subcontract",
	"entrust", "共享", "分享", "披露", "第三方", "合作伙伴", "合作方", "关联公司",
	"关联方", "提供给", "出售", "委托处理", "转让", NULL };
static const char *const kw_retention[] = {
	"retain", "retention", "kept for", "keep your", "keep personal", "keep such", "keep it for",
	"keep them for", "stored", "storing", "storage", "store your",
	"store personal", "store data", "store the data", "delet",
	"erase", "destroy", "anonymi", "de-identif", "archived",
	"保存", "存储", "储存", "保留", "删除", "销毁", "匿名化", "去标识化",
	NULL };
static const char *const kw_transfer[] = {
	"cross-border", "cross border", "outside the eea", "outside the european",
	"outside the united", "outside the country", "outside your country",
	"outside mainland", "outside china", "outside of china", "outside the prc",
	"abroad", "overseas", "transfer your", "transfer personal",
	"transfer of personal", "transfers of personal", "transferred to",
	"transfer data", "transfer of data", "transfer information",
	"international transfer", "data transfer", "other countr",
	"another countr", "data center", "data centre", "servers are located",
	"跨境", "境外", "出境", "传输至", "国外", "海外", "所在地", NULL };
static const char *const kw_rights[] = {
	"access your personal", "access to your personal", "access your data",
	"access to your data", "access your information", "right of access",
	"right to access", "correct your", "rectif", "erasure", "withdraw your",
	"withdraw consent", "your consent", "object$", "objection", "portab",
	"opt out", "opt-out", "right to", "your rights", "complain",
	"request a copy", "restrict processing", "查阅", "更正", "撤回", "注销账",
	"您的权利", "行使", "投诉", "访问您", "拒绝", NULL };
static const char *const kw_security[] = {
	"secur", "encrypt", "breach", "safeguard", "protect your",
	"protect the", "protect personal", "protection measure", "access control",
	"unauthori", "leak", "安全", "加密", "泄露", "保护措施", "保护您",
	"未经授权", NULL };
static const char *const kw_fees[] = {
	"fee$", "fees$", "charge", "price", "pricing", "payment$", "payments$",
	"pay$", "pays$", "paid", "billing", "billed", "bill$", "invoice", "refund",
	"cost$", "costs$", "free of charge", "for free", "free plan", "free tier",
	"free trial", "taxes$", "tax$", "usd", "rmb", "cny", "$", "per month",
	"per call", "subscription", "prepa", "费用", "收费", "价格", "计费", "付费",
	"支付", "退款", "发票", "免费", "资费", "充值", "结算", "单价", "套餐",
	"人民币", "元/次", "元/千次", "元/月", "元/年", NULL };
static const char *const kw_liability[] = {
	"liab", "liable", "warrant", "indemn", "damages", "responsible for",
	"responsibility", "disclaim", "as is", "compensat", "limitation of",
	"loss", "losses", "guarantee", "责任", "赔偿", "担保", "保证", "免责",
	"损失", "补偿", NULL };
static const char *const kw_termination[] = {
	"terminat", "suspend", "suspension", "cancel", "close your account",
	"deactivat", "ban$", "expir", "discontinu", "end this", "withdraw from",
	"终止", "暂停", "中止", "注销账号", "解除", "停止服务", "停止提供", "封禁",
	"到期", "关闭", NULL };
static const char *const kw_disputes[] = {
	"dispute", "arbitrat", "court", "governing law", "governed by",
	"laws of", "jurisdiction", "litigation", "lawsuit", "class action",
	"mediat", "venue", "争议", "仲裁", "法院", "诉讼", "管辖", "适用法律",
	"法律适用", "调解", NULL };
static const char *const kw_license[] = {
	"licen", "intellectual property", "copyright", "trademark", "patent",
	"ownership", "grant you", "grants you", "right to use", "owns$",
	"proprietary", "许可", "授权", "知识产权", "著作权", "商标", "专利",
	"所有权", "使用权", NULL };
static const char *const kw_restrictions[] = {
	"you may not", "you shall not", "you must not", "you will not",
	"you agree not to", "developer shall not", "developers shall not",
	"user shall not", "users shall not", "prohibit", "restrict", "forbid",
	"not allowed", "not permitted", "reverse engineer", "resell",
	"rate limit", "usage limit", "call limit", "quota", "acceptable use",
	"不得", "禁止", "不允许", "反向工程", "转售", "配额", "调用次数", "调用频率",
	NULL };
static const char *const kw_change[] = {
	"amend", "modify this", "modify these", "modify the agreement",
	"modify the terms", "modify the policy", "modifications to this",
	"modifications to these", "update this", "update these",
	"update the agreement", "update the policy", "updated policy",
	"updated terms", "updated agreement", "revised version", "revise this",
	"revise these", "changes to this", "changes to these", "change this",
	"change these", "notify you of", "notice of change", "notice of any change",
	"days' notice", "days notice", "prior notice", "advance notice",
	"continued use", "continue to use", "continuing to use",
	"take effect", "takes effect", "come into effect", "become effective",
	"material change", "变更", "修改", "修订", "继续使用", "更新本", "生效",
	"重大变化", "重大变更", NULL };
static const char *const kw_contact[] = {
	"contact", "e-mail us", "email us", "reach us", "write to",
	"telephone", "hotline", "customer service", "support", "help center",
	"help centre", "feedback", "mailing address", "联系", "客服", "热线",
	"帮助中心", "反馈", "邮箱", "电话", NULL };
static const char *const kw_scope[] = {
	"apply to", "applies to", "applicab", "scope", "cover", "this policy",
	"these terms", "this agreement", "product", "适用", "范围", "本协议",
	"本政策", "产品", NULL };

/* Phrases that contain a keyword of a category without being about it:
 * a payment processor is a recipient, payment information a data type. */
static const char *const ex_fees[] = { "payment processor", "payment service provider",
	"payment information", "payment card", "payment details", "payment data",
	"payment account", "in charge", "free of virus", "free from", "at no cost to us",
	NULL };
static const char *const ex_sharing[] = { "share price", "market share",
	"third party software", "third-party software", "third party open source",
	"third-party open source", NULL };
static const char *const ex_disputes[] = { "court order", "法院的要求", "法院要求",
	NULL };
static const char *const ex_rights[] = { "right to use", "right to terminate",
	"right to suspend", "right to modify", "right to change", "right to amend",
	"right to refuse", "right to reject", "right to remove", "right to charge",
	NULL };
static const char *const ex_none[] = { NULL };

static const char *const *const excl[JUDGE_C_COUNT] = {
	ex_none, ex_none, ex_none, ex_sharing, ex_none, ex_none, ex_rights,
	ex_none, ex_fees, ex_none, ex_none, ex_disputes, ex_none, ex_none,
	ex_none, ex_none, ex_none,
};

static const char *const *const lists[JUDGE_C_COUNT] = {
	kw_collection, kw_types, kw_purpose, kw_sharing, kw_retention,
	kw_transfer, kw_rights, kw_security, kw_fees, kw_liability,
	kw_termination, kw_disputes, kw_license, kw_restrictions, kw_change,
	kw_contact, kw_scope,
};

const char *const *
lexicon_keywords(int c)
{
	return c >= 0 && c < JUDGE_C_COUNT ? lists[c] : NULL;
}

static int
alpha(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Is the keyword at [p, p+kl) inside one of the phrases ex? */
static int
shadowed(const char *t, size_t len, const char *p, size_t kl,
    const char *const *ex)
{
	size_t at = (size_t)(p - t);

	for (; *ex; ex++) {
		size_t el = strlen(*ex), off, lo;

		if (el < kl || el > len)
			continue;
		lo = at + kl >= el ? at + kl - el : 0;
		for (off = lo; off <= at && off + el <= len; off++)
			if (memcmp(t + off, *ex, el) == 0)
				return 1;
	}
	return 0;
}

/* Does keyword k (lowercase) occur in the lowercased text t, outside the
 * phrases ex? */
static int
has_kw(const char *t, size_t len, const char *k, const char *const *ex)
{
	size_t kl = strlen(k);
	int end = 0, ascii = (unsigned char)k[0] < 0x80;
	const char *p = t, *e = t + len;

	if (kl > 1 && k[kl - 1] == '$') {
		end = 1;
		kl--;
	}
	if (kl == 1 && k[0] == '$')	/* the dollar sign itself */
		return memchr(t, '$', len) != NULL;
	while (p < e && (p = memmem(p, (size_t)(e - p), k, kl)) != NULL) {
		int ok = 1;

		if (ascii && alpha((unsigned char)k[0]) && p > t &&
		    alpha((unsigned char)p[-1]))
			ok = 0;
		if (ok && end && p + kl < e && alpha((unsigned char)p[kl]))
			ok = 0;
		if (ok && shadowed(t, len, p, kl, ex))
			ok = 0;
		if (ok)
			return 1;
		p++;
	}
	return 0;
}

unsigned
lexicon_categories(const char *s, size_t len)
{
	char *low;
	unsigned cats = 0;
	size_t i;
	int c;

	if (!s || !len)
		return 0;
	low = xmalloc(len + 1);
	for (i = 0; i < len; i++) {
		char ch = s[i];

		low[i] = (ch >= 'A' && ch <= 'Z') ? (char)(ch + 32) : ch;
	}
	low[len] = '\0';
	for (c = 0; c < JUDGE_C_COUNT; c++) {
		const char *const *k;

		for (k = lists[c]; *k; k++)
			if (has_kw(low, len, *k, excl[c])) {
				cats |= 1u << c;
				break;
			}
	}
	free(low);
	return cats;
}

static int
in_list(const char *tok, size_t len, const char *const *list)
{
	size_t i, j;

	for (i = 0; list[i]; i++) {
		if (strlen(list[i]) != len)
			continue;
		for (j = 0; j < len; j++) {
			char c = tok[j];

			if (c >= 'A' && c <= 'Z')
				c += 32;
			if (c != list[i][j])
				break;
		}
		if (j == len)
			return 1;
	}
	return 0;
}

static const char *const w_negation[] = { "not", "no", "never", "none",
	"neither", "nor", "without", "cannot", "can't", "won't",
	"don't", "doesn't", "isn't", "aren't", "shan't", "mustn't",
	"unless", "except", "不", "无", "未", "非", "没", "勿", "否", "免",
	NULL };

static const char *const w_modal[] = { "may", "must", "will", "shall",
	"can", "should", "might", "could", "would", "required", "entitled",
	"optional", "mandatory", "应", "须", "可", "将", "会", "能",
	"需", "必", "宜", NULL };

static const char *const w_time_unit[] = { "day", "days", "week", "weeks",
	"month", "months", "year", "years", "hour", "hours", "minute",
	"minutes", "business", "working", "calendar", "天", "日", "周", "月",
	"年", "小时", "个", "工作日", NULL };

static const char *const w_month[] = { "january", "february", "march",
	"april", "may", "june", "july", "august", "september", "october",
	"november", "december", "jan", "feb", "mar", "apr", "jun", "jul",
	"aug", "sep", "sept", "oct", "nov", "dec", NULL };

/* Words whose change alone alters nothing a party must, may or gets:
 * articles, prepositions, pronouns, auxiliaries. Modals, negations,
 * quantifiers and condition words are deliberately absent. */
static const char *const w_function_word[] = { "a", "an", "the", "of", "to", "in",
	"on", "at", "by", "for", "with", "from", "into", "onto", "upon",
	"as", "that", "this", "these", "those", "which", "who", "whom",
	"whose", "it", "its", "is", "are", "was", "were", "be", "been",
	"being", "has", "have", "had", "do", "does", "did", "and", "or",
	"so", "than", "then", "there", "here", "our", "your", "their",
	"his", "her", "also", "just", "very", "about", "via", "per",
	"under", "over", "within", "through", "throughout", "s", "us",
	"的", "了", "之", "其", "该", "此", "这", "那", "并", "而", "也",
	"等", "与", "和", "及", "以", "于", "在", "对", "由", "为", "地",
	"得", "着", "过", NULL };

/* How much or how many: a change of one is a change of scope. */
static const char *const w_quantifier[] = { "any", "all", "each", "every", "only",
	"some", "solely", "exclusively", "sole", "both", "either",
	"one", "two", "three", "four", "five", "six", "seven", "eight",
	"nine", "ten", "twelve", "fifteen", "twenty", "thirty", "sixty",
	"ninety", "hundred", "once", "twice",
	"任何", "所有", "全部", "每", "仅", "只", "均", "一切", "任", "全",
	NULL };

/* Words that open a condition or an exception. */
static const char *const w_condition[] = { "if", "unless", "except", "provided",
	"subject", "until", "before", "after", "whether", "where",
	"when", "whenever", "upon", "prior", "following", "notwithstanding",
	"如果", "若", "除非", "除", "但", "前提", "如", "经", "须经", NULL };

/* Suffixes of a company's legal form ("Inc", "GmbH", "有限公司"). */
static const char *const w_legal_form[] = { "inc", "llc", "ltd", "limited",
	"gmbh", "sarl", "ulc", "bv", "ag", "se", "plc", "corp",
	"corporation", "co", "company", "lp", "llp", "sa", "sas", "srl",
	"spa", "ab", "oy", "kk", "pty", "nv", "kg", "mbh", "公司", NULL };

/* Markers of a sentence that binds someone: modals, deontic verbs and
 * personal-data practices. A sentence with none of them explains or
 * describes ("For more about X, see Y") and changes no right. */
static const char *const kw_operative[] = {
	"may$", "must$", "shall$", "will$", "can$", "cannot", "could$",
	"would$", "should$", "not$", "never", "no$", "only", "agree", "consent",
	"grant", "licen", "waive", "prohibit", "permit", "allow", "require",
	"oblig", "responsib", "liab", "indemn", "terminat", "suspend",
	"charge", "pay", "fee$", "fees$", "refund", "commission", "price",
	"reserve the right", "right to", "rights$", "right of", "entitle", "collect", "share", "disclos", "sell$",
	"transfer", "retain", "store", "process", "use$", "uses$", "used$",
	"using", "apply", "applies", "govern", "warrant", "guarantee",
	"accept", "bound", "restrict", "limit", "remov", "delet", "ban$",
	"rank", "notif", "notice", "object", "cancel", "withdraw", "receive",
	"provide", "exclusive", "arbitrat", "court", "law$", "laws$",
	"adhere", "comply", "ensure", "undertake", "maintain",
	"contract is with", "contracting with", "contracting entity",
	"contracting party", "between you and", "agreement is with",
	"应", "须", "必须", "不得", "可以", "有权", "同意", "授权", "禁止",
	"承担", "负责", "收取", "费用", "终止", "暂停", "收集", "共享", "披露",
	"存储", "处理", "使用", "适用", "保留", "不", "将", NULL };

static const char *const kw_chrome[] = {
	"table of contents", "contents$", "summary", "key takeaways",
	"key points", "in short", "at a glance", "tl;dr", "was this helpful",
	"page helpful", "article helpful", "skip to", "back to top",
	"jump to", "print this", "share this", "related articles",
	"you are here", "on this page", "in this article", "cookie settings",
	"this article applies to",
	"目录", "摘要", "要点", "本页内容", "返回顶部", "有帮助", NULL };

static const char *const kw_contact_cue[] = {
	"address", "located at", "registered office", "headquarter",
	"street", "avenue", "blvd", "boulevard", "road$", "suite",
	"floor$", "p.o. box", "po box", "phone", "telephone", "tel$",
	"fax", "e-mail", "email", "contact", "write to", "reach us",
	"representative", "postal", "mailing", "domicilio", "siège social",
	"sede legale", "地址", "电话", "邮箱", "联系",
	"邮编", NULL };

static const char *const kw_example[] = { "for example", "e.g", "for instance",
	"例如", "比如", "举例", NULL };

static const char *const kw_announce[] = { "we are updating",
	"we're updating", "we are making changes", "we're making changes",
	"will be updated", "will take effect", "will become effective",
	"will come into effect", "will be effective", "upcoming changes",
	"upcoming update", "new version of", "updated version of",
	"are changing", "will change", "will be changing", "go into effect",
	"即将更新", "将于",
	"即将生效", NULL };

static const char *const kw_pointer[] = { "for more information",
	"for additional information", "for further information",
	"for more details", "for details", "to learn more", "learn more",
	"please read", "please see", "please visit", "please refer",
	"click here", "read more", "find out more", "more information about",
	"information about how", "you can find", "can be found",
	"详情请", "了解更多", "请参阅", "请查看", NULL };

/* The provider's representative or data protection officer, designated
 * or to be contacted: contact details. Someone acting for the user (an
 * authorised agent) is a right, not a contact. */
static const char *const kw_representative[] = { "representative",
	"data protection officer", "dpo$", "代表", "数据保护官", NULL };
static const char *const kw_designate[] = { "designat", "appoint",
	"contact", "reach", "指定", "联系", NULL };
static const char *const kw_agent[] = { "authori", "agent", "on your behalf",
	"on behalf of you", "代理", "代表您", NULL };

/* Words that say a place is an address (a registered office moved). */
static const char *const kw_address_cue[] = { "address", "located at",
	"registered office", "headquarter", "head office", "street", "avenue",
	"blvd", "boulevard", "road$", "suite", "floor$", "p.o. box", "po box",
	"postal", "domicilio", "siège social", "sede legale", "地址", "住所",
	"邮编", NULL };

/* Where the document's own text comes from: a template credited under its
 * licence ("based on the Creative Commons licensed policy by X"). */
static const char *const kw_derived[] = { "based on", "adapted from",
	"derived from", "modeled on", "modelled on", "参考", "基于", "改编",
	NULL };
static const char *const kw_template[] = { "creative commons", "cc by",
	"cc-by", "template", "licensed policy", "知识共享", "模板", NULL };

/* Any keyword of list in s (lowercased ASCII; Chinese anywhere). Link
 * targets are blanked first: a URL's path is no word of the text. */
static int
has_any(const char *s, size_t len, const char *const *list)
{
	char *low;
	size_t i, j;
	int r = 0;

	if (!s || !len)
		return 0;
	low = xmalloc(len + 1);
	for (i = 0; i < len; i++)
		low[i] = (s[i] >= 'A' && s[i] <= 'Z') ? (char)(s[i] + 32) : s[i];
	low[len] = '\0';
	for (i = 0; i + 1 < len; i++)
		if ((low[i] == ']' && low[i + 1] == '(') ||
		    (i + 4 < len && !memcmp(low + i, "http", 4)))
			while (i < len && low[i] != ')' && low[i] != ' ' &&
			    low[i] != '\n')
				low[i++] = ' ';
	/* Markdown's marks are no letters: "Click [here](…)" reads "click here" */
	for (i = j = 0; i < len; i++)
		if (!strchr("[]*_", low[i]) || !low[i])
			low[j++] = low[i];
	while (j > 0 && low[j - 1] == ' ')
		j--;
	len = j;
	low[len] = '\0';
	for (; *list && !r; list++)
		r = has_kw(low, len, *list, ex_none);
	free(low);
	return r;
}

/* The lists of lexicon_has, in enum lexicon_text order. */
static const char *const *const text_lists[] = {
	[LEX_OPERATIVE] = kw_operative,
	[LEX_CHROME] = kw_chrome,
	[LEX_CONTACT_CUE] = kw_contact_cue,
	[LEX_EXAMPLE] = kw_example,
	[LEX_ANNOUNCE] = kw_announce,
	[LEX_POINTER] = kw_pointer,
	[LEX_REPRESENTATIVE] = kw_representative,
	[LEX_DESIGNATE] = kw_designate,
	[LEX_AGENT] = kw_agent,
	[LEX_DERIVED] = kw_derived,
	[LEX_ADDRESS_CUE] = kw_address_cue,
	[LEX_TEMPLATE] = kw_template,
};

int
lexicon_has(enum lexicon_text which, const char *s, size_t len)
{
	return has_any(s, len, text_lists[which]);
}

/* "and" / "or": swapping them turns a condition around. */
static const char *const w_conjunction[] = { "and", "or", "和", "或", "及", "与", NULL };

/* Words that say how to reach a page or a person, not what anyone must. */
static const char *const w_route_word[] = { "contact", "contacting", "directly",
	"email", "e-mail", "visit", "support", "portal", "form", "page",
	"here", "website", "site", "click", "see", "link", "online",
	"available", "at", "through", "via", "by", "including", "also",
	NULL };

/* Money after a number: the number is an amount. */
static const char *const w_currency[] = { "eur", "euro", "euros", "usd",
	"dollar", "dollars", "gbp", "pound", "pounds", "chf", "cny", "rmb",
	"yuan", "jpy", "yen", "inr", "rupees", "元", "美元", "欧元", "英镑",
	"日元", NULL };

/* After a number, a house or floor number ("1号", "12层"). */
static const char *const w_house[] = { "号", "室", "楼", "层", "栋", "幢", NULL };

/* The lists of lexicon_word, in enum lexicon_word order. */
static const char *const *const word_lists[] = {
	[LEXW_NEGATION] = w_negation,
	[LEXW_MODAL] = w_modal,
	[LEXW_TIME_UNIT] = w_time_unit,
	[LEXW_MONTH] = w_month,
	[LEXW_FUNCTION] = w_function_word,
	[LEXW_QUANTIFIER] = w_quantifier,
	[LEXW_CONDITION] = w_condition,
	[LEXW_LEGAL_FORM] = w_legal_form,
	[LEXW_CONJUNCTION] = w_conjunction,
	[LEXW_ROUTE] = w_route_word,
	[LEXW_CURRENCY] = w_currency,
	[LEXW_HOUSE] = w_house,
};

int
lexicon_word(enum lexicon_word which, const char *tok, size_t len)
{
	return in_list(tok, len, word_lists[which]);
}

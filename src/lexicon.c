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
	"collect", "gather", "obtain", "we receive", "record", "automatically",
	"cookie", "log data", "log file", "track", "sdk", "pixel", "capture",
	"收集", "采集", "获取", "记录", "自动", "调用权限", "读取", NULL };
static const char *const kw_types[] = {
	"personal information", "personal data", "name$", "names$", "e-mail address",
	"email address", "phone number", "mobile number", "telephone number",
	"home address", "id card", "identity card", "passport", "biometric",
	"facial", "face image", "face data", "fingerprint", "voiceprint", "iris",
	"location", "gps", "device identifier", "device information", "imei",
	"ip address", "contact list", "contacts", "photo", "image", "video",
	"bank card", "payment information", "card number", "health", "gender",
	"age$", "date of birth", "birthday", "browsing history", "precise",
	"sensitive", "姓名", "手机号", "电话号码", "邮箱地址", "电子邮件地址", "住址",
	"身份证", "生物识别", "人脸", "面部", "指纹", "声纹", "虹膜", "位置", "定位",
	"设备信息", "设备标识", "IP地址", "照片", "图像", "视频", "银行卡",
	"个人信息", "敏感", "通讯录", "性别", "年龄", "健康", "生日", "浏览记录", NULL };
static const char *const kw_purpose[] = {
	"purpose", "used for", "used to", "use your", "use such", "use the",
	"use of your", "advertis", "marketing", "profil", "research", "improv",
	"analytic", "train", "machine learning", "personaliz", "personalis",
	"目的", "用途", "用于", "使用您", "广告", "营销", "推送", "画像", "研究",
	"改进", "训练", "推荐", NULL };
static const char *const kw_sharing[] = {
	"share", "sharing", "disclos", "third part", "third-part", "partner",
	"affiliate", "vendor", "service provider", "processor", "recipient",
	"sell$", "sells$", "sold$", "sale$", "advertiser", "provide to",
	"provide it to", "make available to", "subcontract", "entrust",
	"共享", "分享", "披露", "第三方", "合作伙伴", "合作方", "关联公司", "关联方",
	"提供给", "出售", "委托处理", "转让", "公开", NULL };
static const char *const kw_retention[] = {
	"retain", "retention", "keep$", "keeps$", "kept$", "stor", "delet",
	"erase", "destroy", "anonymi", "de-identif", "archiv", "period",
	"保存", "存储", "储存", "保留", "删除", "销毁", "匿名化", "去标识化", "期限",
	NULL };
static const char *const kw_transfer[] = {
	"cross-border", "cross border", "outside", "abroad", "overseas",
	"transfer", "country", "countries", "data center", "located in",
	"跨境", "境外", "出境", "转移", "传输至", "国外", "海外", "所在地", NULL };
static const char *const kw_rights[] = {
	"access", "correct", "rectif", "erasure", "withdraw", "consent",
	"object$", "objection", "portab", "opt out", "opt-out", "right to",
	"your rights", "complain", "request a copy", "restrict processing",
	"查阅", "复制", "更正", "撤回", "同意", "注销", "权利", "投诉", "访问您",
	"拒绝", NULL };
static const char *const kw_security[] = {
	"secur", "encrypt", "breach", "incident", "safeguard", "protect",
	"access control", "unauthori", "leak", "安全", "加密", "泄露", "保护措施",
	"保护", "事件", "未经授权", NULL };
static const char *const kw_fees[] = {
	"fee$", "fees$", "charge", "price", "pricing", "payment", "pay$", "pays$",
	"paid", "billing", "billed", "bill$", "invoice", "refund", "cost",
	"free of", "free$", "tax", "usd", "rmb", "cny", "$", "per month",
	"per call", "subscription", "prepa", "费用", "收费", "价格", "计费", "付费",
	"支付", "退款", "发票", "元", "免费", "资费", "充值", "结算", "单价", "套餐",
	NULL };
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
	"you may not", "you shall not", "you must not", "shall not", "must not",
	"prohibit", "restrict", "forbid", "not allowed", "not permitted",
	"reverse engineer", "resell", "rate limit", "quota", "acceptable use",
	"limit$", "limits$", "不得", "禁止", "限制", "不允许", "反向工程", "转售",
	"配额", "调用次数", "频率", NULL };
static const char *const kw_change[] = {
	"amend", "modif", "update this", "update these", "update the agreement",
	"update the policy", "changes to", "change to", "change this", "revis",
	"notify you", "notice", "continued use", "continue to use",
	"continuing to use", "effective date", "take effect", "takes effect",
	"come into effect", "material change", "deemed", "变更", "修改", "修订",
	"通知", "继续使用", "更新本", "生效", "公告", "视为", "重大变化", "重大变更", NULL };
static const char *const kw_contact[] = {
	"contact", "e-mail us", "email us", "reach us", "write to",
	"telephone", "hotline", "customer service", "support", "help center",
	"help centre", "feedback", "mailing address", "联系", "客服", "热线",
	"帮助中心", "反馈", "邮箱", "电话", NULL };
static const char *const kw_scope[] = {
	"apply to", "applies to", "applicab", "scope", "cover", "this policy",
	"these terms", "this agreement", "product", "适用", "范围", "本协议",
	"本政策", "产品", NULL };

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

/* Does keyword k (lowercase) occur in the lowercased text t? */
static int
has_kw(const char *t, size_t len, const char *k)
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
			if (has_kw(low, len, *k)) {
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

int
lexicon_is_negation(const char *tok, size_t len)
{
	static const char *const neg[] = { "not", "no", "never", "none",
		"neither", "nor", "without", "cannot", "can't", "won't",
		"don't", "doesn't", "isn't", "aren't", "shan't", "mustn't",
		"unless", "except", "不", "无", "未", "非", "没", "勿", "否", "免",
		NULL };

	return in_list(tok, len, neg);
}

int
lexicon_is_modal(const char *tok, size_t len)
{
	static const char *const modal[] = { "may", "must", "will", "shall",
		"can", "should", "might", "could", "would", "required", "entitled",
		"optional", "mandatory", "应", "须", "可", "将", "会", "能",
		"需", "必", "宜", NULL };

	return in_list(tok, len, modal);
}

int
lexicon_is_time_unit(const char *tok, size_t len)
{
	static const char *const unit[] = { "day", "days", "week", "weeks",
		"month", "months", "year", "years", "hour", "hours", "minute",
		"minutes", "business", "working", "calendar", "天", "日", "周", "月",
		"年", "小时", "个", "工作日", NULL };

	return in_list(tok, len, unit);
}

int
lexicon_is_month(const char *tok, size_t len)
{
	static const char *const month[] = { "january", "february", "march",
		"april", "may", "june", "july", "august", "september", "october",
		"november", "december", "jan", "feb", "mar", "apr", "jun", "jul",
		"aug", "sep", "sept", "oct", "nov", "dec", NULL };

	return in_list(tok, len, month);
}

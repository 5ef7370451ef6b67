/* css: a small CSS selector -> XPath 1.0 translator, so selection is done
 * by libxml2's XPath engine rather than by walking the tree by hand.
 * Supported: type, *, #id, .class, [attr], [attr=v], [attr~=v], [attr|=v],
 * [attr^=v], [attr$=v], [attr*=v] (values quoted or not), :first-child,
 * :last-child, the descendant, child (>), adjacent (+) and sibling (~)
 * combinators, and comma lists.  Names are matched lower-case, as the
 * HTML parser stores them. */
#ifndef CW_CSS_H
#define CW_CSS_H
#include "strbuf.h"

/* Appends the XPath to out; -1 with util_err naming the selector. */
int css_to_xpath(const char *sel, struct strbuf *out);

#endif

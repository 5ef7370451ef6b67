/* smtp: the settings check, and the transport against real SMTP servers
 * on 127.0.0.1 (tests/smtpsink.py) that misbehave on purpose. */
#include <criterion/criterion.h>
#include <string.h>

#include "smtp.h"
#include "strbuf.h"
#include "util.h"

Test(smtp, check_config)
{
	struct watchlist_smtp s;
	struct strbuf e = STRBUF_INIT;

	memset(&s, 0, sizeof(s));
	cr_assert_eq(smtp_check_config(&s, &e), 0);	/* outbox */
	s.host = "smtp.example.com";
	s.port = 25;
	cr_assert_eq(smtp_check_config(&s, &e), 0);
	s.port = 465;
	cr_assert_eq(smtp_check_config(&s, &e), -1);
	cr_assert(strstr(e.buf, "587"), "%s", e.buf);
	strbuf_reset(&e);
	s.port = 587;
	s.user = "me";
	cr_assert_eq(smtp_check_config(&s, &e), -1);
	cr_assert(strstr(e.buf, "starttls"), "%s", e.buf);
	strbuf_reset(&e);
	s.security = WL_SEC_STARTTLS;
	cr_assert_eq(smtp_check_config(&s, &e), 0, "%s", e.buf);
	s.password_file = "/nonexistent/pw";
	cr_assert_eq(smtp_check_config(&s, &e), -1);
	strbuf_release(&e);
}

#!/usr/bin/env python3
"""Show a message as a mail client would: the main headers, decoded, and the
text part. Usage: showmail.py FILE.eml"""
import email
import email.policy
import sys

with open(sys.argv[1], "rb") as f:
    msg = email.message_from_bytes(f.read(), policy=email.policy.default)
for h in ("From", "To", "Date", "Subject", "Message-ID", "In-Reply-To"):
    if msg[h]:
        print("%s: %s" % (h, msg[h]))
print("Parts: " + ", ".join(p.get_content_type() for p in msg.walk()
                            if not p.is_multipart()))
print()
body = msg.get_body(preferencelist=("plain",))
print(body.get_content() if body else "(no text part)")

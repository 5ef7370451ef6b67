#!/usr/bin/python3
"""Parse one message strictly (email.policy.strict raises on any defect) and
print a JSON summary for the C tests: decoded headers, the part types in
order, the decoded text/calendar part, the longest line, and the headers
whose value reads back with a leading space.
Exit 1 (message on stderr) when the message does not parse cleanly."""
import email
import email.policy
import json
import sys


def main():
    raw = open(sys.argv[1], "rb").read()
    longest = max((len(l) for l in raw.split(b"\r\n")), default=0)
    bare_lf = raw.replace(b"\r\n", b"").count(b"\n")
    try:
        msg = email.message_from_bytes(raw, policy=email.policy.strict)
        out = {
            "subject": str(msg["subject"]),
            "from": str(msg["from"]),
            "to": [str(a.addr_spec) for a in msg["to"].addresses],
            "message_id": str(msg["message-id"]),
            "in_reply_to": str(msg["in-reply-to"]),
            "date": str(msg["date"]),
            "bcc": msg["bcc"] is not None,
            "types": [],
            "calendar": None,
            "text": None,
            "html": None,
            "longest": longest,
            "bare_lf": bare_lf,
            # headers a reader shows with a leading space ("Name:" CRLF SP
            # "value" reads back as " value")
            "lead_space": [k for k, v in msg.items() if str(v)[:1] in (" ", "\t")],
        }
        for part in msg.walk():
            ct = part.get_content_type()
            out["types"].append(ct)
            if part.is_multipart():
                continue
            body = part.get_content()
            if isinstance(body, bytes):
                body = body.decode("utf-8")
            if ct == "text/calendar":
                out["calendar"] = body
            elif ct == "text/plain":
                out["text"] = body
            elif ct == "text/html":
                out["html"] = body
    except Exception as e:  # noqa: BLE001 - any failure is the answer
        print("mimecheck: %s: %s" % (type(e).__name__, e), file=sys.stderr)
        return 1
    json.dump(out, sys.stdout, ensure_ascii=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())

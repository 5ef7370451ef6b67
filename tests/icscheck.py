#!/usr/bin/python3
"""Parse an iCalendar file with Debian's python3-icalendar and print its
events as JSON (uid, dtstart, dtend, summary, description, url, status),
so the tests check the feed with a real parser. Exit 2 if it does not parse."""
import json
import sys

import icalendar


def main():
    with open(sys.argv[1], "rb") as f:
        cal = icalendar.Calendar.from_ical(f.read())
    out = {"calname": str(cal.get("X-WR-CALNAME", "")), "method": str(cal.get("METHOD", "")),
           "events": []}
    for ev in cal.walk("VEVENT"):
        out["events"].append({
            "uid": str(ev["UID"]),
            "dtstart": ev.decoded("DTSTART").isoformat(),
            "dtend": ev.decoded("DTEND").isoformat(),
            "all_day": not hasattr(ev.decoded("DTSTART"), "hour"),
            "summary": str(ev.get("SUMMARY", "")),
            "description": str(ev.get("DESCRIPTION", "")),
            "url": str(ev.get("URL", "")),
            "status": str(ev.get("STATUS", "")),
        })
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()

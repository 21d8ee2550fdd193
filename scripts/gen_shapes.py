"""A SEN2 return rewritten in the shapes other software writes (issue 30.6), for the validate
benchmark: the same persons with three requests each (the copies' dates moved back 400 and 800
days, so each is a case of its own), Windows line ends (CRLF), deep indentation (eight spaces a
level), and a long comment in every person (as some exports annotate records). Streams person by
person: memory stays flat at any size.

    python3 scripts/gen_shapes.py IN.xml OUT.xml
"""
import datetime as dt
import re
import sys

DATE = re.compile(r">(\d{4})-(\d{2})-(\d{2})<")
NOTE = "<!-- " + "exported by the case-management system; reviewed by the SEND team before submission. " * 6 + "-->"


def moved(line, days):
    def shift(m):
        d = dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3))) - dt.timedelta(days=days)
        return ">" + d.isoformat() + "<"
    return DATE.sub(shift, line)


def deep(line):
    stripped = line.lstrip(" ")
    level = (len(line) - len(stripped)) // 2
    return " " * (8 * level) + stripped


def person(lines):
    """The person's lines with each Requests block three times and a note."""
    out, block = [], None
    for line in lines:
        text = line.strip()
        if text == "<Requests>":
            block = [line]
            continue
        if block is not None:
            block.append(line)
            if text == "</Requests>":
                out += block + [moved(x, 400) for x in block] + [moved(x, 800) for x in block]
                block = None
            continue
        out.append(line)
        if text == "<Person>":
            out.append(line.replace("<Person>", "  " + NOTE))
    return out


def main(src, dst):
    with open(src, encoding="utf-8") as f, open(dst, "w", encoding="utf-8", newline="") as g:
        held = None
        for raw in f:
            line = raw.rstrip("\n")
            if line.strip() == "<Person>":
                held = []
            if held is not None:
                held.append(line)
                if line.strip() == "</Person>":
                    g.write("".join(deep(x) + "\r\n" for x in person(held)))
                    held = None
                continue
            g.write(deep(line) + "\r\n")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])

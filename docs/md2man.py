#!/usr/bin/env python3
"""md2man.py SOURCE.md > PAGE.N — the restricted markdown of docs/contain.1.md to roff (man(7)).

The build runs it when the markdown changes (docs/local-man.mk); its output is committed, so
that `make install` needs no python. What it understands, and nothing more:

  % NAME(SECTION) SOURCE | MANUAL    first line: the .TH header
  # TITLE                            a section (.SH), upper-cased
  ## Title                           a subsection (.SS)
  text lines                         a paragraph (.PP); a blank line ends it
  TERM                               a definition (.TP): the term on one line, then
  :   text                             ":   " and its text; lines indented by 4 spaces go on,
      more text                        and after a blank line an indented paragraph is one
                                       more paragraph of the same definition (.IP)
  - item                             a bullet (.IP \\(bu 2); lines indented by 2 go on
  ```                                a literal block (.EX/.EE), indented
  `code`  **bold**  *italic*         inline: code and bold in bold, italic in italic; a
                                     `code` span opens and closes on one line; \* \_ \`
                                     are those characters

Characters roff would take as requests are escaped: a backslash becomes \\e, a line that
would begin with "." or "'" is protected with \\&, and "-" in code, in bold and in terms
becomes \\- (a minus: options must be typed as they are shown). Anything else (tables, links,
nested lists, HTML) is an error, so the page never silently loses text.
"""
import re
import sys


class Md2ManError(Exception):
    pass


def esc(s):
    return s.replace("\\", "\\e")


def minus(s):
    return s.replace("-", "\\-")


INLINE = re.compile(r"`([^`]+)`|\*\*([^*]+)\*\*|\*([^*]+)\*")


# \* \_ \` are the markdown escapes of those characters: kept aside while the markup is read
ESCAPES = {"\\*": "\x01", "\\_": "\x02", "\\`": "\x03"}
UNESCAPE = {"\x01": "*", "\x02": "_", "\x03": "`"}


def inline(text, all_minus=False):
    """Inline markup of one line of text, escaped."""
    for k, v in ESCAPES.items():
        text = text.replace(k, v)
    if text.count("`") % 2:
        raise Md2ManError("a `code` span must open and close on one line: " + text.strip())
    out = []
    pos = 0
    for m in INLINE.finditer(text):
        plain = esc(text[pos:m.start()])
        out.append(minus(plain) if all_minus else plain)
        code, bold, ital = m.groups()
        if code is not None:
            out.append("\\fB" + minus(esc(code)) + "\\fR")
        elif bold is not None:
            out.append("\\fB" + minus(esc(bold)) + "\\fR")
        else:
            out.append("\\fI" + (minus(esc(ital)) if all_minus else esc(ital)) + "\\fR")
        pos = m.end()
    rest = esc(text[pos:])
    out.append(minus(rest) if all_minus else rest)
    line = "".join(out)
    for k, v in UNESCAPE.items():
        line = line.replace(k, v)
    if line.startswith((".", "'")):
        line = "\\&" + line
    return line


def convert(lines, name="input"):
    out = []
    i = 0
    n = len(lines)

    def fail(msg):
        raise Md2ManError("%s:%d: %s" % (name, i + 1, msg))

    if not lines or not lines[0].startswith("% "):
        fail('the first line must be "% NAME(SECTION) SOURCE | MANUAL"')
    m = re.match(r"% (\S+)\((\w+)\) (.*?) \| (.*)$", lines[0].rstrip("\n"))
    if not m:
        fail('the first line must be "% NAME(SECTION) SOURCE | MANUAL"')
    out.append('.TH "%s" "%s" "" "%s" "%s"' % (m.group(1), m.group(2), m.group(3), m.group(4)))
    i = 1
    while i < n:
        line = lines[i].rstrip("\n")
        if line.strip() == "":
            i += 1
            continue
        if line.startswith("```"):
            out += [".PP", ".RS 4", ".EX"]
            i += 1
            while i < n and not lines[i].startswith("```"):
                lit = esc(lines[i].rstrip("\n"))
                if lit.startswith((".", "'")):
                    lit = "\\&" + lit
                out.append(lit)
                i += 1
            if i >= n:
                fail("a literal block is not closed")
            out += [".EE", ".RE"]
            i += 1
            continue
        if line.startswith("## "):
            out.append('.SS "%s"' % esc(line[3:].strip()))
            i += 1
            continue
        if line.startswith("# "):
            out.append('.SH "%s"' % esc(line[2:].strip().upper()))
            i += 1
            continue
        if line.startswith("#"):
            fail("only # and ## headings")
        if line.startswith(("|", "<", "[", "* ", "1. ")) or re.match(r"\d+\. ", line):
            fail("tables, HTML, links, * lists and numbered lists are not understood")
        if line.startswith("- "):
            out += [".IP \\(bu 2", inline(line[2:])]
            i += 1
            while i < n and lines[i].startswith("  ") and lines[i].strip():
                out.append(inline(lines[i].strip()))
                i += 1
            continue
        if line.startswith("    "):
            fail("an indented line outside a definition (use ``` for literal text)")
        # a definition: this line, then ":   "
        if i + 1 < n and lines[i + 1].startswith(":   "):
            # an explicit indent: a bullet list before would have left its own
            out += [".TP 8", inline(line, all_minus=True), inline(lines[i + 1][4:].rstrip("\n"))]
            i += 2
            while True:
                while i < n and lines[i].startswith("    ") and lines[i].strip():
                    out.append(inline(lines[i].strip()))
                    i += 1
                # a blank line, then an indented paragraph: the same definition goes on
                j = i
                while j < n and lines[j].strip() == "":
                    j += 1
                if j < n and j > i and lines[j].startswith("    ") and not lines[j].startswith("    ```"):
                    out.append(".IP")
                    i = j
                    continue
                break
            continue
        if line.startswith(":"):
            fail('a ":" line without a term before it')
        out.append(".PP")
        while i < n and lines[i].strip() and not lines[i].startswith(("#", "```", "- ", ":   ")):
            if i + 1 < n and lines[i + 1].startswith(":   "):
                break  # the next definition's term
            out.append(inline(lines[i].rstrip("\n")))
            i += 1
    return "\n".join(out) + "\n"


def main(argv):
    if len(argv) != 2:
        sys.stderr.write("usage: md2man.py SOURCE.md > PAGE.N\n")
        return 2
    with open(argv[1], encoding="utf-8") as f:
        lines = f.readlines()
    try:
        page = convert(lines, argv[1])
        if "\x01" in page or "\x02" in page or "\x03" in page:
            raise Md2ManError("an escape was left in the page")
    except Md2ManError as e:
        sys.stderr.write("md2man.py: %s\n" % e)
        return 1
    sys.stdout.write(page)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

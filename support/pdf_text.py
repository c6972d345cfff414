"""The text of a PDF that BackCare wrote uncompressed (`Summary.pdf(compress=False)`).

Just enough of the PDF format for fpdf2's own output, so tests read what a
person would see without a PDF library: the cross-reference table gives each
object's place; TrueType text is drawn as `(<2-byte glyph codes>) Tj` after a
`/F1 10 Tf` font choice, and each font's ToUnicode map turns the codes back
into characters. Compressed streams and other writers' files are not read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Dict, Iterator, List, Optional, Tuple

REFERENCE = r"(\d+) 0 R"
ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}


@dataclass(frozen=True)
class PdfObject:
    head: str  # the dictionary, as text
    stream: Optional[bytes]


def _offsets(pdf: bytes) -> Dict[int, int]:
    """Object number -> byte offset, from the cross-reference table."""
    found = re.search(rb"startxref\s+(\d+)", pdf[-64:])
    if not found:
        raise ValueError("no cross-reference table (not an uncompressed fpdf2 file?)")
    table = pdf[int(found[1]) :].split(b"trailer", 1)[0].split(b"\n")
    first, _count = (int(part) for part in table[1].split())
    offsets = {}
    for number, entry in enumerate(table[2:], start=first):
        fields = entry.split()
        if len(fields) == 3 and fields[2] == b"n":
            offsets[number] = int(fields[0])
    return offsets


def _reference(head: str, key: str) -> int:
    """The object number `/<key> N 0 R` in a dictionary refers to."""
    found = re.search(rf"/{key} {REFERENCE}", head)
    if not found:
        raise ValueError(f"no /{key} in {head[:80]!r}")
    return int(found[1])


def _object(pdf: bytes, offset: int) -> PdfObject:
    start = pdf.index(b"obj", offset) + len(b"obj")
    end = pdf.index(b"endobj", start)
    stream_at = pdf.find(b"stream", start, end)
    if stream_at < 0:
        return PdfObject(pdf[start:end].decode("latin-1"), None)
    head = pdf[start:stream_at].decode("latin-1")
    length = re.search(r"/Length (\d+)", head)
    if not length:
        raise ValueError("a stream without a direct /Length")
    data_start = stream_at + len(b"stream") + (2 if pdf[stream_at + 6 : stream_at + 8] == b"\r\n" else 1)
    return PdfObject(head, pdf[data_start : data_start + int(length[1])])


def _to_unicode(cmap: bytes) -> Dict[int, str]:
    """Glyph code -> text, from a ToUnicode CMap's bfchar and bfrange entries."""
    text = cmap.decode("latin-1")
    codes: Dict[int, str] = {}
    for block in re.findall(r"beginbfchar(.*?)endbfchar", text, re.S):
        for source, target in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            codes[int(source, 16)] = bytes.fromhex(target).decode("utf-16-be")
    for block in re.findall(r"beginbfrange(.*?)endbfrange", text, re.S):
        for low, high, target in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            first = int(target, 16)
            for offset, code in enumerate(range(int(low, 16), int(high, 16) + 1)):
                codes[code] = chr(first + offset)
    return codes


def _literal(content: bytes, at: int) -> Tuple[bytes, int]:
    """The PDF literal string starting at `content[at] == "("`, and the index after it."""
    out, depth, index = bytearray(), 1, at + 1
    while depth:
        char = content[index : index + 1]
        if char == b"\\":
            following = content[index + 1 : index + 2]
            out += ESCAPES.get(following, following)
            index += 2
            continue
        depth += {b"(": 1, b")": -1}.get(char, 0)
        if depth:
            out += char
        index += 1
    return bytes(out), index


def _shown_strings(content: bytes) -> Iterator[Tuple[str, bytes]]:
    """(font resource name, raw string) for every `(...) Tj` of a content stream, in order."""
    font, index = "", 0
    choice = re.compile(rb"/(\w+) [\d.]+ Tf")
    while index < len(content):
        if content[index : index + 1] == b"(":
            raw, index = _literal(content, index)
            if content[index : index + 4].strip().startswith(b"Tj"):
                yield font, raw
            continue
        chosen = choice.match(content, index)
        if chosen:
            font, index = chosen[1].decode(), chosen.end()
            continue
        index += 1


def _fonts(objects: Dict[int, PdfObject], page: PdfObject) -> Dict[str, Dict[int, str]]:
    """The page's font resource names -> their glyph code maps."""
    resources = page.head
    if re.search(rf"/Resources {REFERENCE}", page.head):
        resources = objects[_reference(page.head, "Resources")].head
    block = re.search(r"/Font <<(.*?)>>", resources, re.S)
    fonts = {}
    for name, number in re.findall(rf"/(\w+) {REFERENCE}", block[1] if block else ""):
        cmap = objects[_reference(objects[int(number)].head, "ToUnicode")].stream
        fonts[name] = _to_unicode(cmap or b"")
    return fonts


def pdf_text(pdf: bytes) -> List[str]:
    """Every line of text on every page, in the order it is drawn."""
    offsets = _offsets(pdf)
    objects = {number: _object(pdf, offset) for number, offset in offsets.items()}
    lines: List[str] = []
    for page in (item for item in objects.values() if re.search(r"/Type /Page\b", item.head)):
        fonts = _fonts(objects, page)
        contents = objects[_reference(page.head, "Contents")].stream or b""
        for font, raw in _shown_strings(contents):
            codes = [int.from_bytes(raw[i : i + 2], "big") for i in range(0, len(raw), 2)]
            lines.append("".join(fonts[font].get(code, "\ufffd") for code in codes))
    return lines

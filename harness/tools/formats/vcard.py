"""Outlook contacts from and to vCard (.vcf), with vobject.

Reads what Outlook writes (vCard 2.1: ``ADR;WORK`` / ``ADR;HOME`` / ``ADR;POSTAL`` for the Business,
Home and Other addresses, ``N;LANGUAGE=...``, quoted-printable values continued over soft line
breaks, raw 8-bit values in the ``CHARSET=`` they name, ``ORG:Company;Department``, fax and pager
numbers, and ``X-MS-OL-DEFAULT-POSTAL-ADDRESS`` for the mailing address: 1 home, 2 business,
3 other); a malformed line is refused at its own line of the file. Also
vCard 3.0 / 4.0 (``ADR;TYPE=...``); several contacts per file. Writes vCard 3.0 with the same
Outlook extension, so a round trip keeps the mailing address. ``X-CRMID`` (our extension) carries
the CRM id of a tracked contact, for linking by id.
"""

from __future__ import annotations

import quopri
import re
from collections import Counter
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

import vobject

from ... import schema, speed
from ...schema import CRM_ID
from .errors import Export, FormatError, Item, with_lf

#: X-MS-OL-DEFAULT-POSTAL-ADDRESS values -> Outlook's SelectedMailingAddress, and back.
OUTLOOK_POSTAL = {"1": "home", "2": "business", "3": "other"}
POSTAL_CODE = {kind: code for code, kind in OUTLOOK_POSTAL.items()}
#: vCard address types -> Outlook address; any other type (POSTAL, OTHER, INTL, ...) is Other.
ADDRESS_TYPES = {"WORK": "business", "HOME": "home"}
#: vCard telephone types -> Outlook property: the first whose types a TEL has all of, and whose
#: property is still free, wins (a second WORK number is Business 2, as Outlook writes it). Outlook
#: writes its own kinds as X-MS-TEL (ASSISTANT, COMPANY, CALLBACK, RADIO); a TEL with no kind but
#: VOICE or PREF is Outlook's Other phone. None: an Outlook number syncsim does not sync (a note
#: says so) rather than one taken for another kind (a home fax is no Home Phone 2).
PHONES: tuple[tuple[frozenset[str], str | None], ...] = tuple(
    (frozenset(types.split()), prop)
    for types, prop in (
        ("CALLBACK", "CallbackTelephoneNumber"),
        ("ASSISTANT", "AssistantTelephoneNumber"),
        ("COMPANY", "CompanyMainTelephoneNumber"),
        ("RADIO", None),
        ("TTYTDD", None),
        ("WORK FAX", "BusinessFaxNumber"),
        ("HOME FAX", None),
        ("FAX", None),
        ("PAGER", "PagerNumber"),
        ("CELL", "MobileTelephoneNumber"),
        ("CAR", None),
        ("ISDN", None),
        ("WORK", "BusinessTelephoneNumber"),
        ("WORK", "Business2TelephoneNumber"),
        ("HOME", "HomeTelephoneNumber"),
        ("HOME", "Home2TelephoneNumber"),
        ("", "OtherTelephoneNumber"),
    )
)
#: types that say nothing of a number's kind
_NO_KIND = frozenset({"VOICE", "PREF", "INTERNET", "MSG", "X-EVOLUTION-UI-SLOT"})
#: Apple's labels of an ``itemN.TEL`` (``itemN.X-ABLabel:_$!<Assistant>!$_`` or a label of the
#: user's own), lower case without the _$!<...>!$_ wrapping -> the types they stand for
LABEL_TYPES = {
    "assistant": "ASSISTANT",
    "assistantphone": "ASSISTANT",
    "callback": "CALLBACK",
    "company main": "COMPANY",
    "companymain": "COMPANY",
    "car": "CAR",
    "radio": "RADIO",
    "home fax": "HOME FAX",
    "homefax": "HOME FAX",
    "work fax": "WORK FAX",
    "workfax": "WORK FAX",
    "other fax": "FAX",
    "otherfax": "FAX",
}
EMAILS = ("Email1Address", "Email2Address", "Email3Address")
_BEGIN = re.compile(r"^BEGIN:VCARD\s*$", re.IGNORECASE)


#: vCard properties read into Outlook properties, or bookkeeping with nothing to carry over.
#: Text properties read one for one: vCard property -> Outlook property (the X-MS-* ones as
#: Outlook 2007 and later write them, the X-PHONETIC-* ones as Apple writes the Yomi names).
TEXTS = {
    "title": "JobTitle",
    "note": "Body",
    "url": "WebPage",
    "nickname": "NickName",
    "x-ms-manager": "ManagerName",
    "x-ms-assistant": "AssistantName",
    "x-ms-spouse": "Spouse",
    "x-phonetic-first-name": "YomiFirstName",
    "x-phonetic-last-name": "YomiLastName",
}
#: Dates (Outlook writes BDAY and X-MS-ANNIVERSARY as YYYYMMDD, 3.0/4.0 as YYYY-MM-DD).
DATES = {"bday": "Birthday", "x-ms-anniversary": "Anniversary", "anniversary": "Anniversary"}
#: Apple's (and Google's) labelled dates and related names: ``itemN.X-ABDATE`` or
#: ``itemN.X-ABRELATEDNAMES`` with ``itemN.X-ABLabel:_$!<Spouse>!$_`` -> the Outlook property
LABELLED = {
    "x-abdate": {"anniversary": "Anniversary"},
    "x-abrelatednames": {"spouse": "Spouse", "manager": "ManagerName", "assistant": "AssistantName"},
}
#: Outlook's children, one X-MS-CHILD each, joined as Outlook's Children field shows them
CHILDREN = "x-ms-child"
READ = {
    "n",
    "fn",
    "org",
    "email",
    "tel",
    "x-ms-tel",
    "adr",
    "x-ms-ol-default-postal-address",
    "x-crmid",
    CHILDREN,
    *TEXTS,
    *DATES,
    *LABELLED,
}
BOOKKEEPING = {"version", "label", "rev", "prodid", "uid", "x-ms-ol-design", "class", "x-ablabel", "x-abadr"}
#: N's parts that Outlook has and syncsim does not sync (a note counts the contacts that hold them)
UNSYNCED_NAME_PARTS = {"additional": "N middle name", "prefix": "N prefix (title)", "suffix": "N suffix"}


def read(path: Path) -> Export:
    """Every contact of a .vcf file as Outlook properties, with a problem for each bad card.

    Properties that have no Outlook property here (PHOTO, KEY, ...) are not imported; each one is
    named in a note once, with how many contacts carried it.
    """
    export = Export(path, "vCard", "outlook")
    export.carry("contact", SOURCES["contact"])
    skipped: dict[str, int] = {}
    versions = set()
    fast = speed.on()  # the fast reading of plain cards, or vobject for every card (speed.py)
    for start, block in _blocks(export, path, fast):
        card = _fast_card(block) if fast and isinstance(block, str) else None
        if card is None:  # read line by line: each line checked, then the fast path or vobject
            lines = _cards(export, _numbered(start, block))[0][1] if isinstance(block, str) else block
            bad = [line for _, line in lines if isinstance(line, FormatError)]
            if bad:
                export.problems += bad
                continue
        try:
            # (a plain card's text went to the fast path already)
            card = card or _card_of(lines, fast and not isinstance(block, str))
            unsynced: list[str] = []
            export.items.append(Item("contact", _contact(card, path, start, unsynced), start))
        except FormatError as bad_card:
            export.problems.append(bad_card)
            continue
        except Exception as broken:  # vobject raises ParseError and, on some input, plain errors
            export.problem(start, f"contact {len(export.items) + 1}: {_first_line(broken)}")
            continue
        versions.add(str(card.version.value) if "version" in card.contents else "?")
        for name in [*(n.upper() for n in card.contents.keys() - READ - BOOKKEEPING), *unsynced]:
            skipped[name] = skipped.get(name, 0) + 1
    if not export.items and not export.problems:
        raise FormatError(path, 1, "no BEGIN:VCARD found")
    export.format = f"vCard {', '.join(sorted(versions)) or '?'}"
    export.notes += [f"{path}: {name} of {n} contact(s) not imported" for name, n in sorted(skipped.items())]
    return export


def _card_of(lines: Lines, fast: bool) -> Any:
    """A card read from its lines: by the fast path when ``fast`` and it can, else by vobject."""
    card = _fast_lines(lines) if fast else None
    return card or next(vobject.readComponents(_escaped(lines)))  # type: ignore[arg-type]


def read_vcf(path: Path, notes: list[str] | None = None) -> list[dict[str, Any]]:
    """Every contact of a .vcf file, or a FormatErrors with every problem (the strict reading)."""
    export = read(path).settle(skip_bad=False)
    if notes is not None:
        notes += export.notes
    return [item.fields for item in export.items]


def write_vcf(path: Path, contacts: list[dict[str, Any]]) -> None:
    path.write_text("".join(_card(contact).serialize() for contact in contacts), encoding="utf-8")


# -- reading -------------------------------------------------------------------------------------


#: A content line: a name, parameters, a colon, the value (vCard 2.1 to 4.0).
_CONTENT_LINE = re.compile(r"^(?:[A-Za-z0-9-]+\.)?[A-Za-z0-9-]+(?:;[^:]*)?:")
_QP = re.compile(rb"^[^:]*(?:ENCODING=)?QUOTED-PRINTABLE", re.IGNORECASE)
_CHARSET = re.compile(rb";CHARSET=([A-Za-z0-9_.:-]+)", re.IGNORECASE)
_END = re.compile(r"^END:VCARD\s*$", re.IGNORECASE)


def _blocks(export: Export, path: Path, fast: bool) -> list[tuple[int, Lines]] | list[tuple[int, str]]:
    """(first line, card) of each card of the file: with ``fast``, its text when the file is plain
    UTF-8 cards back to back (the common export, cut at once), else its lines (:func:`_cards`)."""
    raw = with_lf(path.read_bytes().removeprefix(b"\xef\xbb\xbf"))
    lowered = raw.lower()
    if b"quoted-printable" not in lowered and b"charset=" not in lowered:  # UTF-8 throughout: at once
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            pass  # read line by line, to name the line that is not UTF-8
        else:
            return (fast and _plain_cards(text)) or _cards(export, _numbered(1, text))
    return _cards(export, _logical_lines(path, raw))


_FIRST, _LAST = "BEGIN:VCARD\n", "\nEND:VCARD"


def _plain_cards(text: str) -> list[tuple[int, str]]:
    """(first line, text) of each card when the file is nothing but cards back to back, each
    from ``BEGIN:VCARD`` to ``END:VCARD`` in capitals with no blank line between (how Outlook,
    Google and vobject write them), at C speed; else nothing (the file is read line by line)."""
    body = text.rstrip("\n")
    if not body.startswith(_FIRST) or not body.endswith(_LAST):
        return []
    inner = body[len(_FIRST) : -len(_LAST)].split(_LAST + "\n" + _FIRST)
    lowered = text.lower()
    if lowered.count("begin:vcard") != len(inner) or lowered.count("end:vcard") != len(inner):
        return []  # a card that does not end as the others do, or a begin or end of another spelling
    if "\u0130" in text or "\u0131" in text:
        return []  # a dotted or dotless I, which :func:`_cards`' case-blind match reads as an I
    cards, start = [], 1
    for card in inner:
        cards.append((start, _FIRST + card + _LAST))
        start += card.count("\n") + 3  # the BEGIN line, the card's, the END line
    return cards


def _numbered(start: int, text: str) -> list[tuple[int, str | FormatError]]:
    return list(enumerate(text.split("\n"), start=start))


def _logical_lines(path: Path, raw: bytes) -> list[tuple[int, str | FormatError]]:
    """The file as (first physical line, text) per property, as vobject can read it.

    Outlook's vCard 2.1 quirks are undone here: quoted-printable values continued over several
    lines with a soft break (``=`` at the end of a line) are joined and decoded, and the bytes of
    a value are decoded with its ``CHARSET=`` (raw Windows-1252, or QP-encoded bytes). A decoded
    value may hold line breaks; :func:`_escaped` makes each card readable for vobject. Folded
    lines (a leading space) are left to vobject.
    """
    physical = raw.split(b"\n")  # (line ends made LF by the caller)
    lines: list[tuple[int, str | FormatError]] = []
    number = 0
    while number < len(physical):
        first, line = number + 1, physical[number]
        number += 1
        try:
            if _QP.match(line):
                while line.endswith(b"=") and number < len(physical):
                    line, number = line[:-1] + physical[number], number + 1
                lines.append((first, _decoded_qp(path, first, line)))
            else:
                lines.append((first, _decoded(path, first, line)))
        except FormatError as bad:  # the card holding it is refused, the others read on
            lines.append((first, bad))
    return lines


def _charset(line: bytes) -> str | None:
    found = _CHARSET.search(line.partition(b":")[0])
    return found.group(1).decode("ascii") if found else None


def _decoded(path: Path, number: int, line: bytes) -> str:
    charset = _charset(line)
    try:
        return line.decode(charset or "utf-8")
    except LookupError:
        raise FormatError(path, number, f"unknown CHARSET {charset!r}") from None
    except UnicodeDecodeError as bad:
        where = f"as {charset}" if charset else "as UTF-8, and the line names no CHARSET"
        raise FormatError(path, number, f"cannot be read {where} ({bad.reason})") from None


def _decoded_qp(path: Path, number: int, line: bytes) -> str:
    """A quoted-printable property as a plain one: its value decoded, the encoding parameters gone."""
    head, _, value = line.partition(b":")
    params = [p for p in head.split(b";") if not re.match(rb"(?i)(ENCODING=)?QUOTED-PRINTABLE$|CHARSET=", p)]
    charset = _charset(line) or "utf-8"
    try:
        text = quopri.decodestring(value).decode(charset)
    except LookupError:
        raise FormatError(path, number, f"unknown CHARSET {charset!r}") from None
    except UnicodeDecodeError as bad:
        raise FormatError(path, number, f"quoted-printable value not {charset} ({bad.reason})") from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return b";".join(params).decode("ascii", "replace") + ":" + text


def _escaped(lines: list[tuple[int, str]]) -> str:
    """A card's lines as vobject reads them. vCard 2.1 escapes nothing, so its backslashes and
    commas (which vobject would read as escapes and as value separators) are escaped here; so
    are the unescaped commas of one-value text properties in any version (:func:`_literal_commas`);
    a line break inside a value becomes the escaped ``\\n``. Folded lines are joined first."""
    version_21 = any(re.match(r"(?i)VERSION:\s*2\.1\s*$", text) for _, text in lines)
    out: list[str] = []
    for _, text in lines:
        if text.startswith((" ", "\t")) and out:
            out[-1] += text[1:]
        else:
            out.append(text)
    for n, text in enumerate(out):
        head, colon, value = text.partition(":")
        if version_21 and colon:
            value = value.replace("\\", "\\\\").replace(",", "\\,")
        elif colon and _property(head) in _ONE_TEXT:
            value = _literal_commas(value)
        out[n] = head + colon + value.replace("\n", "\\n") + "\n"
    return "".join(out)


#: text properties that hold one value: a comma in them is text, escaped or not (vobject would
#: keep only what comes before an unescaped one: "Scientist, marine" read as "Scientist")
_ONE_TEXT = {"fn", *TEXTS}


def _property(head: str) -> str:
    """The lower-case property name of a line's head (group and parameters left out)."""
    return head.split(";", 1)[0].rpartition(".")[2].lower()


def _literal_commas(value: str) -> str:
    return re.sub(r"(?<!\\),", r"\\,", value)


Lines = list[tuple[int, "str | FormatError"]]


def _cards(export: Export, lines: Lines) -> list[tuple[int, Lines]]:
    """(first line, lines) of each BEGIN:VCARD ... block; a line that is no property line makes
    its card a problem at that line, text outside any card is a problem of its own."""
    blocks: list[tuple[int, Lines]] = []
    inside = False
    for index, (number, line) in enumerate(lines):
        if isinstance(line, FormatError):
            if inside:
                blocks[-1][1].append((number, line))
            else:
                export.problems.append(line)
        elif line[:1] in "Bb" and _BEGIN.match(line):  # the first letter spares most lines a regex
            blocks.append((number, [(number, line)]))
            inside = True
        elif inside and (
            _CONTENT_LINE.match(line)
            or line.startswith((" ", "\t"))
            or not line.strip()
            or _CONTENT_LINE.match(_unfolded(lines, index))
        ):
            blocks[-1][1].append((number, line))
            inside = not (line[:1] in "Ee" and _END.match(line))
        elif inside:
            bad = FormatError(export.path, number, f"not a vCard property line: {line[:40]!r}")
            blocks[-1][1].append((number, bad))
        elif line.strip():
            export.problem(number, f"text outside any BEGIN:VCARD block: {line[:40]!r}")
    return blocks


def _unfolded(lines: Lines, index: int) -> str:
    """The line at ``index`` with the folded lines that continue it (a parameter, as a quoted
    LABEL, may be folded before the colon that ends the property's head)."""
    text = str(lines[index][1])
    for _, more in lines[index + 1 :]:
        if not isinstance(more, str) or not more.startswith((" ", "\t")):
            break
        text += more[1:]
    return text


# -- the fast path: vCard 3.0 as most programs write it -------------------------------------------
#
# vobject builds a ContentLine and runs a behavior for every property: 0.45 ms a card, 45 s for a
# 100,000-contact export (bench/whatif_bench.py). A vCard 3.0 card of plain property lines (no
# groups, no quoted or encoded parameters) is read here instead, its values decoded by vobject's
# own functions (unfolding aside, that is all vobject does with such a card): the same values,
# at a twentieth of the cost. Anything else goes to vobject whole. tests/tools/formats/test_vcard.py
# reads cards both ways and compares.
#
# A file of such cards back to back is cut into cards at once (:func:`_plain_cards`), and a card's
# heads (``TEL;TYPE=CELL``) are read once, then remembered (:func:`_head`): 0.56x of the instructions of
# reading it line by line with a regular expression a line (cachegrind, 10,000 cards, 2026-12-07).

_PLAIN_HEAD = re.compile(r"([A-Za-z][A-Za-z0-9-]*)((?:;[A-Za-z0-9-]+(?:=[A-Za-z0-9,-]*)?)*)")
_STRUCTURED = {"n", "adr", "org"}


class _Line:
    """What ``_contact`` reads of a property: its value, its parameters and their types."""

    __slots__ = ("value", "singletonparams", "params", "types")

    def __init__(self, value: Any, parameters: _Parameters) -> None:
        self.value = value
        self.singletonparams, self.params, self.types = parameters


#: a property's bare parameters, its named ones, and its types (as :func:`_types` reads them)
_Parameters = tuple[list[str], dict[str, list[str]], frozenset[str]]


class _Name(NamedTuple):
    """What ``vobject.vcard.Name`` holds, in ``NAME_ORDER`` with its defaults (a tuple is made
    at a fraction of the cost of its object: three a card, a hundred thousand cards)."""

    family: Any = ""
    given: Any = ""
    additional: Any = ""
    prefix: Any = ""
    suffix: Any = ""


class _Address(NamedTuple):
    """What ``vobject.vcard.Address`` holds, in ``ADDRESS_ORDER`` with its defaults."""

    box: Any = ""
    extended: Any = ""
    street: Any = ""
    city: Any = ""
    region: Any = ""
    code: Any = ""
    country: Any = ""


class _Card:
    __slots__ = ("contents",)

    def __init__(self, contents: dict[str, list[_Line]]) -> None:
        self.contents = contents

    def __getattr__(self, name: str) -> _Line:
        try:
            return self.contents[name][0]
        except KeyError:
            raise AttributeError(name) from None


def _fast_card(text: str) -> _Card | None:
    """The card (its lines joined by line breaks) as vobject would read it, or None when it is not
    plain vCard 3.0, or is laid out in a way this reading does not take (a blank line)."""
    if "\n\n" in text:
        return None
    lines = text.replace("\n ", "").replace("\n\t", "").split("\n")  # unfolded
    return _fast_parse(lines, ("VERSION:3.0",))


def _fast_lines(lines: Lines) -> _Card | None:
    """A card read line by line (Outlook's 2.1 with its quoted-printable values decoded, and their
    CHARSET) as vobject reads it after :func:`_escaped`, or None for what this reading does not
    take. vCard 2.1 escapes nothing: its values are taken as written (the commas and backslashes
    that :func:`_escaped` escapes for vobject), a structured value cut at each semicolon."""
    unfolded: list[str] = []
    for _, text in lines:
        if not isinstance(text, str) or not text:
            return None  # (a blank line: vobject says what it makes of it)
        if text.startswith((" ", "\t")) and unfolded:
            unfolded[-1] += text[1:]
        else:
            unfolded.append(text)
    return _fast_parse(unfolded, ("VERSION:2.1", "VERSION:3.0"))


def _fast_parse(lines: list[str], versions: tuple[str, ...]) -> _Card | None:
    """The card of its unfolded lines, or None when it is not plain: a version other than
    ``versions``, or a line this reading does not take (a group, a quoted parameter, ...)."""
    if len(lines) < 3 or lines[1].upper() not in versions or lines[-1] != "END:VCARD":
        return None  # (an end of another spelling: vobject reads it or says how it is unfinished)
    native = _native_21 if lines[1].upper() == "VERSION:2.1" else _native
    contents: dict[str, list[_Line]] = {}
    for line in lines[1:-1]:
        head, colon, value = line.partition(":")
        known = _HEADS.get(head) or _head(head)
        if known is None or not colon:
            return None  # no plain property line
        name, parameters = known
        contents.setdefault(name, []).append(_Line(native(name, value), parameters))
    return _Card(contents)


def _native_21(name: str, value: str) -> Any:
    """A vCard 2.1 value as vobject reads it once :func:`_escaped` made 2.1's literal text
    readable: the text itself; a structured value's parts cut at each semicolon."""
    if name not in _STRUCTURED:
        return value
    fields = value.split(";")
    if name == "n":
        return _Name(*fields[: len(_Name._fields)])
    if name == "adr":
        return _Address(*fields[: len(_Address._fields)])
    return fields


def _head(head: str) -> tuple[str, _Parameters] | None:
    """A plain property line's name and parameters as vobject holds them (the bare ones, as
    ``ADR;WORK``, and the named ones, as ``TYPE=WORK``), with their types; None for any other
    head. Remembered (up to 256 heads a process): a file repeats a few; no reader changes them."""
    plain = _PLAIN_HEAD.fullmatch(head)
    if plain is None:
        return None
    singletons: list[str] = []
    params: dict[str, list[str]] = {}
    for param in plain[2].split(";")[1:]:
        key, equals, values = param.partition("=")
        if equals:
            params.setdefault(key.upper(), []).append(values)
        else:
            singletons.append(key)
    known = plain[1].lower(), (singletons, params, frozenset(_type_names(singletons, params)))
    if len(_HEADS) < 256:
        _HEADS[head] = known
    return known


_HEADS: dict[str, tuple[str, _Parameters]] = {}


def _native(name: str, value: str) -> Any:
    """A value as vobject decodes it (its own functions where there is anything to decode)."""
    if name in _STRUCTURED:
        fields = vobject.vcard.splitFields(value) if "\\" in value or "," in value else value.split(";")
        if name == "n":
            return _Name(*fields[: len(_Name._fields)])
        if name == "adr":
            return _Address(*fields[: len(_Address._fields)])
        return fields
    if "\\" not in value and "," not in value:  # nothing to decode: the common value
        return value
    if name in _ONE_TEXT:
        value = _literal_commas(value)
    if "\\" in value or "," in value:
        return vobject.icalendar.stringToTextValues(value)[0]
    return value


def _contact(card: Any, path: Path, start: int, unsynced: list[str] | None = None) -> dict[str, Any]:
    """A card's Outlook properties; ``unsynced`` hears what it holds that syncsim does not sync."""
    item: dict[str, Any] = {}
    unsynced = [] if unsynced is None else unsynced
    contents = card.contents
    if "n" in contents:
        name = card.n.value
        item["FirstName"] = name.given or None
        item["LastName"] = name.family or None
        if name.additional or name.prefix or name.suffix:
            unsynced += [note for part, note in UNSYNCED_NAME_PARTS.items() if getattr(name, part)]
    elif "fn" in contents:
        first, _, last = card.fn.value.partition(" ")
        item.update(FirstName=first, LastName=last or None)
    else:
        raise FormatError(path, start, "a contact without N or FN")
    held = contents.keys()
    for key in held & TEXTS.keys():
        item[TEXTS[key]] = _text_of(contents[key])
    for key in held & DATES.keys():
        item[DATES[key]] = _date(path, start, key, str(contents[key][0].value))
    if "org" in contents:  # ORG:Company;Department[;Unit...]
        org = contents["org"][0].value
        parts = org if isinstance(org, list) else [org]
        item["CompanyName"] = parts[0] if parts else None
        item["Department"] = ";".join(parts[1:]) or None
    for email, prop in zip(contents.get("email", []), EMAILS, strict=False):
        item[prop] = email.value
    rare = held & _RARE
    labels = _labels(card) if rare else {}
    for tel in contents.get("tel", []):
        _phone(item, tel, labels, unsynced)
    if rare:
        _rare(item, contents, labels, unsynced, path, start)
    for adr in contents.get("adr", []):
        kind = next((ADDRESS_TYPES[t] for t in _types(adr) if t in ADDRESS_TYPES), "other")
        item.update(_address(kind, adr.value))
        if kind == "business" and adr.value.extended:  # Outlook's Office field rides in ADR;WORK
            item["OfficeLocation"] = adr.value.extended
    if "x-crmid" in contents:
        item[CRM_ID] = contents["x-crmid"][0].value
    default = contents.get("x-ms-ol-default-postal-address")
    if default:
        code = default[0].value.strip()
        if code not in OUTLOOK_POSTAL and code != "0":
            raise FormatError(path, start, f"X-MS-OL-DEFAULT-POSTAL-ADDRESS {code!r}: use 0, 1, 2 or 3")
        item["SelectedMailingAddress"] = OUTLOOK_POSTAL.get(code, "none")
    return {key: value for key, value in item.items() if value not in (None, "")}


#: what Outlook's own kinds of number, its children and Apple's labelled lines are written in: read
#: only by the cards that hold one of them
_RARE = frozenset({"x-ms-tel", CHILDREN, "x-ablabel", *LABELLED})


def _text_of(lines: list[Any]) -> str:
    """A text property's value: Outlook's Web Page is the business one (URL;TYPE=WORK first);
    Apple's escaped colon (``http\\://``), which no vCard escapes, made plain."""
    line = next((one for one in lines if "WORK" in _types(one)), lines[0]) if len(lines) > 1 else lines[0]
    text = ";".join(line.value) if isinstance(line.value, list) else line.value
    return text.replace("\\:", ":") if "\\:" in text else text


def _rare(
    item: dict[str, Any], contents: Any, labels: dict[str, str], unsynced: list[str], path: Path, start: int
) -> None:
    """Outlook's X-MS-TEL numbers and X-MS-CHILD, Apple's labelled dates and related names."""
    for tel in contents.get("x-ms-tel", []):
        _phone(item, tel, labels, unsynced)
    if CHILDREN in contents:
        item["Children"] = ", ".join(str(child.value) for child in contents[CHILDREN])
    for name, by_label in LABELLED.items():
        for line in contents.get(name, []):
            label = labels.get(getattr(line, "group", None) or "")
            target = by_label.get(label or "")
            if target is None:
                unsynced.append(f"{name.upper()} ({label or 'no label'})")
            elif target not in item:
                value = str(line.value)
                item[target] = _date(path, start, name, value) if target in DATES.values() else value


def _phone(item: dict[str, Any], tel: Any, labels: dict[str, str], unsynced: list[str]) -> None:
    """A TEL (or X-MS-TEL) into the first free Outlook number of its kind (:data:`PHONES`); a
    kind syncsim does not sync, or a number with no free place, is told to ``unsynced``."""
    types = _types(tel)
    label = labels.get(getattr(tel, "group", None) or "") if labels else None
    if label in LABEL_TYPES:
        types = frozenset(types) | frozenset(LABEL_TYPES[label].split())
    for wanted, prop in _candidates(frozenset(types)):
        if prop is None or prop not in item:
            if prop is None:
                unsynced.append(f"TEL;{';'.join(sorted(wanted))}")
            else:
                item[prop] = str(tel.value).removeprefix("tel:")  # vCard 4.0 writes a tel: URI
            return
    kinds = sorted(set(types) - _NO_KIND)
    unsynced.append(f"TEL;{';'.join(kinds) or 'VOICE'} (no free number of its kind)")


@cache
def _candidates(types: frozenset[str]) -> tuple[tuple[frozenset[str], str | None], ...]:
    """The rows of :data:`PHONES` a number of these types may fill, in order (its kind-less types
    left out): a file has a few distinct sets of types, each told once."""
    kinds = types - _NO_KIND
    return tuple((wanted, prop) for wanted, prop in PHONES if wanted <= kinds)


def _labels(card: Any) -> dict[str, str]:
    """Apple's ``itemN.X-ABLabel`` of each group, lower case, unwrapped from ``_$!<...>!$_``."""
    found = {}
    for line in card.contents.get("x-ablabel", []):
        text = str(line.value).strip()
        if text.startswith("_$!<") and text.endswith(">!$_"):
            text = text[4:-4]
        found[getattr(line, "group", None) or ""] = text.lower()
    return found


def _date(path: Path, start: int, key: str, text: str) -> datetime:
    digits = text.strip().replace("-", "")[:8]
    try:
        return datetime.strptime(digits, "%Y%m%d")
    except ValueError:
        raise FormatError(
            path, start, f"{key.upper()} {text!r} is not a date (YYYYMMDD or YYYY-MM-DD)"
        ) from None


def _types(prop: Any) -> frozenset[str] | set[str]:
    """Types of a vCard property, however the version writes them (ADR;WORK, TYPE=work, TYPE=a,b)."""
    if isinstance(prop, _Line):
        return prop.types
    return _type_names(prop.singletonparams, prop.params)


def _type_names(singletons: list[str], params: dict[str, list[str]]) -> set[str]:
    types = {t.upper() for t in singletons}
    for value in params.get("TYPE", []):
        types |= {part.upper() for part in value.split(",")}
    return types


def _address(kind: str, adr: Any) -> dict[str, Any]:
    extended = adr.extended if kind != "business" else ""  # the business one is the Office
    street = "\n".join(part for part in (adr.street, extended) if part)
    values = (street, adr.city, adr.region, adr.code, adr.country)  # in ADDRESS_PARTS' order
    return {name: value for name, value in zip(_ADDRESS_PROPERTIES[kind], values, strict=True) if value}


#: by Outlook address, its properties in ``schema.ADDRESS_PARTS``' order (BusinessAddressStreet, ...)
_ADDRESS_PROPERTIES = {
    kind: tuple(f"{prefix}Address{part}" for _, part in schema.ADDRESS_PARTS)
    for kind, prefix in schema.OUTLOOK_ADDRESSES.items()
}


def _phone_source(types: frozenset[str], nth: int) -> str:
    """Where the ``nth`` number of these types is read from, as docs/formats.md says it."""
    outlook_kinds = {"CALLBACK": "Callback", "ASSISTANT": "Assistant", "COMPANY": "Company Main"}
    kind = next(iter(types & outlook_kinds.keys()), None)
    if kind:
        return f"X-MS-TEL;{kind} (or itemN.TEL labelled {outlook_kinds[kind]})"
    where = f"TEL;{';'.join(sorted(types))}" if types else "TEL with no kind, or VOICE only"
    return f"{where} (2nd)" if nth > 1 else where


def _sources() -> dict[str, str]:
    """Outlook property -> where a card holds it: the one table of what this reader reads, for
    the export's carried fields and for docs/formats.md."""
    labelled = {
        prop: f"itemN.{name.upper()} labelled {label.title()}"
        for name, by in LABELLED.items()
        for label, prop in by.items()
    }
    found: dict[str, list[str]] = {
        "FirstName": ["N (given name)"],
        "LastName": ["N (family name)"],
        "CompanyName": ["ORG (first part)"],
        "Department": ["ORG (the parts after the first)"],
        "OfficeLocation": ["ADR;WORK (extended address)"],
        "SelectedMailingAddress": ["X-MS-OL-DEFAULT-POSTAL-ADDRESS"],
        CRM_ID: ["X-CRMID"],
        "Children": ["X-MS-CHILD (each)"],
    }
    for key, prop in [*TEXTS.items(), *DATES.items()]:
        found.setdefault(prop, []).append(key.upper())
    for prop, where in labelled.items():
        found.setdefault(prop, []).append(where)
    for n, prop in enumerate(EMAILS, start=1):
        found[prop] = [f"EMAIL ({n}{'st' if n == 1 else 'nd' if n == 2 else 'rd'})"]
    seen: Counter[frozenset[str]] = Counter()
    for types, number in PHONES:
        seen[types] += 1
        if number:
            found.setdefault(number, []).append(_phone_source(types, seen[types]))
    for kind, properties in _ADDRESS_PROPERTIES.items():
        adr = {"business": "ADR;WORK", "home": "ADR;HOME", "other": "ADR (any other type)"}[kind]
        for prop, part in zip(
            properties, ("street", "city", "region", "postal code", "country"), strict=True
        ):
            found[prop] = [f"{adr} ({part})"]
    return {prop: ", or ".join(dict.fromkeys(where)) for prop, where in found.items()}


#: Outlook property -> where a card holds it (docs/formats.md)
SOURCES = {"contact": _sources()}


def _first_line(error: Exception) -> str:
    return str(error).splitlines()[0] if str(error) else type(error).__name__


# -- writing -------------------------------------------------------------------------------------


def _card(contact: dict[str, Any]) -> Any:
    card = vobject.vCard()
    first, last = contact.get("FirstName") or "", contact.get("LastName") or ""
    card.add("n").value = vobject.vcard.Name(family=last, given=first)
    card.add("fn").value = " ".join(part for part in (first, last) if part) or "(no name)"
    for key, prop in TEXTS.items():
        if contact.get(prop):
            card.add(key).value = contact[prop]
    for key, prop in DATES.items():
        if contact.get(prop):
            card.add(key).value = contact[prop].strftime("%Y-%m-%d")
    if contact.get("CompanyName"):
        card.add("org").value = [contact["CompanyName"]]
    for prop in EMAILS:
        if contact.get(prop):
            card.add("email").value = contact[prop]
    for types, number in PHONES:  # in the table's order, so reading it back finds each in its place
        if number and contact.get(number):
            tel = card.add("tel")
            tel.value = contact[number]
            tel.type_paramlist = sorted(types)
    vcard_type = {"business": "WORK", "home": "HOME", "other": "POSTAL"}
    for kind, prefix in schema.OUTLOOK_ADDRESSES.items():
        parts = {part: contact.get(f"{prefix}Address{part}") or "" for _, part in schema.ADDRESS_PARTS}
        if any(parts.values()):
            adr = card.add("adr")
            adr.value = vobject.vcard.Address(
                extended=contact.get("OfficeLocation") or "" if kind == "business" else "",
                street=parts["Street"],
                city=parts["City"],
                region=parts["State"],
                code=parts["PostalCode"],
                country=parts["Country"],
            )
            adr.type_param = vcard_type[kind]
    if contact.get(CRM_ID):
        card.add("x-crmid").value = contact[CRM_ID]
    selected = contact.get("SelectedMailingAddress")
    if selected in POSTAL_CODE:
        card.add("x-ms-ol-default-postal-address").value = POSTAL_CODE[selected]
    return card

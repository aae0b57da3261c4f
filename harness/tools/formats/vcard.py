"""Outlook contacts from and to vCard (.vcf), with vobject.

Reads what Outlook writes (vCard 2.1: ``ADR;WORK`` / ``ADR;HOME`` / ``ADR;POSTAL`` for the Business,
Home and Other addresses, ``N;LANGUAGE=...``, quoted-printable labels, and
``X-MS-OL-DEFAULT-POSTAL-ADDRESS`` for the mailing address: 1 home, 2 business, 3 other) and
vCard 3.0 / 4.0 (``ADR;TYPE=...``); several contacts per file. Writes vCard 3.0 with the same
Outlook extension, so a round trip keeps the mailing address. ``X-CRMID`` (our extension) carries
the CRM id of a tracked contact, for linking by id.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import vobject

from harness import schema
from harness.schema import CRM_ID
from harness.tools.formats.errors import FormatError

#: X-MS-OL-DEFAULT-POSTAL-ADDRESS values -> Outlook's SelectedMailingAddress, and back.
OUTLOOK_POSTAL = {"1": "home", "2": "business", "3": "other"}
POSTAL_CODE = {kind: code for code, kind in OUTLOOK_POSTAL.items()}
#: vCard address types -> Outlook address; any other type (POSTAL, OTHER, INTL, ...) is Other.
ADDRESS_TYPES = {"WORK": "business", "HOME": "home"}
#: vCard telephone types -> Outlook property, first match wins.
PHONES = (
    ("CELL", "MobileTelephoneNumber"),
    ("WORK", "BusinessTelephoneNumber"),
    ("HOME", "HomeTelephoneNumber"),
)
EMAILS = ("Email1Address", "Email2Address", "Email3Address")
_BEGIN = re.compile(r"^BEGIN:VCARD\s*$", re.IGNORECASE)


#: vCard properties read into Outlook properties, or bookkeeping with nothing to carry over.
READ = {"n", "fn", "title", "note", "org", "email", "tel", "adr", "x-ms-ol-default-postal-address", "x-crmid"}
BOOKKEEPING = {"version", "label", "rev", "prodid", "uid", "x-ms-ol-design", "class"}


def read_vcf(path: Path, notes: list[str] | None = None) -> list[dict[str, Any]]:
    """Every contact of a .vcf file as Outlook properties; a FormatError names file, line, problem.

    Properties that have no Outlook property here (URL, BDAY, PHOTO, ...) are not imported; each
    one is named in ``notes`` once, with how many contacts carried it.
    """
    text = _text(path)
    cards: list[dict[str, Any]] = []
    skipped: dict[str, int] = {}
    for start, chunk in _cards(path, text):
        try:
            [card] = list(vobject.readComponents(chunk))
        except Exception as bad:  # vobject raises ParseError and, on some input, plain errors
            raise FormatError(path, start, f"contact {len(cards) + 1}: {_first_line(bad)}") from None
        cards.append(_contact(card, path, start))
        for name in set(card.contents) - READ - BOOKKEEPING:
            skipped[name.upper()] = skipped.get(name.upper(), 0) + 1
    if not cards:
        raise FormatError(path, 1, "no BEGIN:VCARD found")
    if notes is not None:
        notes += [f"{path}: {name} of {n} contact(s) not imported" for name, n in sorted(skipped.items())]
    return cards


def write_vcf(path: Path, contacts: list[dict[str, Any]]) -> None:
    path.write_text("".join(_card(contact).serialize() for contact in contacts), encoding="utf-8")


# -- reading -------------------------------------------------------------------------------------


def _text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as bad:
        raise FormatError(path, 1, f"not UTF-8 text ({bad.reason})") from None


def _cards(path: Path, text: str) -> list[tuple[int, str]]:
    """(first line, text) of each BEGIN:VCARD ... block; what lies outside a block is an error."""
    blocks: list[tuple[int, list[str]]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if _BEGIN.match(line):
            blocks.append((number, [line]))
        elif blocks:
            blocks[-1][1].append(line)
        elif line.strip():
            raise FormatError(path, number, f"text outside any BEGIN:VCARD block: {line[:40]!r}")
    return [(start, "\n".join(lines) + "\n") for start, lines in blocks]


def _contact(card: Any, path: Path, start: int) -> dict[str, Any]:
    item: dict[str, Any] = {}
    if "n" in card.contents:
        item["FirstName"] = card.n.value.given or None
        item["LastName"] = card.n.value.family or None
    elif "fn" in card.contents:
        first, _, last = card.fn.value.partition(" ")
        item.update(FirstName=first, LastName=last or None)
    else:
        raise FormatError(path, start, "a contact without N or FN")
    simple = {"title": "JobTitle", "note": "Body", "org": "CompanyName"}
    for key, prop in simple.items():
        if key in card.contents:
            value = card.contents[key][0].value
            item[prop] = ";".join(value) if isinstance(value, list) else value
    for email, prop in zip(card.contents.get("email", []), EMAILS, strict=False):
        item[prop] = email.value
    for tel in card.contents.get("tel", []):
        types = _types(tel)
        for kind, prop in PHONES:
            if kind in types and prop not in item:
                item[prop] = tel.value
                break
    for adr in card.contents.get("adr", []):
        kind = next((ADDRESS_TYPES[t] for t in _types(adr) if t in ADDRESS_TYPES), "other")
        item.update(_address(kind, adr.value))
    if "x-crmid" in card.contents:
        item[CRM_ID] = card.contents["x-crmid"][0].value
    default = card.contents.get("x-ms-ol-default-postal-address")
    if default:
        code = default[0].value.strip()
        if code not in OUTLOOK_POSTAL and code != "0":
            raise FormatError(path, start, f"X-MS-OL-DEFAULT-POSTAL-ADDRESS {code!r}: use 0, 1, 2 or 3")
        item["SelectedMailingAddress"] = OUTLOOK_POSTAL.get(code, "none")
    return {key: value for key, value in item.items() if value not in (None, "")}


def _types(prop: Any) -> set[str]:
    """Types of a vCard property, however the version writes them (ADR;WORK, TYPE=work, TYPE=a,b)."""
    types = {t.upper() for t in prop.singletonparams}
    for value in prop.params.get("TYPE", []):
        types |= {part.upper() for part in value.split(",")}
    return types


def _address(kind: str, adr: Any) -> dict[str, Any]:
    street = "\n".join(part for part in (adr.street, adr.extended) if part)
    values = {"Street": street, "City": adr.city, "State": adr.region, "PostalCode": adr.code}
    values["Country"] = adr.country
    prefix = schema.OUTLOOK_ADDRESSES[kind]
    return {f"{prefix}Address{part}": value for part, value in values.items() if value}


def _first_line(error: Exception) -> str:
    return str(error).splitlines()[0] if str(error) else type(error).__name__


# -- writing -------------------------------------------------------------------------------------


def _card(contact: dict[str, Any]) -> Any:
    card = vobject.vCard()
    first, last = contact.get("FirstName") or "", contact.get("LastName") or ""
    card.add("n").value = vobject.vcard.Name(family=last, given=first)
    card.add("fn").value = " ".join(part for part in (first, last) if part) or "(no name)"
    for key, prop in (("title", "JobTitle"), ("note", "Body")):
        if contact.get(prop):
            card.add(key).value = contact[prop]
    if contact.get("CompanyName"):
        card.add("org").value = [contact["CompanyName"]]
    for prop in EMAILS:
        if contact.get(prop):
            card.add("email").value = contact[prop]
    for kind, prop in PHONES:
        if contact.get(prop):
            tel = card.add("tel")
            tel.value = contact[prop]
            tel.type_param = kind
    vcard_type = {"business": "WORK", "home": "HOME", "other": "POSTAL"}
    for kind, prefix in schema.OUTLOOK_ADDRESSES.items():
        parts = {part: contact.get(f"{prefix}Address{part}") or "" for _, part in schema.ADDRESS_PARTS}
        if any(parts.values()):
            adr = card.add("adr")
            adr.value = vobject.vcard.Address(
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

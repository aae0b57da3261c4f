"""Outlook contacts from Outlook's own CSV export (File > Open & Export > Import/Export > Export to a
file > Comma Separated Values), whose headers are Outlook's English field labels.

Each known column becomes its Outlook property; Street 2 and 3 join the Street with line breaks,
as Outlook's single Street field holds them; empty dates come as ``0/0/00`` and dates are read as
month/day/year (a US export; a note says so). Columns syncsim has no property for (Initials,
Hobby, User 1, ...) are named in a note. The export carries no marker of the mailing address: the
reader assumes one (``mailing``: business, home or other; default: the first of the three the
contact fills) and says which in a note.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ... import schema
from . import tabular
from .errors import Export, FormatError, Item

#: Outlook's CSV column -> Outlook property (addresses below)
COLUMNS = {
    "First Name": "FirstName",
    "Last Name": "LastName",
    "Company": "CompanyName",
    "Department": "Department",
    "Job Title": "JobTitle",
    "Office Location": "OfficeLocation",
    "Business Fax": "BusinessFaxNumber",
    "Business Phone": "BusinessTelephoneNumber",
    "Business Phone 2": "Business2TelephoneNumber",
    "Callback": "CallbackTelephoneNumber",
    "Company Main Phone": "CompanyMainTelephoneNumber",
    "Home Phone": "HomeTelephoneNumber",
    "Home Phone 2": "Home2TelephoneNumber",
    "Mobile Phone": "MobileTelephoneNumber",
    "Other Phone": "OtherTelephoneNumber",
    "Pager": "PagerNumber",
    "Assistant's Phone": "AssistantTelephoneNumber",
    "Assistant's Name": "AssistantName",
    "Manager's Name": "ManagerName",
    "Anniversary": "Anniversary",
    "Birthday": "Birthday",
    "Children": "Children",
    "Spouse": "Spouse",
    "Government ID Number": "GovernmentIDNumber",
    "Notes": "Body",
    "Web Page": "WebPage",
    "E-mail Address": "Email1Address",
    "E-mail 2 Address": "Email2Address",
    "E-mail 3 Address": "Email3Address",
    "Categories": "Categories",
}
#: "<Business|Home|Other> <part>" columns -> the address part's Outlook suffix
ADDRESS_COLUMNS = {
    "Street": "Street",
    "City": "City",
    "State": "State",
    "Postal Code": "PostalCode",
    "Country/Region": "Country",
    "Country": "Country",  # the header of Outlook 2003 and earlier ("Business Country")
}
EXTRA_STREETS = ("Street 2", "Street 3")


def _sources() -> dict[str, str]:
    found: dict[str, list[str]] = {}
    for column, prop in COLUMNS.items():
        found.setdefault(prop, []).append(f'"{column}"')
    for kind in ("Business", "Home", "Other"):
        for part, suffix in ADDRESS_COLUMNS.items():
            found.setdefault(f"{kind}Address{suffix}", []).append(f'"{kind} {part}"')
        found[f"{kind}AddressStreet"] += [f'"{kind} {extra}" (joined)' for extra in EXTRA_STREETS]
    found["SelectedMailingAddress"] = [
        "not in the export: the first address the contact fills, or --mailing-address"
    ]
    return {prop: ", or ".join(where) for prop, where in found.items()}


#: Outlook property -> the columns of Outlook's CSV export that hold it (docs/formats.md)
SOURCES = {"contact": _sources()}
MAILING = ("business", "home", "other")
EMPTY_DATE = "0/0/00"


def read(path: Path, mailing: str | None = None) -> Export:
    export = Export(path, "Outlook CSV export (contacts)", "outlook")
    header, rows = tabular.csv_rows(tabular.csv_text(path, export), export)
    targets = _targets(export, header)
    export.carry("contact", {t for t in targets if t} | {"SelectedMailingAddress"})
    assumed, dated = 0, False
    for line, cells in rows:
        if len(cells) != len(header):
            export.problem(line, f"{len(cells)} cells, but the header has {len(header)} columns")
            continue
        contact = _contact(export, line, header, targets, cells)
        if contact is None:
            continue
        contact["SelectedMailingAddress"] = mailing_address(contact, mailing)
        assumed += 1
        dated = dated or any(name in contact for name in ("Birthday", "Anniversary"))
        export.items.append(Item("contact", contact, line))
    if dated:
        export.note(1, "dates read as ISO 8601 or month/day/year, as Outlook's US export writes them")
    if assumed:
        how = f"{mailing} (--mailing-address)" if mailing else "the first filled of Business, Home, Other"
        export.note(
            1, f"Outlook's CSV export has no mailing address marker: assumed {how} for {assumed} contact(s)"
        )
    return export


def headings() -> set[str]:
    """Every heading of Outlook's CSV export that this reader knows."""
    addresses = {f"{kind.title()} {part}" for kind in MAILING for part in (*ADDRESS_COLUMNS, *EXTRA_STREETS)}
    return set(COLUMNS) | addresses


def looks_like_outlook_csv(header: list[str]) -> bool:
    """Whether a CSV header is Outlook's export rather than Dynamics' display names: both write
    "First Name" and "Job Title"; only Outlook writes "E-mail Address" or "Business Street", only
    Dynamics "Email", "Full Name" or "Address 1: City" (and its hidden "(Do Not Modify)" columns)."""
    dynamics = {_squeezed(name) for names in schema.DISPLAY_NAMES.values() for name in names.values()}
    outlook = {_squeezed(name) for name in headings()}
    given = {_squeezed(heading) for heading in header}
    if any(heading.startswith("(Do Not Modify)") for heading in header):
        return False
    return len(given & (outlook - dynamics)) > len(given & (dynamics - outlook))


def _squeezed(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch.isalnum())


def _targets(export: Export, header: list[str]) -> list[str | None]:
    """Each column's Outlook property (a Street 2/3 column names its address's Street)."""
    if not {"First Name", "Last Name"} & set(header):
        raise FormatError(export.path, 1, "not Outlook's CSV export: no 'First Name' or 'Last Name' column")
    targets = [_property(heading) for heading in header]
    export.unknown = [
        heading for heading, target in zip(header, targets, strict=True) if heading and not target
    ]
    if export.unknown:
        export.note(
            1, f"columns with no Outlook property in syncsim, not imported: {', '.join(export.unknown)}"
        )
    extra = [
        None if heading.endswith(EXTRA_STREETS) else target
        for heading, target in zip(header, targets, strict=True)
    ]
    twice = tabular.duplicate_columns(header, extra)
    if twice:
        raise FormatError(export.path, 1, twice)
    return targets


def _property(heading: str) -> str | None:
    if heading in COLUMNS:
        return COLUMNS[heading]
    kind, _, part = heading.partition(" ")
    prefix = kind if kind.lower() in MAILING else None
    if prefix and part in ADDRESS_COLUMNS:
        return f"{prefix}Address{ADDRESS_COLUMNS[part]}"
    if prefix and part in EXTRA_STREETS:
        return f"{prefix}AddressStreet"
    return None


def _contact(
    export: Export, line: int, header: list[str], targets: list[str | None], cells: list[str]
) -> dict[str, Any] | None:
    contact: dict[str, Any] = {}
    for heading, target, cell in zip(header, targets, cells, strict=True):
        text = cell.strip().replace("\r\n", "\n")
        if target is None or not text or (text == EMPTY_DATE and target in ("Birthday", "Anniversary")):
            continue
        if target in contact and target.endswith("AddressStreet"):  # Street 2 and 3
            contact[target] = f"{contact[target]}\n{text}"
            continue
        try:
            contact[target] = tabular.typed(target, text)
        except ValueError as bad:
            export.problem(line, f"column {heading!r}: {str(bad).partition(': ')[2]}")
            return None
    if not (contact.get("FirstName") or contact.get("LastName")):
        export.problem(line, "a contact without First Name or Last Name")
        return None
    return contact


def mailing_address(contact: dict[str, Any], chosen: str | None) -> str:
    """The mailing address of a contact from a file that does not mark it: the one chosen, else
    the first of Business, Home, Other that the contact fills."""
    if chosen:
        return chosen
    for kind in MAILING:
        prefix = schema.OUTLOOK_ADDRESSES[kind]
        if any(contact.get(f"{prefix}Address{part}") for _, part in schema.ADDRESS_PARTS):
            return kind
    return "business"

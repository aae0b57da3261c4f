"""Any export, recognised by what it is, read for the side it belongs to.

:func:`sniff` tells the format from the name and the first bytes; :func:`load` reads the file with
the reader for it and refuses, saying what the file looks like, one given for the wrong side (an
Outlook CSV export passed as CRM data). Strict by default: a file with bad items is refused with
every problem; ``skip_bad`` keeps the rest and lists each skipped item.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .. import output
from . import crmfiles, graph, ical, outlookcsv, vcard
from .errors import Export, FormatError, Side


@dataclass(frozen=True)
class Format:
    name: str
    side: Side
    #: what a user calls it, for messages
    looks_like: str


FORMATS = {
    f.name: f
    for f in (
        Format("vcard", "outlook", "a vCard file of Outlook contacts"),
        Format("ical", "outlook", "an iCalendar file of Outlook appointments and tasks"),
        Format("outlook-csv", "outlook", "an Outlook CSV export (File > Export > Comma Separated Values)"),
        Format("graph-json", "outlook", "Microsoft Graph JSON of a mailbox's contacts or events"),
        Format("google-csv", "outlook", "a Google Contacts CSV export"),
        Format("crm-csv", "crm", "a CSV of CRM records"),
        Format("crm-xlsx", "crm", "a Dynamics 365 Export to Excel workbook"),
        Format("dataverse-json", "crm", "Dataverse Web API JSON of CRM records"),
    )
}
OPTION = {"crm": "--crm", "outlook": "--outlook"}


def sniff(path: Path) -> Format:
    """The format of a file, from its suffix and its first bytes; a FormatError if none fits."""
    refused = output.not_readable(path)
    if refused:
        raise FormatError(path, 1, refused)
    head = path.read_bytes()[:4096]
    suffix = path.suffix.lower()
    text = head.decode("utf-8", errors="ignore").lstrip("\ufeff \r\n\t").upper()
    if suffix == ".vcf" or text.startswith("BEGIN:VCARD"):
        return FORMATS["vcard"]
    if suffix == ".ics" or text.startswith("BEGIN:VCALENDAR"):
        return FORMATS["ical"]
    if suffix == ".xlsx" or head.startswith(b"PK\x03\x04"):
        return FORMATS["crm-xlsx"]
    if suffix == ".json" or text.startswith(("{", "[")):
        return FORMATS["graph-json" if graph.looks_like_graph(crmfiles.load_json(path)) else "dataverse-json"]
    if suffix == ".csv":
        first = head.decode("utf-8", errors="replace").lstrip("\ufeff").splitlines()[:1]
        header = next(csv.reader(first), [])
        if outlookcsv.looks_like_outlook_csv(header):
            return FORMATS["outlook-csv"]
        return FORMATS["google-csv" if looks_like_google_csv(header) else "crm-csv"]
    raise FormatError(
        path,
        1,
        "not a format syncsim reads: .vcf, .ics, Outlook .csv, Graph .json (Outlook); "
        ".csv, .xlsx, Web API .json (CRM)",
    )


#: the numbered columns of Google Contacts' CSV ("E-mail 1 - Value", "Phone 2 - Type", "Address
#: 1 - Formatted"; "- Label" since 2020), which no CRM attribute and no Outlook header is named like
_GOOGLE_COLUMN = re.compile(
    r"^(E-mail|Phone|Address|Website|Relation|Event) \d+ - (Type|Label|Value|Formatted)$"
)


def looks_like_google_csv(header: list[str]) -> bool:
    return sum(bool(_GOOGLE_COLUMN.match(column.strip())) for column in header) >= 2


def load(
    path: Path,
    side: Side | None = None,
    *,
    entity: str = "contact",
    mailing: str | None = None,
    skip_bad: bool = False,
) -> Export:
    """The file read by the reader for its format, for ``side`` when given (else for its own)."""
    found = sniff(path)
    if found.name == "google-csv":
        raise FormatError(
            path,
            1,
            f"this looks like {found.looks_like}, which syncsim does not read (its columns are no "
            "Outlook's or CRM's): export the contacts as vCard instead (Google Contacts: Export > "
            "vCard, for iOS Contacts), or from Outlook, and pass that .vcf",
        )
    if side is not None and found.side != side:
        holds = "CRM" if found.side == "crm" else "Outlook"
        message = f"this is {found.looks_like}: it holds {holds} data; pass it as {OPTION[found.side]}"
        raise FormatError(path, 1, message)
    readers: dict[str, Callable[[], Export]] = {
        "vcard": lambda: vcard.read(path),
        "ical": lambda: ical.read(path),
        "outlook-csv": lambda: outlookcsv.read(path, mailing),
        "graph-json": lambda: graph.read(path, mailing),
        "crm-csv": lambda: crmfiles.read_table(path, entity),
        "crm-xlsx": lambda: crmfiles.read_table(path, entity),
        "dataverse-json": lambda: crmfiles.read_json(path, entity),
    }
    return readers[found.name]().settle(skip_bad)

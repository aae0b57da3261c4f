"""The sample exports under examples/, made from seeded Faker data (``syncsim samples``).

Two pairs of files show the address re-mapping warning with ``syncsim whatif``:

* ``crm-contacts.csv`` + ``outlook-contacts.vcf``: contacts tracked under "mailing address only";
  Outlook holds more addresses than CRM (Home and Other besides the mailing address), written as
  Outlook writes vCard 2.1. Switching to all three addresses loses them. The first two job titles
  were changed in CRM since the last sync: with ``--field contact.jobtitle=outlook-to-crm`` they
  would stay out of Outlook.
* ``crm-contacts-full.json`` + ``outlook-contacts-names-only.vcf``: the full address data in CRM
  (Web API JSON), Outlook holding names and email addresses only. The switch loses nothing.

``calendar.ics`` has appointments (one recurring, one with an inline attachment) and tasks (one
recurring), for the .ics import.
"""

from __future__ import annotations

import quopri
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .. import mapping, schema
from ..world import World
from .formats.crmfiles import write_csv, write_json
from .formats.ical import CalendarItem, write_ics
from .formats.vcard import POSTAL_CODE, write_vcf

SEED = 2026
CONTACTS = 8
#: the first contacts' job titles were changed in CRM after the last sync
PROMOTED = 2
VCARD_21_TYPES = {"business": "WORK", "home": "HOME", "other": "POSTAL"}


def write_samples(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    world = World(seed=SEED)
    make = world.factory
    outlook = [_outlook_contact(make, n) for n in range(CONTACTS)]
    crm = [_as_tracked_in_crm(contact) for contact in outlook]
    for record in crm[:PROMOTED]:  # changed in CRM since the last sync: the next cycle takes it to Outlook
        record["jobtitle"] = f"Senior {record.get('jobtitle') or 'consultant'}"
    full = [make.crm_contact(addresses=3) for _ in range(CONTACTS)]
    names_only = [
        {"FirstName": c["firstname"], "LastName": c["lastname"], "Email1Address": c["emailaddress1"]}
        for c in full
    ]
    paths: dict[str, Callable[[Path], object]] = {
        "outlook-contacts.vcf": lambda p: p.write_text("".join(map(_vcard_21, outlook)), encoding="utf-8"),
        "crm-contacts.csv": lambda p: write_csv(p, "contact", crm, _exported_columns()),
        "crm-contacts-full.json": lambda p: write_json(p, "contact", full),
        "outlook-contacts-names-only.vcf": lambda p: write_vcf(p, names_only),
        "calendar.ics": lambda p: write_ics(p, _calendar(world)),
    }
    for name, write in paths.items():
        write(folder / name)
    return [folder / name for name in paths]


def _exported_columns() -> list[str]:
    """The columns of the CRM sample: every attribute a contact pair syncs, all three addresses
    among them, so an empty Address 2 is known to be empty (a column a file leaves out is unknown)."""
    pairs = mapping.contact_pairs("all-three", None).union(mapping.contact_pairs("mailing-only", None))
    return sorted({pair.crm for pair in pairs})


def _outlook_contact(make: Any, n: int) -> dict[str, Any]:
    """Every other contact has its Home address as mailing address, all have two or three."""
    contact: dict[str, Any] = make.outlook_contact(addresses=2 + n % 2)
    present = [
        kind
        for kind in schema.OUTLOOK_ADDRESSES
        if contact.get(f"{schema.OUTLOOK_ADDRESSES[kind]}AddressCity")
    ]
    contact["SelectedMailingAddress"] = "home" if n % 2 and "home" in present else present[0]
    return contact


def _as_tracked_in_crm(contact: dict[str, Any]) -> dict[str, Any]:
    """The CRM side of a contact synced under "mailing address only": Address 1 = mailing address."""
    record = {p.crm: contact[p.outlook] for p in mapping.CONTACT if contact.get(p.outlook)}
    for pair in mapping.address_pairs(1, mapping.mailing_address(contact)):
        if contact.get(pair.outlook):
            record[pair.crm] = contact[pair.outlook]
    return record


def _vcard_21(contact: dict[str, Any]) -> str:
    """A contact as Outlook exports it: vCard 2.1, quoted-printable labels, its mailing address."""
    first, last = contact.get("FirstName", ""), contact.get("LastName", "")
    lines = ["BEGIN:VCARD", "VERSION:2.1", f"N;LANGUAGE=en-us:{last};{first}", f"FN:{first} {last}"]
    if contact.get("JobTitle"):
        lines.append(f"TITLE:{contact['JobTitle']}")
    for prop, kind in (("BusinessTelephoneNumber", "WORK"), ("MobileTelephoneNumber", "CELL")):
        if contact.get(prop):
            lines.append(f"TEL;{kind};VOICE:{contact[prop]}")
    selected = contact.get("SelectedMailingAddress")
    for kind, prefix in schema.OUTLOOK_ADDRESSES.items():
        parts = [contact.get(f"{prefix}Address{part}", "") for _, part in schema.ADDRESS_PARTS]
        if not any(parts):
            continue
        street, city, state, code, country = parts
        pref = ";PREF" if kind == selected else ""
        lines.append(f"ADR;{VCARD_21_TYPES[kind]}{pref}:;;{street};{city};{state};{code};{country}")
        label = quopri.encodestring(f"{street}\r\n{city}, {state} {code}\r\n{country}".encode()).decode()
        label = label.replace("\r\n", "=0D=0A").replace("=\n", "")
        lines.append(f"LABEL;{VCARD_21_TYPES[kind]}{pref};ENCODING=QUOTED-PRINTABLE:{label}")
    if selected in POSTAL_CODE:
        lines.append(f"X-MS-OL-DEFAULT-POSTAL-ADDRESS:{POSTAL_CODE[selected]}")
    if contact.get("Email1Address"):
        lines.append(f"EMAIL;PREF;INTERNET:{contact['Email1Address']}")
    lines.append("END:VCARD")
    return "\r\n".join(lines) + "\r\n"


def _calendar(world: World) -> list[CalendarItem]:
    now, make = world.clock.now(), world.factory
    _, agenda = make.attachment(2048)
    return [
        CalendarItem("appointment", make.outlook_appointment(now, recurring=True)),
        CalendarItem("appointment", make.outlook_appointment(now), {"agenda.pdf": agenda}),
        CalendarItem("appointment", make.outlook_appointment(now)),
        CalendarItem("task", make.outlook_task(now)),
        CalendarItem("task", {**make.outlook_task(now), "IsRecurring": True}),
    ]

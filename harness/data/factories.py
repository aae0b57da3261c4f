"""Seeded Faker factories for both sides: the same seed and locale give the same data, byte for byte.

Faker is slow per call (tens of microseconds), and a simulated organization needs a hundred
thousand contacts. So each factory draws a pool of Faker values per kind of field once (names,
streets, cities, phone numbers, ...), then builds each record by picking from the pools with a
seeded ``random.Random``. Values stay realistic and locale-aware; records are cheap.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from functools import cache
from typing import Any

from faker import Faker

from .. import mapping, schema

POOL_SIZE = 256
_POOL_BITS = POOL_SIZE.bit_length()
DURATIONS_MINUTES = (30, 45, 60, 90, 120)
FILE_KINDS = (("agenda", "pdf"), ("minutes", "docx"), ("photo", "jpg"), ("recording", "m4a"))
_ADDRESS_PARTS = ("line1", "city", "stateorprovince", "postalcode", "country")
#: the Faker pools of an address's parts, in that order
_ADDRESS_KINDS = ("street_address", "city", "state", "postcode", "country")
#: by how many addresses a contact has, the CRM names of their parts (address1_line1, ...)
_ADDRESS_NAMES = {
    count: tuple(f"address{n}_{part}" for n in range(1, count + 1) for part in _ADDRESS_PARTS)
    for count in (0, 1, 2, 3)
}


class Factory:
    """Faker-made records for CRM (logical names) and Outlook (property names)."""

    def __init__(self, seed: int, locale: str = "en_US") -> None:
        self.fake = _faker(locale)
        self._faker_random = random.Random(seed)
        self.random = random.Random(f"factory:{seed}")
        self._pools: dict[str, list[Any]] = {}
        #: the pools that are full: a pick from one of them is a lookup and a random index
        self._full: dict[str, list[Any]] = {}
        self._bits = self.random.getrandbits
        self._serial = 0
        #: whether the locale's Faker knows states (asked once)
        self._has_state: bool | None = None

    def pick(self, kind: str) -> Any:
        """A Faker value of ``kind`` (a Faker provider name such as ``city``).

        The first POOL_SIZE picks of a kind call Faker and are kept; later picks reuse one of
        those at random. A small scenario pays for the few values it uses, a large population
        for POOL_SIZE values per kind.
        """
        pool = self._full.get(kind)
        if pool is not None:
            # random.randrange(POOL_SIZE) inlined, draw for draw (the same stream, fewer calls):
            # POOL_SIZE's bit length of bits, drawn again while out of range
            index = self._bits(_POOL_BITS)
            while index >= POOL_SIZE:
                index = self._bits(_POOL_BITS)
            return pool[index]
        pool = self._pools.setdefault(kind, [])
        self.fake.random = self._faker_random  # type: ignore[attr-defined]  # this factory's stream, whoever shares the Faker
        pool.append(getattr(self.fake, kind)())
        if len(pool) == POOL_SIZE:
            self._full[kind] = pool
        return pool[-1]

    def picks(self, kinds: tuple[str, ...]) -> list[Any]:
        """``[self.pick(kind) for kind in kinds]``, draw for draw, with the full pools' picks
        inlined (a contact makes sixteen picks; a million contacts, sixteen million)."""
        full, bits, picked = self._full, self._bits, []
        for kind in kinds:
            pool = full.get(kind)
            if pool is None:
                picked.append(self.pick(kind))
                continue
            index = bits(_POOL_BITS)
            while index >= POOL_SIZE:
                index = bits(_POOL_BITS)
            picked.append(pool[index])
        return picked

    def email(self, first: str, last: str) -> str:
        self._serial += 1
        local = f"{first}.{last}{self._serial}".lower().replace(" ", "").replace("'", "")
        return f"{local}@{self.pick('free_email_domain')}"

    # -- contacts ------------------------------------------------------------------------------

    def _address_kinds(self, count: int) -> tuple[str, ...]:
        """The pools ``count`` addresses pick from, in order (the state only where the locale
        has states: its CRM part is then left blank)."""
        if self._has_state is None:
            self._has_state = _has(self.fake, "state")
        parts = _ADDRESS_KINDS if self._has_state else tuple(k for k in _ADDRESS_KINDS if k != "state")
        return parts * count

    def crm_contact(self, addresses: int | None = None) -> dict[str, Any]:
        """A CRM contact with 1 to 3 addresses (``addresses`` fixes how many)."""
        first, last, job = self.picks(("first_name", "last_name", "job"))
        email = self.email(first, last)
        phone, mobile = self.picks(("phone_number", "phone_number"))
        record = {
            "firstname": first,
            "lastname": last,
            "jobtitle": job,
            "emailaddress1": email,
            "telephone1": phone,
            "mobilephone": mobile,
        }
        if addresses is None:  # random.randint(1, 3) inlined, draw for draw: 2 bits, again while 3
            drawn = self._bits(2)
            while drawn == 3:
                drawn = self._bits(2)
            addresses = 1 + drawn
        values = self.picks(self._address_kinds(addresses))
        if not self._has_state:
            for n in range(2, 5 * addresses, 5):
                values.insert(n, "")
        record.update(zip(_ADDRESS_NAMES[addresses], values, strict=True))
        return record

    def outlook_contact(self, addresses: int | None = None) -> dict[str, Any]:
        """An Outlook contact with 1 to 3 of Business/Home/Other and a mailing-address choice."""
        crm = self.crm_contact(addresses)
        kinds = list(schema.OUTLOOK_ADDRESSES)[: sum(1 for k in crm if k.endswith("_city"))]
        self.random.shuffle(kinds)
        item: dict[str, Any] = {p.outlook: crm[p.crm] for p in mapping.CONTACT if p.crm in crm}
        for number, kind in enumerate(kinds, start=1):
            for pair in mapping.address_pairs(number, kind):
                item[pair.outlook] = crm[pair.crm]
        item["SelectedMailingAddress"] = self.random.choice(kinds) if kinds else "none"
        return item

    # -- activities ----------------------------------------------------------------------------

    def slot(self, now: datetime) -> tuple[datetime, datetime]:
        start = now.replace(minute=0, second=0, microsecond=0) + timedelta(
            days=self.random.randint(0, 60), hours=self.random.randint(0, 8)
        )
        return start, start + timedelta(minutes=self.random.choice(DURATIONS_MINUTES))

    def crm_appointment(self, now: datetime) -> dict[str, Any]:
        start, end = self.slot(now)
        return {
            "subject": self.pick("catch_phrase"),
            "location": self.pick("city"),
            "scheduledstart": start,
            "scheduledend": end,
            "isalldayevent": False,
            "description": self.pick("sentence"),
        }

    def crm_recurring_appointment(self, now: datetime) -> dict[str, Any]:
        record = self.crm_appointment(now)
        record.update(recurrencepatterntype=1, interval=1, occurrences=self.random.randint(2, 10))
        return record

    def outlook_appointment(self, now: datetime, recurring: bool = False) -> dict[str, Any]:
        crm = self.crm_recurring_appointment(now) if recurring else self.crm_appointment(now)
        item = {p.outlook: crm[p.crm] for p in mapping.APPOINTMENT if p.crm in crm}
        item["IsRecurring"] = recurring
        if recurring:
            item["RecurrencePattern"] = {
                "RecurrenceType": "weekly",
                "Interval": 1,
                "Occurrences": crm["occurrences"],
            }
        return item

    def crm_task(self, now: datetime) -> dict[str, Any]:
        return {
            "subject": self.pick("bs").capitalize(),
            "description": self.pick("sentence"),
            "scheduledend": self.slot(now)[1],
            "prioritycode": self.random.choice((0, 1, 2)),
            "percentcomplete": 0,
        }

    def outlook_task(self, now: datetime) -> dict[str, Any]:
        crm = self.crm_task(now)
        return {p.outlook: crm[p.crm] for p in mapping.TASK if p.crm in crm}

    def item(self, side: str, entity: str, now: datetime) -> dict[str, Any]:
        """A CRM record (side "crm") or an Outlook item (side "outlook") for a CRM entity."""
        crm = side == "crm"
        if entity == "contact":
            return self.crm_contact() if crm else self.outlook_contact()
        if entity == "task":
            return self.crm_task(now) if crm else self.outlook_task(now)
        if entity == "recurringappointmentmaster":
            return self.crm_recurring_appointment(now) if crm else self.outlook_appointment(now, True)
        return self.crm_appointment(now) if crm else self.outlook_appointment(now)

    def attachment(self, size: int) -> tuple[str, bytes]:
        """A file name and ``size`` seeded bytes."""
        stem, ext = self.random.choice(FILE_KINDS)
        self._serial += 1
        return f"{stem}-{self._serial}.{ext}", self.random.randbytes(size)


@cache
def _faker(locale: str) -> Faker:
    """One Faker per locale and process: building one loads every provider (milliseconds).

    Factories share it but not its randomness: each sets its own seeded Random before a call.
    """
    return Faker(locale)


def _has(fake: Faker, provider: str) -> bool:
    try:
        getattr(fake, provider)
    except AttributeError:
        return False
    return True

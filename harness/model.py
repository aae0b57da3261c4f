"""Organizations and users."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import Literal

from . import interpretations, rules
from .sim.network import Link


@dataclass(frozen=True, eq=False)
class User:
    """A CRM user with a mailbox synced through one channel; frozen, so no one promotes themself.
    A queue's mailbox is one too (``kind`` "queue", as its mailbox row's regardingobjecttypecode
    says): it has items, but it is nobody CRM finds by address or id, and it never syncs
    appointments, contacts or tasks (MAILBOX-QUEUE-NO-ACT)."""

    name: str
    email: str
    systemuserid: str
    organization: str
    channel: str = rules.OUTLOOK
    client_version: str = "7.1.0"
    link: Link = field(default_factory=Link)
    is_admin: bool = False
    kind: Literal["systemuser", "queue"] = "systemuser"

    def outdated_client(self) -> bool:
        """A CRM for Outlook user whose client is older than the organization's version."""
        return self.channel == rules.OUTLOOK and parse_version(self.client_version) < parse_version(
            interpretations.ORGANIZATION_VERSION
        )

    def __repr__(self) -> str:
        return f"User({self.name!r}, {self.channel}, {self.organization})"


@cache
def parse_version(text: str) -> tuple[int, ...]:
    """ "7.1.0" -> (7, 1, 0); a ValueError names the bad version."""
    try:
        return tuple(int(part) for part in text.split("."))
    except ValueError:
        raise ValueError(f"client_version {text!r} is not a version like 7.1.0") from None

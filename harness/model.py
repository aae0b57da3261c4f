"""Organizations and users."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

from . import interpretations, rules
from .sim.network import Link


@dataclass(frozen=True, eq=False)
class User:
    """A CRM user with a mailbox synced through one channel; frozen, so no one promotes themself."""

    name: str
    email: str
    systemuserid: str
    organization: str
    channel: str = rules.OUTLOOK
    client_version: str = "7.1.0"
    link: Link = field(default_factory=Link)
    is_admin: bool = False

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

"""An attendee or organizer as the readers hand it on: its name and its address, because CRM
resolves an activity party by its e-mail address and a display name alone resolves to nobody."""

from __future__ import annotations


def party(name: str | None, address: str | None) -> str:
    """``Name <address>``; the address alone, or the name alone, when that is all there is."""
    name, address = (name or "").strip(), (address or "").strip()
    address = address.removeprefix("mailto:").removeprefix("MAILTO:")
    if name and address and name.lower() != address.lower():
        return f"{name} <{address}>"
    return address or name


def resource_note(subject: str | None, who: str) -> str:
    """What a reader says of a room or other resource among a meeting's attendees."""
    return (
        f"{subject!r}: {who} is a room or resource (Outlook's Resources, not synced): "
        "not imported as an attendee"
    )

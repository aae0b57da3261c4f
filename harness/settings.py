"""The System Settings > Synchronization tab: names, allowed values, defaults, who may change them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from harness import rules
from harness.errors import NotPermitted


@dataclass(frozen=True)
class Setting:
    name: str
    values: tuple[Any, ...]
    default: Any
    channels: tuple[str, ...]
    label: str

    def parse(self, text: str) -> Any:
        """The value a word from a feature file or the command line stands for."""
        words = {str(value).lower(): value for value in self.values}
        words.update({"on": True, "off": False, "yes": True, "no": False} if bool in self.types else {})
        value = words.get(text.strip().lower())
        if value is None:
            raise ValueError(f"{self.name}: {text!r} is not allowed; allowed: {self.allowed()}")
        return value

    @property
    def types(self) -> set[type]:
        return {type(value) for value in self.values}

    def allowed(self) -> str:
        return ", ".join(str(value).lower() for value in self.values)


SETTINGS: dict[str, Setting] = {
    setting.name: setting
    for setting in (
        Setting(
            "sync_appointment_attachments",
            (True, False),
            False,
            rules.BOTH,
            "Synchronize appointment attachments with Outlook or Exchange",
        ),
        Setting(
            "contact_address_sync",
            ("mailing-only", "all-three"),
            "mailing-only",
            rules.BOTH,
            "Address synchronization for contacts",
        ),
        Setting(
            "sync_assigned_tasks",
            (True, False),
            False,
            (rules.OUTLOOK,),
            "Synchronize tasks that are assigned in Outlook",
        ),
    )
}


def setting(name: str) -> Setting:
    """The setting called ``name``; a ValueError names the known ones otherwise."""
    try:
        return SETTINGS[name]
    except KeyError:
        raise ValueError(f"unknown setting {name!r}; known settings: {', '.join(SETTINGS)}") from None


def defaults() -> dict[str, Any]:
    return {name: spec.default for name, spec in SETTINGS.items()}


class Settings:
    """The organization's Synchronization tab.

    Values are read as attributes (``settings.contact_address_sync``). Changes go through
    :meth:`change`, which checks the actor and every name and value before changing anything.
    Each change bumps :attr:`version`, and the tab remembers which options have ever been on
    (APPT-ATTACH-TURNED-OFF depends on it).
    """

    def __init__(self, *, enforce_defaults: bool = True, enforce_admin_only: bool = True) -> None:
        values = defaults()
        if not enforce_defaults:  # the mutation check's "rule switched off": every option flipped
            values = {name: _other(SETTINGS[name], value) for name, value in values.items()}
        self._values = values
        self._enforce_admin_only = enforce_admin_only
        self.version = 0
        self.ever_on: set[str] = {name for name, value in values.items() if value is True}

    def __getattr__(self, name: str) -> Any:
        try:
            return self.__dict__["_values"][name]
        except KeyError:
            raise AttributeError(f"unknown setting {name!r}; known: {', '.join(SETTINGS)}") from None

    def as_dict(self) -> dict[str, Any]:
        return dict(self._values)

    def change(self, *, by: Any, **changes: Any) -> None:
        """Change settings as ``by``; only a system administrator may (SETTINGS-ADMIN-ONLY)."""
        if self._enforce_admin_only and not getattr(by, "is_admin", False):
            raise NotPermitted(
                f"{getattr(by, 'name', by)!r} is not a system administrator; only an "
                f"administrator may change the Synchronization settings ({rules.SETTINGS_ADMIN_ONLY})"
            )
        for name, value in changes.items():
            spec = setting(name)
            if value not in spec.values or type(value) not in spec.types:
                raise ValueError(f"{name}: {value!r} is not allowed; allowed: {spec.allowed()}")
        for name, value in changes.items():
            if self._values[name] != value:
                self._values[name] = value
                self.version += 1
                if value is True:
                    self.ever_on.add(name)


def _other(spec: Setting, value: Any) -> Any:
    return next(candidate for candidate in spec.values if candidate != value)

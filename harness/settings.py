"""The System Settings > Synchronization tab: names, allowed values, defaults, who may change them.

Setting names are constants here; everything else (steps, CLI, engine, explore) reads them from
this module. An engine sees the tab as a frozen :class:`Options`; the organization's
:class:`Settings` changes only through :meth:`Settings.change`, as its own administrator.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from types import MappingProxyType
from typing import Any, Final, Literal

from . import rules
from .errors import NotPermitted
from .schema import Direction

SYNC_APPOINTMENT_ATTACHMENTS: Final = "sync_appointment_attachments"
CONTACT_ADDRESS_SYNC: Final = "contact_address_sync"
SYNC_ASSIGNED_TASKS: Final = "sync_assigned_tasks"
ATTACHMENT_MAX_KB: Final = "attachment_max_kb"
BLOCKED_EXTENSIONS: Final = "blocked_extensions"
#: the organization's profile: the product and era whose documented behaviour it follows
PROFILE: Final = "profile"
#: OrgDbOrgSettings' IgnoreCopiedItemsInSSSForMailbox (COPY-IGNORED)
IGNORE_COPIED_ITEMS: Final = "ignore_copied_items_in_sss_for_mailbox"

SYNCHRONIZATION_TAB: Final = "Synchronization"
#: Microsoft's default list of blocked attachment extensions (System Settings > General;
#: the organization's blockedattachments column), as Dataverse's documentation gives it.
DEFAULT_BLOCKED_EXTENSIONS: Final = (
    "ade;adp;app;asa;ashx;asmx;asp;bas;bat;cdx;cer;chm;class;cmd;com;config;cpl;crt;csh;dll;exe;fxp;hlp;"
    "hta;htr;htw;ida;idc;idq;inf;ins;isp;its;jar;js;jse;ksh;lnk;mad;maf;mag;mam;maq;mar;mas;mat;mau;mav;"
    "maw;mda;mdb;mde;mdt;mdw;mdz;msc;msh;msh1;msh1xml;msh2;msh2xml;mshxml;msi;msp;mst;ops;pcd;pif;prf;prg;"
    "printer;pst;reg;rem;scf;scr;sct;shb;shs;shtm;shtml;soap;stm;tmp;url;vb;vbe;vbs;vsmacros;vss;vst;vsw;"
    "ws;wsc;wsf;wsh"
)

AddressMode = Literal["mailing-only", "all-three"]
MAILING_ONLY: Final = "mailing-only"
ALL_THREE: Final = "all-three"


@dataclass(frozen=True)
class Setting:
    """One organization setting: a choice among ``values``, or (``values`` empty) a whole number
    from ``low`` to ``high``, or a ``;``-separated list of file extensions."""

    name: str
    values: tuple[Any, ...]
    default: Any
    channels: tuple[str, ...]
    label: str
    tab: str = SYNCHRONIZATION_TAB
    kind: Literal["choice", "number", "extensions"] = "choice"
    low: int = 0
    high: int = 0

    def parse(self, text: str) -> Any:
        """The value a word from a feature file or the command line stands for."""
        if self.kind == "number":
            if not text.strip().isdigit() or not self.low <= int(text) <= self.high:
                raise ValueError(f"{self.name}: {text!r} is not allowed; allowed: {self.allowed()}")
            return int(text)
        if self.kind == "extensions":
            return extensions(text)
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
        if self.kind == "number":
            return f"a whole number from {self.low} to {self.high}"
        if self.kind == "extensions":
            return "file extensions separated by ; (exe;bat;...)"
        return ", ".join(str(value).lower() for value in self.values)

    def check(self, value: Any) -> None:
        if self.kind == "number":
            ok = isinstance(value, int) and not isinstance(value, bool) and self.low <= value <= self.high
        elif self.kind == "extensions":
            ok = isinstance(value, str) and value == extensions(value)
        else:
            ok = value in self.values and type(value) in self.types
        if not ok:
            raise ValueError(f"{self.name}: {value!r} is not allowed; allowed: {self.allowed()}")


def extensions(text: str) -> str:
    """A blocked-extensions list as the organization stores it: lower case, ``;``-separated, no dots."""
    parts = (part.strip().lower().lstrip(".") for part in text.replace(",", ";").split(";"))
    return ";".join(part for part in parts if part)


SETTINGS: Mapping[str, Setting] = MappingProxyType(
    {
        setting.name: setting
        for setting in (
            Setting(
                SYNC_APPOINTMENT_ATTACHMENTS,
                (True, False),
                False,
                rules.BOTH,
                "Synchronize appointment attachments with Outlook or Exchange",
            ),
            Setting(
                CONTACT_ADDRESS_SYNC,
                (MAILING_ONLY, ALL_THREE),
                MAILING_ONLY,
                rules.BOTH,
                "Address synchronization for contacts",
            ),
            Setting(
                SYNC_ASSIGNED_TASKS,
                (True, False),
                False,
                (rules.OUTLOOK,),
                "Synchronize tasks that are assigned in Outlook",
            ),
            Setting(
                ATTACHMENT_MAX_KB,
                (),
                5_120,
                rules.BOTH,
                "Maximum file size for attachments, in KB (5 MB by default, at most 32 MB)",
                tab="Email",
                kind="number",
                low=1,
                high=32_768,
            ),
            Setting(
                BLOCKED_EXTENSIONS,
                (),
                DEFAULT_BLOCKED_EXTENSIONS,
                rules.BOTH,
                "Prevent upload or download of these attachment file extensions",
                tab="General",
                kind="extensions",
            ),
            Setting(
                PROFILE,
                rules.PROFILES,
                rules.CRM2015,
                rules.BOTH,
                "The product and era whose documented behaviour the organization follows: CRM 2015 "
                "(the default) or Dynamics 365 with server-side synchronization",
                tab="Product",
            ),
            Setting(
                IGNORE_COPIED_ITEMS,
                (True, False),
                True,
                (rules.SERVER_SIDE,),
                "IgnoreCopiedItemsInSSSForMailbox: server-side sync ignores an Exchange copy of a "
                "linked item",
                tab="OrgDbOrgSettings",
            ),
        )
    }
)
#: The settings of the Synchronization tab itself (the seed page's three).
TAB: tuple[str, ...] = tuple(name for name, spec in SETTINGS.items() if spec.tab == SYNCHRONIZATION_TAB)


@dataclass(frozen=True)
class Options:
    """The tab's values as one frozen object: what an engine reads for one user and cycle."""

    sync_appointment_attachments: bool = False
    contact_address_sync: AddressMode = MAILING_ONLY
    sync_assigned_tasks: bool = False
    attachment_max_kb: int = 5_120
    blocked_extensions: str = DEFAULT_BLOCKED_EXTENSIONS
    profile: rules.Profile = rules.CRM2015
    ignore_copied_items_in_sss_for_mailbox: bool = True

    def blocked(self, filename: str) -> bool:
        """Whether a file's extension is on the blocked list."""
        extension = filename.rpartition(".")[2].lower() if "." in filename else ""
        return bool(extension) and extension in self.blocked_extensions.split(";")

    def as_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}

    def with_changes(self, **changes: Any) -> Options:
        for name, value in changes.items():
            setting(name).check(value)
        return replace(self, **changes)


assert {f.name for f in fields(Options)} == set(SETTINGS), "Options and SETTINGS name the same settings"
assert Options().as_dict() == {name: spec.default for name, spec in SETTINGS.items()}


@dataclass(frozen=True)
class UserOptions:
    """A user's own options (Personal Options in CRM for Outlook), which the user sets, not the admin."""

    #: CRM for Outlook asks, when an item is untracked, whether to delete its CRM record too;
    #: this is the user's answer (DEL: untracking appointments, contacts and tasks)
    delete_in_crm_on_untrack: bool = False
    #: CRM for Outlook's "synchronize every" (minutes; 15 is the least it offers)
    sync_interval_minutes: int = 15

    def with_changes(self, **changes: Any) -> UserOptions:
        known = {f.name for f in fields(self)}
        for name, value in changes.items():
            if name not in known:
                raise ValueError(f"unknown user option {name!r}; user options: {', '.join(sorted(known))}")
            kind = type(getattr(self, name))
            if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
                raise ValueError(f"{name}: {value!r} is not allowed; allowed: a {kind.__name__}")
        return replace(self, **changes)


def setting(name: str) -> Setting:
    """The setting called ``name``; a ValueError names the known ones otherwise."""
    try:
        return SETTINGS[name]
    except KeyError:
        raise ValueError(f"unknown setting {name!r}; known settings: {', '.join(SETTINGS)}") from None


def defaults() -> dict[str, Any]:
    return Options().as_dict()


class Settings:
    """One organization's Synchronization tab.

    Values are read as attributes (``settings.contact_address_sync``) or as :meth:`options`.
    Changes go through :meth:`change`, which checks the actor (an administrator of this very
    organization) and every name and value before changing anything; assigning an attribute
    raises. Each change bumps :attr:`version`, and the tab remembers which options have ever
    been on (APPT-ATTACH-TURNED-OFF depends on it).
    """

    __slots__ = ("_organization", "_options", "_enforce_admin_only", "_version", "_ever_on", "_fields")

    def __init__(
        self, organization: str = "", *, enforce_defaults: bool = True, enforce_admin_only: bool = True
    ) -> None:
        options = Options()
        if not enforce_defaults:  # the mutation check's "rule switched off": every tab option flipped
            options = options.with_changes(**{n: _other(SETTINGS[n], getattr(options, n)) for n in TAB})
        set_ = object.__setattr__
        set_(self, "_organization", organization)
        set_(self, "_options", options)
        set_(self, "_enforce_admin_only", enforce_admin_only)
        set_(self, "_version", 0)
        set_(self, "_ever_on", frozenset(n for n, v in options.as_dict().items() if v is True))
        set_(self, "_fields", MappingProxyType({}))

    def __getattr__(self, name: str) -> Any:
        if name in SETTINGS:
            return getattr(object.__getattribute__(self, "_options"), name)
        raise AttributeError(f"unknown setting {name!r}; known: {', '.join(SETTINGS)}")

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(
            f"settings are changed with change(by=administrator, {name}=...), not by assignment "
            f"({rules.SETTINGS_ADMIN_ONLY})"
        )

    def __deepcopy__(self, memo: dict[int, Any]) -> Settings:
        """A copy for a snapshot of the world (its values are immutable: a shallow copy is deep)."""
        copy = object.__new__(Settings)
        for name in self.__slots__:
            object.__setattr__(copy, name, object.__getattribute__(self, name))
        return copy

    @property
    def version(self) -> int:
        return int(self._version)

    @property
    def ever_on(self) -> frozenset[str]:
        """Names of the options that have been on at some time."""
        return frozenset(self._ever_on)

    def options(self) -> Options:
        return self._options  # type: ignore[no-any-return]

    def as_dict(self) -> dict[str, Any]:
        return self.options().as_dict()

    @property
    def field_directions(self) -> Mapping[tuple[str, str], Direction]:
        """(entity, field) -> direction, for every field whose direction differs from Microsoft's default."""
        return self._fields  # type: ignore[no-any-return]

    def change_field(
        self, *, by: Any, entity: str, field: str, direction: Direction, default: Direction
    ) -> None:
        """Set one field's sync direction as ``by`` (the row and direction checked by the caller,
        :meth:`syncsim.harness.world.World.configure_field`); only this organization's administrator may."""
        if self._enforce_admin_only:
            self.check_actor(by)
        fields_ = dict(self._fields)
        if direction == default:
            fields_.pop((entity, field), None)
        else:
            fields_[(entity, field)] = direction
        if fields_ != self._fields:
            object.__setattr__(self, "_fields", MappingProxyType(fields_))
            object.__setattr__(self, "_version", self._version + 1)

    def change(self, *, by: Any, **changes: Any) -> None:
        """Change settings as ``by``; only an administrator of this organization may (SETTINGS-ADMIN-ONLY)."""
        if self._enforce_admin_only:
            self.check_actor(by)
        new = self.options().with_changes(**changes)
        changed = [name for name in changes if getattr(new, name) != getattr(self.options(), name)]
        if not changed:
            return
        object.__setattr__(self, "_options", new)
        object.__setattr__(self, "_version", self._version + len(changed))
        turned_on = {name for name in changed if getattr(new, name) is True}
        object.__setattr__(self, "_ever_on", self._ever_on | turned_on)

    def check_actor(self, by: Any) -> None:
        """A NotPermitted unless ``by`` is an administrator of this organization (SETTINGS-ADMIN-ONLY)."""
        name = getattr(by, "name", by)
        if not getattr(by, "is_admin", False):
            raise NotPermitted(
                f"{name!r} is not a system administrator; only an administrator may change the "
                f"Synchronization settings ({rules.SETTINGS_ADMIN_ONLY})"
            )
        if self._organization and getattr(by, "organization", None) != self._organization:
            raise NotPermitted(
                f"{name!r} administers {getattr(by, 'organization', '?')}, not {self._organization}; "
                f"only its own administrator may change its settings ({rules.SETTINGS_ADMIN_ONLY})"
            )


def _other(spec: Setting, value: Any) -> Any:
    return next(candidate for candidate in spec.values if candidate != value)

"""World: a simulated organization (or several), its users, both stores, the clock and sync()."""

from __future__ import annotations

import gc
import random
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from types import MappingProxyType
from typing import Any

from . import filters, interpretations, mailboxes, mapping, rules, schema, speed
from .data.factories import Factory
from .engine import registry
from .engine.protocol import SyncContext, SyncEngine
from .errors import NotFound, NotPermitted
from .filters import SyncFilter
from .model import User, parse_version
from .report import CycleReport, Report
from .scheduler import Scheduler
from .schema import CRM_ID
from .settings import PROFILE, Settings, UserOptions, defaults
from .sim.clock import Clock
from .sim.network import FAST_KBPS, FAST_LATENCY_MS, Link, Network
from .stores.crm import CrmStore
from .stores.outlook import Mailbox

DEFAULT_ORGANIZATION = "Contoso"
#: the variant and version bits of a version-4 GUID (RFC 4122), as uuid.UUID(version=4) sets them
_NOT_VERSION = ~((0xC000 << 48) | (0xF000 << 64)) & ((1 << 128) - 1)
_VERSION_4 = (0x8000 << 48) | (4 << 76)
SIDES = ("crm", "outlook", "both")


@dataclass
class Organization:
    name: str
    settings: Settings
    crm: CrmStore
    admin: User | None = None
    users: list[User] = field(default_factory=list)


#: records made and stored at once by ``populate``
POPULATE_RUN = 1000


@contextmanager
def gc_paused() -> Iterator[None]:
    """Building or syncing many records makes millions of containers and no reference cycles; the
    cyclic garbage collector would walk them all again and again (a fifth of a large initial
    cycle, more at a million). Reference counting still frees everything at once."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            _age_without_scan()
            gc.enable()


def _age_without_scan() -> None:
    """Move every tracked object into the oldest generation without visiting any. Re-enabled as
    it was, the collector's next young collection would walk every object made meanwhile (a
    million at a 100,000-record cycle: a tenth of the cycle) to find no garbage; as old objects
    they are looked at with the next full collection, which still frees any cycle among them.
    Left alone when the program froze objects itself (``gc.freeze``: its permanent generation)."""
    if gc.get_freeze_count() == 0:
        gc.freeze()
        gc.unfreeze()


#: the longest user name (a name becomes a folder, a header value, a column)
MAX_NAME = 64
#: what a user's name may not hold: path separators, and what Windows keeps out of file names
_NOT_IN_NAMES = '/\\:*?"<>|'


def check_user_name(name: str) -> None:
    """A ValueError unless ``name`` can name a user everywhere it goes: a feature's table, a
    token request, a folder of a sync program's state (so no path separators, no ``.``/``..``,
    nothing Windows keeps out of file names), a log line (no control characters)."""
    bad = [ch for ch in name if ch in _NOT_IN_NAMES or not ch.isprintable()]
    problem = (
        "is empty"
        if not name.strip()
        else f"holds {bad[0]!r}"
        if bad
        else "has blanks at its ends"
        if name != name.strip()
        else "is a folder's name"
        if name in (".", "..")
        else f"is longer than {MAX_NAME} characters"
        if len(name) > MAX_NAME
        else None
    )
    if problem:
        raise ValueError(
            f"user name {name!r} {problem}; a user's name is up to {MAX_NAME} letters, digits, "
            f"blanks and punctuation other than {' '.join(_NOT_IN_NAMES)} (alice, bob.smith, user-2)"
        )


class World:
    """Everything a scenario needs, built from one seed.

    >>> world = World(seed=7)
    >>> alice = world.add_user("alice")
    >>> report = world.sync()
    """

    def __init__(
        self,
        seed: int = 0,
        *,
        locale: str = "en_US",
        engine: str | SyncEngine = "reference",
        disabled_rules: Iterable[str] = (),
        profile: rules.Profile = rules.CRM2015,
    ) -> None:
        self.seed = seed
        self.disabled_rules = frozenset(rules.rule(r).id for r in disabled_rules)
        self.clock = Clock()
        self.network = Network()
        self.factory = Factory(seed, locale)
        self._ids = random.Random(f"ids:{seed}")
        self._organizations: dict[str, Organization] = {}
        self._users: dict[str, User] = {}
        self._by_email: dict[str, User] = {}
        self._by_id: dict[str, User] = {}
        self._mailboxes: dict[str, Mailbox] = {}
        #: by user (or queue) name: its row of Dataverse's mailbox table, and its alert wall
        self._mailbox_rows: dict[str, dict[str, Any]] = {}
        self._alerts: dict[str, list[mailboxes.Alert]] = {}
        self._user_options: dict[str, UserOptions] = {}
        self._filters: dict[str, dict[str, list[SyncFilter]]] = {}
        #: the items users copied in Outlook: EntryID -> the CRM id stamp the copy came with
        self.copies: dict[str, str] = {}
        self._system_filters: dict[str, list[SyncFilter]] = {}
        self._filter_versions: dict[str, int] = {}
        #: by user name: (entity, attribute) -> the user's field-level security on it
        self._field_access: dict[str, dict[tuple[str, str], mapping.FieldAccess]] = {}
        self.scheduler = Scheduler(seed, self.disabled_rules)
        self._cycles = 0
        self.engine = registry.load(engine, self.disabled_rules) if isinstance(engine, str) else engine
        self.organization(DEFAULT_ORGANIZATION)
        if profile != rules.CRM2015:  # the product and era the organization follows (rules.PROFILES)
            self.configure(by=self.admin, profile=profile)

    # -- organizations and users ---------------------------------------------------------------

    def organization(self, name: str) -> Organization:
        """The organization called ``name``, created (with its administrator) on first use."""
        org = self._organizations.get(name)
        if org is None:
            admin_name = "admin" if name == DEFAULT_ORGANIZATION else f"admin-{name.lower()}"
            self._check_new_name(admin_name)  # (nothing made when the name cannot be used)
            settings = Settings(
                name,
                enforce_defaults=rules.SETTINGS_DEFAULTS not in self.disabled_rules,
                enforce_admin_only=rules.SETTINGS_ADMIN_ONLY not in self.disabled_rules,
            )
            org = Organization(name, settings, CrmStore(now=self.clock.now, new_id=self._new_id))
            self._organizations[name] = org
            org.admin = self.add_user(admin_name, organization=name, is_admin=True)
        return org

    def existing_organization(self, name: str) -> Organization:
        """The organization called ``name`` (never made here); NotFound names the ones there are."""
        try:
            return self._organizations[name]
        except KeyError:
            known = ", ".join(self._organizations)
            raise NotFound(f"no organization {name!r}; organizations: {known}") from None

    def _check_new_name(self, name: str) -> None:
        check_user_name(name)
        if name in self._users:
            raise ValueError(f"a user called {name!r} exists already")

    @property
    def admin(self) -> User:
        """The system administrator of the default organization."""
        admin = self._organizations[DEFAULT_ORGANIZATION].admin
        assert admin is not None
        return admin

    def add_user(
        self,
        name: str,
        *,
        channel: str = rules.OUTLOOK,
        client_version: str = interpretations.ORGANIZATION_VERSION,
        bandwidth_kbps: float = FAST_KBPS,
        latency_ms: float = FAST_LATENCY_MS,
        organization: str = DEFAULT_ORGANIZATION,
        is_admin: bool = False,
        mailbox_ready: bool = True,
    ) -> User:
        """Add a user with a mailbox; the email address is Faker-made from the seed. The mailbox
        row is as an administrator leaves it after setup (approved, tested and enabled), or with
        ``mailbox_ready=False`` as Dynamics makes it (pending approval, never tested)."""
        self._check_new_name(name)
        if channel not in rules.CHANNELS:
            raise ValueError(f"channel {channel!r} is not allowed; allowed: {', '.join(rules.CHANNELS)}")
        parse_version(client_version)
        org = self.organization(organization)
        first, last = self.factory.pick("first_name"), self.factory.pick("last_name")
        user = User(
            name=name,
            email=self.factory.email(first, last),
            systemuserid=self._new_id(),
            organization=org.name,
            channel=channel,
            client_version=client_version,
            link=Link(bandwidth_kbps, latency_ms),
            is_admin=is_admin,
        )
        self._by_email[user.email.lower()] = user
        self._by_id[user.systemuserid] = user
        self._add_mailbox(user, org, ready=mailbox_ready)
        return user

    def add_queue(
        self, name: str, *, organization: str = DEFAULT_ORGANIZATION, mailbox_ready: bool = True
    ) -> User:
        """Add a queue with a mailbox of its own (its items can be tracked there), which server-side
        sync never syncs appointments, contacts or tasks with (MAILBOX-QUEUE-NO-ACT)."""
        self._check_new_name(name)
        org = self.organization(organization)
        queue = User(
            name=name,
            email=self.factory.email(name, "queue"),
            systemuserid=self._new_id(),
            organization=org.name,
            channel=rules.SERVER_SIDE,
            kind="queue",
        )
        self._add_mailbox(queue, org, ready=mailbox_ready)
        return queue

    def _add_mailbox(self, user: User, org: Organization, *, ready: bool) -> None:
        """The user's (or queue's) Outlook mailbox and its row in Dataverse's mailbox table."""
        self._users[user.name] = user
        self._mailboxes[user.name] = Mailbox(
            user,
            now=self.clock.now,
            new_entry_ids=self._new_entry_ids,
            on_track=lambda: self.scheduler.tracked(user, self.clock.now()),
        )
        self._mailbox_rows[user.name] = mailboxes.new_row(
            name=f"{user.name} mailbox",
            email=user.email,
            regarding_id=user.systemuserid,
            queue=user.kind == "queue",
            server_side=user.channel == rules.SERVER_SIDE,
            ready=ready,
        )
        self._alerts[user.name] = []
        org.users.append(user)

    @property
    def users(self) -> list[User]:
        return list(self._users.values())

    def user(self, name: str) -> User:
        try:
            return self._users[name]
        except KeyError:
            raise NotFound(f"no user called {name!r}; users: {', '.join(self._users)}") from None

    def user_by_email(self, email: str) -> User | None:
        return self._by_email.get(email.lower())

    def user_by_id(self, systemuserid: str) -> User | None:
        return self._by_id.get(systemuserid)

    # -- settings ------------------------------------------------------------------------------

    @property
    def settings(self) -> Settings:
        return self._organizations[DEFAULT_ORGANIZATION].settings

    def effective_settings(self, user: User) -> dict[str, Any]:
        """The options as they act for ``user``: an out-of-date client gets the defaults."""
        if user.outdated_client():
            return defaults()
        return self.organization(user.organization).settings.as_dict()

    def user_options(self, user: User) -> UserOptions:
        """The user's own options (defaults until the user sets them)."""
        return self._user_options.get(user.name, UserOptions())

    def set_user_options(self, user: User, **changes: Any) -> None:
        """The user sets their own options, e.g. ``delete_in_crm_on_untrack=True``; CRM for Outlook
        offers no sync interval under 15 minutes (TIMING-OUTLOOK-INTERVAL)."""
        minutes = changes.get("sync_interval_minutes")
        least = interpretations.SYNC_INTERVAL_SECONDS // 60
        if (
            isinstance(minutes, int)
            and minutes < least
            and rules.TIMING_OUTLOOK_INTERVAL not in self.disabled_rules
        ):
            raise ValueError(
                f"sync_interval_minutes: {minutes} is below the {least}-minute minimum of CRM for Outlook "
                f"({rules.TIMING_OUTLOOK_INTERVAL}); allowed: {least} or more"
            )
        self._user_options[user.name] = self.user_options(user).with_changes(**changes)

    # -- sync filters --------------------------------------------------------------------------

    def filters(self, user: User, entity: str) -> tuple[SyncFilter, ...]:
        """The user's enabled filters for an entity: their own (the defaults until changed) and the
        organization's system filters."""
        schema.entity(entity)
        own = self._filters.get(user.name, {}).get(entity, [filters.DEFAULTS[entity]])
        system = [f for f in self._system_filters.get(user.organization, []) if f.entity == entity]
        return tuple(own + system)

    def add_filter(self, user: User, fetchxml: str, name: str = "filter") -> SyncFilter:
        """A filter of the user's own (Personal Options > Synchronization), added to those they have."""
        made = filters.parse(fetchxml, name)
        own = self._filters.setdefault(user.name, {})
        own[made.entity] = [*own.get(made.entity, [filters.DEFAULTS[made.entity]]), made]
        self._filters_changed([user])
        return made

    def remove_filters(self, user: User, entity: str) -> None:
        """The user deactivates every filter of their own for an entity."""
        schema.entity(entity)
        self._filters.setdefault(user.name, {})[entity] = []
        self._filters_changed([user])

    def add_system_filter(self, *, by: User, fetchxml: str, name: str = "system filter") -> SyncFilter:
        """An organization-wide filter; only an administrator may add one (FILTER-SYSTEM-ADMIN)."""
        if rules.FILTER_SYSTEM_ADMIN not in self.disabled_rules and not by.is_admin:
            raise NotPermitted(
                f"{by.name!r} is not a system administrator; only an administrator adds system filters "
                f"({rules.FILTER_SYSTEM_ADMIN})"
            )
        made = filters.parse(fetchxml, name)
        self._system_filters.setdefault(by.organization, []).append(made)
        self._filters_changed(self.organization(by.organization).users)
        return made

    def _filters_changed(self, users: Iterable[User]) -> None:
        """Tell these users' engines their filters changed (the next cycle looks at every record)."""
        for user in users:
            self._filter_versions[user.name] = self._filter_versions.get(user.name, 0) + 1

    def configure(self, *, by: User, organization: str | None = None, **changes: Any) -> None:
        """Change the Synchronization settings of an organization (default: ``by``'s), acting as
        ``by``; only that organization's own administrator may."""
        target = organization or by.organization
        if target not in self._organizations:
            raise NotFound(f"no organization {target!r}; organizations: {', '.join(self._organizations)}")
        self._organizations[target].settings.change(by=by, **changes)

    def configure_field(
        self, *, by: User, entity: str, field: str, direction: str, organization: str | None = None
    ) -> None:
        """Set the sync direction of one field of Microsoft's table (both channels), acting as
        ``by``: an administrator of the organization (SETTINGS-ADMIN-ONLY); a fixed field's
        direction cannot change (FIELD-FIXED). ``direction``: two-way, crm-to-outlook,
        outlook-to-crm or none."""
        settings = self._organizations[organization or by.organization].settings
        if rules.SETTINGS_ADMIN_ONLY not in self.disabled_rules:
            settings.check_actor(by)
        row = mapping.field_row(entity, field)
        chosen = mapping.parse_direction(direction)
        refusal = mapping.fixed_refusal(row, chosen)
        if refusal and rules.FIELD_FIXED not in self.disabled_rules:
            raise NotPermitted(refusal)
        settings.change_field(by=by, entity=entity, field=row.field, direction=chosen, default=row.default)

    def secure_field(
        self, *, by: User, user: User, entity: str, field: str, read: bool, update: bool
    ) -> None:
        """Field-level security: an administrator secures a field and sets what ``user``'s field
        security profile grants on it (a row's field name secures every attribute of the row)."""
        if rules.SETTINGS_ADMIN_ONLY not in self.disabled_rules:
            self.organization(by.organization).settings.check_actor(by)
        row = mapping.field_row(entity, field)
        attributes = row.attributes if field == row.field else (field,)
        grants = self._field_access.setdefault(user.name, {})
        grants.update(dict.fromkeys(((entity, a) for a in attributes), mapping.FieldAccess(read, update)))

    def field_access(self, user: User) -> dict[tuple[str, str], mapping.FieldAccess]:
        """The user's field-level security: (entity, attribute) -> what they may do with a secured field."""
        return dict(self._field_access.get(user.name, {}))

    # -- stores --------------------------------------------------------------------------------

    @property
    def crm(self) -> CrmStore:
        """The CRM of the default organization."""
        return self._organizations[DEFAULT_ORGANIZATION].crm

    def crm_of(self, user: User) -> CrmStore:
        return self.organization(user.organization).crm

    def outlook(self, user: User | str) -> Mailbox:
        name = user.name if isinstance(user, User) else user
        try:
            return self._mailboxes[name]
        except KeyError:
            raise NotFound(f"no mailbox for {name!r}; users: {', '.join(self._users)}") from None

    def context(self, user: User) -> SyncContext:
        """All that an engine may read and write for one user's cycle."""
        settings = self.organization(user.organization).settings
        return SyncContext(
            user=user,
            crm=self.crm_of(user),
            mailbox=self.outlook(user),
            options=settings.options(),
            ever_on=settings.ever_on,
            user_options=self.user_options(user),
            filters=lambda entity: self.filters(user, entity),
            filter_version=self._filter_versions.get(user.name, 0),
            field_directions=settings.field_directions,
            field_access=self.field_access(user),
            mailbox_row=MappingProxyType(dict(self._mailbox_rows[user.name])),
            now=self.clock.now,
            network=self.network,
            directory=self,
        )

    def link(self, user: User, entity: str, crm_id: str, entry_id: str) -> None:
        """Declare a CRM record and an Outlook item already paired, as an earlier sync left them.

        The item is stamped with the CRM id (as CRM for Outlook stamps the items it links), and the
        engine is told to take the pair as linked (what it then remembers is its own business; the
        reference engine's rule is in ``ReferenceEngine.link``).
        """
        self.link_run(user, entity, [(crm_id, entry_id)])

    def copy_in_outlook(self, user: User, entry_id: str) -> str:
        """The user copies an Outlook item there (copy and paste): a new item with every property
        of the original, its CRM id stamp and its tracking included; returns its EntryID. The
        copy is noted: while it carries the stamp it came with, it is the user's, not one sync
        made (COPY-IGNORED), and the invariants leave it out."""
        box = self.outlook(user)
        original = box.get(entry_id)
        kind = schema.KIND_BY_MESSAGE_CLASS[original["MessageClass"]]
        kept = schema.item_kind(kind).properties
        properties = {name: value for name, value in original.items() if name in kept}
        copy = box.create(kind, properties, track=box.is_tracked(entry_id))
        if properties.get(schema.CRM_ID):
            self.copies[copy] = str(properties[schema.CRM_ID])
        return copy

    def link_run(self, user: User, entity: str, pairs: list[tuple[str, str]]) -> None:
        """:meth:`link` for many (CRM id, EntryID) pairs of one entity (an export's records); an
        engine with a ``link_run`` of its own takes them at once."""
        crm, box = self.crm_of(user), self.outlook(user)
        for crm_id, _ in pairs:
            if crm.peek(entity, crm_id) is None:
                raise NotFound(f"no {entity} with id {crm_id!r}")
        linker = getattr(self.engine, "link", None)
        if linker is None:
            raise ValueError(f"the {self.engine.name} engine cannot take pairs linked by an earlier sync")
        for crm_id, entry_id in pairs:
            if (box.peek(entry_id) or {}).get(CRM_ID) != crm_id:  # stamped already: nothing to write
                box.update(entry_id, {CRM_ID: crm_id})
        context = self.context(user)
        run = getattr(self.engine, "link_run", None)
        if run is not None:
            run(context, entity, pairs)
            return
        for crm_id, entry_id in pairs:
            linker(context, entity, crm_id, entry_id)

    # -- data ----------------------------------------------------------------------------------

    def populate(
        self,
        user: User,
        *,
        contacts: int = 0,
        appointments: int = 0,
        tasks: int = 0,
        side: str = "crm",
    ) -> None:
        """Fill ``user``'s side(s) with Faker data: records they own in CRM, tracked items in Outlook."""
        if side not in SIDES:
            raise ValueError(f"side {side!r} is not allowed; allowed: {', '.join(SIDES)}")
        for name, count in (
            ("contacts", contacts),
            ("appointments", appointments),
            ("tasks", tasks),
        ):
            if count < 0:
                raise ValueError(f"{name} must be zero or more, got {count}")
        now = self.clock.now()
        counts = {"contact": contacts, "appointment": appointments, "task": tasks}
        with gc_paused():
            self._populate(user, side, now, counts)

    def _populate(self, user: User, side: str, now: datetime, counts: dict[str, int]) -> None:
        for chosen in ("crm", "outlook"):
            if side not in (chosen, "both"):
                continue
            for entity, count in counts.items():
                for start in range(0, count, POPULATE_RUN):  # the factory's and the ids' streams are apart
                    made = [
                        self.factory.item(chosen, entity, now)
                        for _ in range(min(POPULATE_RUN, count - start))
                    ]
                    if chosen == "crm":
                        self.crm_of(user).create_run(entity, made, owner=user)
                    else:
                        self.outlook(user).create_taking(entity, made, track=True)

    # -- sync ----------------------------------------------------------------------------------

    def sync(
        self,
        cycles: int = 1,
        *,
        users: Iterable[User] | None = None,
        progress: Callable[[User], None] | None = None,
    ) -> Report:
        """Run ``cycles`` sync cycles for every user (or for ``users`` only, as one user's Start
        Synchronization); the clock moves by each cycle's duration and then on to the next sync
        interval. ``progress(user)`` is called after each user."""
        if cycles < 1:
            raise ValueError(f"cycles must be 1 or more, got {cycles}")
        syncing = list(self._users.values() if users is None else users)
        reports = []
        for _ in range(cycles):
            self._cycles += 1
            report = CycleReport(self._cycles, self.clock.now())
            with self.clock.frozen(), gc_paused():
                for user in syncing:
                    self.engine.cycle(self.context(user), report)
                    if progress:
                        progress(user)
            self.network.end_cycle()
            longest = max(report.durations.values(), default=0.0)
            self.clock.advance(max(longest, interpretations.SYNC_INTERVAL_SECONDS))
            reports.append(report)
        return Report(reports)

    def run(self, minutes: float) -> Report:
        """Let ``minutes`` of simulated time pass with background sync: each mailbox syncs when its
        channel makes it due (harness/scheduler.py). A disabled mailbox does not sync."""
        if minutes <= 0:
            raise ValueError(f"minutes must be more than 0, got {minutes}")
        until = self.clock.now() + timedelta(minutes=minutes)
        with self.clock.frozen():
            reports = self.scheduler.run(
                list(self._users.values()),
                self.clock.now,
                until,
                self._one_cycle,
                lambda user: self.user_options(user).sync_interval_minutes,
                lambda user: str(self.effective_settings(user)[PROFILE]),
            )
        self.clock.set(max(until, self.clock.now()))
        return Report(reports)

    def _one_cycle(self, user: User, when: datetime) -> CycleReport:
        """One user's cycle at the scheduled moment; the clock moves by its duration."""
        self.clock.set(when)
        self._cycles += 1
        report = CycleReport(self._cycles, self.clock.now())
        self.engine.cycle(self.context(user), report)
        self.network.end_cycle()
        self.clock.advance(report.duration(user))
        return report

    def close(self) -> None:
        """Let the world go at once: its stores call back into it (a reference cycle), so
        otherwise only the cyclic collector frees it, which a big run keeps paused. A closed
        world has nothing left to use."""
        self.__dict__.clear()

    # -- mailboxes (Dataverse's mailbox table) ------------------------------------------------------

    def mailbox_row(self, user: User) -> dict[str, Any]:
        """A copy of the user's (or queue's) mailbox row, by Microsoft's column names."""
        return dict(self._mailbox_rows[user.name])

    def mailbox_alerts(self, user: User) -> list[mailboxes.Alert]:
        """The alert wall of the user's mailbox: what Test & Enable told its owner, in order."""
        return list(self._alerts[user.name])

    def approve_mailbox(self, user: User, *, by: User | None = None) -> None:
        """Approve Email: the mailbox's address is approved (``by``: the organization's
        administrator unless said otherwise; only an administrator may)."""
        self.change_mailbox(user, by=by, **{mailboxes.APPROVAL: mailboxes.APPROVED})

    def test_and_enable_mailbox(self, user: User, *, by: User | None = None) -> None:
        """Test & Enable Mailbox, as the organization's administrator unless ``by`` says otherwise:
        the incoming, outgoing and ACT statuses are written apart, the result goes to the alert
        wall, and a mailbox server-side sync disabled after failing (SSS-RETRY-DISABLE) syncs again."""
        self.change_mailbox(user, by=by, **{mailboxes.TEST_SCHEDULED: True})

    def enable_mailbox(self, user: User, *, by: User) -> None:
        """An administrator enables a mailbox server-side sync disabled: Test & Enable."""
        self.test_and_enable_mailbox(user, by=by)

    def change_mailbox(self, user: User, *, by: User | None = None, **columns: Any) -> None:
        """An administrator changes columns of the user's mailbox row (mailboxes.ADMIN_COLUMNS);
        nothing changes if one is refused. ``testemailconfigurationscheduled=True`` runs Test &
        Enable once the rest is changed."""
        actor = by or self.organization(user.organization).admin
        self._check_mailbox_admin(actor, user)
        row = dict(self._mailbox_rows[user.name])
        for column, value in columns.items():
            mailboxes.change(row, column, value)
        if row[mailboxes.TEST_SCHEDULED]:
            self._alerts[user.name] += mailboxes.test_and_enable(row, self.clock.now())
            self.scheduler.enable(user)
        self._mailbox_rows[user.name] = row

    def _check_mailbox_admin(self, by: User | None, user: User) -> None:
        if by is None or not by.is_admin:
            name = getattr(by, "name", by)
            raise NotPermitted(
                f"{name!r} is not a system administrator; only an administrator manages mailboxes"
            )
        if by.organization != user.organization:
            raise NotPermitted(
                f"{by.name!r} administers {by.organization}, not {user.organization}, "
                f"where {user.name!r}'s mailbox is"
            )

    def mailbox_enabled(self, user: User) -> bool:
        return user.name not in self.scheduler.off

    # -- ids -----------------------------------------------------------------------------------

    def _new_id(self) -> str:
        """A version-4 GUID from the world's seeded stream: ``str(uuid.UUID(int=bits, version=4))``;
        with the fast paths on, written out (the uuid module's checks cost more than the rest of
        a record)."""
        bits = self._ids.getrandbits(128)
        if not speed.on():
            return str(uuid.UUID(int=bits, version=4))
        text = f"{(bits & _NOT_VERSION) | _VERSION_4:032x}"
        return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"

    def _new_entry_ids(self, count: int) -> list[str]:
        """``count`` EntryIDs: each 160 random bits of the seeded stream in hex, after a zero
        prefix. With the fast paths on, one draw of ``160 * count`` bits, which holds the same
        bits, the first id lowest."""
        if not speed.on():
            return [f"00000000{self._ids.getrandbits(160):040X}" for _ in range(count)]
        if not count:
            return []
        bits = self._ids.getrandbits(160 * count).to_bytes(20 * count, "big")
        # the hex digits of each id after its prefix, the last id first
        ids = ("00000000" + bits.hex(" ", 20).upper()).replace(" ", " 00000000").split()
        ids.reverse()
        return ids

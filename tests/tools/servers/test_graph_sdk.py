"""The Graph face as Microsoft's Graph SDK for Python (msgraph-sdk) uses it, over HTTPS with the
server's local CA: pages of 10 as Graph serves contacts and events, followed by the SDK's own
PageIterator; $top, $skip and odata.maxpagesize; events with recurrence and attachments; the
calendar view's delta with @removed; To Do lists and tasks; and a throttled write the SDK's retry
handler waits out (Retry-After), counted by the server as on time."""

from __future__ import annotations

import asyncio
import base64
from collections.abc import Coroutine
from typing import Any, TypeVar

import pytest
from sdks import graph_client

from syncsim.harness.tools.servers.app import Server
from syncsim.harness.world import World

T = TypeVar("T")
CONTACTS = 25


@pytest.fixture
def server(https_server: Server) -> Server:
    """The module's server over a new world: alice with 25 contacts in her mailbox."""
    world = World(seed=12)
    world.populate(world.add_user("alice"), contacts=CONTACTS, side="outlook")
    https_server.backend.use(world)
    https_server.backend.page_limit = None
    return https_server


def _run(work: Coroutine[Any, Any, T]) -> T:
    return asyncio.run(work)


def _contact_ids(server: Server) -> set[str]:
    box = server.backend.world.outlook("alice")
    return {item["EntryID"] for item in box.find("contact")}


def test_contacts_come_ten_to_a_page_and_the_page_iterator_follows_next_links(server):
    from msgraph_core import PageIterator

    async def read() -> tuple[int, int | None, list[str]]:
        async with graph_client(server) as client:
            first = await client.me.contacts.get()
            seen: list[str] = []
            pages = PageIterator(first, client.request_adapter)

            def keep(contact: Any) -> bool:
                seen.append(contact.id)
                return True

            await pages.iterate(keep)
            return len(first.value), first.odata_next_link is not None, seen

    first_page, linked, seen = _run(read())
    assert (first_page, linked) == (10, True)
    assert len(seen) == CONTACTS and set(seen) == _contact_ids(server)  # each once


def test_top_skip_and_maxpagesize_set_the_page(server):
    from msgraph.generated.users.item.contacts.contacts_request_builder import ContactsRequestBuilder

    async def read() -> tuple[list[int], int, str | None]:
        async with graph_client(server) as client:
            query = ContactsRequestBuilder.ContactsRequestBuilderGetQueryParameters(top=7, skip=20)
            config = ContactsRequestBuilder.ContactsRequestBuilderGetRequestConfiguration(
                query_parameters=query
            )
            tail = await client.me.contacts.get(request_configuration=config)
            sizes = []
            page = await client.me.contacts.get(
                request_configuration=ContactsRequestBuilder.ContactsRequestBuilderGetRequestConfiguration(
                    query_parameters=ContactsRequestBuilder.ContactsRequestBuilderGetQueryParameters(top=12)
                )
            )
            while page is not None:
                sizes.append(len(page.value))
                link = page.odata_next_link
                page = await client.me.contacts.with_url(link).get() if link else None
            config = ContactsRequestBuilder.ContactsRequestBuilderGetRequestConfiguration()
            config.headers.add("Prefer", "odata.maxpagesize=4")
            small = await client.me.contacts.get(request_configuration=config)
            return sizes, len(tail.value), small.odata_next_link and str(len(small.value))

    sizes, tail, small = _run(read())
    assert sizes == [12, 12, 1]
    assert tail == 5  # (skip 20 of 25; no next link)
    assert small == "4"


def test_a_lowered_page_limit_pages_every_collection(server):
    server.backend.page_limit = 2

    async def read() -> tuple[int, int]:
        async with graph_client(server) as client:
            contacts = await client.me.contacts.get()
            lists = await client.me.todo.lists.get()
            return len(contacts.value), len(lists.value)

    assert _run(read()) == (2, 1)


def test_events_with_recurrence_and_attachments_and_the_calendar_view_delta(server):
    from msgraph.generated.models.date_time_time_zone import DateTimeTimeZone
    from msgraph.generated.models.event import Event
    from msgraph.generated.models.file_attachment import FileAttachment
    from msgraph.generated.models.patterned_recurrence import PatternedRecurrence
    from msgraph.generated.models.recurrence_pattern import RecurrencePattern
    from msgraph.generated.models.recurrence_pattern_type import RecurrencePatternType
    from msgraph.generated.models.recurrence_range import RecurrenceRange
    from msgraph.generated.models.recurrence_range_type import RecurrenceRangeType
    from msgraph.generated.users.item.calendar_view.delta.delta_request_builder import DeltaRequestBuilder

    def moment(text: str) -> DateTimeTimeZone:
        return DateTimeTimeZone(date_time=text, time_zone="UTC")

    async def scenario() -> tuple[Any, ...]:
        async with graph_client(server) as client:
            window = DeltaRequestBuilder.DeltaRequestBuilderGetQueryParameters(
                start_date_time="2026-01-01T00:00:00Z", end_date_time="2026-12-31T00:00:00Z"
            )
            config = DeltaRequestBuilder.DeltaRequestBuilderGetRequestConfiguration(query_parameters=window)
            first = await client.me.calendar_view.delta.get(request_configuration=config)
            weekly = PatternedRecurrence(
                pattern=RecurrencePattern(type=RecurrencePatternType.Weekly, interval=1),
                range=RecurrenceRange(
                    type=RecurrenceRangeType.Numbered, start_date=None, number_of_occurrences=4
                ),
            )
            made = await client.me.events.post(
                Event(
                    subject="Weekly",
                    start=moment("2026-03-02T09:00:00"),
                    end=moment("2026-03-02T09:30:00"),
                    recurrence=weekly,
                )
            )
            attachment = FileAttachment(name="agenda.txt", content_bytes=base64.b64encode(b"items"))
            attachment.odata_type = "#microsoft.graph.fileAttachment"
            await client.me.events.by_event_id(made.id).attachments.post(attachment)
            files = await client.me.events.by_event_id(made.id).attachments.get()
            changes = await client.me.calendar_view.delta.with_url(first.odata_delta_link).get()
            await client.me.events.by_event_id(made.id).delete()
            removed = await client.me.calendar_view.delta.with_url(changes.odata_delta_link).get()
            return made, [f.name for f in files.value], [e.id for e in changes.value], removed

    made, files, changed, removed = _run(scenario())
    assert made.recurrence.range.number_of_occurrences == 4 and files == ["agenda.txt"]
    assert changed == [made.id]
    assert [e.id for e in removed.value] == [made.id]
    assert removed.value[0].additional_data.get("@removed") == {"reason": "deleted"}


def test_a_series_instances_and_the_calendar_view_list_its_occurrences(server):
    from msgraph.generated.models.date_time_time_zone import DateTimeTimeZone
    from msgraph.generated.models.event import Event
    from msgraph.generated.models.patterned_recurrence import PatternedRecurrence
    from msgraph.generated.models.recurrence_pattern import RecurrencePattern
    from msgraph.generated.models.recurrence_pattern_type import RecurrencePatternType
    from msgraph.generated.models.recurrence_range import RecurrenceRange
    from msgraph.generated.models.recurrence_range_type import RecurrenceRangeType
    from msgraph.generated.users.item.calendar_view.calendar_view_request_builder import (
        CalendarViewRequestBuilder,
    )
    from msgraph.generated.users.item.events.item.instances.instances_request_builder import (
        InstancesRequestBuilder,
    )

    async def scenario() -> tuple[Any, list[Any], list[Any]]:
        async with graph_client(server) as client:
            daily = PatternedRecurrence(
                pattern=RecurrencePattern(type=RecurrencePatternType.Daily, interval=1),
                range=RecurrenceRange(type=RecurrenceRangeType.Numbered, number_of_occurrences=5),
            )
            start = DateTimeTimeZone(date_time="2026-04-06T08:00:00", time_zone="UTC")
            end = DateTimeTimeZone(date_time="2026-04-06T08:15:00", time_zone="UTC")
            series = await client.me.events.post(
                Event(subject="Stand-up", start=start, end=end, recurrence=daily)
            )
            window = {"start_date_time": "2026-04-07T00:00:00Z", "end_date_time": "2026-04-09T00:00:00Z"}
            instances = await client.me.events.by_event_id(series.id).instances.get(
                request_configuration=InstancesRequestBuilder.InstancesRequestBuilderGetRequestConfiguration(
                    query_parameters=InstancesRequestBuilder.InstancesRequestBuilderGetQueryParameters(
                        **window
                    )
                )
            )
            view = await client.me.calendar_view.get(
                request_configuration=CalendarViewRequestBuilder.CalendarViewRequestBuilderGetRequestConfiguration(
                    query_parameters=CalendarViewRequestBuilder.CalendarViewRequestBuilderGetQueryParameters(
                        **window
                    )
                )
            )
        return series, instances.value, view.value

    series, instances, view = _run(scenario())
    assert [(i.start.date_time[:10], i.type.value, i.series_master_id) for i in instances] == [
        ("2026-04-07", "occurrence", series.id),
        ("2026-04-08", "occurrence", series.id),
    ]
    assert [e.id for e in view] == [i.id for i in instances]  # (alice's other events are elsewhere)


def test_to_do_lists_and_tasks(server):
    from msgraph.generated.models.todo_task import TodoTask

    async def scenario() -> tuple[list[str], str, list[str]]:
        async with graph_client(server) as client:
            lists = await client.me.todo.lists.get()
            list_id = lists.value[0].id
            tasks = client.me.todo.lists.by_todo_task_list_id(list_id).tasks
            made = await tasks.post(TodoTask(title="Send the offer"))
            await tasks.by_todo_task_id(made.id).patch(TodoTask(title="Send the signed offer"))
            listed = await tasks.get()
            return [lst.display_name for lst in lists.value], made.id, [t.title for t in listed.value]

    names, made, titles = _run(scenario())
    assert names == ["Tasks"] and titles == ["Send the signed offer"]
    box = server.backend.world.outlook("alice")
    assert (box.get(made) or {})["Subject"] == "Send the signed offer"


@pytest.mark.parametrize("kind", ["throttled", "busy"])
def test_the_sdks_retry_handler_waits_out_a_refused_write(server, kind):
    from msgraph.generated.models.contact import Contact

    server.backend.world.network.throttle_write(1, retry_after=1, busy=kind == "busy")

    async def write() -> str:
        async with graph_client(server) as client:
            made = await client.me.contacts.post(Contact(given_name="Retried"))
        return str(made.id)

    made = _run(write())
    assert made in _contact_ids(server)
    described = server.backend.describe()
    assert described["responses"][{"throttled": "429", "busy": "503"}[kind]] == 1
    assert described["early_writes"] == 0  # (the SDK waited as Retry-After said)

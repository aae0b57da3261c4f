"""Our choices where the source document is vague, gathered in one place.

``shared/SYNC-RULES.md`` marks these as interpretations. Each constant is read by the code that
applies it; change the value here and the whole harness follows. ``docs/interpretations.md``
explains each one for QA.
"""

from datetime import UTC, datetime

#: The organization's current CRM for Outlook version (Dynamics CRM 2015 Update 1 is 7.1).
#: A client older than this gets the CLIENT-LATEST warning, and the tab's options act at their
#: defaults for that user.
ORGANIZATION_VERSION = "7.1.0"

#: Where a simulated organization's clock starts (a Monday, 09:00 UTC).
EPOCH = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)

#: CRM for Outlook syncs in the background on an interval; world.sync(cycles=N) starts a new
#: cycle this many seconds after the previous one started (or when it ended, if it took longer).
SYNC_INTERVAL_SECONDS = 15 * 60

#: Server-side sync revisits a mailbox this many minutes (a seeded draw, whole minutes) after its
#: last cycle (SSS: "postponed for 5-12 minutes"), and retries a failing one this often, this long apart.
SERVER_SIDE_DELAY_MINUTES = (5, 12)
SERVER_SIDE_RETRIES = 10
SERVER_SIDE_RETRY_MINUTES = 5

#: Conflict policy: when both sides changed one field since the last cycle, the side whose item
#: was modified last wins; on a tie CRM wins. The losing value is reported as a conflict and a loss.
CONFLICT_TIE_WINNER = "crm"

#: When a field pair starts to be synced for an already linked item (the address mapping changed),
#: this side is the source: its value, empty or not, is written to the other side.
REMAP_SOURCE = "crm"

#: A cycle whose attachments took longer than this on the user's link gets an
#: APPT-ATTACH-SLOW-LINK warning.
SLOW_LINK_WARNING_SECONDS = 5.0

#: Round trips a cycle makes before it moves any item (read the CRM changes, read the mailbox).
READ_ROUND_TRIPS = 2

#: A write refused as throttled (429 with Retry-After) is sent again after waiting that long, at
#: most this many times in one cycle; then the fault ends the cycle like any other.
THROTTLED_RETRIES = 3

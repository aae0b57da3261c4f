"""syncsim's harness: a simulated Dynamics CRM organization, Outlook mailboxes and a sync engine.

>>> from syncsim.harness import World
>>> world = World(seed=7)
>>> alice = world.add_user("alice")
>>> cid = world.crm.create("contact", {"firstname": "Ann", "address1_city": "Oslo"}, owner=alice)
>>> report = world.sync()
>>> world.outlook(alice).find("contact", FirstName="Ann")[0]["BusinessAddressCity"]
'Oslo'
"""

from .errors import NotFound, NotPermitted
from .model import User
from .report import CycleReport, Event, Loss, Report
from .rules import RULES, Rule
from .settings import SETTINGS
from .world import World

__all__ = [
    "RULES",
    "SETTINGS",
    "CycleReport",
    "Event",
    "Loss",
    "NotFound",
    "NotPermitted",
    "Report",
    "Rule",
    "User",
    "World",
]

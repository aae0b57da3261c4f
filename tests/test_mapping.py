"""The mapping tables: the documented address pairs, value conversions, and names both stores accept."""

from syncsim.harness import mapping
from syncsim.harness.stores.crm import ATTRIBUTES
from syncsim.harness.stores.outlook import PROPERTIES


def _addresses(pairs):
    return {p.crm: p.outlook for p in pairs if p.crm.startswith("address")}


def test_mailing_only_pairs_address_1_with_the_selected_mailing_address():
    assert _addresses(mapping.contact_pairs("mailing-only", None))["address1_city"] == ("BusinessAddressCity")
    home = mapping.contact_pairs("mailing-only", {"SelectedMailingAddress": "home"})
    assert _addresses(home) == {
        "address1_line1": "HomeAddressStreet",
        "address1_city": "HomeAddressCity",
        "address1_stateorprovince": "HomeAddressState",
        "address1_postalcode": "HomeAddressPostalCode",
        "address1_country": "HomeAddressCountry",
    }


def test_all_three_pairs_business_home_other():
    pairs = _addresses(mapping.contact_pairs("all-three", {"SelectedMailingAddress": "home"}))
    assert pairs["address1_city"] == "BusinessAddressCity"
    assert pairs["address2_city"] == "HomeAddressCity"
    assert pairs["address3_city"] == "OtherAddressCity"
    assert len(pairs) == 15


def test_option_set_values_convert_both_ways():
    [kind] = [p for p in mapping.RECURRENCE if p.crm == "recurrencepatterntype"]
    assert kind.to_outlook(1) == "weekly" and kind.to_crm("weekly") == 1


def test_every_mapped_name_is_one_the_stores_accept():
    for entity in mapping.CRM_ENTITIES:
        for mode in ("mailing-only", "all-three"):
            for pair in mapping.pairs_for(entity, mode, None):
                assert pair.crm in ATTRIBUTES[entity], pair
                head = pair.outlook.split(".")[0]
                assert head in PROPERTIES[mapping.OUTLOOK_KIND[entity]], pair


def test_nested_outlook_properties_read_and_write():
    item = {"RecurrencePattern": {"RecurrenceType": "weekly", "Interval": 1}}
    changes = {}
    mapping.write(changes, item, "RecurrencePattern.Interval", 2)
    assert changes == {"RecurrencePattern": {"RecurrenceType": "weekly", "Interval": 2}}
    assert mapping.read(item, "RecurrencePattern.RecurrenceType") == "weekly"


def test_a_value_by_identity_is_made_once_for_the_same_objects_and_holds_them():
    from syncsim.harness.mapping import ByIdentity

    made = []
    memo: ByIdentity[int] = ByIdentity()
    a, b = (1, 2), [3]
    assert memo.get((a, b), lambda x, y: made.append((x, y)) or len(made)) == 1
    assert memo.get((a, b), lambda x, y: made.append((x, y)) or len(made)) == 1  # not made again
    assert memo.get(((1, 2), [3]), lambda x, y: made.append((x, y)) or len(made)) == 2  # equal, not the same
    assert made == [(a, b), ((1, 2), [3])]
    assert any(held[0][0] is a for held in memo._held.values())  # held: its id cannot be reused

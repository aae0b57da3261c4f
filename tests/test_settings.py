"""The Synchronization tab: defaults, admin-only changes, and errors that name the allowed values."""

import pytest

from syncsim.harness import NotPermitted, World
from syncsim.harness.settings import SETTINGS, setting


def test_defaults():
    settings = World().settings.as_dict()
    assert settings.pop("blocked_extensions").startswith("ade;adp;app;asa;ashx;asmx;asp;bas;bat;")
    assert settings == {
        "sync_appointment_attachments": False,
        "contact_address_sync": "mailing-only",
        "sync_assigned_tasks": False,
        "attachment_max_kb": 5120,
        "profile": "crm2015",  # the seed page's product, so every scenario keeps its meaning
        "ignore_copied_items_in_sss_for_mailbox": True,  # OrgDbOrgSettings, as Microsoft ships it
    }


def test_attachment_limits_are_checked_and_admin_only():
    world = World()
    with pytest.raises(ValueError, match="'40000' is not allowed; allowed: a whole number from 1 to 32768"):
        setting("attachment_max_kb").parse("40000")
    world.configure(
        by=world.admin,
        attachment_max_kb=32768,
        blocked_extensions=setting("blocked_extensions").parse(".EXE; bat"),
    )
    assert (world.settings.attachment_max_kb, world.settings.blocked_extensions) == (32768, "exe;bat")
    with pytest.raises(NotPermitted):
        world.configure(by=world.add_user("alice"), attachment_max_kb=10)
    assert world.settings.options().blocked("Setup.EXE") and not world.settings.options().blocked("exe")


def test_only_the_administrator_changes_settings_and_a_refusal_changes_nothing():
    world = World()
    alice = world.add_user("alice")
    with pytest.raises(NotPermitted, match="'alice' is not a system administrator"):
        world.configure(by=alice, sync_assigned_tasks=True)
    assert world.settings.sync_assigned_tasks is False
    world.configure(by=world.admin, sync_assigned_tasks=True)
    assert world.settings.sync_assigned_tasks is True


def test_bad_names_and_values_name_the_allowed_ones_and_change_nothing():
    world = World()
    with pytest.raises(ValueError, match="unknown setting 'sync_everything'.*contact_address_sync"):
        world.configure(by=world.admin, sync_everything=True)
    with pytest.raises(ValueError, match="'all'.*allowed: mailing-only, all-three"):
        world.configure(by=world.admin, sync_assigned_tasks=True, contact_address_sync="all")
    assert world.settings.sync_assigned_tasks is False
    with pytest.raises(ValueError, match="allowed: true, false"):
        world.configure(by=world.admin, sync_assigned_tasks=1)


def test_words_from_feature_files_parse_to_values():
    assert setting("sync_assigned_tasks").parse("on") is True
    assert setting("sync_assigned_tasks").parse("False") is False
    assert setting("contact_address_sync").parse("all-three") == "all-three"
    with pytest.raises(ValueError, match="'maybe' is not allowed"):
        setting("sync_assigned_tasks").parse("maybe")


def test_the_tab_remembers_what_was_ever_on():
    world = World()
    world.configure(by=world.admin, sync_appointment_attachments=True)
    world.configure(by=world.admin, sync_appointment_attachments=False)
    assert "sync_appointment_attachments" in world.settings.ever_on
    assert set(SETTINGS) == set(world.settings.as_dict())


def test_another_organizations_administrator_is_refused():
    world = World()
    world.add_user("eve", organization="Fabrikam")
    fabrikam_admin = world.organization("Fabrikam").admin
    with pytest.raises(NotPermitted, match="administers Fabrikam, not Contoso"):
        world.configure(by=fabrikam_admin, organization="Contoso", contact_address_sync="all-three")
    with pytest.raises(NotPermitted, match="administers Fabrikam, not Contoso"):
        world.settings.change(by=fabrikam_admin, contact_address_sync="all-three")
    assert world.settings.contact_address_sync == "mailing-only"
    world.configure(by=fabrikam_admin, contact_address_sync="all-three")
    assert world.organization("Fabrikam").settings.contact_address_sync == "all-three"


def test_settings_cannot_be_assigned_and_no_user_can_make_themself_an_administrator():
    import dataclasses

    world = World()
    alice = world.add_user("alice")
    with pytest.raises(AttributeError, match="not by assignment"):
        world.settings.sync_assigned_tasks = True
    with pytest.raises(dataclasses.FrozenInstanceError):
        alice.is_admin = True  # type: ignore[misc]
    assert world.settings.sync_assigned_tasks is False and not alice.is_admin


def test_an_engine_reads_the_tab_as_one_frozen_options_object():
    import dataclasses

    world = World()
    options = world.settings.options()
    with pytest.raises(dataclasses.FrozenInstanceError):
        options.sync_assigned_tasks = True  # type: ignore[misc]
    world.configure(by=world.admin, sync_assigned_tasks=True)
    assert options.sync_assigned_tasks is False and world.settings.options().sync_assigned_tasks is True
    assert world.settings.version == 1

Feature: The Synchronization tab of System Settings
  The page opens by saying that some of the sync between CRM and Outlook is switched off out of
  the box, so that each organization decides what it syncs, and that CRM administrators switch it
  on under Settings > Administration > System Settings > Synchronization. It also asks that users
  run the latest CRM for Outlook.

  Background:
    Given a new organization

  Rule: A new organization starts with the documented defaults

    @SETTINGS-DEFAULTS
    Scenario: The three options start at their defaults
      Then the Synchronization settings are:
        | setting                      | value        |
        | sync_appointment_attachments | false        |
        | contact_address_sync         | mailing-only |
        | sync_assigned_tasks          | false        |

    @SETTINGS-DEFAULTS
    Scenario: The defaults hold until an administrator changes one
      When the administrator sets "contact_address_sync" to "all-three"
      Then the Synchronization settings are:
        | setting                      | value     |
        | sync_appointment_attachments | false     |
        | contact_address_sync         | all-three |
        | sync_assigned_tasks          | false     |

  Rule: Only a system administrator changes the Synchronization settings

    @SETTINGS-ADMIN-ONLY
    Scenario Outline: A user who is not an administrator is refused and nothing changes
      Given a user "alice" syncing through <channel>
      When "alice" tries to set "<setting>" to "<value>"
      Then the change is refused
      And the setting "<setting>" is "<default>"

      @outlook-client
      Examples: CRM for Outlook
        | channel     | setting                      | value     | default      |
        | outlook     | sync_appointment_attachments | true      | false        |
        | outlook     | contact_address_sync         | all-three | mailing-only |
        | outlook     | sync_assigned_tasks          | true      | false        |

      @server-side
      Examples: server-side synchronization
        | channel     | setting                      | value     | default      |
        | server-side | sync_appointment_attachments | true      | false        |
        | server-side | contact_address_sync         | all-three | mailing-only |

    @SETTINGS-ADMIN-ONLY
    Scenario: The administrator of another organization is refused
      Given a user "eve" syncing through outlook in the organization "Fabrikam"
      When "admin-fabrikam" tries to set "contact_address_sync" to "all-three" in the organization "Contoso"
      Then the change is refused
      And the setting "contact_address_sync" is "mailing-only"

    @SETTINGS-ADMIN-ONLY
    Scenario: A refusal is told of the attempt it answers, not of an earlier one
      Given a user "alice" syncing through outlook
      When "alice" tries to set "contact_address_sync" to "all-three"
      And "admin" tries to set "contact_address_sync" to "all-three"
      Then the change goes through
      And the setting "contact_address_sync" is "all-three"

    @SETTINGS-ADMIN-ONLY
    Scenario: The system administrator changes every option
      When the administrator sets:
        | setting                      | value     |
        | sync_appointment_attachments | true      |
        | contact_address_sync         | all-three |
        | sync_assigned_tasks          | true      |
      Then the Synchronization settings are:
        | setting                      | value     |
        | sync_appointment_attachments | true      |
        | contact_address_sync         | all-three |
        | sync_assigned_tasks          | true      |

  Rule: Users should run the latest CRM for Outlook

    @CLIENT-LATEST @outlook-client
    Scenario: An out-of-date CRM for Outlook is warned about on every cycle
      Given a user "olga" syncing through outlook with client version 7.0.0
      When the sync runs 3 times
      Then 3 "warning" events for rule CLIENT-LATEST were recorded for "olga"

    @CLIENT-LATEST @outlook-client
    Scenario: For an out-of-date client the options act at their defaults
      Given a user "olga" syncing through outlook with client version 7.0.0
      And the administrator sets "sync_appointment_attachments" to "true"
      And "olga" has an appointment "Review" in CRM
      And "olga" attaches "agenda.pdf" of 20 KB to the appointment "Review" in CRM
      When the sync runs
      Then the appointment "Review" is in Outlook
      And the appointment "Review" in Outlook has no attachments

    @CLIENT-LATEST @outlook-client
    Scenario: On the latest client there is no warning and the options apply
      Given a user "alice" syncing through outlook
      And the administrator sets "sync_appointment_attachments" to "true"
      And "alice" has an appointment "Review" in CRM
      And "alice" attaches "agenda.pdf" of 20 KB to the appointment "Review" in CRM
      When the sync runs
      Then the appointment "Review" in Outlook has the attachment "agenda.pdf" with the bytes from CRM
      And the cycle records no "warning" for rule CLIENT-LATEST

    @CLIENT-LATEST @server-side
    Scenario: Server-side synchronization has no client to warn about
      Given a user "sam" syncing through server-side with client version 7.0.0
      When the sync runs
      Then the cycle records no "warning" for rule CLIENT-LATEST

Feature: Appointment attachments
  Section "Enable appointment attachment synchronization with Outlook or Exchange", for CRM for
  Outlook and for server-side synchronization alike. Users attach files, pictures or recordings to
  appointments in CRM or in Outlook. Out of the box those attachments stay where they were made;
  an administrator can switch their sync on. The section lists four considerations: what happens
  when the option is switched off again, recurring appointments, slow links, and service
  activities.

  Background:
    Given a new organization

  Rule: By default an appointment syncs without its attachments

    @APPT-ATTACH-OFF
    Scenario Outline: An attachment made in <side> stays there through <channel>
      Given a user "alice" syncing through <channel>
      And "alice" has an appointment "Review" in <side>
      And "alice" attaches "agenda.pdf" of 20 KB to the appointment "Review" in <side>
      When the sync runs
      Then the appointment "Review" is in <other side>
      And the appointment "Review" in <other side> has no attachments
      And the cycle records "skipped" for rule APPT-ATTACH-OFF

      @outlook-client
      Examples: CRM for Outlook
        | channel     | side    | other side |
        | outlook     | CRM     | Outlook    |
        | outlook     | Outlook | CRM        |

      @server-side
      Examples: server-side synchronization
        | channel     | side    | other side |
        | server-side | CRM     | Outlook    |
        | server-side | Outlook | CRM        |

    @APPT-ATTACH-OFF
    Scenario: Once an administrator switches the option on, the same attachment goes across
      Given a user "alice" syncing through outlook
      And the administrator sets "sync_appointment_attachments" to "true"
      And "alice" has an appointment "Review" in CRM
      And "alice" attaches "agenda.pdf" of 20 KB to the appointment "Review" in CRM
      When the sync runs
      Then the appointment "Review" in Outlook has the attachment "agenda.pdf" with the bytes from CRM
      And the cycle records no "skipped" for rule APPT-ATTACH-OFF

  Rule: With the option on, attachments travel both ways

    @APPT-ATTACH-ON
    Scenario Outline: An attachment made in <side> reaches <other side> unchanged through <channel>
      Given a user "alice" syncing through <channel>
      And the administrator sets "sync_appointment_attachments" to "true"
      And "alice" has an appointment "Review" in <side>
      And "alice" attaches "agenda.pdf" of 20 KB to the appointment "Review" in <side>
      When the sync runs
      Then the appointment "Review" in <other side> has the attachment "agenda.pdf" with the bytes from <side>
      And the cycle records "synced" for rule APPT-ATTACH-ON

      @outlook-client
      Examples: CRM for Outlook
        | channel     | side    | other side |
        | outlook     | CRM     | Outlook    |
        | outlook     | Outlook | CRM        |

      @server-side
      Examples: server-side synchronization
        | channel     | side    | other side |
        | server-side | CRM     | Outlook    |
        | server-side | Outlook | CRM        |

    @APPT-ATTACH-ON
    Scenario: An attachment added later to a synced appointment follows it
      Given a user "alice" syncing through outlook
      And the administrator sets "sync_appointment_attachments" to "true"
      And "alice" has an appointment "Review" in CRM
      And the sync has run
      When "alice" attaches "photo.jpg" of 50 KB to the appointment "Review" in Outlook
      And the sync runs
      Then the appointment "Review" in CRM has the attachment "photo.jpg" with the bytes from Outlook

  Rule: Switching attachment sync off again leaves the Outlook copies in place

    @APPT-ATTACH-TURNED-OFF
    Scenario Outline: After the option is turned off, Outlook keeps its attachments and no new one reaches CRM
      Given a user "alice" syncing through <channel>
      And the administrator sets "sync_appointment_attachments" to "true"
      And "alice" has an appointment "Review" in CRM
      And "alice" attaches "agenda.pdf" of 20 KB to the appointment "Review" in CRM
      And the sync has run
      When the administrator sets "sync_appointment_attachments" to "false"
      And "alice" attaches "photo.jpg" of 50 KB to the appointment "Review" in Outlook
      And the sync runs
      Then the appointment "Review" in Outlook has the attachment "agenda.pdf" with the bytes from CRM
      And the appointment "Review" in CRM has no attachment "photo.jpg"
      And the cycle records "skipped" for rule APPT-ATTACH-TURNED-OFF
      And nothing was lost

      @outlook-client
      Examples: CRM for Outlook
        | channel     |
        | outlook     |

      @server-side
      Examples: server-side synchronization
        | channel     |
        | server-side |

    @APPT-ATTACH-TURNED-OFF
    Scenario: While the option is still on, an attachment removed in CRM is removed in Outlook too
      Given a user "alice" syncing through outlook
      And the administrator sets "sync_appointment_attachments" to "true"
      And "alice" has an appointment "Review" in CRM
      And "alice" attaches "agenda.pdf" of 20 KB to the appointment "Review" in CRM
      And the sync has run
      When "alice" removes the attachment "agenda.pdf" from the appointment "Review" in CRM
      And the sync runs
      Then the appointment "Review" in the Outlook of "alice" has no attachments

  Rule: Attachments of recurring appointments never sync

    @APPT-ATTACH-RECURRING
    Scenario Outline: A recurring appointment made in <side> syncs without its attachment through <channel>
      Given a user "alice" syncing through <channel>
      And the administrator sets "sync_appointment_attachments" to "true"
      And "alice" has a recurring appointment "Weekly" in <side>
      And "alice" attaches "minutes.docx" of 20 KB to the recurring appointment "Weekly" in <side>
      When the sync runs
      Then the recurring appointment "Weekly" is in <other side>
      And the recurring appointment "Weekly" in <other side> has no attachments
      And the cycle records "skipped" for rule APPT-ATTACH-RECURRING

      @outlook-client
      Examples: CRM for Outlook
        | channel     | side    | other side |
        | outlook     | CRM     | Outlook    |
        | outlook     | Outlook | CRM        |

      @server-side
      Examples: server-side synchronization
        | channel     | side    | other side |
        | server-side | CRM     | Outlook    |
        | server-side | Outlook | CRM        |

    @APPT-ATTACH-RECURRING
    Scenario: A single appointment with the same attachment does sync it
      Given a user "alice" syncing through outlook
      And the administrator sets "sync_appointment_attachments" to "true"
      And "alice" has an appointment "Once" in Outlook
      And "alice" attaches "minutes.docx" of 20 KB to the appointment "Once" in Outlook
      When the sync runs
      Then the appointment "Once" in CRM has the attachment "minutes.docx" with the bytes from Outlook
      And the cycle records no "skipped" for rule APPT-ATTACH-RECURRING

  Rule: Attachments cost sync time on a slow link

    @APPT-ATTACH-SLOW-LINK
    Scenario Outline: A cycle carrying an attachment over a slow link takes much longer (<channel>)
      Given a user "bob" syncing through <channel> over a 256 kbps link
      And the administrator sets "sync_appointment_attachments" to "true"
      And "bob" has an appointment "Review" in CRM
      And "bob" attaches "recording.m4a" of 2 MB to the appointment "Review" in CRM
      When the sync runs
      Then the cycle took more than 60 seconds for "bob"
      And the cycle records "warning" for rule APPT-ATTACH-SLOW-LINK

      @outlook-client
      Examples: CRM for Outlook
        | channel     |
        | outlook     |

      @server-side
      Examples: server-side synchronization
        | channel     |
        | server-side |

    @APPT-ATTACH-SLOW-LINK
    Scenario: The same appointment without attachments syncs in about a second on that link
      Given a user "bob" syncing through outlook over a 256 kbps link
      And the administrator sets "sync_appointment_attachments" to "true"
      And "bob" has an appointment "Review" in CRM
      When the sync runs
      Then the cycle took less than 2 seconds for "bob"
      And the cycle records no "warning" for rule APPT-ATTACH-SLOW-LINK

  Rule: Service activities sync as appointments, without their attachments

    @APPT-ATTACH-SERVICE-ACTIVITY
    Scenario Outline: A service activity reaches Outlook as an appointment, its attachment does not (<channel>)
      Given a user "alice" syncing through <channel>
      And the administrator sets "sync_appointment_attachments" to "true"
      And "alice" has a service activity "Boiler repair" in CRM
      And "alice" attaches "work-order.pdf" of 20 KB to the service activity "Boiler repair" in CRM
      When the sync runs
      Then the service activity "Boiler repair" is in Outlook
      And the service activity "Boiler repair" in Outlook has no attachments
      And the cycle records "skipped" for rule APPT-ATTACH-SERVICE-ACTIVITY

      @outlook-client
      Examples: CRM for Outlook
        | channel     |
        | outlook     |

      @server-side
      Examples: server-side synchronization
        | channel     |
        | server-side |

    @APPT-ATTACH-SERVICE-ACTIVITY
    Scenario: An ordinary appointment with the same attachment does sync it
      Given a user "alice" syncing through outlook
      And the administrator sets "sync_appointment_attachments" to "true"
      And "alice" has an appointment "Site visit" in CRM
      And "alice" attaches "work-order.pdf" of 20 KB to the appointment "Site visit" in CRM
      When the sync runs
      Then the appointment "Site visit" in Outlook has the attachment "work-order.pdf" with the bytes from CRM

  Rule: Service activities sync one way, CRM to Outlook

    @SERVICE-ONE-WAY
    Scenario Outline: An Outlook edit of a service activity does not reach CRM (<channel>)
      Given a user "alice" syncing through <channel>
      And "alice" has a service activity "Boiler repair" in CRM with:
        | location | Workshop |
      And the sync has run
      When "alice" edits the service activity "Boiler repair" in Outlook:
        | Location | Basement |
      And the sync runs
      Then the service activity "Boiler repair" in CRM has:
        | location | Workshop |
      And the cycle records "skipped" for rule SERVICE-ONE-WAY
      And the sync kept its invariants

      @outlook-client
      Examples: CRM for Outlook
        | channel |
        | outlook |

      @server-side
      Examples: server-side synchronization
        | channel     |
        | server-side |

    @SERVICE-ONE-WAY
    Scenario: The next CRM change overwrites the Outlook edit, and the edit is reported lost
      Given a user "alice" syncing through outlook
      And "alice" has a service activity "Boiler repair" in CRM with:
        | location | Workshop |
      And the sync has run
      And "alice" edits the service activity "Boiler repair" in Outlook:
        | Location | Basement |
      And the sync has run
      When "alice" edits the service activity "Boiler repair" in CRM:
        | location | Garage |
      And the sync runs
      Then the service activity "Boiler repair" in Outlook has:
        | Location | Garage |
      And the cycle lost:
        | item          | side    | field    | old      | new    |
        | Boiler repair | outlook | Location | Basement | Garage |
      And the sync kept its invariants

    @SERVICE-ONE-WAY
    Scenario Outline: A service activity deleted in Outlook stays in CRM (<channel>)
      Given a user "alice" syncing through <channel>
      And "alice" has a service activity "Boiler repair" in CRM
      And the sync has run
      When "alice" deletes the service activity "Boiler repair" in Outlook
      And the sync runs 2 times
      Then the service activity "Boiler repair" is in CRM owned by "alice"
      And the service activity "Boiler repair" is not in the Outlook of "alice"
      And the cycle records "synced" for rule SERVICE-ONE-WAY
      And the sync kept its invariants

      @outlook-client
      Examples: CRM for Outlook
        | channel |
        | outlook |

      @server-side
      Examples: server-side synchronization
        | channel     |
        | server-side |

    @SERVICE-ONE-WAY @outlook-client
    Scenario: Untracking a service activity keeps it in CRM, even for a user who answers yes
      Given a user "alice" syncing through outlook
      And "alice" answers "yes" when asked whether to delete untracked items in CRM
      And "alice" has a service activity "Boiler repair" in CRM
      And the sync has run
      When "alice" stops tracking the service activity "Boiler repair" in Outlook
      And the sync runs
      Then the service activity "Boiler repair" is in CRM
      And the service activity "Boiler repair" is in Outlook
      And the cycle records "synced" for rule SERVICE-ONE-WAY

  Rule: Attachments over the maximum size, or with a blocked extension, do not sync

    @ATTACH-MAX-SIZE
    Scenario Outline: A file over 5 MB stays on its side (<channel>)
      Given a user "alice" syncing through <channel>
      And the administrator sets "sync_appointment_attachments" to "true"
      And "alice" has an appointment "Review" in Outlook
      And "alice" attaches "recording.m4a" of 6 MB to the appointment "Review" in Outlook
      When the sync runs
      Then the appointment "Review" in CRM has no attachment "recording.m4a"
      And the cycle records "skipped" for rule ATTACH-MAX-SIZE

      @outlook-client
      Examples: CRM for Outlook
        | channel |
        | outlook |

      @server-side
      Examples: server-side synchronization
        | channel     |
        | server-side |

    @ATTACH-MAX-SIZE
    Scenario: With the maximum raised to 32 MB, the same file syncs
      Given a user "alice" syncing through outlook
      And the administrator sets:
        | setting                      | value |
        | sync_appointment_attachments | true  |
        | attachment_max_kb            | 32768 |
      And "alice" has an appointment "Review" in CRM
      And "alice" attaches "recording.m4a" of 6 MB to the appointment "Review" in CRM
      When the sync runs
      Then the appointment "Review" in Outlook has the attachment "recording.m4a" with the bytes from CRM
      And the appointment "Review" in Outlook has the attachment "recording.m4a" of 6 MB

    @ATTACH-MAX-SIZE
    Scenario: The administrator cannot raise the maximum past 32 MB
      Given a user "alice" syncing through outlook
      When "admin" tries to set "attachment_max_kb" to "40960"
      Then the change is refused because "from 1 to 32768"
      And the setting "attachment_max_kb" is "5120"

    @ATTACH-BLOCKED
    Scenario Outline: An .exe stays on its side (<channel>)
      Given a user "alice" syncing through <channel>
      And the administrator sets "sync_appointment_attachments" to "true"
      And "alice" has an appointment "Review" in CRM
      And "alice" attaches "setup.exe" of 20 KB to the appointment "Review" in CRM
      When the sync runs
      Then the appointment "Review" in Outlook has no attachment "setup.exe"
      And the cycle records "skipped" for rule ATTACH-BLOCKED

      @outlook-client
      Examples: CRM for Outlook
        | channel |
        | outlook |

      @server-side
      Examples: server-side synchronization
        | channel     |
        | server-side |

    @ATTACH-BLOCKED
    Scenario: An administrator who unblocks .exe lets it sync
      Given a user "alice" syncing through outlook
      And the administrator sets:
        | setting                      | value   |
        | sync_appointment_attachments | true    |
        | blocked_extensions           | bat;cmd |
      And "alice" has an appointment "Review" in Outlook
      And "alice" attaches "setup.exe" of 20 KB to the appointment "Review" in Outlook
      When the sync runs
      Then the appointment "Review" in CRM has the attachment "setup.exe" with the bytes from Outlook

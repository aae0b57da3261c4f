Feature: Contact addresses
  Section "Address synchronization for Contacts", for CRM for Outlook and for server-side
  synchronization alike. An administrator picks one of two options: sync just the one Outlook
  mailing address (the default, enough for most organizations), or sync all three Outlook
  addresses: Business, Home and Other. The page warns that switching to all three can lose data
  when tracked contacts already exist, because their fields get mapped anew; it advises testing
  the switch first and keeping the full data on one side, normally CRM.

  Background:
    Given a new organization

  Rule: By default only Address 1 and the Outlook mailing address sync

    @CONTACT-ADDRESS-MAILING-ONLY
    Scenario Outline: A CRM contact reaches Outlook with Address 1 as its business mailing address (<channel>)
      Given a user "alice" syncing through <channel>
      And "alice" has a contact "Ann" in CRM with:
        | address1_city | Oslo   |
        | address2_city | Bergen |
        | address3_city | Tromsø |
      When the sync runs
      Then the contact "Ann" in Outlook has:
        | BusinessAddressCity    | Oslo     |
        | SelectedMailingAddress | business |
        | MailingAddressCity     | Oslo     |
        | HomeAddressCity        | (empty)  |
        | OtherAddressCity       | (empty)  |

      @outlook-client
      Examples: CRM for Outlook
        | channel     |
        | outlook     |

      @server-side
      Examples: server-side synchronization
        | channel     |
        | server-side |

    @CONTACT-ADDRESS-MAILING-ONLY
    Scenario Outline: Whichever address Outlook marks as mailing address becomes Address 1 (<channel>)
      Given a user "alice" syncing through <channel>
      And "alice" has a contact "Ben" in Outlook with:
        | BusinessAddressCity    | Oslo   |
        | HomeAddressCity        | Tromsø |
        | SelectedMailingAddress | home   |
      When the sync runs
      Then the contact "Ben" in CRM has:
        | address1_city | Tromsø  |
        | address2_city | (empty) |
        | address3_city | (empty) |

      @outlook-client
      Examples: CRM for Outlook
        | channel     |
        | outlook     |

      @server-side
      Examples: server-side synchronization
        | channel     |
        | server-side |

    @CONTACT-ADDRESS-MAILING-ONLY
    Scenario: Edits of the other addresses stay on their own side
      Given a user "alice" syncing through outlook
      And "alice" has a contact "Ann" in CRM with:
        | address1_city | Oslo |
      And the sync has run
      When "alice" edits the contact "Ann" in Outlook:
        | OtherAddressCity | Bodø |
      And "alice" edits the contact "Ann" in CRM:
        | address2_city | Bergen |
      And the sync runs
      Then the contact "Ann" in CRM has:
        | address3_city | (empty) |
      And the contact "Ann" in Outlook has:
        | HomeAddressCity | (empty) |

  Rule: With all three addresses on, Address 1, 2 and 3 pair with Business, Home and Other

    @CONTACT-ADDRESS-ALL-THREE
    Scenario Outline: All three addresses of a CRM contact reach Outlook (<channel>)
      Given a user "alice" syncing through <channel>
      And the administrator sets "contact_address_sync" to "all-three"
      And "alice" has a contact "Ann" in CRM with:
        | address1_line1 | 1 Harbour Rd |
        | address1_city  | Oslo         |
        | address2_city  | Bergen       |
        | address3_city  | Tromsø       |
      When the sync runs
      Then the contact "Ann" in Outlook has:
        | BusinessAddressStreet | 1 Harbour Rd |
        | BusinessAddressCity   | Oslo         |
        | HomeAddressCity       | Bergen       |
        | OtherAddressCity      | Tromsø       |

      @outlook-client
      Examples: CRM for Outlook
        | channel     |
        | outlook     |

      @server-side
      Examples: server-side synchronization
        | channel     |
        | server-side |

    @CONTACT-ADDRESS-ALL-THREE
    Scenario Outline: All three addresses of an Outlook contact reach CRM (<channel>)
      Given a user "alice" syncing through <channel>
      And the administrator sets "contact_address_sync" to "all-three"
      And "alice" has a contact "Ben" in Outlook with:
        | BusinessAddressCity    | Oslo   |
        | HomeAddressCity        | Bergen |
        | OtherAddressCity       | Tromsø |
        | SelectedMailingAddress | home   |
      When the sync runs
      Then the contact "Ben" in CRM has:
        | address1_city | Oslo   |
        | address2_city | Bergen |
        | address3_city | Tromsø |

      @outlook-client
      Examples: CRM for Outlook
        | channel     |
        | outlook     |

      @server-side
      Examples: server-side synchronization
        | channel     |
        | server-side |

    @CONTACT-ADDRESS-ALL-THREE
    Scenario: Without the option, Address 2 and 3 stay in CRM
      Given a user "alice" syncing through outlook
      And "alice" has a contact "Ann" in CRM with:
        | address1_city | Oslo   |
        | address2_city | Bergen |
      When the sync runs
      Then the contact "Ann" in Outlook has:
        | BusinessAddressCity | Oslo    |
        | HomeAddressCity     | (empty) |

  Rule: Switching to all three addresses re-maps tracked contacts and can lose data

    @CONTACT-ADDRESS-REMAP-LOSS
    Scenario Outline: Addresses CRM never had are lost from Outlook when the option is switched (<channel>)
      Given a user "alice" syncing through <channel>
      And "alice" has a contact "Ann" in Outlook with:
        | HomeAddressStreet      | 1 Elm St |
        | HomeAddressCity        | Tromsø   |
        | OtherAddressCity       | Bodø     |
        | SelectedMailingAddress | home     |
      And "alice" has a contact "Ben" in Outlook with:
        | BusinessAddressCity    | Oslo     |
        | HomeAddressCity        | Bergen   |
        | SelectedMailingAddress | business |
      And the sync has run
      When the administrator sets "contact_address_sync" to "all-three"
      And the sync runs
      Then the cycle lost:
        | item | side    | field             | old      | new     |
        | Ann  | outlook | HomeAddressStreet | 1 Elm St | (empty) |
        | Ann  | outlook | HomeAddressCity   | Tromsø   | (empty) |
        | Ann  | outlook | OtherAddressCity  | Bodø     | (empty) |
        | Ben  | outlook | HomeAddressCity   | Bergen   | (empty) |
      And the cycle records "lost" for rule CONTACT-ADDRESS-REMAP-LOSS
      And the contact "Ann" in Outlook has:
        | BusinessAddressStreet | 1 Elm St |
        | BusinessAddressCity   | Tromsø   |
        | HomeAddressCity       | (empty)  |

      @outlook-client
      Examples: CRM for Outlook
        | channel     |
        | outlook     |

      @server-side
      Examples: server-side synchronization
        | channel     |
        | server-side |

    @CONTACT-ADDRESS-REMAP-LOSS
    Scenario: Without the switch, the same contacts lose nothing
      Given a user "alice" syncing through outlook
      And "alice" has a contact "Ann" in Outlook with:
        | HomeAddressCity        | Tromsø |
        | OtherAddressCity       | Bodø   |
        | SelectedMailingAddress | home   |
      And the sync has run
      When "alice" edits the contact "Ann" in Outlook:
        | JobTitle | Skipper |
      And the sync runs
      Then nothing was lost
      And the contact "Ann" in Outlook has:
        | HomeAddressCity  | Tromsø |
        | OtherAddressCity | Bodø   |

  Rule: With the full data on the CRM side only, switching loses nothing

    @CONTACT-ADDRESS-ONE-SIDED
    Scenario Outline: The addresses flow from CRM to the empty Outlook side (<channel>)
      Given a user "alice" syncing through <channel>
      And "alice" has a contact "Ann" in CRM with:
        | address1_city | Oslo   |
        | address2_city | Bergen |
        | address3_city | Tromsø |
      And the sync has run
      When the administrator sets "contact_address_sync" to "all-three"
      And the sync runs
      Then nothing was lost
      And the contact "Ann" in Outlook has:
        | BusinessAddressCity | Oslo   |
        | HomeAddressCity     | Bergen |
        | OtherAddressCity    | Tromsø |

      @outlook-client
      Examples: CRM for Outlook
        | channel     |
        | outlook     |

      @server-side
      Examples: server-side synchronization
        | channel     |
        | server-side |

    @CONTACT-ADDRESS-ONE-SIDED
    Scenario: With the data on the Outlook side only, the same switch loses it
      Given a user "alice" syncing through outlook
      And "alice" has a contact "Ann" in Outlook with:
        | BusinessAddressCity    | Oslo     |
        | HomeAddressCity        | Bergen   |
        | OtherAddressCity       | Tromsø   |
        | SelectedMailingAddress | business |
      And the sync has run
      When the administrator sets "contact_address_sync" to "all-three"
      And the sync runs
      Then the cycle lost:
        | item | side    | field            | old    | new     |
        | Ann  | outlook | HomeAddressCity  | Bergen | (empty) |
        | Ann  | outlook | OtherAddressCity | Tromsø | (empty) |

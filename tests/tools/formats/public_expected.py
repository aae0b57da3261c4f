"""What each public file of tests/data/public holds, field by field, as read (times as ISO text).

Checked by reading each file by eye against its reader (docs/formats.md); where a reader
changes, a difference here is a finding to explain, not a table to regenerate."""

EXPECTED = {
    "dataverse-docs-contacts-formatted-values.json": {
        "items": [
            [
                7,
                "contact",
                {
                    "fullname": "Susanna Stubberod (sample)",
                    "jobtitle": "Senior Purchaser",
                    "contactid": "85716234-9628-ed11-9db1-000d3a320482",
                },
            ],
            [
                19,
                "contact",
                {
                    "fullname": "Nancy Anderson (sample)",
                    "jobtitle": "Activities Manager",
                    "contactid": "89716234-9628-ed11-9db1-000d3a320482",
                },
            ],
            [
                31,
                "contact",
                {
                    "fullname": "Maria Cambell (sample)",
                    "jobtitle": "Accounts Manager",
                    "contactid": "8d716234-9628-ed11-9db1-000d3a320482",
                },
            ],
            [
                43,
                "contact",
                {
                    "fullname": "Scott Konersmann (sample)",
                    "jobtitle": "Accounts Manager",
                    "contactid": "91716234-9628-ed11-9db1-000d3a320482",
                },
            ],
            [
                55,
                "contact",
                {
                    "fullname": "Robert Lyon (sample)",
                    "jobtitle": "Senior Technician",
                    "contactid": "95716234-9628-ed11-9db1-000d3a320482",
                },
            ],
            [
                67,
                "contact",
                {
                    "fullname": "Paul Cannon (sample)",
                    "jobtitle": "Ski Instructor",
                    "contactid": "99716234-9628-ed11-9db1-000d3a320482",
                },
            ],
            [
                79,
                "contact",
                {
                    "fullname": "Rene Valdes (sample)",
                    "jobtitle": "Data Analyst III",
                    "contactid": "9d716234-9628-ed11-9db1-000d3a320482",
                },
            ],
            [
                91,
                "contact",
                {
                    "fullname": "Jim Glynn (sample)",
                    "jobtitle": "Senior International Sales Manager",
                    "contactid": "a1716234-9628-ed11-9db1-000d3a320482",
                },
            ],
        ],
        "notes": ["{path}:7: 'annualincome' is no attribute of contact: not imported"],
        "skipped": [],
    },
    "dataverse-docs-contacts-page-2-nextlink.json": {
        "items": [
            [
                4,
                "contact",
                {"fullname": "Nancy Anderson (sample)", "contactid": "72bf4d48-34cb-ed11-b596-0022481d68cd"},
            ],
            [
                9,
                "contact",
                {"fullname": "Maria Campbell (sample)", "contactid": "74bf4d48-34cb-ed11-b596-0022481d68cd"},
            ],
        ],
        "notes": ["{path}:1: a page with @odata.nextLink: the records after it are not in this file"],
        "skipped": [],
    },
    "ez-vcard-gmail-single.vcf": {
        "items": [
            [
                1,
                "contact",
                {
                    "FirstName": "Greg",
                    "LastName": "Dartmouth",
                    "JobTitle": "TheJobTitle",
                    "Body": "This is GMail's note field.\n"
                    "It should be added as a NOTE type.\n"
                    "ACustomField: CustomField",
                    "WebPage": "http://TheProfile.com",
                    "NickName": "Gman",
                    "YomiFirstName": "Grregg",
                    "YomiLastName": "Dart-mowth",
                    "Birthday": "1960-09-10T00:00:00+00:00",
                    "CompanyName": "TheCompany",
                    "Email1Address": "gdartmouth@hotmail.com",
                    "MobileTelephoneNumber": "555 555 1111",
                    "OtherTelephoneNumber": "555 555 2222",
                    "Anniversary": "1970-06-02T00:00:00+00:00",
                    "Spouse": "MySpouse",
                    "HomeAddressStreet": "123 Home St\nHome City, HM 12345",
                    "OtherAddressStreet": "321 Custom St",
                    "OtherAddressCity": "Custom City",
                    "OtherAddressState": "TX",
                    "OtherAddressPostalCode": "98765",
                    "OtherAddressCountry": "USA",
                },
            ]
        ],
        "notes": [
            "{path}: X-ABRELATEDNAMES (customrelationship) of 1 contact(s) not imported",
            "{path}: X-ICQ of 1 contact(s) not imported",
        ],
        "skipped": [],
    },
    "ez-vcard-john-doe-ms-outlook.vcf": {
        "items": [
            [
                1,
                "contact",
                {
                    "FirstName": "John",
                    "LastName": "Doe",
                    "JobTitle": "Money Counter",
                    "Body": "THIS SOFTWARE IS PROVIDED BY GEORGE "
                    "EL-HADDAD ''AS IS'' AND ANY EXPRESS OR "
                    "IMPLIED WARRANTIES, INCLUDING, BUT NOT "
                    "LIMITED TO, THE IMPLIED WARRANTIES OF "
                    "MERCHANTABILITY AND FITNESS FOR A PARTICULAR "
                    "PURPOSE ARE DISCLAIMED. IN NO EVENT SHALL "
                    "GEORGE EL-HADDAD OR CONTRIBUTORS BE LIABLE "
                    "FOR ANY DIRECT, INDIRECT, INCIDENTAL, "
                    "SPECIAL, EXEMPLARY, OR CONSEQUENTIAL DAMAGES "
                    "(INCLUDING, BUT NOT LIMITED TO, PROCUREMENT "
                    "OF SUBSTITUTE GOODS OR SERVICES; LOSS OF "
                    "USE, DATA, OR PROFITS; OR BUSINESS "
                    "INTERRUPTION) HOWEVER CAUSED AND ON ANY "
                    "THEORY OF LIABILITY, WHETHER IN CONTRACT, "
                    "STRICT LIABILITY, OR TORT (INCLUDING "
                    "NEGLIGENCE OR OTHERWISE) ARISING IN ANY WAY "
                    "OUT OF THE USE OF THIS SOFTWARE, EVEN IF "
                    "ADVISED OF THE POSSIBILITY OF SUCH DAMAGE.",
                    "WebPage": "http://www.ibm.com",
                    "NickName": "Johny",
                    "ManagerName": "Big Blue",
                    "AssistantName": "Jenny",
                    "Birthday": "1980-03-22T00:00:00+00:00",
                    "Anniversary": "2011-01-13T00:00:00+00:00",
                    "CompanyName": "IBM",
                    "Department": "Accounting",
                    "Email1Address": "john.doe@ibm.cm",
                    "BusinessTelephoneNumber": "(905) 555-1234",
                    "HomeTelephoneNumber": "(905) 666-1234",
                    "BusinessAddressStreet": "Cresent moon drive",
                    "BusinessAddressCity": "Albaney",
                    "BusinessAddressState": "New York",
                    "BusinessAddressPostalCode": "12345",
                    "BusinessAddressCountry": "United States of America",
                    "HomeAddressStreet": "Silicon Alley 5",
                    "HomeAddressCity": "New York",
                    "HomeAddressState": "New York",
                    "HomeAddressPostalCode": "12345",
                    "HomeAddressCountry": "United States of America",
                    "SelectedMailingAddress": "business",
                },
            ]
        ],
        "notes": [
            "{path}: N middle name of 1 contact(s) not imported",
            "{path}: N prefix (title) of 1 contact(s) not imported",
            "{path}: N suffix of 1 contact(s) not imported",
            "{path}: PHOTO of 1 contact(s) not imported",
            "{path}: ROLE of 1 contact(s) not imported",
            "{path}: X-MS-IMADDRESS of 1 contact(s) not imported",
        ],
        "skipped": [],
    },
    "ez-vcard-outlook-2003.vcf": {
        "items": [
            [
                1,
                "contact",
                {
                    "FirstName": "John",
                    "LastName": "Doe",
                    "JobTitle": "The Job Title",
                    "Body": "This is the note field!!\nSecond line\n\nThird line is empty\n",
                    "WebPage": "http://web-page-address.com",
                    "NickName": "Joey",
                    "Birthday": "1980-03-21T00:00:00+00:00",
                    "CompanyName": "Company, The",
                    "Department": "TheDepartment",
                    "Email1Address": "jdoe@hotmail.com",
                    "BusinessTelephoneNumber": "BusinessPhone",
                    "HomeTelephoneNumber": "HomePhone",
                    "MobileTelephoneNumber": "MobilePhone",
                    "BusinessFaxNumber": "BusinessFaxPhone",
                    "BusinessAddressStreet": "123 Main St",
                    "BusinessAddressCity": "Austin",
                    "BusinessAddressState": "TX",
                    "BusinessAddressPostalCode": "12345",
                    "BusinessAddressCountry": "United States of America",
                    "OfficeLocation": "TheOffice",
                },
            ]
        ],
        "notes": [
            "{path}: FBURL of 1 contact(s) not imported",
            "{path}: KEY of 1 contact(s) not imported",
            "{path}: N prefix (title) of 1 contact(s) not imported",
            "{path}: N suffix of 1 contact(s) not imported",
            "{path}: ROLE of 1 contact(s) not imported",
        ],
        "skipped": [],
    },
    "ez-vcard-outlook-2007.vcf": {
        "items": [
            [
                1,
                "contact",
                {
                    "FirstName": "Michael",
                    "LastName": "Angstadt",
                    "JobTitle": "TheJobTitle",
                    "Body": "This is the NOTE field\t\n"
                    "I assume it encodes this text inside a NOTE vCard "
                    "type.\n"
                    "But I'm not sure because there's text formatting "
                    "going on here.\n"
                    "It does not preserve the formatting",
                    "WebPage": "http://mikeangstadt.name",
                    "NickName": "Mike",
                    "ManagerName": "TheManagerName",
                    "AssistantName": "TheAssistantName",
                    "Spouse": "TheSpouse",
                    "Birthday": "1922-03-10T00:00:00+00:00",
                    "Anniversary": "2012-08-01T00:00:00+00:00",
                    "CompanyName": "TheCompany",
                    "Department": "TheDepartment",
                    "Email1Address": "mike.angstadt@gmail.com",
                    "BusinessTelephoneNumber": "(111) 555-1111",
                    "HomeTelephoneNumber": "(111) 555-2222",
                    "MobileTelephoneNumber": "(111) 555-4444",
                    "BusinessFaxNumber": "(111) 555-3333",
                    "CallbackTelephoneNumber": "(111) 555-4444",
                    "BusinessAddressStreet": "222 Broadway",
                    "BusinessAddressCity": "New York",
                    "BusinessAddressState": "NY",
                    "BusinessAddressPostalCode": "99999",
                    "BusinessAddressCountry": "USA",
                    "OfficeLocation": "TheOffice",
                    "SelectedMailingAddress": "business",
                },
            ]
        ],
        "notes": [
            "{path}: FBURL of 1 contact(s) not imported",
            "{path}: KEY of 1 contact(s) not imported",
            "{path}: N prefix (title) of 1 contact(s) not imported",
            "{path}: N suffix of 1 contact(s) not imported",
            "{path}: PHOTO of 1 contact(s) not imported",
            "{path}: ROLE of 1 contact(s) not imported",
            "{path}: X-MS-IMADDRESS of 1 contact(s) not imported",
        ],
        "skipped": [],
    },
    "graph-docs-contact-get.json": {
        "items": [
            [
                1,
                "contact",
                {
                    "FirstName": "Alex",
                    "LastName": "Wilber",
                    "Email1Address": "Alex@FineArtSchool.net",
                    "SelectedMailingAddress": "business",
                },
            ]
        ],
        "notes": [],
        "skipped": [],
    },
    "graph-docs-todotasklist-list-tasks.json": {
        "items": [[3, "task", {"Subject": "Linked entity new task 1", "Importance": 0}]],
        "notes": [],
        "skipped": [],
    },
    "graph-docs-user-list-contacts.json": {
        "items": [],
        "notes": [],
        "skipped": [
            "{path}:3: contact 'displayName-value': birthday: "
            "'datetime-value' is no date and time (Graph writes "
            "ISO 8601)"
        ],
    },
    "graph-docs-user-list-events.json": {
        "items": [
            [
                4,
                "appointment",
                {
                    "Subject": "Orientation ",
                    "Body": "<html><head></head><body><p>Dana, this is "
                    "the time you selected for our orientation. "
                    "Please bring the notes I sent "
                    "you.</p></body></html>",
                    "Location": "Assembly Hall",
                    "Start": "2017-04-21T10:00:00-07:00",
                    "End": "2017-04-21T12:00:00-07:00",
                    "RequiredAttendees": "Samantha Booth "
                    "<samanthab@a830edad905084922E17020313.onmicrosoft.com>; "
                    "Dana Swope "
                    "<danas@a830edad905084922E17020313.onmicrosoft.com>",
                    "Organizer": "Samantha Booth <samanthab@a830edad905084922E17020313.onmicrosoft.com>",
                    "IsRecurring": False,
                },
            ]
        ],
        "notes": ["{path}:4: the body is HTML; imported as written"],
        "skipped": [],
    },
    "icalendar-alarm-outlook-in-future.ics": {
        "items": [
            [
                21,
                "appointment",
                {
                    "Subject": "test123",
                    "Start": "2024-07-01T00:00:00+00:00",
                    "End": "2024-07-08T00:00:00+00:00",
                    "AllDayEvent": True,
                    "Importance": 1,
                    "IsRecurring": True,
                    "RecurrencePattern": {
                        "RecurrenceType": "weekly",
                        "Interval": 2,
                        "PatternEndDate": "2024-07-28T23:00:00+00:00",
                        "DayOfWeekMask": 2,
                        "Exceptions": [{"OriginalDate": "2024-07-15T00:00:00+01:00", "Deleted": True}],
                    },
                },
            ],
            [
                45,
                "appointment",
                {
                    "Subject": "test123 - edited event!!!!",
                    "Start": "2024-07-01T00:00:00+00:00",
                    "End": "2024-07-08T00:00:00+00:00",
                    "AllDayEvent": True,
                    "Importance": 1,
                    "IsRecurring": True,
                    "RecurrencePattern": {
                        "RecurrenceType": "weekly",
                        "Interval": 2,
                        "PatternEndDate": "2024-07-28T23:00:00+00:00",
                        "DayOfWeekMask": 2,
                        "Exceptions": [{"OriginalDate": "2024-07-15T00:00:00+01:00", "Deleted": True}],
                    },
                },
            ],
            [
                70,
                "appointment",
                {
                    "Subject": "outlook event with alarm",
                    "Body": "\n",
                    "Start": "2024-10-04T18:30:00+01:00",
                    "End": "2024-10-04T19:00:00+01:00",
                    "AllDayEvent": False,
                    "Importance": 1,
                    "IsRecurring": False,
                },
            ],
        ],
        "notes": [
            "{path}:22: RRULE WKST=MO not imported (Outlook's week start is the user's)",
            "{path}:46: RRULE WKST=MO not imported (Outlook's week start is the user's)",
        ],
        "skipped": [],
    },
    "icalendar-example-holidays.ics": {
        "items": [
            [
                8,
                "appointment",
                {
                    "Subject": "New Year's Day",
                    "Body": "Happy New Year!",
                    "Start": "2022-01-01T00:00:00+00:00",
                    "End": "2022-01-01T00:00:00+00:00",
                    "AllDayEvent": True,
                    "IsRecurring": False,
                },
            ],
            [
                19,
                "appointment",
                {
                    "Subject": "Orthodox Christmas",
                    "Location": "Russia",
                    "Body": "It is Christmas again!",
                    "Start": "2022-01-07T00:00:00+00:00",
                    "End": "2022-01-07T00:00:00+00:00",
                    "AllDayEvent": True,
                    "IsRecurring": False,
                },
            ],
            [
                30,
                "appointment",
                {
                    "Subject": "International Women's Day",
                    "Body": "May the feminine be honoured!",
                    "Start": "2022-03-08T00:00:00+00:00",
                    "End": "2022-03-08T00:00:00+00:00",
                    "AllDayEvent": True,
                    "IsRecurring": False,
                },
            ],
        ],
        "notes": [],
        "skipped": [],
    },
    "icalendar-issue-1050-all-components.ics": {
        "items": [
            [
                22,
                "appointment",
                {
                    "Subject": "Test Event 1",
                    "Start": "2025-01-15T10:00:00-05:00",
                    "End": "2025-01-15T11:00:00-05:00",
                    "AllDayEvent": False,
                    "IsRecurring": False,
                },
            ],
            [33, "task", {"Subject": "Test Todo 1", "Importance": 1, "PercentComplete": 0}],
        ],
        "notes": [
            "{path}:22: 'Test Event 1': 1 VALARM(s) not "
            "imported (Outlook's reminder, which syncsim "
            "does not sync)",
            "{path}:38: VJOURNAL: no Outlook appointment or task; not imported",
            "{path}:42: VAVAILABILITY: no Outlook appointment or task; not imported",
        ],
        "skipped": [],
    },
    "icalendar-issue-1797-todo-completed.ics": {
        "items": [
            [
                4,
                "task",
                {
                    "Subject": "Submit Quebec Income Tax Return for 2006",
                    "DateCompleted": "2007-05-01T00:00:00+00:00",
                    "Importance": 1,
                    "PercentComplete": 0,
                },
            ]
        ],
        "notes": [],
        "skipped": [],
    },
    "icaljs-minimal-google.ics": {
        "items": [
            [
                25,
                "appointment",
                {
                    "Subject": "Really long event name thing",
                    "Start": "2012-06-30T06:00:00-07:00",
                    "End": "2012-06-30T07:00:00-07:00",
                    "AllDayEvent": False,
                    "IsRecurring": False,
                },
            ]
        ],
        "notes": [],
        "skipped": [],
    },
    "icaljs-recur-instances-zimbra.ics": {
        "items": [
            [
                24,
                "appointment",
                {
                    "Subject": "Crazy Event Thingy!",
                    "Location": "PLACE",
                    "Body": "IAM FOO",
                    "Start": "2012-10-02T10:00:00-07:00",
                    "End": "2012-10-02T10:30:00-07:00",
                    "AllDayEvent": False,
                    "RequiredAttendees": "Sahaja Lal "
                    "<calmozilla1@gmail.com>; "
                    "james@lightsofapollo.com; "
                    "iam.revelation@gmail.com",
                    "Organizer": "James Lal <jlal@mozilla.com>",
                    "IsRecurring": True,
                    "RecurrencePattern": {
                        "RecurrenceType": "monthly",
                        "Interval": 1,
                        "DayOfWeekMask": 4,
                        "Instance": 1,
                        "Exceptions": [
                            {
                                "OriginalDate": "2012-10-02T10:00:00-07:00",
                                "Deleted": False,
                                "Start": "2012-10-02T15:00:00-07:00",
                                "End": "2012-10-02T15:30:00-07:00",
                                "Subject": "Crazy Event Thingy!",
                            },
                            {
                                "OriginalDate": "2012-11-05T18:00:00+00:00",
                                "Deleted": False,
                                "Start": "2012-11-06T20:00:00-08:00",
                                "End": "2012-11-06T20:30:00-08:00",
                                "Subject": "Crazy Event Thingy!",
                            },
                            {"OriginalDate": "2012-12-04T10:00:00-08:00", "Deleted": True},
                            {"OriginalDate": "2013-02-05T10:00:00-08:00", "Deleted": True},
                            {"OriginalDate": "2013-04-02T10:00:00-07:00", "Deleted": True},
                        ],
                    },
                },
            ]
        ],
        "notes": [
            "{path}:28: 'Crazy Event Thingy!': RDATE 2023-11-23 "
            "09:00:00+00:00 not imported (an Outlook series has no "
            "extra dates)",
            "{path}:28: 'Crazy Event Thingy!': RDATE 2023-11-25 "
            "09:00:00+00:00 to 2023-11-25 12:30:00+00:00 not "
            "imported (an Outlook series has no extra dates)",
            "{path}:28: 'Crazy Event Thingy!': RDATE 2012-11-05 "
            "10:00:00-08:00 not imported (an Outlook series has no "
            "extra dates)",
            "{path}:28: 'Crazy Event Thingy!': RDATE 2012-11-10 "
            "10:00:00-08:00 not imported (an Outlook series has no "
            "extra dates)",
            "{path}:28: 'Crazy Event Thingy!': RDATE 2012-11-30 "
            "10:00:00-08:00 not imported (an Outlook series has no "
            "extra dates)",
            "{path}:24: 'Crazy Event Thingy!': 1 VALARM(s) not "
            "imported (Outlook's reminder, which syncsim does not "
            "sync)",
            "{path}:98: X-UNKNOWN: no Outlook appointment or task; not imported",
        ],
        "skipped": [],
    },
    "vobject-vcard40-full.vcf": {
        "items": [
            [
                1,
                "contact",
                {
                    "FirstName": "John",
                    "LastName": "Public",
                    "JobTitle": "CEO",
                    "Body": "This is a note about John.\nHe likes vCards.",
                    "WebPage": "http://www.example.com/~jqpublic",
                    "NickName": "Johnny,JQP",
                    "Birthday": "1985-04-15T00:00:00+00:00",
                    "Anniversary": "2010-06-12T00:00:00+00:00",
                    "CompanyName": "Example Corp.",
                    "Department": "North Division;Marketing",
                    "Email1Address": "john.public@example.com",
                    "Email2Address": "johnny@personal.example.org",
                    "OtherTelephoneNumber": "+1-555-555-5555",
                    "MobileTelephoneNumber": "+1-555-123-4567",
                    "BusinessAddressStreet": "123 Main Street",
                    "BusinessAddressCity": "Any Town",
                    "BusinessAddressState": "CA",
                    "BusinessAddressPostalCode": "91921-1234",
                    "BusinessAddressCountry": "U.S.A.",
                    "HomeAddressStreet": "456 Oak Lane",
                    "HomeAddressCity": "Somewhere",
                    "HomeAddressState": "NY",
                    "HomeAddressPostalCode": "10001",
                    "HomeAddressCountry": "U.S.A.",
                },
            ]
        ],
        "notes": [
            "{path}: CALADRURI of 1 contact(s) not imported",
            "{path}: CALURI of 1 contact(s) not imported",
            "{path}: CATEGORIES of 1 contact(s) not imported",
            "{path}: FBURL of 1 contact(s) not imported",
            "{path}: GENDER of 1 contact(s) not imported",
            "{path}: GEO of 1 contact(s) not imported",
            "{path}: IMPP of 1 contact(s) not imported",
            "{path}: KEY of 1 contact(s) not imported",
            "{path}: KIND of 1 contact(s) not imported",
            "{path}: LANG of 1 contact(s) not imported",
            "{path}: LOGO of 1 contact(s) not imported",
            "{path}: N middle name of 1 contact(s) not imported",
            "{path}: N prefix (title) of 1 contact(s) not imported",
            "{path}: N suffix of 1 contact(s) not imported",
            "{path}: PHOTO of 1 contact(s) not imported",
            "{path}: RELATED of 1 contact(s) not imported",
            "{path}: ROLE of 1 contact(s) not imported",
            "{path}: SOUND of 1 contact(s) not imported",
            "{path}: TZ of 1 contact(s) not imported",
        ],
        "skipped": [],
    },
}

"""The two fake systems: a Dynamics CRM organization store and Outlook/Exchange mailboxes."""

"""Files in and out: vCard and iCalendar for Outlook, CSV and Web API JSON for CRM."""

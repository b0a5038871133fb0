"""Working-day calendars: which days count when a period is given in working days."""

"""Privacy: consent records now; retention, person export and the audit log as they land."""

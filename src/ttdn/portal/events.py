"""Facts the portal announces (ttdn.core.events)."""

PAGE_PUBLISHED = "portal.page_published"  # payload {"page_id": int, "language": str, "url": str}

"""Measure (đo lường): indicators with versioned definitions, dashboards, open data."""

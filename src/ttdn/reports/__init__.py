"""Periodic reports: six-month, annual, custom-period reports and 3/5/10-year evaluations as
PDF and XLSX, built from Measure's indicators, generated in the background or on a schedule,
and archived per organisation."""

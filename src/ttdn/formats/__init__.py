"""Date and number formats per interface language (FORMAT_MODULE_PATH).

Why: Django's Vietnamese short formats write 07-12-2026, but Vietnamese administrative
documents write dates as 07/12/2026 (Nghị định 30/2020/NĐ-CP); everything else (decimal
comma, thousands dot, long dates) is Django's own. English follows Django's "en" except
that times are 24-hour, as on every other page of the platform.
"""

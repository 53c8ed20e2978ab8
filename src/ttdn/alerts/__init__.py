"""Alerts: rules over new reports and stories, delivered in the app, by email and webhook."""

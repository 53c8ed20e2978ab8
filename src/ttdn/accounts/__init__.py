"""Organisations, people and roles: who may see and change what."""

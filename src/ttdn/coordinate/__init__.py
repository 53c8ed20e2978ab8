"""Coordinate (điều phối): plans, tasks, periodic reports per organisation."""

"""Moderator Workstation."""

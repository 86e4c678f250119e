"""Prepare once: load -> validate -> compute, into one read-only report; and the checks over it."""

"""Supervision and reflective practice: 1:1 and group supervision, casework records, personal
supervision, Reflective Practice Groups and their standards (issue 12).
"""

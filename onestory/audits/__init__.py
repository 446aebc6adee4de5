"""Practitioner-led audit: cycles, samples, audit conversations, grades, moderation, actions and
learning (issue 13).
"""

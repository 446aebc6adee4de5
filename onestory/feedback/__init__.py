"""Compliments, complaints and comments: the log, the statutory complaint stages, the public page
and the reports (issue 15).
"""

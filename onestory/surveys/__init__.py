"""Your Voice, the staff survey: waves, questions, anonymous responses and results (issue 14)."""

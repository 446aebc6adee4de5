"""The SSDA903 (children looked after) return: its tables per collection year, the export from
the records and the Data to Insight validator's run on it."""

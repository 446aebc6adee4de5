"""The council's scales, its key dates and the figures it is calibrated to."""

from __future__ import annotations

from datetime import date

START = date(2014, 1, 1)  # the records begin
MODEL_STARTED = date(2015, 10, 1)  # pods and the model of practice began
NO_AGENCY_FROM = date(2017, 9, 1)  # "no agency social workers since September 2017"

# Children on CP plans and children in care (excluding short breaks) on the first of a month,
# for the default scale; straight lines between the points. The 2015 and 2019 points are the
# council's own (docs/domain.md, "The measures"); the rest is a plausible path through them.
CP_TRAJECTORY = [
    (date(2014, 1, 1), 412),
    (date(2015, 10, 1), 403),
    (date(2017, 4, 1), 372),
    (date(2019, 1, 1), 333),
    (date(2022, 1, 1), 322),
    (date(2030, 1, 1), 318),
]
CIC_TRAJECTORY = [
    (date(2014, 1, 1), 481),
    (date(2015, 10, 1), 473),
    (date(2017, 6, 1), 436),
    (date(2019, 1, 1), 375),
    (date(2022, 1, 1), 366),
    (date(2030, 1, 1), 362),
]
# The days the council's own figures are for: on these the counts are met exactly, not only
# followed (the evaluation report quotes them, docs/domain.md "The measures").
SOURCE_DAYS = (MODEL_STARTED, date(2019, 1, 1))
# Average care applications a quarter, by the financial year that starts in the given year.
CARE_APPLICATIONS = {2013: 27, 2014: 28, 2015: 28, 2016: 26, 2017: 21, 2018: 15}
LATER_CARE_APPLICATIONS = 15
# Referrals a month at the default scale; most close after assessment.
REFERRAL_FAMILIES_A_MONTH = 116

# Each scale's share of the default council's cases, and its number of pods.
SCALES = {"small": 0.1, "default": 1.0, "large": 10.0}
PODS = {"small": 10, "default": 12, "large": 95}

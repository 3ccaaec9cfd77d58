"""The outcome measures the clinic scores, each with its published scoring rule, its
treatment of missing items and its minimal clinically important change, in one place.

Scores are computed here, on the server, from the item answers (None: not answered); views,
reports, letters and exports read them, never recompute them. A score is None when the
instrument's manual says the answers cannot be scored.

Sources (also in the README):
- NRS, numeric pain rating 0-10: important change 2 points or 30 % (Farrar JT et al. 2001,
  Pain 94:149-158).
- PSFS, Patient-Specific Functional Scale: 3-5 activities scored 0 (unable) to 10 (as before
  the problem), score = mean of the activities scored; minimal detectable change about 2 points
  (Stratford P et al. 1995, Physiother Can 47:258-263).
- PGIC, Patient Global Impression of Change, 7 points (1 very much improved ... 7 very much
  worse): "much" or "very much improved" is the responder definition (Hurst H, Bolton J 2004,
  J Manipulative Physiol Ther 27:26-35; matches about 2 NRS points, Farrar 2001).
- NDI, Neck Disability Index (licensed): 10 items 0-5, sum x 2 in %; with a missing item the
  sum is scored out of the items answered, at most one missing (Vernon H, Mior S 1991,
  J Manipulative Physiol Ther 14:409-415; Vernon's NDI manual). Important change 7.5 points
  of the raw 0-50 sum, i.e. 15 % on the percentage scale scored here (Young BA et al. 2009,
  Spine J 9:802-808, mechanical neck pain; the same study's minimal detectable change is
  10.2 points, 20.4 %).
- ODI, Oswestry Disability Index 2.1a (licensed): 10 sections 0-5, sum / (5 x sections
  answered) x 100 (Fairbank JCT, Pynsent PB 2000, Spine 25:2940-2952); important change
  10 points of 100, or 30 % of the baseline (Ostelo RW et al. 2008, Spine 33:90-94).
- PPT, pressure pain threshold kg/cm2: a change counts beyond its minimal detectable change,
  0.62 kg/cm2, the upper end of Walton 2011 (JOSPT 41:644) so that measurement error is not
  read as change.
"""

from dataclasses import dataclass

IMPROVED = "improved"
NO_CHANGE = "no_change"
WORSE = "worse"
RESPONSES = [(IMPROVED, "Improved"), (NO_CHANGE, "No change"), (WORSE, "Worse")]


class UnscorableError(ValueError):
    """The answers cannot be scored as the instrument's manual says; the message says why."""


@dataclass(frozen=True)
class Measure:
    code: str
    name: str
    # The range of one item's answer.
    item_min: int
    item_max: int
    # True when a larger score is better (function), False when it is worse (pain, disability).
    higher_is_better: bool
    # The smallest change that matters to the patient, in score units, and (or) relative to
    # the baseline; None where the literature gives none.
    mcid_points: float | None
    mcid_percent: float | None
    citation: str


MEASURES = {
    "nrs": Measure("nrs", "Numeric Pain Rating Scale", 0, 10, False, 2, 30, "Farrar 2001"),
    "psfs": Measure(
        "psfs", "Patient-Specific Functional Scale", 0, 10, True, 2, None, "Stratford 1995"
    ),
    "pgic": Measure(
        "pgic", "Patient Global Impression of Change", 1, 7, False, None, None, "Hurst 2004"
    ),
    "ndi": Measure("ndi", "Neck Disability Index", 0, 5, False, 15, None, "Young 2009"),
    "odi": Measure("odi", "Oswestry Disability Index", 0, 5, False, 10, 30, "Ostelo 2008"),
    "ppt": Measure("ppt", "Pressure Pain Threshold", 0, 20, True, 0.62, None, "Walton 2011"),
}
# PGIC answers that make a responder: 1 "very much improved", 2 "much improved".
PGIC_RESPONDER = (1, 2)
# Items an instrument may leave unanswered and still be scored.
MAX_MISSING = {"ndi": 1, "odi": 2}


def _answered(code, answers):
    measure = MEASURES[code]
    answered = [a for a in answers if a is not None]
    for answer in answered:
        if not measure.item_min <= answer <= measure.item_max:
            raise UnscorableError(
                f"{measure.name}: an answer is {answer}; each item is scored from "
                f"{measure.item_min} to {measure.item_max}."
            )
    return answered


def _percent_of_answered(code, answers, items):
    """Disability indexes: the sum out of the items answered, in % (NDI, ODI)."""
    if len(answers) != items:
        raise UnscorableError(f"{MEASURES[code].name} has {items} items, not {len(answers)}.")
    answered = _answered(code, answers)
    missing = items - len(answered)
    if missing > MAX_MISSING[code]:
        raise UnscorableError(
            f"{MEASURES[code].name}: {missing} items are not answered; the manual scores at "
            f"most {MAX_MISSING[code]} missing."
        )
    return sum(answered) / (MEASURES[code].item_max * len(answered)) * 100


def score(code, answers):
    """The score of ``answers`` (item answers in order, None: not answered) on the instrument
    ``code``, as its manual computes it. Raises UnscorableError when the manual says the
    answers cannot be scored."""
    if code in ("nrs", "pgic"):
        if len(answers) != 1:
            raise UnscorableError(f"{MEASURES[code].name} has one item, not {len(answers)}.")
        answered = _answered(code, answers)
        if not answered:
            raise UnscorableError(f"{MEASURES[code].name}: the item is not answered.")
        return float(answered[0])
    if code == "psfs":
        answered = _answered(code, answers)
        if not answered:
            raise UnscorableError("Patient-Specific Functional Scale: no activity is scored.")
        return sum(answered) / len(answered)
    if code == "ndi":
        return _percent_of_answered(code, answers, 10)
    if code == "odi":
        return _percent_of_answered(code, answers, 10)
    raise UnscorableError(f"No scoring rule for the instrument {code}.")


def important_change(code, baseline):
    """The smallest change from ``baseline`` that is clinically important on the measure
    ``code``: its points, or its percentage of the baseline when that is smaller (either
    suffices); None where the literature gives none (PGIC is itself a change)."""
    measure = MEASURES[code]
    thresholds = []
    if measure.mcid_points is not None:
        thresholds.append(measure.mcid_points)
    if measure.mcid_percent is not None and baseline:
        thresholds.append(abs(baseline) * measure.mcid_percent / 100)
    return min(thresholds) if thresholds else None


def classify(code, baseline, latest):
    """The one responder rule: the change from ``baseline`` to ``latest`` is *improved* or
    *worse* when it reaches the measure's clinically important change in points or, where the
    literature gives one, in % of the baseline; else *no change*. PGIC is itself a change:
    ``latest`` alone decides (much or very much improved, or worse than no change)."""
    measure = MEASURES[code]
    if code == "pgic":
        if latest in PGIC_RESPONDER:
            return IMPROVED
        return WORSE if latest >= 6 else NO_CHANGE
    change = latest - baseline
    gain = change if measure.higher_is_better else -change
    threshold = important_change(code, baseline)
    important = threshold is not None and abs(change) >= threshold - 1e-9
    if not important or not change:
        return NO_CHANGE
    return IMPROVED if gain > 0 else WORSE

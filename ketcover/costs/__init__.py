"""Mental-health and esketamine cost sharing as values (copay, coinsurance, deductible, out-of-pocket), with pages.

One reader per way documents print costs (sbc, benefit_lines, schedules, limits, prose, esketamine); the
wording they share is in wording.py and costs.yaml, where a cost sits on a page in layout.py, whose share
it is in shares.py, and extract.py runs them all.
"""

from ketcover.costs.extract import extract_costs

__all__ = ["extract_costs"]

"""ketcover: read a health-plan PDF and report, with page citations, what it says about a treatment."""

__version__ = "0.1.0"

CONCERNS = (
    "mental_health_coverage",
    "experimental_exclusion",
    "prior_authorization",
    "step_therapy",
    "off_label",
    "ketamine",
    "appeals",
    "network",
    "billing_codes",
)

"""Forms of the project delivery pages, and the filters of its lists.

Forms check what a person typed (a date, an amount, a file); the services check the
rules of the domain, and the views show a refused rule on the field it names.
"""

from .delivery import (
    ClawbackForm,
    MilestoneAddForm,
    MilestoneLogForm,
    MilestoneReprofileForm,
    MilestoneReturnForm,
    PaymentRecordForm,
    PaymentWithholdForm,
    ReceiptForm,
    RepaymentForm,
)
from .filters import PaymentScheduleFilter, ProjectFilter
from .reporting import ProgressReportForm, RiskForm, SpendFormSet
from .variations import ChangeRequestDecisionForm, ChangeRequestForm, ProjectCloseForm

__all__ = [
    "ChangeRequestDecisionForm",
    "ChangeRequestForm",
    "ClawbackForm",
    "MilestoneAddForm",
    "MilestoneLogForm",
    "MilestoneReprofileForm",
    "MilestoneReturnForm",
    "PaymentRecordForm",
    "PaymentScheduleFilter",
    "PaymentWithholdForm",
    "ProgressReportForm",
    "ProjectCloseForm",
    "ProjectFilter",
    "ReceiptForm",
    "RepaymentForm",
    "RiskForm",
    "SpendFormSet",
]

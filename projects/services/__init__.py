"""Every state change of projects, milestones, payments, reports and variations.

Import services from here: ``from projects.services import milestone_verify``.
"""

from .base import ProjectError
from .bid_decisions import bid_approve_into_project
from .delivery import (
    milestone_add,
    milestone_add_evidence,
    milestone_log_achieved,
    milestone_log_delivery,
    milestone_reprofile,
    milestone_return,
    milestone_verify,
    payment_approve,
    payment_record_paid,
    payment_release,
    payment_schedule,
    payment_withhold,
    project_create_from_bid,
)
from .reporting import (
    progress_report_correct,
    progress_report_save,
    progress_report_submit,
    reminders_send,
    risk_record,
)
from .variations import (
    PaymentTerms,
    change_request_approve,
    change_request_refuse,
    change_request_submit,
    clawback_demand,
    clawback_record_received,
    project_close,
    repayment_record_received,
    repayment_schedule,
)

__all__ = [
    "PaymentTerms",
    "ProjectError",
    "bid_approve_into_project",
    "change_request_approve",
    "change_request_refuse",
    "change_request_submit",
    "clawback_demand",
    "clawback_record_received",
    "milestone_add",
    "milestone_add_evidence",
    "milestone_log_achieved",
    "milestone_log_delivery",
    "milestone_reprofile",
    "milestone_return",
    "milestone_verify",
    "payment_approve",
    "payment_record_paid",
    "payment_release",
    "payment_schedule",
    "payment_withhold",
    "progress_report_correct",
    "progress_report_save",
    "progress_report_submit",
    "project_close",
    "project_create_from_bid",
    "reminders_send",
    "repayment_record_received",
    "repayment_schedule",
    "risk_record",
]

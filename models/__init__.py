"""All tables, imported here so Base.metadata knows every one (Alembic reads it)."""

from models.action_item import ActionItem, ActionItemStatus
from models.audit import AuditEvent
from models.away import Away, AwayOffer, HeldNudge
from models.base import Base
from models.cadence import Cadence, CadenceStatus, Delivery, DeliveryStatus, NudgeOutcome
from models.cocreate import (
    CocreateProgram,
    Contribution,
    OutreachStep,
    Prospect,
    ProspectOutcome,
    StepState,
)
from models.esp import (
    ChecklistItem,
    EspAccount,
    EspAudience,
    EspObligation,
    EspPeriod,
    EspProgram,
    KpiReading,
    Sponsorship,
    Touchpoint,
    TouchpointKind,
)
from models.handled_request import HandledRequest
from models.installation import slack_bots, slack_installations, slack_oauth_states
from models.okr import (
    KeyResult,
    KeyResultScore,
    Objective,
    OkrOwner,
    OkrProgram,
    OkrQuarter,
    RetroItem,
    RetroKind,
    RetroTeam,
)
from models.slack_user import SlackUser
from models.working_group import ExitCriterion, WorkingGroup, WorkingGroupMember, WorkingGroupStatus
from models.workspace import Workspace

__all__ = [
    "KeyResult",
    "KeyResultScore",
    "Objective",
    "OkrOwner",
    "OkrProgram",
    "OkrQuarter",
    "RetroItem",
    "RetroKind",
    "RetroTeam",
    "CocreateProgram",
    "Contribution",
    "OutreachStep",
    "Prospect",
    "ProspectOutcome",
    "StepState",
    "ChecklistItem",
    "EspAccount",
    "EspAudience",
    "EspObligation",
    "EspPeriod",
    "EspProgram",
    "KpiReading",
    "Sponsorship",
    "Touchpoint",
    "TouchpointKind",
    "ActionItem",
    "ActionItemStatus",
    "ExitCriterion",
    "WorkingGroup",
    "WorkingGroupMember",
    "WorkingGroupStatus",
    "AuditEvent",
    "Away",
    "AwayOffer",
    "HeldNudge",
    "HandledRequest",
    "SlackUser",
    "Base",
    "Cadence",
    "CadenceStatus",
    "Delivery",
    "DeliveryStatus",
    "NudgeOutcome",
    "Workspace",
    "slack_bots",
    "slack_installations",
    "slack_oauth_states",
]

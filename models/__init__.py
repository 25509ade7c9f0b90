"""All tables, imported here so Base.metadata knows every one (Alembic reads it)."""

from models.audit import AuditEvent
from models.base import Base
from models.cadence import Cadence, CadenceStatus, Delivery, DeliveryStatus, NudgeOutcome
from models.workspace import Workspace

__all__ = ["AuditEvent", "Base", "Cadence", "CadenceStatus", "Delivery", "DeliveryStatus", "NudgeOutcome", "Workspace"]

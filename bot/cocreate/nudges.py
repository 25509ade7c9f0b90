"""Co-create nudges on the shared engine: one DM a day at most to each owner of late outreach steps, and the
weekly pipeline digest in the program's home channel."""

from __future__ import annotations

from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from bot.blocks.common import Message
from bot.cadence.kinds import DueOccurrence, local_day, register_kind
from bot.cadence.views import ProgramNudge
from bot.cocreate import pipeline, service
from bot.cocreate.blocks import pipeline as pipeline_blocks
from bot.cocreate.blocks import steps as step_blocks
from models import Cadence, CocreateProgram, Delivery, OutreachStep, Prospect, ProspectOutcome, StepState


class LateSteps:
    """Daily: each owner of late steps gets one DM listing all of them."""

    def targets(self, session: Session, due: DueOccurrence) -> list[str]:
        """Owners with late steps today (deferred prospects whose revisit day has come are reopened first)."""
        cadence = session.get(Cadence, due.cadence_id)
        assert cadence is not None
        service.bring_back_deferred(session, team_id=due.team_id, today=local_day(cadence, due.occurrence_at))
        return list(
            service.late_steps_by_owner(session, team_id=due.team_id, today=local_day(cadence, due.occurrence_at))
        )

    def render(self, session: Session, cadence: Cadence, delivery: Delivery) -> Message:
        """The owner's late steps, each with its prospect and due date."""
        today = local_day(cadence, delivery.occurrence_at)
        steps = service.late_steps_by_owner(session, team_id=cadence.team_id, today=today).get(delivery.target, [])
        return step_blocks.late_steps_dm(steps, today=today)


class PipelineDigest:
    """Weekly: the quarter's funnel against its targets in the home channel, a short pipeline named first."""

    def targets(self, session: Session, due: DueOccurrence) -> list[str]:
        """The program's home channel."""
        program = session.scalar(select(CocreateProgram).where(CocreateProgram.team_id == due.team_id))
        return [program.channel_id] if program else []

    def people(self, session: Session, cadence: Cadence) -> list[str]:
        """Who works the pipeline: the owners of open outreach steps, then the account teams, of open prospects whose
        outreach has started; the digest names those of them who are away. One query."""
        rows = session.execute(
            select(OutreachStep.owner_id, Prospect.csm_id, Prospect.ae_id, Prospect.sa_id)
            .select_from(Prospect)
            .outerjoin(
                OutreachStep,
                and_(OutreachStep.prospect_id == Prospect.id, OutreachStep.state == StepState.OPEN),
            )
            .where(
                Prospect.team_id == cadence.team_id,
                Prospect.outcome == ProspectOutcome.OPEN,
                Prospect.outreach_started_on.is_not(None),
            )
            .order_by(Prospect.id, OutreachStep.position)
        ).all()
        owners = [row.owner_id for row in rows]
        teams = [uid for row in rows for uid in (row.csm_id, row.ae_id, row.sa_id)]
        return list(dict.fromkeys(uid for uid in [*owners, *teams] if uid))

    def render(self, session: Session, cadence: Cadence, delivery: Delivery) -> Message:
        """The funnel, and when the pipeline is short, the prospects to contact next."""
        today = local_day(cadence, delivery.occurrence_at)
        view = pipeline.pipeline_of(session, team_id=cadence.team_id, today=today)
        stalls = service.stalled_prospects(session, team_id=cadence.team_id, today=today)
        return pipeline_blocks.pipeline_message(
            view.funnel,
            today=today,
            next_prospects=view.next_up,
            has_prospects=view.has_prospects,
            digest=True,
            stalled=stalls,
        )


class BusinessReview:
    """Each fiscal quarter: every account-team member of a started project gets the contribution numbers for the
    quarterly business review."""

    def targets(self, session: Session, due: DueOccurrence) -> list[str]:
        """CSMs, AEs and SAs of prospects whose project started."""
        people = [
            uid
            for p in service.started_prospects_of(session, team_id=due.team_id)
            for uid in (p.csm_id, p.ae_id, p.sa_id)
            if uid
        ]
        return list(dict.fromkeys(people))

    def render(self, session: Session, cadence: Cadence, delivery: Delivery) -> Message:
        """The recipient's projects with their contributions, and the program's repeat share and cadence."""
        mine = [p.name for p in service.started_prospects_of(session, team_id=cadence.team_id, user_id=delivery.target)]
        metrics = service.contribution_metrics(session, team_id=cadence.team_id)
        return pipeline_blocks.business_review_message(mine, metrics)


register_kind(
    service.BUSINESS_REVIEW,
    BusinessReview(),
    listing=ProgramNudge(
        "co-create", "DM to the account teams of started projects", "The program sets it; `/cocreate help`."
    ),
)
register_kind(
    service.LATE_STEPS,
    LateSteps(),
    listing=ProgramNudge(
        "co-create",
        "DM to each owner of a late outreach step",
        "`/cocreate steps` lists them; `/cocreate step` ticks one.",
    ),
)
register_kind(
    service.DIGEST,
    PipelineDigest(),
    listing=ProgramNudge(
        "co-create", "the pipeline digest, in the program's channel", "`/cocreate setup #channel` moves it."
    ),
)

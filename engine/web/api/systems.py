"""GET /api/systems: the indicator systems (as `demozone systems --json`)."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from demozone import api
from demozone.web.auth import current_user

router = APIRouter(prefix="/api", tags=["knowledge"])


@router.get("/systems")
def systems(user: dict = Depends(current_user)) -> list[dict]:
    """Every indicator system: id, title, sources, indicator count, points, pass rule, lineage."""
    return api.systems()

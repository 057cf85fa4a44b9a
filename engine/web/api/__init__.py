"""The JSON API under /api, one module per subject: an APIRouter with prefix /api, listed in
app.ROUTERS. Errors are {"detail": ...}: 401 without a session, 403 for a role without the right
or a missing X-CSRF-Token on a state-changing call, 422 for bad input (the CLI's messages)."""

"""The pages of the workspace, one module per room: an APIRouter with its prefix (/assessor,
...), every route guarded by `demozone.web.auth.require(role)`, listed in app.ROUTERS and in
rooms.ROOMS."""
